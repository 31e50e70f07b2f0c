//go:build unix

package watcher

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on the file at path, waiting for it when
// wait is set, or else failing at once with errBusy. The lock goes with the
// open file, so it also ends when the process does.
func lockFile(path string, wait bool) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errBusy
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
