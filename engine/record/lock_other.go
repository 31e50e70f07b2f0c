//go:build !unix

package record

import (
	"os"
	"sync"
)

// locked are the claim files locked in this process. Without advisory
// locks on this platform, claims keep only this process's writes apart.
var locked sync.Map

// lockFile opens the file at path, creating it, and locks it for this
// process unless it is locked already (locked is then false).
func lockFile(path string) (f *os.File, ok bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	if _, held := locked.LoadOrStore(path, f); held {
		return f, false, nil
	}
	return f, true, nil
}

// unlockFile removes the file at path, which f holds locked, then closes f
// and ends the lock.
func unlockFile(path string, f *os.File) {
	os.Remove(path)
	locked.CompareAndDelete(path, f)
	f.Close()
}
