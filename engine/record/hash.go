package record

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Hash is the SHA-256 of a file's content.
type Hash [sha256.Size]byte

// MarshalText writes the hash in hexadecimal.
func (h Hash) MarshalText() ([]byte, error) {
	return []byte(hex.EncodeToString(h[:])), nil
}

// UnmarshalText reads a hash written by MarshalText.
func (h *Hash) UnmarshalText(text []byte) error {
	if hex.DecodedLen(len(text)) != len(h) {
		return errors.New("not a SHA-256 hash")
	}
	_, err := hex.Decode(h[:], text)
	return err
}

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
	Hash Hash
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
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Source{}, err
	}
	after, err := os.Stat(path)
	if err != nil {
		return Source{}, err
	}
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		return Source{}, fmt.Errorf("%s: %w", path, errChanged)
	}
	s := Source{Path: path, Size: before.Size(), ModTime: before.ModTime()}
	h.Sum(s.Hash[:0])
	return s, nil
}

// ReadSettled hashes a file a watcher found settled at the given size and
// modification time. ok is false when the file changed since (it will
// settle again) or cannot be read.
func ReadSettled(path string, size int64, modTime time.Time) (s Source, ok bool) {
	s, err := ReadSource(path)
	return s, err == nil && s.Size == size && s.ModTime.Equal(modTime)
}
