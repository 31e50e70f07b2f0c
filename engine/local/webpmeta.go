package local

import "fluxdesk/engine/webpmux"

// webpMeta reads the ICCP, EXIF and XMP chunks of an extended WebP file; a
// damaged chunk ends the reading.
func webpMeta(data []byte) meta {
	m := meta{orientation: 1}
	chunks, _ := webpmux.Parse(data)
	for _, c := range chunks {
		switch c.ID {
		case webpmux.ICCP:
			m.icc = c.Data
		case webpmux.EXIF:
			m.exif = c.Data
			m.orientation = metaFromExif(c.Data)
		case webpmux.XMP:
			m.xmp = c.Data
		}
	}
	return m
}
