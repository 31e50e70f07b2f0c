package local

import (
	"bytes"
	"encoding/binary"

	"fluxdesk/engine"
)

// Formats this package reads, as named by sniff.
const (
	fmtJPEG = "JPEG"
	fmtPNG  = "PNG"
	fmtGIF  = "GIF"
	fmtWebP = "WebP"
	fmtBMP  = "BMP"
	fmtTIFF = "TIFF"
)

// sniff names the image format of data from its first bytes, whatever the
// file is called. When data is not an image it reads, it returns an error
// that says what the content looks like instead.
func sniff(data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", failf(ErrCorrupt, "the file is empty")
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return fmtJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return fmtPNG, nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return fmtGIF, nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return fmtWebP, nil
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 18 && bmpInfoSizes[binary.LittleEndian.Uint32(data[14:])]:
		return fmtBMP, nil
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return fmtTIFF, nil
	}
	return "", failf(ErrNotImage, "not an image: %s", engine.DescribeContent(data))
}

// bmpInfoSizes are the sizes of the known BMP info headers, which follow
// the 14-byte file header.
var bmpInfoSizes = map[uint32]bool{12: true, 40: true, 52: true, 56: true, 64: true, 108: true, 124: true}
