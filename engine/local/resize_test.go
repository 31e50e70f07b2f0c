package local

import (
	"image"
	"image/color"
	"testing"

	"golang.org/x/image/draw"

	"fluxdesk/engine"
)

// TestFitSize checks scaling down to fit, keeping the aspect ratio, never up.
func TestFitSize(t *testing.T) {
	tests := []struct{ w, h, maxW, maxH, wantW, wantH int }{
		{4000, 3000, 0, 0, 4000, 3000},
		{4000, 3000, 1000, 0, 1000, 750},
		{4000, 3000, 0, 1000, 1333, 1000},
		{4000, 3000, 1000, 1000, 1000, 750},
		{3000, 4000, 1000, 1000, 750, 1000},
		{800, 600, 1000, 1000, 800, 600},
		{800, 600, 800, 600, 800, 600},
		{20000, 4, 10000, 0, 10000, 2},
		{10000, 3, 100, 0, 100, 1},
		{1001, 1000, 1000, 1000, 1000, 999},
	}
	for _, tc := range tests {
		gotW, gotH := fitSize(tc.w, tc.h, tc.maxW, tc.maxH)
		if gotW != tc.wantW || gotH != tc.wantH {
			t.Errorf("fitSize(%d, %d, %d, %d) = %d×%d, want %d×%d",
				tc.w, tc.h, tc.maxW, tc.maxH, gotW, gotH, tc.wantW, tc.wantH)
		}
	}
}

// TestCompress_ScalesDown checks output sizes (with and without rotation)
// and that the pixels are a Catmull-Rom reduction of the input.
func TestCompress_ScalesDown(t *testing.T) {
	src := gradient(400, 300)
	lossless := engine.DefaultOptions()
	lossless.Lossless = true
	tests := []struct {
		name          string
		data          []byte
		maxW, maxH    int
		wantW, wantH  int
		checkAgainst  bool
		rotatedSource bool
	}{
		{"to a maximum width", encodePNG(t, src), 100, 0, 100, 75, true, false},
		{"to a maximum height", encodePNG(t, src), 0, 60, 80, 60, true, false},
		{"never up", encodePNG(t, src), 1000, 1000, 400, 300, true, false},
		{"upright size of a rotated photo", withSegment(encodeJPEG(t, src, 95), 0xe1, exifOrientation(6)), 0, 200, 150, 200, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := lossless
			opts.MaxWidth, opts.MaxHeight = tc.maxW, tc.maxH
			res := compressBytes(t, "a.img", tc.data, opts)
			got := decodeOutput(t, res)
			if res.Width != tc.wantW || res.Height != tc.wantH {
				t.Fatalf("output %d×%d, want %d×%d", res.Width, res.Height, tc.wantW, tc.wantH)
			}
			if !tc.checkAgainst {
				return
			}
			want := image.NewRGBA(image.Rect(0, 0, tc.wantW, tc.wantH))
			draw.CatmullRom.Scale(want, want.Rect, src, src.Rect, draw.Src, nil)
			if d := meanDiff(t, got, want); d > 0.01 {
				t.Errorf("mean difference %.3f from a Catmull-Rom reduction", d)
			}
		})
	}
}

// TestCompress_ScalingKeepsTransparentColourOut checks that fully
// transparent pixels do not bleed their hidden colour into visible ones.
func TestCompress_ScalingKeepsTransparentColourOut(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			if x < 32 {
				src.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 0}) // invisible red
			} else {
				src.SetNRGBA(x, y, color.NRGBA{0, 0, 255, 255})
			}
		}
	}
	opts := engine.DefaultOptions()
	opts.Lossless = true
	opts.MaxWidth = 16
	got := decodeOutput(t, compressBytes(t, "a.png", encodePNG(t, src), opts))
	for y := 0; y < 16; y++ {
		for x := 0; x < 16; x++ {
			if c := got.NRGBAAt(x, y); c.A > 0 && c.R > 8 {
				t.Fatalf("pixel (%d,%d) = %v: hidden red bled into a visible pixel", x, y, c)
			}
		}
	}
}
