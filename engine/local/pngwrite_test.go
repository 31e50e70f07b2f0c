//go:build !nolibjpeg

package local

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"testing"
)

// pngSpec describes a PNG written sample by sample, for the colour types,
// depths and layouts image/png cannot write (grey with alpha, tRNS on grey
// and truecolour, low-depth grey, interlacing).
type pngSpec struct {
	width, height int
	colorType     byte // 0 grey, 2 truecolour, 3 palette, 4 grey and alpha, 6 truecolour and alpha
	depth         int
	interlaced    bool
	chunks        []pngChunk // written after IHDR, in order (PLTE, tRNS, gAMA…)
	// sample returns channel c of pixel (x, y), below 1<<depth.
	sample func(x, y, c int) int
}

// adam7 lists the interlacing passes: first column and row, then steps.
var adam7 = [][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// channels returns the number of samples per pixel of s's colour type.
func (s pngSpec) channels() int {
	return map[byte]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[s.colorType]
}

// encode writes s as a PNG file, with unfiltered scanlines.
func (s pngSpec) encode(t testing.TB) []byte {
	t.Helper()
	passes := [][4]int{{0, 0, 1, 1}}
	if s.interlaced {
		passes = adam7
	}
	var raw bytes.Buffer
	for _, p := range passes {
		if p[0] >= s.width {
			continue
		}
		for y := p[1]; y < s.height; y += p[3] {
			raw.WriteByte(0) // filter type None
			var acc, bits int
			for x := p[0]; x < s.width; x += p[2] {
				for c := range s.channels() {
					v := s.sample(x, y, c)
					if s.depth == 16 {
						raw.Write([]byte{byte(v >> 8), byte(v)})
						continue
					}
					acc, bits = acc<<s.depth|v, bits+s.depth
					if bits == 8 {
						raw.WriteByte(byte(acc))
						acc, bits = 0, 0
					}
				}
			}
			if bits > 0 {
				raw.WriteByte(byte(acc << (8 - bits)))
			}
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(s.width))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(s.height))
	interlace := byte(0)
	if s.interlaced {
		interlace = 1
	}
	ihdr = append(ihdr, byte(s.depth), s.colorType, 0, 0, interlace)
	chunks := append([]pngChunk{{"IHDR", ihdr}}, s.chunks...)
	chunks = append(chunks, pngChunk{"IDAT", z.Bytes()}, pngChunk{"IEND", nil})
	out := []byte("\x89PNG\r\n\x1a\n")
	for _, c := range chunks {
		out = append(out, c.bytes()...)
	}
	return out
}
