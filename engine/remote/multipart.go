package remote

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"

	"fluxdesk/engine"
)

// Upload is one file to send.
type Upload struct {
	// Name is the file name the service sees (and may echo back).
	Name string
	// Body is the content; it is read from the start on every attempt.
	Body io.ReadSeeker
	// Size is the exact length of Body.
	Size int64
}

// Params are the per-request compression settings.
type Params struct {
	// Format is any of engine.Formats.
	Format engine.Format
	// Quality is 40–100; it is not sent for png, which is always lossless.
	Quality int
	// MaxWidth and MaxHeight are sent when non-zero.
	MaxWidth, MaxHeight int
}

// Validate refuses settings the service does not take.
func (p Params) Validate() error {
	if !p.Format.Known() {
		//lint:ignore ST1005 Fluximage is a name
		return fmt.Errorf("Fluximage cannot make %q files (it makes webp, avif, jpg and png)", p.Format)
	}
	if p.Format != engine.FormatPNG && (p.Quality < 40 || p.Quality > 100) {
		//lint:ignore ST1005 Fluximage is a name
		return fmt.Errorf("Fluximage takes a quality between 40 and 100, not %d", p.Quality)
	}
	if p.MaxWidth < 0 || p.MaxHeight < 0 {
		return fmt.Errorf("maximum width and height cannot be negative")
	}
	return nil
}

// fields are the form fields for p, in a fixed order.
func (p Params) fields() [][2]string {
	f := [][2]string{{"format", string(p.Format)}}
	if p.Format != engine.FormatPNG {
		f = append(f, [2]string{"quality", strconv.Itoa(p.Quality)})
	}
	if p.MaxWidth > 0 {
		f = append(f, [2]string{"maxWidth", strconv.Itoa(p.MaxWidth)})
	}
	if p.MaxHeight > 0 {
		f = append(f, [2]string{"maxHeight", strconv.Itoa(p.MaxHeight)})
	}
	return f
}

// multipartBody lays out a form with the fields and files of one request
// without copying the files: the parts' headers are built in memory and the
// files are streamed between them, so the length is known in advance.
func multipartBody(p Params, files []Upload) (body io.Reader, contentType string, length int64, err error) {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	var parts []io.Reader
	for _, f := range p.fields() {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, "", 0, err
		}
	}
	for _, f := range files {
		if _, err := f.Body.Seek(0, io.SeekStart); err != nil {
			return nil, "", 0, err
		}
		if _, err := w.CreateFormFile("file", f.Name); err != nil {
			return nil, "", 0, err
		}
		parts = append(parts, bytes.NewReader(bytes.Clone(head.Bytes())), io.LimitReader(f.Body, f.Size))
		length += int64(head.Len()) + f.Size
		head.Reset()
	}
	if err := w.Close(); err != nil {
		return nil, "", 0, err
	}
	parts = append(parts, bytes.NewReader(head.Bytes()))
	length += int64(head.Len())
	return io.MultiReader(parts...), w.FormDataContentType(), length, nil
}
