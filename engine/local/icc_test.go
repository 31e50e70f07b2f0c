package local

import (
	"bytes"
	"compress/zlib"
	"testing"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
)

// fakeProfile returns n bytes standing in for an ICC profile; libwebp
// carries the bytes without interpreting them.
func fakeProfile(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*31 + i>>8)
	}
	copy(p, "fluxdesk test profile")
	return p
}

// withJPEGICC splits profile over APP2 segments of at most 65519 bytes, in
// reverse order to check that they are put back by sequence number.
func withJPEGICC(jpg, profile []byte) []byte {
	const piece = 65519
	count := (len(profile) + piece - 1) / piece
	for i := count - 1; i >= 0; i-- {
		chunk := profile[i*piece : min(len(profile), (i+1)*piece)]
		payload := append(append([]byte{}, iccPrefix...), byte(i+1), byte(count))
		jpg = withSegment(jpg, 0xe2, append(payload, chunk...))
	}
	return jpg
}

// TestCompress_ICCProfile checks that the colour profile of each format
// reaches the WebP output byte for byte.
func TestCompress_ICCProfile(t *testing.T) {
	src := gradient(40, 30)
	small, large := fakeProfile(3144), fakeProfile(150_000)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(small)
	zw.Close()
	iccp := append([]byte("sRGB-ish\x00\x00"), z.Bytes()...)
	withWebPICC, err := webp.SetMetadata(encodeWebP(t, src, false), small, "ICCP")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		data       []byte
		want       []byte
	}{
		{"JPEG one segment", "a.jpg", withJPEGICC(encodeJPEG(t, src, 90), small), small},
		{"JPEG three segments", "a.jpg", withJPEGICC(encodeJPEG(t, src, 90), large), large},
		{"PNG iCCP", "a.png", withPNGChunk(encodePNG(t, src), "iCCP", iccp), small},
		{"WebP ICCP", "a.webp", withWebPICC, small},
		{"no profile", "a.jpg", encodeJPEG(t, src, 90), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := compressBytes(t, tc.file, tc.data, engine.DefaultOptions())
			decodeOutput(t, res)
			got, _ := webp.GetMetadata(res.Data, "ICCP")
			if !bytes.Equal(got, tc.want) {
				t.Errorf("ICC profile of %d bytes, want %d bytes", len(got), len(tc.want))
			}
		})
	}
}

// TestJoinICC_RefusesIncompleteProfiles checks that a profile with a
// missing or repeated piece is dropped rather than embedded corrupted.
func TestJoinICC_RefusesIncompleteProfiles(t *testing.T) {
	tests := []struct {
		name   string
		pieces [][]byte
		want   []byte
	}{
		{"in order", [][]byte{{1, 2, 'a'}, {2, 2, 'b'}}, []byte("ab")},
		{"out of order", [][]byte{{2, 2, 'b'}, {1, 2, 'a'}}, []byte("ab")},
		{"missing piece", [][]byte{{1, 3, 'a'}, {2, 3, 'b'}}, nil},
		{"repeated piece", [][]byte{{1, 2, 'a'}, {1, 2, 'a'}}, nil},
		{"sequence zero", [][]byte{{0, 1, 'a'}}, nil},
		{"too short", [][]byte{{1}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := joinICC(tc.pieces); !bytes.Equal(got, tc.want) {
				t.Errorf("joinICC = %q, want %q", got, tc.want)
			}
		})
	}
}
