// Package webpmux reads the chunks of a WebP file's RIFF container and adds
// chunks to it: colour profile, EXIF and XMP metadata, or any private chunk.
// A file with added chunks is written in the extended format, with a VP8X
// header whose flags say which of them are present.
package webpmux

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Chunk IDs with a meaning in the extended format.
const (
	ICCP = "ICCP" // ICC colour profile
	EXIF = "EXIF" // EXIF metadata (a TIFF structure)
	XMP  = "XMP " // XMP metadata (an XML packet)
	VP8X = "VP8X" // the extended format's header
	ALPH = "ALPH" // the alpha channel of a lossy image
	VP8  = "VP8 " // a lossy bitstream
	VP8L = "VP8L" // a lossless bitstream
	ANIM = "ANIM" // animation parameters
	ANMF = "ANMF" // one animation frame
)

// VP8X flags.
const (
	flagAnimation = 0x02
	flagXMP       = 0x04
	flagEXIF      = 0x08
	flagAlpha     = 0x10
	flagICC       = 0x20
)

// maxChunk is the largest chunk payload a RIFF file can hold with its header.
const maxChunk = 1<<32 - 1 - 64

// Chunk is one chunk of a WebP file's RIFF container.
type Chunk struct {
	// ID is the chunk's four-character code, such as ICCP or XMP (with its
	// trailing space).
	ID string
	// Data is the chunk's payload, without padding.
	Data []byte
}

// ErrNotWebP is returned for data that is not a RIFF WebP file.
var ErrNotWebP = errors.New("not a WebP file")

// Parse returns the chunks of a WebP file in their order, without the RIFF
// header. It stops at the first chunk that runs past the end of the data,
// and then returns the chunks before it with an error.
func Parse(file []byte) ([]Chunk, error) {
	if len(file) < 12 || string(file[:4]) != "RIFF" || string(file[8:12]) != "WEBP" {
		return nil, ErrNotWebP
	}
	var chunks []Chunk
	for p := 12; p < len(file); {
		if p+8 > len(file) {
			return chunks, errors.New("the WebP file ends inside a chunk header")
		}
		n := int64(binary.LittleEndian.Uint32(file[p+4:]))
		if n > int64(len(file)-p-8) {
			return chunks, fmt.Errorf("the WebP chunk %q runs past the end of the file", file[p:p+4])
		}
		chunks = append(chunks, Chunk{ID: string(file[p : p+4]), Data: file[p+8 : p+8+int(n)]})
		p += 8 + int(n) + int(n&1)
	}
	return chunks, nil
}

// Add returns the WebP file with chunks added. A chunk replaces any chunk
// of the same ID already there. The result is in the extended format, with
// chunks in the order the format asks for (VP8X, ICCP, ANIM, the image,
// EXIF, XMP, then any others, which readers ignore) and VP8X's flags and
// canvas size set. file is not changed.
func Add(file []byte, chunks ...Chunk) ([]byte, error) {
	old, err := Parse(file)
	if err != nil {
		return nil, err
	}
	width, height, flags, err := canvas(old)
	if err != nil {
		return nil, err
	}
	all := make([]Chunk, 0, len(old)+len(chunks))
	for _, c := range old {
		if c.ID != VP8X && !slices.ContainsFunc(chunks, func(n Chunk) bool { return n.ID == c.ID }) {
			all = append(all, c)
		}
	}
	for _, c := range chunks {
		if len(c.ID) != 4 {
			return nil, fmt.Errorf("a WebP chunk ID has four characters, not %q", c.ID)
		}
		if len(c.Data) > maxChunk {
			return nil, fmt.Errorf("the %q chunk is too large for a WebP file", c.ID)
		}
		all = append(all, c)
	}
	slices.SortStableFunc(all, func(a, b Chunk) int { return cmp.Compare(rank(a.ID), rank(b.ID)) })
	flags &^= flagICC | flagEXIF | flagXMP
	for _, c := range all {
		flags |= map[string]byte{ICCP: flagICC, EXIF: flagEXIF, XMP: flagXMP, ALPH: flagAlpha}[c.ID]
	}
	header := make([]byte, 10)
	header[0] = flags
	putUint24(header[4:], uint32(width-1))
	putUint24(header[7:], uint32(height-1))
	all = append([]Chunk{{ID: VP8X, Data: header}}, all...)

	size := 4
	for _, c := range all {
		size += 8 + len(c.Data) + len(c.Data)&1
	}
	if size > maxChunk {
		return nil, errors.New("the WebP file would be too large")
	}
	out := make([]byte, 0, 8+size)
	out = append(out, "RIFF"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(size))
	out = append(out, "WEBP"...)
	for _, c := range all {
		out = append(out, c.ID...)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(c.Data)))
		out = append(out, c.Data...)
		if len(c.Data)&1 == 1 {
			out = append(out, 0)
		}
	}
	return out, nil
}

// rank orders chunks as the extended format lays them out; chunks of equal
// rank keep their order.
func rank(id string) int {
	switch id {
	case VP8X:
		return 0
	case ICCP:
		return 1
	case ANIM:
		return 2
	case ALPH, VP8, VP8L, ANMF:
		return 3
	case EXIF:
		return 4
	case XMP:
		return 5
	}
	return 6
}

// canvas returns the image's size and the VP8X flags that describe its
// pixels (alpha, animation): from the VP8X header when there is one, else
// from the bitstream.
func canvas(chunks []Chunk) (width, height int, flags byte, err error) {
	for _, c := range chunks {
		switch {
		case c.ID == VP8X && len(c.Data) >= 10:
			return int(uint24(c.Data[4:])) + 1, int(uint24(c.Data[7:])) + 1, c.Data[0] & (flagAlpha | flagAnimation), nil
		case c.ID == VP8 && len(c.Data) >= 10 && string(c.Data[3:6]) == "\x9d\x01\x2a":
			w := int(binary.LittleEndian.Uint16(c.Data[6:]) & 0x3fff)
			h := int(binary.LittleEndian.Uint16(c.Data[8:]) & 0x3fff)
			return w, h, 0, nil
		case c.ID == VP8L && len(c.Data) >= 5 && c.Data[0] == 0x2f:
			bits := binary.LittleEndian.Uint32(c.Data[1:])
			if bits&(1<<28) != 0 {
				flags = flagAlpha
			}
			return int(bits&0x3fff) + 1, int(bits>>14&0x3fff) + 1, flags, nil
		}
	}
	return 0, 0, 0, errors.New("the WebP file has no image header")
}

func uint24(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
}

func putUint24(b []byte, v uint32) {
	b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
}
