package record

import (
	"errors"
	"fmt"
	"os"
	"time"

	"fluxdesk/engine"
)

// errChanged means a file changed while it was being read.
var errChanged = errors.New("the file changed while it was read")

// Source is an original as it was when Fluxdesk processed it.
type Source struct {
	// Path of the original, absolute.
	Path string
	// Size and ModTime of the original when its content was hashed.
	Size    int64
	ModTime time.Time
	// Hash of its content.
	Hash engine.SourceHash
	// Output written for it ("" when it was skipped) and the job's final
	// status ("done" or "skipped").
	Output string
	Status string
}

// ReadSource stats and hashes the file at path. It fails when the file
// changes while it is read, so a Source always describes one content.
func ReadSource(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return Source{}, err
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return Source{}, err
	}
	hash, err := engine.HashContent(f)
	if err != nil {
		return Source{}, err
	}
	after, err := os.Stat(path)
	if err != nil {
		return Source{}, err
	}
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		return Source{}, fmt.Errorf("%s: %w", path, errChanged)
	}
	return Source{Path: path, Size: before.Size(), ModTime: before.ModTime(), Hash: hash}, nil
}

// ReadSettled hashes a file a watcher found settled at the given size and
// modification time. ok is false when the file changed since (it will
// settle again) or cannot be read.
func ReadSettled(path string, size int64, modTime time.Time) (s Source, ok bool) {
	s, err := ReadSource(path)
	return s, err == nil && s.Size == size && s.ModTime.Equal(modTime)
}
