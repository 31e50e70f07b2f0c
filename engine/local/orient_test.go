package local

import (
	"bytes"
	"errors"
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

// TestDecodeFile_ShowsWhatTheEngineCompresses checks that the window's
// decoder gives, for every orientation, exactly the upright pixels the
// engine compresses (a lossless PNG round trip), scales down to fit a
// square, and refuses what the engine refuses.
func TestDecodeFile_ShowsWhatTheEngineCompresses(t *testing.T) {
	const w, h = 64, 32
	lossless := engine.DefaultOptions()
	lossless.Lossless = true
	for o := 1; o <= 8; o++ {
		path := writeFile(t, "o.png", withPNGChunk(encodePNG(t, cornered(w, h)), "eXIf", exifOrientation(o)[len(exifPrefix):]))
		pic, err := DecodeFile(path, 0, 0)
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		want := decodeOutput(t, compressFile(t, path, lossless))
		got, ok := pic.Image.(*image.NRGBA)
		if !ok || got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("orientation %d: the decoded picture (%v) differs from the compressed one (%v)", o, pic.Image.Bounds(), want.Rect)
		}
		if uw, uh := uprightSize(w, h, o); pic.Width != uw || pic.Height != uh || pic.Format != "png" {
			t.Errorf("orientation %d: %s %d×%d, want png %d×%d", o, pic.Format, pic.Width, pic.Height, uw, uh)
		}
		thumb, err := DecodeFile(path, 0, 16)
		if err != nil || thumb.Image.Bounds().Dx() > 16 || thumb.Image.Bounds().Dy() > 16 || (o >= 5) != (thumb.Image.Bounds().Dx() < thumb.Image.Bounds().Dy()) {
			t.Errorf("orientation %d: thumbnail %v, %v", o, thumb.Image, err)
		}
	}
	jpg := writeFile(t, "six.jpg", withSegment(encodeJPEG(t, cornered(w, h), 95), 0xe1, exifOrientation(6)))
	pic, err := DecodeFile(jpg, 0, 0)
	if err != nil || pic.Image.Bounds().Dx() != h || pic.Image.Bounds().Dy() != w || pic.Format != "jpeg" {
		t.Fatalf("JPEG, orientation 6: %v, %v", pic, err)
	}
	// Turned 90° clockwise, the stored bottom-left corner is at the top-left.
	if c := pic.Image.(*image.NRGBA).NRGBAAt(2, 2); !near(c, corners[2], 12) {
		t.Errorf("JPEG, orientation 6: top-left %v, want %v", c, corners[2])
	}
	if _, err := DecodeFile(writeFile(t, "huge.png", hugePNG(100000, 100000)), 0, 96); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge PNG: %v, want ErrTooLarge", err)
	}
	if _, err := DecodeFile(jpg, 1000, 0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over a lower limit: %v, want ErrTooLarge", err)
	}
}
