package watcher

import (
	"image"
	"io"
	"os"
	"time"

	// Decoders for the formats Fluxdesk reads, so that a header check knows
	// them all.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"fluxdesk/engine"
)

// Record is what the watcher asks of Fluxdesk's persistent record.
type Record interface {
	// Ours reports whether the file at path, with this size and
	// modification time, is Fluxdesk's: an output it wrote (and unchanged
	// since), or an original already processed with the same content.
	Ours(path string, size int64, modTime time.Time) bool
}

// noRecord knows nothing: every image is new.
type noRecord struct{}

func (noRecord) Ours(string, int64, time.Time) bool { return false }

// File is an image that has settled and is ready to be processed.
type File struct {
	// Path of the image, absolute.
	Path string
	// Root is the watched folder it was found under.
	Root string
	// Size and ModTime of the file when it settled.
	Size    int64
	ModTime time.Time
}

// verdict is what the checks make of a settled file.
type verdict int

const (
	// drop: not to be handed over (Fluxdesk's own, already processed,
	// unreadable, not an image, or changed since it settled).
	drop verdict = iota
	// incomplete: an image whose data ends early, as a stalled copy
	// leaves it; the rest may still come.
	incomplete
	// handOver: a whole image, as it was when it settled.
	handOver
)

// check decides what to do with a settled file: whether it is Fluxdesk's own
// or already processed, readable, an image by its header, whole (its
// container reaches its end), and still as it was when it settled. A file
// that settled early counts as whole only by an end mark: a TIFF waits for
// the whole quiet period.
func check(rec Record, f Settled) verdict {
	if rec.Ours(f.Path, f.Stamp.Size, f.Stamp.ModTime) {
		return drop
	}
	file, err := os.Open(f.Path)
	if err != nil {
		return drop
	}
	defer file.Close()
	if _, _, err := image.DecodeConfig(file); err != nil {
		return drop
	}
	v := incomplete
	if _, err := file.Seek(0, io.SeekStart); err == nil {
		if complete, marked := engine.Complete(file, f.Stamp.Size); complete && (marked || !f.Early) {
			v = handOver
		}
	}
	if st, err := statStamp(f.Path); err != nil || !st.Equal(f.Stamp) {
		return drop // it changed while being read: it settles again
	}
	return v
}

// waits remembers since when each incomplete file has been waited for in the
// state it is in; a file whose data grows starts its wait again.
type waits struct {
	max   int
	since map[string]waiting
}

type waiting struct {
	stamp Stamp
	since time.Time
}

func newWaits(max int) *waits {
	return &waits{max: max, since: map[string]waiting{}}
}

// waited returns how long f has been incomplete as it is now, noting it.
// Past max files (their copies abandoned, say) it forgets them all: their
// waits start again.
func (w *waits) waited(f Settled, now time.Time) time.Duration {
	old, ok := w.since[f.Path]
	if ok && old.stamp.Equal(f.Stamp) {
		return now.Sub(old.since)
	}
	if len(w.since) >= w.max {
		clear(w.since)
	}
	w.since[f.Path] = waiting{stamp: f.Stamp, since: now}
	return 0
}

// done forgets a file that is no longer waited for.
func (w *waits) done(path string) {
	delete(w.since, path)
}

// statStamp reads the stamp of a regular file, not following symlinks.
func statStamp(path string) (Stamp, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return Stamp{}, err
	}
	if !info.Mode().IsRegular() {
		return Stamp{}, errNotRegular
	}
	return Stamp{Size: info.Size(), ModTime: info.ModTime()}, nil
}
