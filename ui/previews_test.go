package ui

import (
	"image"
	"image/color"
	"testing"
)

// orientedJPEG is a 64×32 photo stored sideways with EXIF orientation 6,
// as phones save them: upright it is 32×64, with the stored bottom-left
// (blue) corner at the top-left.
const orientedJPEG = "testdata/oriented.jpg"

// checkUpright checks that img is the upright 32×64 picture (or that picture
// scaled to fit size×size).
func checkUpright(t *testing.T, what string, img image.Image) {
	t.Helper()
	if img == nil {
		t.Fatalf("%s: no image", what)
	}
	b := img.Bounds()
	if b.Dx() != 32 || b.Dy() != 64 {
		t.Fatalf("%s is %d×%d, want 32×64 (upright)", what, b.Dx(), b.Dy())
	}
	r, g, bl, _ := img.At(b.Min.X+2, b.Min.Y+2).RGBA()
	got := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}
	if got.B < 180 || got.R > 70 || got.G > 70 {
		t.Errorf("%s: top-left %v, want the blue corner", what, got)
	}
}

func TestPreviews_FollowEXIFOrientation(t *testing.T) {
	checkUpright(t, "the thumbnail", makeThumb(orientedJPEG))
	img, info, err := loadImage(orientedJPEG)
	if err != nil {
		t.Fatal(err)
	}
	checkUpright(t, "the compare window's image", img)
	if info.width != 32 || info.height != 64 || displayFormat(info.format) != "JPEG" {
		t.Errorf("compare label %q, want JPEG 32 × 64", info.String())
	}
}
