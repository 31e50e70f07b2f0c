package engine

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// TestComplete checks each format whole, then cut short at several points
// (all of them past the header, as a stalled copy leaves a file).
func TestComplete(t *testing.T) {
	photo := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range photo.Pix {
		photo.Pix[i] = byte(i * 7)
	}
	encode := func(enc func(*bytes.Buffer) error) []byte {
		var b bytes.Buffer
		if err := enc(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	jpg := encode(func(b *bytes.Buffer) error { return jpeg.Encode(b, photo, nil) })
	// An EXIF segment holding a thumbnail, with its own end marker, before
	// the scan: it must not be taken for the end of the file.
	thumb := encode(func(b *bytes.Buffer) error { return jpeg.Encode(b, image.NewGray(image.Rect(0, 0, 8, 8)), nil) })
	app1 := append([]byte("Exif\x00\x00"), thumb...)
	withThumb := append([]byte{0xff, 0xd8, 0xff, 0xe1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}, app1...)
	withThumb = append(withThumb, jpg[2:]...)
	read := func(path string) []byte {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	files := map[string][]byte{
		"JPEG":             jpg,
		"JPEG, thumbnail":  withThumb,
		"progressive JPEG": read(filepath.Join("local", "testdata", "progressive.jpg")),
		"PNG":              encode(func(b *bytes.Buffer) error { return png.Encode(b, photo) }),
		"GIF":              read(filepath.Join("testdata", "animated.gif")),
		"WebP":             read(filepath.Join("testdata", "animated.webp")),
		"BMP":              encode(func(b *bytes.Buffer) error { return bmp.Encode(b, photo) }),
	}
	for name, data := range files {
		if complete, marked := Complete(bytes.NewReader(data), int64(len(data))); !complete || !marked {
			t.Errorf("%s: whole file: complete %v, marked %v; want both", name, complete, marked)
		}
		for _, cut := range []int{len(data) / 2, len(data) * 9 / 10, len(data) - 1} {
			if complete, _ := Complete(bytes.NewReader(data[:cut]), int64(cut)); complete {
				t.Errorf("%s cut at %d of %d bytes: complete", name, cut, len(data))
			}
		}
	}
	// TIFF marks no end: any part of it counts as complete, and unmarked.
	var tif bytes.Buffer
	if err := tiff.Encode(&tif, photo, nil); err != nil {
		t.Fatal(err)
	}
	half := tif.Bytes()[:tif.Len()/2]
	if complete, marked := Complete(bytes.NewReader(half), int64(len(half))); !complete || marked {
		t.Errorf("half a TIFF: complete %v, marked %v; want complete and unmarked", complete, marked)
	}
}

// BenchmarkComplete measures the completeness check on the photos of the
// mate-backgrounds package (scripts/setup.sh bench), against the SHA-256
// of the same bytes, which every settled file costs anyway: compare the
// two in the same run, on a machine that is rarely idle.
func BenchmarkComplete(b *testing.B) {
	paths, _ := filepath.Glob("/usr/share/backgrounds/mate/nature/*.jpg")
	if len(paths) == 0 {
		b.Skip("no photos: install mate-backgrounds (scripts/setup.sh bench)")
	}
	var photos [][]byte
	var total int64
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		photos = append(photos, data)
		total += int64(len(data))
	}
	b.Run("Complete", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			for _, data := range photos {
				if complete, _ := Complete(bytes.NewReader(data), int64(len(data))); !complete {
					b.Fatal("a whole photo is not complete")
				}
			}
		}
	})
	b.Run("SHA-256", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			for _, data := range photos {
				sha256.Sum256(data)
			}
		}
	})
}
