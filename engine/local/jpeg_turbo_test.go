//go:build !nolibjpeg

package local

import (
	"image"
	"testing"
)

// TestDecodeJPEG_GoMatchesLibjpeg checks that the Go path's chroma
// upsampling reproduces libjpeg-turbo's fancy upsampling, so both builds
// give the encoder the same pixels.
func TestDecodeJPEG_GoMatchesLibjpeg(t *testing.T) {
	for _, size := range []image.Point{{97, 61}, {640, 480}} {
		data := encodeJPEG(t, gradient(size.X, size.Y), 85)
		info, err := scanJPEG(data)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := decodeJPEG(data, info, nil)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := decodeJPEGGo(data, nil)
		if err != nil {
			t.Fatal(err)
		}
		var sum, worst int
		for i := range fast.pix {
			d := max(int(fast.pix[i])-int(slow.pix[i]), int(slow.pix[i])-int(fast.pix[i]))
			sum += d
			worst = max(worst, d)
		}
		if mean := float64(sum) / float64(len(fast.pix)); mean > 0.25 || worst > 3 {
			t.Errorf("%v: Go and libjpeg differ by %.3f on average, %d at worst", size, mean, worst)
		}
	}
}
