package watcher

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrWatchedElsewhere is wrapped by the error Run returns for a folder that
// another Fluxdesk (another process, or another watcher here) is watching:
// two watchers of one folder would both compress each new file.
var ErrWatchedElsewhere = errors.New("already watched by another Fluxdesk")

// errBusy means a lock file is held by someone else.
var errBusy = errors.New("lock held")

// lockRoots takes, in dir, an exclusive lock for each root, released by the
// returned function. With dir "" nothing is locked.
func lockRoots(dir string, roots []string) (release func(), err error) {
	var held []func()
	release = func() {
		for _, r := range held {
			r()
		}
	}
	if dir == "" {
		return release, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the folder of watch locks: %w", err)
	}
	for _, root := range roots {
		sum := sha256.Sum256([]byte(root))
		unlock, err := lockFile(filepath.Join(dir, hex.EncodeToString(sum[:12])+".lock"))
		if err != nil {
			release()
			if errors.Is(err, errBusy) {
				return nil, fmt.Errorf("%s is %w", root, ErrWatchedElsewhere)
			}
			return nil, fmt.Errorf("cannot take the watch lock of %s: %w", root, err)
		}
		held = append(held, unlock)
	}
	return release, nil
}
