package local

import "encoding/binary"

// webpMeta reads the ICCP and EXIF chunks of an extended WebP file.
func webpMeta(data []byte) meta {
	m := meta{orientation: 1}
	for p := 12; p+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[p+4:]))
		if n < 0 || n > len(data)-p-8 {
			break
		}
		body := data[p+8 : p+8+n]
		switch string(data[p : p+4]) {
		case "ICCP":
			m.icc = body
		case "EXIF":
			m.orientation = metaFromExif(body)
		}
		p += 8 + n + n&1
	}
	return m
}
