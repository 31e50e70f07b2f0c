package local

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chai2010/webp"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"fluxdesk/engine"
)

// TestCompress_Formats checks that every format is read from its content
// and that the output holds the input's pixels: exactly when both formats
// are lossless, closely when either is lossy.
func TestCompress_Formats(t *testing.T) {
	const w, h = 96, 64
	src := gradient(w, h)
	gray := image.NewGray(src.Rect)
	for i := range gray.Pix {
		gray.Pix[i] = src.Pix[4*i+1]
	}
	deep := image.NewNRGBA64(src.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := src.NRGBAAt(x, y)
			// Low bytes that must be rounded, not cut off.
			deep.SetNRGBA64(x, y, color.NRGBA64{uint16(c.R)<<8 | 0xc0, uint16(c.G) << 8, uint16(c.B)<<8 | 0x7f, 0xffff})
		}
	}
	deepWant := image.NewNRGBA(src.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := deep.NRGBA64At(x, y)
			deepWant.SetNRGBA(x, y, color.NRGBA{to8(uint32(c.R)), to8(uint32(c.G)), to8(uint32(c.B)), 255})
		}
	}
	translucent := gradient(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			translucent.Pix[translucent.PixOffset(x, y)+3] = uint8(255 * x / (w - 1))
		}
	}
	palette := color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{200, 40, 40, 255}, color.NRGBA{40, 40, 200, 255}, color.NRGBA{40, 200, 40, 128}}
	paletted := image.NewPaletted(src.Rect, palette)
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(i / 7 % len(palette))
	}
	opaquePaletted := image.NewPaletted(src.Rect, palette[1:3])
	for i := range opaquePaletted.Pix {
		opaquePaletted.Pix[i] = uint8(i / 5 % 2)
	}
	lossless := engine.DefaultOptions()
	lossless.Lossless = true
	lossy := engine.DefaultOptions()
	lossy.Quality = 90

	tests := []struct {
		name      string
		file      string
		data      []byte
		opts      engine.Options
		want      image.Image
		tolerance float64 // mean absolute difference allowed per channel
		alpha     bool
	}{
		{"baseline JPEG", "a.jpg", encodeJPEG(t, src, 95), lossy, src, 3, false},
		{"grayscale JPEG", "a.jpg", encodeJPEG(t, gray, 95), lossy, gray, 3, false},
		{"PNG 8-bit", "a.png", encodePNG(t, src), lossless, src, 0, false},
		{"PNG 16-bit", "a.png", encodePNG(t, deep), lossless, deepWant, 0, false},
		{"PNG gray", "a.png", encodePNG(t, gray), lossless, gray, 0, false},
		{"PNG palette with alpha", "a.png", encodePNG(t, paletted), lossless, paletted, 0, true},
		{"PNG alpha", "a.png", encodePNG(t, translucent), lossless, translucent, 0, true},
		{"PNG alpha lossy", "a.png", encodePNG(t, translucent), lossy, translucent, 4, true},
		{"GIF", "a.gif", encodeGIF(t, opaquePaletted), lossless, opaquePaletted, 0, false},
		{"BMP", "a.bmp", encodeWith(t, bmp.Encode, src), lossless, src, 0, false},
		{"TIFF", "a.tif", encodeWith(t, func(b io.Writer, m image.Image) error { return tiff.Encode(b, m, nil) }, src), lossless, src, 0, false},
		{"WebP lossless", "a.webp", encodeWebP(t, src, true), lossless, src, 0, false},
		{"WebP alpha", "a.webp", encodeWebP(t, translucent, true), lossless, translucent, 0, true},
		{"WebP lossy", "a.webp", encodeWebP(t, src, false), lossy, src, 3, false},
		{"PNG named .jpg", "photo.jpg", encodePNG(t, src), lossless, src, 0, false},
		{"JPEG named .png", "photo.png", encodeJPEG(t, src, 95), lossy, src, 3, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := compressBytes(t, tc.file, tc.data, tc.opts)
			got := decodeOutput(t, res)
			if d := meanDiff(t, got, tc.want); d > tc.tolerance {
				t.Errorf("mean difference %.2f per channel, want ≤ %.2f", d, tc.tolerance)
			}
			_, _, hasAlpha, err := webp.GetInfo(res.Data)
			if err != nil {
				t.Fatal(err)
			}
			if hasAlpha != tc.alpha {
				t.Errorf("output has alpha %v, want %v", hasAlpha, tc.alpha)
			}
		})
	}
}

// encodeWith runs an encoder into a byte slice.
func encodeWith(t testing.TB, enc func(io.Writer, image.Image) error, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeGIF returns a single-frame GIF of m.
func encodeGIF(t testing.TB, m *image.Paletted) []byte {
	t.Helper()
	return encodeWith(t, func(b io.Writer, m image.Image) error { return gif.Encode(b, m, nil) }, m)
}

// encodeWebP returns m as WebP, with alpha when m has any.
func encodeWebP(t testing.TB, m *image.NRGBA, lossless bool) []byte {
	t.Helper()
	// libwebp takes straight alpha, which is what m holds.
	rgba := &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
	var (
		data []byte
		err  error
	)
	switch {
	case lossless:
		data, err = webp.EncodeExactLosslessRGBA(rgba)
	default:
		data, err = webp.EncodeRGB(rgba, 95)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCompress_AnimatedKeptAsTheyAre checks that animated images this
// package does not turn into animated WebP (the animated WebP and APNG of
// engine/testdata) are never flattened to a still: the result says to skip
// them, with no data. A one-frame GIF is a still, and is compressed.
func TestCompress_AnimatedKeptAsTheyAre(t *testing.T) {
	for _, name := range []string{"animated.webp", "animated.png"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		res := compressBytes(t, name, data, engine.DefaultOptions())
		if res.Skip != engine.KeptAnimated || res.Err != nil || res.Data != nil {
			t.Errorf("%s: skip %q, error %v, %d bytes; want skipped as animated", name, res.Skip, res.Err, len(res.Data))
		}
	}
	pal := color.Palette{color.NRGBA{200, 30, 30, 255}, color.NRGBA{30, 30, 200, 255}}
	f := image.NewPaletted(image.Rect(0, 0, 16, 16), pal)
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{f}, Delay: []int{10}}); err != nil {
		t.Fatal(err)
	}
	opts := engine.DefaultOptions()
	opts.Lossless = true
	if c := decodeOutput(t, compressBytes(t, "one frame.gif", b.Bytes(), opts)).NRGBAAt(8, 8); c != pal[0] {
		t.Errorf("pixel %v, want the frame's %v", c, pal[0])
	}
}
