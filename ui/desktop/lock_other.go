//go:build !unix

package desktop

import (
	"errors"
	"os"
)

// tryLock is not available here: every launch opens its own window.
func tryLock(*os.File) (bool, error) {
	return false, errors.ErrUnsupported
}

// runtimeDir is not available here: every launch opens its own window.
func runtimeDir() (string, error) {
	return "", errors.ErrUnsupported
}
