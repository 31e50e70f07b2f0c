package local

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
)

// maxICCBytes caps the size of an ICC profile taken from a compressed chunk.
const maxICCBytes = 16 << 20

// pngMeta reads the ICC profile (iCCP) and EXIF orientation (eXIf) chunks
// that precede a PNG's image data.
func pngMeta(data []byte) meta {
	m := meta{orientation: 1}
	pngHeaderChunks(data, func(typ string, body []byte) {
		switch typ {
		case "iCCP":
			m.icc = inflateICC(body)
		case "eXIf":
			m.orientation = metaFromExif(body)
		}
	})
	return m
}

// pngTransparent reports whether a PNG declares transparency: an alpha
// channel in its colour type, or a tRNS chunk.
func pngTransparent(data []byte) bool {
	const colorType, alphaBit = 8 + 8 + 9, 4 // in the IHDR chunk, which comes first
	if len(data) > colorType && data[colorType]&alphaBit != 0 {
		return true
	}
	found := false
	pngHeaderChunks(data, func(typ string, _ []byte) {
		found = found || typ == "tRNS"
	})
	return found
}

// pngHeaderChunks calls fn with the type and body of each whole chunk that
// precedes a PNG's image data.
func pngHeaderChunks(data []byte, fn func(typ string, body []byte)) {
	for p := 8; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if n < 0 || n > len(data)-p-12 || typ == "IDAT" || typ == "IEND" {
			return
		}
		fn(typ, data[p+8:p+8+n])
		p += 12 + n
	}
}

// inflateICC decompresses the body of an iCCP chunk: a profile name, a zero
// byte, the compression method (0) and the zlib stream.
func inflateICC(body []byte) []byte {
	name := bytes.IndexByte(body, 0)
	if name < 0 || name+2 > len(body) || body[name+1] != 0 {
		return nil
	}
	z, err := zlib.NewReader(bytes.NewReader(body[name+2:]))
	if err != nil {
		return nil
	}
	defer z.Close()
	icc, err := io.ReadAll(io.LimitReader(z, maxICCBytes+1))
	if err != nil || len(icc) > maxICCBytes {
		return nil
	}
	return icc
}
