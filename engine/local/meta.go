package local

import (
	"bytes"

	"fluxdesk/engine"
	"fluxdesk/engine/webpmux"
)

// meta is what an image file says about itself besides its pixels.
type meta struct {
	// orientation is the EXIF orientation, 1 (upright) to 8.
	orientation int
	// icc is the embedded ICC colour profile, if any.
	icc []byte
	// exif is the EXIF block (a TIFF structure), if any; for a TIFF file,
	// the whole file.
	exif []byte
	// xmp is the XMP packet, if any.
	xmp []byte
}

// exifPrefix starts the EXIF payload of a JPEG APP1 segment, and sometimes
// of other formats' EXIF chunks.
var exifPrefix = []byte("Exif\x00\x00")

// xmpPrefix starts the XMP payload of a JPEG APP1 segment.
var xmpPrefix = []byte("http://ns.adobe.com/xap/1.0/\x00")

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
		m := tiffTags(data)
		m.exif = data
		return m
	}
	return meta{orientation: 1}
}

// chunks returns the WebP chunks that carry the metadata over to an output
// of width×height pixels: the ICC profile, when there is one, and with
// KeepMetadata the EXIF and XMP as keptExif and keptXMP rewrite them. EXIF
// or XMP that cannot be read is left out.
func (m meta) chunks(opts engine.Options, width, height int) []webpmux.Chunk {
	var chunks []webpmux.Chunk
	if len(m.icc) > 0 {
		chunks = append(chunks, webpmux.Chunk{ID: webpmux.ICCP, Data: m.icc})
	}
	if !opts.KeepMetadata {
		return chunks
	}
	xmp := m.xmp
	if len(m.exif) > 0 {
		if exif, tiffXMP, err := keptExif(m.exif, opts.KeepGPS, width, height); err == nil {
			if len(exif) > 0 {
				chunks = append(chunks, webpmux.Chunk{ID: webpmux.EXIF, Data: exif})
			}
			if len(xmp) == 0 {
				xmp = tiffXMP
			}
		}
	}
	if len(xmp) > 0 {
		if xmp, err := keptXMP(xmp, opts.KeepGPS); err == nil {
			chunks = append(chunks, webpmux.Chunk{ID: webpmux.XMP, Data: xmp})
		}
	}
	return chunks
}
