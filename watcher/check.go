package watcher

import (
	"image"
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
)

// Record is what the watcher asks of Fluxdesk's persistent record.
type Record interface {
	// SourceOf reports whether the file at path is an output Fluxdesk wrote
	// and that is unchanged since.
	SourceOf(path string) (source string, ok bool)
	// Known reports whether the file at path, with this size and
	// modification time, was already processed with the same content.
	Known(path string, size int64, modTime time.Time) bool
}

// noRecord knows nothing: every image is new.
type noRecord struct{}

func (noRecord) SourceOf(string) (string, bool)      { return "", false }
func (noRecord) Known(string, int64, time.Time) bool { return false }

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

// ours reports whether the record says the file is Fluxdesk's output or an
// original already processed with this content.
func ours(rec Record, path string, st Stamp) bool {
	if _, ok := rec.SourceOf(path); ok {
		return true
	}
	return rec.Known(path, st.Size, st.ModTime)
}

// ready reports whether a settled file is to be handed over: not Fluxdesk's
// own or already processed, readable, an image by its header, and still as
// it was when it settled.
func ready(rec Record, f Settled) bool {
	if ours(rec, f.Path, f.Stamp) {
		return false
	}
	file, err := os.Open(f.Path)
	if err != nil {
		return false
	}
	defer file.Close()
	if _, _, err := image.DecodeConfig(file); err != nil {
		return false
	}
	st, err := statStamp(f.Path)
	return err == nil && st.Equal(f.Stamp)
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
