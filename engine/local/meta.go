package local

import (
	"bytes"

	"fluxdesk/engine/webpmux"
)

// meta is what an image file says about itself besides its pixels.
type meta struct {
	// orientation is the EXIF orientation, 1 (upright) to 8.
	orientation int
	// icc is the embedded ICC colour profile, if any.
	icc []byte
}

// exifPrefix starts the EXIF payload of a JPEG APP1 segment, and sometimes
// of other formats' EXIF chunks.
var exifPrefix = []byte("Exif\x00\x00")

// metaFromExif reads the orientation from an EXIF payload.
func metaFromExif(exif []byte) int {
	return tiffTags(bytes.TrimPrefix(exif, exifPrefix)).orientation
}

// readMeta reads the orientation and ICC profile of a non-JPEG file.
func readMeta(format string, data []byte) meta {
	switch format {
	case fmtPNG:
		return pngMeta(data)
	case fmtWebP:
		return webpMeta(data)
	case fmtTIFF:
		return tiffTags(data)
	}
	return meta{orientation: 1}
}

// chunks returns the WebP chunks that carry the metadata over: the ICC
// profile, when there is one.
func (m meta) chunks() []webpmux.Chunk {
	if len(m.icc) == 0 {
		return nil
	}
	return []webpmux.Chunk{{ID: webpmux.ICCP, Data: m.icc}}
}
