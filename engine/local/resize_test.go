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
// and that the pixels are those of a Catmull-Rom reduction of the input:
// the box filter that takes over most of a large reduction changes them by
// well under one level.
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
			if d := meanDiff(t, got, want); d > 0.5 {
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

// TestShrink checks the box filter against a direct average, with partial
// blocks at the edges, and premultiplied averaging of alpha.
func TestShrink(t *testing.T) {
	const w, h, k = 7, 5, 3
	for _, alpha := range []bool{false, true} {
		src := newRaster(nil, w, h, alpha)
		for i := range src.pix {
			src.pix[i] = uint8(i * 37)
		}
		got := shrink(src, k, nil)
		if got.width != 3 || got.height != 2 {
			t.Fatalf("alpha %v: %d×%d, want 3×2", alpha, got.width, got.height)
		}
		bpp := src.bpp()
		for oy := 0; oy < got.height; oy++ {
			for ox := 0; ox < got.width; ox++ {
				var sum [4]float64
				var n float64
				for y := oy * k; y < min(oy*k+k, h); y++ {
					for x := ox * k; x < min(ox*k+k, w); x++ {
						p := src.pix[y*src.stride+x*bpp:]
						weight := 1.0
						if alpha {
							weight = float64(p[3])
							sum[3] += float64(p[3])
						}
						for c := range 3 {
							sum[c] += float64(p[c]) * weight
						}
						n++
					}
				}
				d := got.pix[oy*got.stride+ox*bpp:]
				for c := range 3 {
					want := sum[c] / n
					if alpha {
						want = sum[c] / sum[3]
					}
					if diff := float64(d[c]) - want; diff > 0.5 || diff < -0.5 {
						t.Errorf("alpha %v: block (%d,%d) channel %d = %d, want %.1f", alpha, ox, oy, c, d[c], want)
					}
				}
				if alpha {
					if diff := float64(d[3]) - sum[3]/n; diff > 0.5 || diff < -0.5 {
						t.Errorf("block (%d,%d) alpha = %d, want %.1f", ox, oy, d[3], sum[3]/n)
					}
				}
			}
		}
	}
}
