package local

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
)

// maxMetaBytes caps the size of an ICC profile or XMP packet taken from a
// compressed chunk.
const maxMetaBytes = 16 << 20

// pngMeta reads the ICC profile (iCCP) and EXIF (eXIf) that precede a
// PNG's image data, and its XMP (an iTXt chunk), which may also follow it.
// An eXIf chunk after the image data breaks the PNG extensions' ordering
// rule and is not read.
func pngMeta(data []byte) meta {
	m := meta{orientation: 1}
	afterIDAT := false
	pngChunks(data, func(typ string, body []byte) bool {
		switch {
		case typ == "IDAT":
			afterIDAT = true
		case typ == "iCCP" && !afterIDAT:
			m.icc = inflateICC(body)
		case typ == "eXIf" && !afterIDAT:
			m.exif = body
			m.orientation = metaFromExif(body)
		case typ == "iTXt" && m.xmp == nil:
			m.xmp = pngXMP(body)
		}
		return true
	})
	return m
}

// pngChunks calls fn with the type and body of each whole chunk of a PNG,
// in order, until the IEND chunk, a chunk that runs past the end of data,
// or fn returns false.
func pngChunks(data []byte, fn func(typ string, body []byte) bool) {
	for p := 8; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if n < 0 || n > len(data)-p-12 || typ == "IEND" || !fn(typ, data[p+8:p+8+n]) {
			return
		}
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
	return inflate(body[name+2:])
}

// xmpKeyword names the iTXt chunk that holds a PNG's XMP packet.
const xmpKeyword = "XML:com.adobe.xmp"

// pngXMP returns the text of an iTXt chunk holding XMP: the keyword, a zero
// byte, the compression flag and method, a language tag and a translated
// keyword (each ended by a zero byte), then the text, zlib-compressed when
// the flag is 1. It returns nil for other iTXt chunks.
func pngXMP(body []byte) []byte {
	rest, ok := bytes.CutPrefix(body, []byte(xmpKeyword+"\x00"))
	if !ok || len(rest) < 2 {
		return nil
	}
	compressed := rest[0] == 1
	fields := bytes.SplitN(rest[2:], []byte{0}, 3)
	if len(fields) != 3 {
		return nil
	}
	if compressed {
		return inflate(fields[2])
	}
	return fields[2]
}

// inflate decompresses a zlib stream of at most maxMetaBytes, or returns nil.
func inflate(stream []byte) []byte {
	z, err := zlib.NewReader(bytes.NewReader(stream))
	if err != nil {
		return nil
	}
	defer z.Close()
	out, err := io.ReadAll(io.LimitReader(z, maxMetaBytes+1))
	if err != nil || len(out) > maxMetaBytes {
		return nil
	}
	return out
}
