package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // registers the JPEG header reader for verification
	_ "image/png"  // registers the PNG header reader for verification

	_ "golang.org/x/image/webp" // registers the WebP header reader for verification
)

// Verify checks that data is a complete, non-empty image in format with the
// expected size (when width and height are not zero), before anything is
// written. It reads headers and the container's length, not every pixel.
func Verify(data []byte, format Format, width, height int) error {
	if len(data) == 0 {
		return errors.New("the result is empty")
	}
	if format == FormatAVIF {
		return verifyAVIF(data)
	}
	if format == FormatWebP {
		if err := verifyRIFFLength(data); err != nil {
			return err
		}
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("the result is not a %s image: %s", format.Label(), DescribeContent(data))
	}
	if decoded, _ := FormatDecoded(got); decoded != format {
		return fmt.Errorf("the result is a %s image, not %s", got, format.Label())
	}
	if width > 0 && height > 0 && (cfg.Width != width || cfg.Height != height) {
		return fmt.Errorf("the result is %d×%d, not the expected %d×%d", cfg.Width, cfg.Height, width, height)
	}
	return nil
}

// verifyRIFFLength checks that a WebP file is exactly as long as its RIFF
// header says: a truncated file is refused.
func verifyRIFFLength(data []byte) error {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return fmt.Errorf("the result is not a WebP image: %s", DescribeContent(data))
	}
	declared := int64(binary.LittleEndian.Uint32(data[4:8])) + 8
	if declared != int64(len(data)) {
		return fmt.Errorf("the WebP result is truncated or padded (%d bytes, header says %d)", len(data), declared)
	}
	return nil
}

// verifyAVIF checks the ISO-BMFF "ftyp" box for an AVIF brand.
func verifyAVIF(data []byte) error {
	if len(data) < 16 || string(data[4:8]) != "ftyp" {
		return fmt.Errorf("the result is not an AVIF image: %s", DescribeContent(data))
	}
	size := int(binary.BigEndian.Uint32(data[:4]))
	if size < 16 || size > len(data) {
		return errors.New("the AVIF result is truncated")
	}
	for off := 8; off+4 <= size; off += 4 {
		if b := string(data[off : off+4]); b == "avif" || b == "avis" {
			return nil
		}
	}
	return errors.New("the result is an ISO media file but not AVIF")
}
