package local

import (
	"errors"
	"fmt"
)

// Errors a job can fail with, for errors.Is; the message of the returned
// error says more about the particular file.
var (
	// ErrNotImage means the content is not an image in a format this
	// package reads (it may be text, HTML, an archive, or unknown data).
	ErrNotImage = errors.New("not an image")
	// ErrUnsupported means the file is an image this package cannot read.
	ErrUnsupported = errors.New("unsupported image")
	// ErrTooLarge means the image exceeds a size limit.
	ErrTooLarge = errors.New("image too large")
	// ErrCorrupt means the image is damaged, truncated or empty.
	ErrCorrupt = errors.New("damaged image")
)

// kindError is a message for a person that still matches one of the
// sentinel errors above with errors.Is.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// failf returns an error of the given kind with a formatted message.
func failf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}
