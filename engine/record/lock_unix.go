//go:build unix

package record

import (
	"errors"
	"os"
	"syscall"
)

// lockFile opens the file at path, creating it, and tries to lock it
// exclusively without waiting. The file is returned open either way; locked
// is false when another open file holds the lock.
func lockFile(path string) (f *os.File, locked bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return f, false, nil
	}
	if err != nil {
		f.Close()
		return nil, false, err
	}
	return f, true, nil
}

// unlockFile removes the file at path, which f holds locked, then closes f
// (which ends the lock).
func unlockFile(path string, f *os.File) {
	os.Remove(path)
	f.Close()
}
