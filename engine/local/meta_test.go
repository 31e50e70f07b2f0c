package local

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
)

// tiffWithTags returns a TIFF structure in the given byte order whose first
// directory holds an orientation and an ICC profile.
func tiffWithTags(order binary.AppendByteOrder, orientation uint16, icc []byte) []byte {
	var b []byte
	if order == binary.AppendByteOrder(binary.LittleEndian) {
		b = []byte("II*\x00")
	} else {
		b = []byte("MM\x00*")
	}
	b = order.AppendUint32(b, 8)
	b = order.AppendUint16(b, 2)
	b = order.AppendUint16(b, tagOrientation)
	b = order.AppendUint16(b, 3)
	b = order.AppendUint32(b, 1)
	b = order.AppendUint16(b, orientation)
	b = order.AppendUint16(b, 0)
	b = order.AppendUint16(b, tagICCProfile)
	b = order.AppendUint16(b, 7)
	b = order.AppendUint32(b, uint32(len(icc)))
	b = order.AppendUint32(b, 8+2+2*12+4)
	b = order.AppendUint32(b, 0)
	return append(b, icc...)
}

// TestTIFFTags reads orientation and ICC profile in both byte orders, and
// falls back to upright without a profile on damaged structures.
func TestTIFFTags(t *testing.T) {
	icc := fakeProfile(300)
	le := tiffWithTags(binary.LittleEndian, 6, icc)
	tests := []struct {
		name            string
		data            []byte
		wantOrientation int
		wantICC         []byte
	}{
		{"little-endian", le, 6, icc},
		{"big-endian", tiffWithTags(binary.BigEndian, 8, icc), 8, icc},
		{"invalid orientation", tiffWithTags(binary.LittleEndian, 9, icc), 1, icc},
		{"profile cut off", le[:len(le)-10], 6, nil},
		{"directory cut off", le[:20], 1, nil},
		{"not TIFF", []byte("hello, world"), 1, nil},
		{"directory offset past the end", []byte("II*\x00\xff\xff\xff\x7f"), 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tiffTags(tc.data)
			if m.orientation != tc.wantOrientation || !bytes.Equal(m.icc, tc.wantICC) {
				t.Errorf("orientation %d, %d-byte profile; want %d, %d bytes",
					m.orientation, len(m.icc), tc.wantOrientation, len(tc.wantICC))
			}
		})
	}
}

// TestCompress_WebPExifOrientation checks that a WebP input's EXIF
// orientation is applied too.
func TestCompress_WebPExifOrientation(t *testing.T) {
	data, err := webp.SetMetadata(encodeWebP(t, cornered(64, 32), true), exifOrientation(8)[len(exifPrefix):], "EXIF")
	if err != nil {
		t.Fatal(err)
	}
	opts := engine.DefaultOptions()
	opts.Lossless = true
	res := compressBytes(t, "a.webp", data, opts)
	got := cornerColours(decodeOutput(t, res))
	// Orientation 8: the stored top-left corner ends up bottom-left.
	if res.Width != 32 || res.Height != 64 || got[2] != corners[0] {
		t.Errorf("output %d×%d with corners %v", res.Width, res.Height, got)
	}
}
