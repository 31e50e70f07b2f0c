package local

import (
	"fmt"

	"fluxdesk/engine"
)

const (
	// maxWebPSide is the largest width or height a WebP image can have.
	maxWebPSide = 16383
	// maxFileBytes caps how much of a file is read into memory.
	maxFileBytes = 1 << 30
)

// checkPixels refuses, before any pixel is allocated, an image whose header
// claims more than maxPixels pixels (engine.DefaultMaxPixels when not set).
func checkPixels(w, h int, maxPixels int64) error {
	maxPixels = pixelLimit(maxPixels)
	if w <= 0 || h <= 0 {
		return failf(ErrCorrupt, "the header gives an image size of %d×%d", w, h)
	}
	if int64(w)*int64(h) > maxPixels {
		return failf(ErrTooLarge, "image is %d×%d (%s megapixels), over the %s-megapixel limit",
			w, h, megapixels(int64(w)*int64(h)), megapixels(maxPixels))
	}
	return nil
}

// pixelLimit returns the pixel limit in force: maxPixels, or
// engine.DefaultMaxPixels when it is not set.
func pixelLimit(maxPixels int64) int64 {
	if maxPixels <= 0 {
		return engine.DefaultMaxPixels
	}
	return maxPixels
}

// checkWebPSize refuses an output WebP cannot hold.
func checkWebPSize(w, h int) error {
	if w > maxWebPSide || h > maxWebPSide {
		return failf(ErrTooLarge, "image is %d×%d, but WebP allows at most %d pixels a side; set a maximum width and height to scale it down",
			w, h, maxWebPSide)
	}
	return nil
}

// megapixels formats a pixel count in megapixels, with one decimal below ten.
func megapixels(n int64) string {
	mp := float64(n) / 1e6
	if mp < 10 {
		return fmt.Sprintf("%.1f", mp)
	}
	return fmt.Sprintf("%.0f", mp)
}
