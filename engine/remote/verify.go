package remote

import (
	"bytes"
	"fmt"
	"image"

	"fluxdesk/engine"
)

// maxResultPixels bounds the size of a result that is decoded to check it:
// the service only ever scales down, and originals over a few times the
// default pixel limit are refused before they are sent.
const maxResultPixels = 4 * engine.DefaultMaxPixels

// Verify checks that data is a complete, non-empty image in format and
// returns its size; an avif's size is not read (0, 0).
// The commonest wrong answers (an error page, a JSON message) are named as
// such by engine.Verify.
func Verify(data []byte, format engine.Format) (width, height int, err error) {
	if err := engine.Verify(data, format, 0, 0); err != nil {
		return 0, 0, err
	}
	if format == engine.FormatAVIF {
		return 0, 0, nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	// A result comes over the network: decode it whole, so that a damaged
	// or cut-off image (whose header is intact) is never saved. Its header
	// is checked first, so a hostile one cannot make the decoder allocate
	// without bound.
	if int64(cfg.Width)*int64(cfg.Height) > maxResultPixels {
		return 0, 0, fmt.Errorf("the service returned a %d×%d image, larger than any result can be", cfg.Width, cfg.Height)
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return 0, 0, fmt.Errorf("the service returned a damaged image: %v", err)
	}
	return cfg.Width, cfg.Height, nil
}
