package local

import "encoding/binary"

// TIFF tags read by tiffTags.
const (
	tagOrientation = 0x0112
	tagICCProfile  = 0x8773
)

// tiffTags reads the orientation and the ICC profile from the first image
// directory of a TIFF structure: a TIFF file or an EXIF block. Anything
// missing or malformed leaves the defaults (upright, no profile).
func tiffTags(b []byte) meta {
	m := meta{orientation: 1}
	var order binary.ByteOrder
	switch {
	case len(b) < 8:
		return m
	case string(b[:4]) == "II*\x00":
		order = binary.LittleEndian
	case string(b[:4]) == "MM\x00*":
		order = binary.BigEndian
	default:
		return m
	}
	ifd := int64(order.Uint32(b[4:]))
	if ifd+2 > int64(len(b)) {
		return m
	}
	n := int64(order.Uint16(b[ifd:]))
	for i := int64(0); i < n; i++ {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(b)) {
			break
		}
		tag, typ, count := order.Uint16(b[e:]), order.Uint16(b[e+2:]), int64(order.Uint32(b[e+4:]))
		switch {
		case tag == tagOrientation && typ == 3 && count == 1:
			if o := int(order.Uint16(b[e+8:])); o >= 1 && o <= 8 {
				m.orientation = o
			}
		case tag == tagICCProfile && (typ == 7 || typ == 1) && count > 4:
			off := int64(order.Uint32(b[e+8:]))
			if off+count <= int64(len(b)) {
				m.icc = b[off : off+count]
			}
		}
	}
	return m
}
