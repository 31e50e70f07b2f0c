package watcher

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fluxdesk/engine/pathid"
)

// ErrWatchedElsewhere is wrapped by the error Run returns for a folder that
// another Fluxdesk (another process, or another watcher here) is watching,
// or that contains, or lies inside, such a folder: two watchers of one
// folder would both compress each new file.
var ErrWatchedElsewhere = errors.New("already watched by another Fluxdesk")

// errBusy means a lock file is held by someone else.
var errBusy = errors.New("lock held")

// registryName is the lock file, in the folder of watch locks, that a
// watcher holds while it looks at the other watchers' locks and takes its
// own, so that two watchers starting at once see each other.
const registryName = "registry"

// lockRoots takes, in dir, an exclusive lock for each root, released by the
// returned function. With dir "" nothing is locked. Each lock file holds the
// real path of its folder; a root that is, contains or lies inside a folder
// whose lock is held is refused, with an error naming that folder.
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
	unlockRegistry, err := lockFile(filepath.Join(dir, registryName), true)
	if err != nil {
		return nil, fmt.Errorf("cannot take the lock of watched folders: %w", err)
	}
	defer unlockRegistry()
	watched := heldRoots(dir)
	for _, root := range roots {
		real := pathid.Real(root)
		for _, other := range watched {
			if err := overlap(root, real, other); err != nil {
				release()
				return nil, err
			}
		}
		sum := sha256.Sum256([]byte(real))
		path := filepath.Join(dir, hex.EncodeToString(sum[:12])+".lock")
		unlock, err := lockFile(path, false)
		if err == nil {
			err = os.WriteFile(path, []byte(real), 0o600)
		}
		if err != nil {
			if unlock != nil {
				unlock()
			}
			release()
			return nil, fmt.Errorf("cannot take the watch lock of %s: %w", root, err)
		}
		held = append(held, unlock)
		watched = append(watched, real)
	}
	return release, nil
}

// heldRoots returns the folders whose locks in dir are held, and removes the
// lock files nobody holds (left by a process that ended).
func heldRoots(dir string) []string {
	locks, _ := filepath.Glob(filepath.Join(dir, "*.lock"))
	var roots []string
	for _, path := range locks {
		unlock, err := lockFile(path, false)
		if err == nil {
			os.Remove(path)
			unlock()
			continue
		}
		if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
			roots = append(roots, string(data))
		}
	}
	return roots
}

// overlap returns the error refusing root (real, resolved) when it is,
// contains or lies inside the folder other, which is watched.
func overlap(root, real, other string) error {
	switch {
	case pathid.Same(real, other) && root == other:
		return fmt.Errorf("%s is %w", root, ErrWatchedElsewhere)
	case pathid.Same(real, other):
		return fmt.Errorf("%s is %w, as %s", root, ErrWatchedElsewhere, other)
	case pathid.Within(real, other):
		return fmt.Errorf("%s lies inside %s, which is %w", root, other, ErrWatchedElsewhere)
	case pathid.Within(other, real):
		return fmt.Errorf("%s contains %s, which is %w", root, other, ErrWatchedElsewhere)
	}
	return nil
}
