//go:build unix

package engine

import (
	"errors"
	"syscall"
)

// ProcessAlive reports whether a process with this ID exists.
func ProcessAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
