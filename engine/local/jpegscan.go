package local

import (
	"bytes"
	"encoding/binary"
)

// iccPrefix starts each APP2 segment that carries a piece of an ICC profile.
var iccPrefix = []byte("ICC_PROFILE\x00")

// scanJPEG walks a JPEG's markers up to the start of the scan and returns
// its size, component count, EXIF orientation, ICC profile, EXIF and XMP,
// without decoding any pixel.
func scanJPEG(data []byte) (source, error) {
	info := source{format: fmtJPEG, meta: meta{orientation: 1}}
	var icc [][]byte
	for p := 2; ; {
		// Skip anything up to the next marker, as libjpeg does.
		for p < len(data) && data[p] != 0xff {
			p++
		}
		for p < len(data) && data[p] == 0xff {
			p++
		}
		if p >= len(data) {
			return info, failf(ErrCorrupt, "the JPEG file ends before its image data (it is truncated)")
		}
		marker := data[p]
		p++
		if marker == 0x01 || marker >= 0xd0 && marker <= 0xd7 {
			continue
		}
		if marker == 0xd9 {
			return info, failf(ErrCorrupt, "the JPEG file has no image data")
		}
		if p+2 > len(data) {
			return info, failf(ErrCorrupt, "the JPEG file ends before its image data (it is truncated)")
		}
		n := int(binary.BigEndian.Uint16(data[p:]))
		if n < 2 || p+n > len(data) {
			return info, failf(ErrCorrupt, "the JPEG file is damaged or truncated (a header segment runs past its end)")
		}
		seg := data[p+2 : p+n]
		p += n
		switch {
		case marker == 0xda:
			if info.components == 0 {
				return info, failf(ErrCorrupt, "the JPEG file has no frame header")
			}
			info.icc = joinICC(icc)
			return info, nil
		case isSOF(marker):
			if len(seg) < 6 {
				return info, failf(ErrCorrupt, "the JPEG frame header is damaged")
			}
			info.height = int(binary.BigEndian.Uint16(seg[1:]))
			info.width = int(binary.BigEndian.Uint16(seg[3:]))
			info.components = int(seg[5])
			if info.height == 0 {
				return info, failf(ErrUnsupported, "JPEG files that give their height after the image data are not supported")
			}
		case marker == 0xe1 && bytes.HasPrefix(seg, exifPrefix):
			if info.exif == nil {
				info.exif = seg[len(exifPrefix):]
			}
			if info.orientation == 1 {
				info.orientation = metaFromExif(seg)
			}
		case marker == 0xe1 && bytes.HasPrefix(seg, xmpPrefix) && info.xmp == nil:
			info.xmp = seg[len(xmpPrefix):]
		case marker == 0xe2 && bytes.HasPrefix(seg, iccPrefix):
			icc = append(icc, seg[len(iccPrefix):])
		}
	}
}

// isSOF reports whether marker starts a frame (SOF0–SOF15 but DHT, JPG, DAC).
func isSOF(marker byte) bool {
	return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc
}

// joinICC puts the pieces of an ICC profile (each starting with its 1-based
// sequence number and the count) back in order. A profile with missing or
// repeated pieces is dropped rather than guessed at.
func joinICC(pieces [][]byte) []byte {
	if len(pieces) == 0 {
		return nil
	}
	ordered := make([][]byte, len(pieces))
	for _, p := range pieces {
		if len(p) < 2 || int(p[1]) != len(pieces) || p[0] == 0 || int(p[0]) > len(pieces) || ordered[p[0]-1] != nil {
			return nil
		}
		ordered[p[0]-1] = p[2:]
	}
	return bytes.Join(ordered, nil)
}
