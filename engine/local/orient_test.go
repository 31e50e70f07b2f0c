package local

import (
	"fmt"
	"image"
	"image/color"
	"testing"

	"fluxdesk/engine"
)

// TestCompress_Orientation checks, for each EXIF orientation, that the
// output is upright: the stored picture's corners land where the EXIF
// specification says, and width and height swap for orientations 5–8.
func TestCompress_Orientation(t *testing.T) {
	const w, h = 64, 32
	src := cornered(w, h)
	// Where the stored top-left and top-right corners end up, as
	// 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
	tests := []struct {
		orientation   int
		tl, tr        int
		width, height int
	}{
		{1, 0, 1, w, h},
		{2, 1, 0, w, h},
		{3, 3, 2, w, h},
		{4, 2, 3, w, h},
		{5, 0, 2, h, w},
		{6, 1, 3, h, w},
		{7, 3, 1, h, w},
		{8, 2, 0, h, w},
	}
	lossless := engine.DefaultOptions()
	lossless.Lossless = true
	for _, tc := range tests {
		check := func(t *testing.T, got []color.NRGBA, width, height int, tol int) {
			t.Helper()
			if width != tc.width || height != tc.height {
				t.Fatalf("output %d×%d, want %d×%d", width, height, tc.width, tc.height)
			}
			if !near(got[tc.tl], corners[0], tol) || !near(got[tc.tr], corners[1], tol) {
				t.Errorf("corners %v: want top-left colour at corner %d and top-right colour at %d", got, tc.tl, tc.tr)
			}
		}
		t.Run(fmt.Sprint("JPEG ", tc.orientation), func(t *testing.T) {
			jpg := withSegment(encodeJPEG(t, src, 95), 0xe1, exifOrientation(tc.orientation))
			res := compressBytes(t, "o.jpg", jpg, engine.DefaultOptions())
			out := decodeOutput(t, res)
			check(t, cornerColours(out), res.Width, res.Height, 12)
		})
		t.Run(fmt.Sprint("PNG ", tc.orientation), func(t *testing.T) {
			p := withPNGChunk(encodePNG(t, src), "eXIf", exifOrientation(tc.orientation)[len(exifPrefix):])
			res := compressBytes(t, "o.png", p, lossless)
			out := decodeOutput(t, res)
			check(t, cornerColours(out), res.Width, res.Height, 0)
			// Lossless and exact: every pixel must be where the mapping says.
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					ux, uy := uprightXY(x, y, w, h, tc.orientation)
					if got, want := out.NRGBAAt(ux, uy), src.NRGBAAt(x, y); got != want {
						t.Fatalf("stored (%d,%d) at upright (%d,%d) is %v, want %v", x, y, ux, uy, got, want)
					}
				}
			}
		})
	}
}

// uprightXY maps a stored pixel position to its upright one, written from
// the EXIF definitions independently of orient.
func uprightXY(x, y, w, h, o int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}
	return x, y
}

// cornerColours samples the middle of each corner block of m, in the
// order top-left, top-right, bottom-left, bottom-right.
func cornerColours(m *image.NRGBA) []color.NRGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ix, iy := w/8, h/8
	return []color.NRGBA{
		m.NRGBAAt(ix, iy), m.NRGBAAt(w-1-ix, iy), m.NRGBAAt(ix, h-1-iy), m.NRGBAAt(w-1-ix, h-1-iy),
	}
}
