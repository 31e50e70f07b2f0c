package local

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fluxdesk/engine"
)

// TestCompress_JPEGFixtures checks JPEG kinds Go cannot write, made from
// testdata/gradient.png with ImageMagick 6:
//
//	convert gradient.png -interlace JPEG -quality 92 -sampling-factor 2x2 progressive.jpg
//	convert gradient.png -colorspace CMYK -quality 92 ycck.jpg   # Adobe transform 2: YCCK
func TestCompress_JPEGFixtures(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "gradient.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file      string
		tolerance float64
	}{
		{"progressive.jpg", 3},
		{"ycck.jpg", 3},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := compressFile(t, filepath.Join("testdata", tc.file), engine.DefaultOptions())
			got := decodeOutput(t, res)
			if d := meanDiff(t, got, want); d > tc.tolerance {
				t.Errorf("mean difference %.2f per channel, want ≤ %.0f", d, tc.tolerance)
			}
		})
	}
}
