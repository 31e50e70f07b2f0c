//go:build !linux

package local

import "errors"

// lowestPriority is not done here: the workers keep the usual priority.
func lowestPriority() error {
	return errors.New("no idle scheduling class on this system")
}
