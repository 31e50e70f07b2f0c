package remote

import (
	"bytes"
	"errors"
	"image"

	"fluxdesk/engine"
)

// Verify checks that data is a non-empty image in format ("webp", "avif",
// "jpg" or "png") and returns its size; an avif's size is not read (0, 0).
// The commonest wrong answers (an error page, a JSON message) are named as
// such, in words a person understands.
func Verify(data []byte, format string) (width, height int, err error) {
	body := bytes.TrimSpace(data)
	switch {
	case len(body) == 0:
		return 0, 0, errors.New("the service returned an empty file instead of an image")
	case looksLikeHTML(body):
		return 0, 0, errors.New("the service returned an HTML page instead of an image")
	case body[0] == '{' || body[0] == '[':
		return 0, 0, errors.New("the service returned JSON instead of an image")
	}
	if err := engine.Verify(data, format, 0, 0); err != nil {
		return 0, 0, err
	}
	if format == "avif" {
		return 0, 0, nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	return cfg.Width, cfg.Height, nil
}
