// Package testimage makes the images tests compress: photo-like, so that
// they shrink as a photo does, and the same on every run.
package testimage

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Noisy returns a w×h gradient with grain, like a photo.
func Noisy(w, h int) *image.NRGBA {
	return NoisySeeded(w, h, 7)
}

// NoisySeeded is Noisy with another grain for each seed, for tests that
// need several different pictures.
func NoisySeeded(w, h int, seed uint32) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223
			g := uint8(seed >> 28)
			img.Set(x, y, color.NRGBA{uint8(x) + g, uint8(y) + g, uint8(x*y) + g, 255})
		}
	}
	return img
}

// PNG returns img encoded as a PNG.
func PNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// JPEG returns img encoded as a JPEG of quality 95.
func JPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// WritePNG writes img as a PNG at path, making its folders, and returns path.
func WritePNG(t testing.TB, path string, img image.Image) string {
	t.Helper()
	return Write(t, path, PNG(t, img))
}

// WriteJPEG writes img as a JPEG at path, making its folders, and returns
// path.
func WriteJPEG(t testing.TB, path string, img image.Image) string {
	t.Helper()
	return Write(t, path, JPEG(t, img))
}

// Write writes data at path, making its folders, and returns path.
func Write(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
