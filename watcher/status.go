package watcher

import (
	"errors"
	"fmt"
	"syscall"
)

// Kind says what a Status reports.
type Kind string

// The kinds of Status.
const (
	// Watching: the folder is watched and its catch-up scan is complete.
	Watching Kind = "watching"
	// Paused: changes in the folder are noted but not handed over.
	Paused Kind = "paused"
	// Rescanning: the folder is scanned again; Reason says why.
	Rescanning Kind = "rescanning"
	// Error: something went wrong; Err says what. Watching goes on where it
	// can.
	Error Kind = "error"
)

// Status reports a change in the state of a watched folder.
type Status struct {
	Kind Kind
	// Root is the watched folder concerned.
	Root string
	// Reason says why, in words a person understands.
	Reason string
	// Err is set for Kind Error.
	Err error
}

// String words a status for a log line.
func (s Status) String() string {
	switch {
	case s.Err != nil:
		return fmt.Sprintf("%s %s: %v", s.Kind, s.Root, s.Err)
	case s.Reason != "":
		return fmt.Sprintf("%s %s: %s", s.Kind, s.Root, s.Reason)
	}
	return fmt.Sprintf("%s %s", s.Kind, s.Root)
}

// ErrWatchLimit is wrapped by the errors reporting that the system's limit
// on watched folders or watchers is reached.
var ErrWatchLimit = errors.New("the system limit on watched folders is reached")

var errNotRegular = errors.New("not a regular file")

// describeWatchError names the system setting to raise when err is the
// inotify limit, and otherwise words err for dir.
func describeWatchError(dir string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("cannot watch %s: %w; raise fs.inotify.max_user_watches (for example: sudo sysctl fs.inotify.max_user_watches=524288)", dir, ErrWatchLimit)
	case errors.Is(err, syscall.EMFILE):
		return fmt.Errorf("cannot watch %s: %w; raise fs.inotify.max_user_instances (for example: sudo sysctl fs.inotify.max_user_instances=512)", dir, ErrWatchLimit)
	}
	return fmt.Errorf("cannot watch %s: %w", dir, err)
}
