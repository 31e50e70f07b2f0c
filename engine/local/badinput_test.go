package local

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/chai2010/webp"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"fluxdesk/engine"
)

// hugePNG returns a PNG whose header claims w×h pixels, followed by a few
// bytes of image data.
func hugePNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	p := []byte("\x89PNG\r\n\x1a\n")
	for _, c := range []struct {
		typ  string
		body []byte
	}{{"IHDR", ihdr}, {"IDAT", []byte{0x78, 0x9c, 0x03, 0x00}}, {"IEND", nil}} {
		chunk := binary.BigEndian.AppendUint32(nil, uint32(len(c.body)))
		chunk = append(append(chunk, c.typ...), c.body...)
		p = append(p, binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))...)
	}
	return p
}

// hugeJPEG returns a JPEG whose frame header claims w×h pixels.
func hugeJPEG(w, h uint16) []byte {
	sof := []byte{0xff, 0xc0, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3,
		1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	sos := []byte{0xff, 0xda, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0}
	out := append([]byte{0xff, 0xd8}, sof...)
	return append(append(out, sos...), 0x12, 0x34, 0xff, 0xd9)
}

// twelveBit returns a copy of a baseline JPEG whose frame header claims
// 12-bit samples, a JPEG variant neither decoder reads.
func twelveBit(jpg []byte) []byte {
	out := append([]byte{}, jpg...)
	for i := 2; i+4 < len(out); i++ {
		if out[i] == 0xff && out[i+1] == 0xc0 {
			out[i+1], out[i+4] = 0xc1, 12
			break
		}
	}
	return out
}

// hugeGIF returns a GIF whose logical screen is w×h pixels.
func hugeGIF(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, ';')
}

// hugeWebP returns a lossless WebP header claiming w×h pixels (at most 16384).
func hugeWebP(w, h uint32) []byte {
	bits := (w - 1) | (h-1)<<14
	vp8l := append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, bits)...)
	vp8l = append(vp8l, 0, 0, 0)
	b := []byte("RIFF\x00\x00\x00\x00WEBPVP8L")
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vp8l)))
	b = append(b, vp8l...)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// TestCompress_BadInput checks that each kind of bad file fails alone with
// a message that says what is wrong, and with the right kind of error.
func TestCompress_BadInput(t *testing.T) {
	photo := encodeJPEG(t, gradient(320, 240), 90)
	pngData := encodePNG(t, gradient(64, 64))
	badCRC := append([]byte{}, pngData...)
	badCRC[len(badCRC)-20] ^= 0xff // inside the IDAT data
	noise := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	wide := image.NewGray(image.Rect(0, 0, 20000, 4))

	tests := []struct {
		name, file string
		data       []byte
		opts       func(*engine.Options)
		kind       error
		says       string
	}{
		{"empty", "a.jpg", nil, nil, ErrCorrupt, "empty"},
		{"HTML named .jpg", "a.jpg", []byte("<!DOCTYPE html>\n<html><body>Not found</body></html>"), nil, ErrNotImage, "HTML"},
		{"text named .png", "a.png", []byte("just some notes\nabout a photo\n"), nil, ErrNotImage, "text"},
		{"JSON named .webp", "a.webp", []byte(`{"error": "quota exceeded"}`), nil, ErrNotImage, "JSON"},
		{"text starting like a BMP", "a.bmp", []byte("BMW service notes: brakes, oil, tyres, lights."), nil, ErrNotImage, "text"},
		{"12-bit JPEG", "a.jpg", twelveBit(photo), nil, ErrUnsupported, "cannot be read"},
		{"PDF named .jpg", "a.jpg", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), nil, ErrNotImage, "PDF"},
		{"HEIC named .jpg", "a.jpg", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), nil, ErrNotImage, "HEIC"},
		{"random bytes", "a.jpg", noise, nil, ErrNotImage, "not an image"},
		{"JPEG cut in its header", "a.jpg", photo[:40], nil, ErrCorrupt, "truncated"},
		{"JPEG cut in its data", "a.jpg", photo[:len(photo)/2], nil, ErrCorrupt, "truncated"},
		{"JPEG without frame", "a.jpg", []byte{0xff, 0xd8, 0xff, 0xd9}, nil, ErrCorrupt, "no image data"},
		{"PNG cut short", "a.png", pngData[:len(pngData)/2], nil, ErrCorrupt, "truncated"},
		{"PNG with a bad checksum", "a.png", badCRC, nil, ErrCorrupt, "damaged"},
		{"GIF cut short", "a.gif", []byte("GIF89a\x10\x00\x10\x00"), nil, ErrCorrupt, "GIF"},
		{"WebP cut short", "a.webp", encodeWebP(t, gradient(64, 64), false)[:60], nil, ErrCorrupt, "WebP"},
		{"PNG claiming 100000×100000", "a.png", hugePNG(100000, 100000), nil, ErrTooLarge,
			"image is 100000×100000 (10000 megapixels), over the 100-megapixel limit"},
		{"JPEG claiming 65000×65000", "a.jpg", hugeJPEG(65000, 65000), nil, ErrTooLarge, "65000×65000 (4225 megapixels)"},
		{"GIF claiming 65535×65535", "a.gif", hugeGIF(65535, 65535), nil, ErrTooLarge, "65535×65535"},
		{"WebP claiming 16384×16384", "a.webp", hugeWebP(16384, 16384), nil, ErrTooLarge, "268 megapixels"},
		{"under a lower limit", "a.jpg", photo, func(o *engine.Options) { o.MaxPixels = 50_000 }, ErrTooLarge,
			"image is 320×240 (0.1 megapixels), over the 0.1-megapixel limit"},
		{"wider than WebP allows", "a.png", encodePNG(t, wide), nil, ErrTooLarge, "16383"},
		{"another output format", "a.jpg", photo, func(o *engine.Options) { o.Format = "avif" }, nil, "only make WebP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := engine.DefaultOptions()
			if tc.opts != nil {
				tc.opts(&opts)
			}
			res := compressBytes(t, tc.file, tc.data, opts)
			if res.Err == nil {
				t.Fatalf("no error, want one saying %q", tc.says)
			}
			if tc.kind != nil && !errors.Is(res.Err, tc.kind) {
				t.Errorf("error %q is not %v", res.Err, tc.kind)
			}
			if !strings.Contains(res.Err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", res.Err, tc.says)
			}
			if res.Data != nil {
				t.Errorf("failed job returned %d bytes of data", len(res.Data))
			}
		})
	}
}

// TestCompress_WideImageScaledToFit checks that an image too wide for WebP
// is accepted once a maximum width brings it within bounds.
func TestCompress_WideImageScaledToFit(t *testing.T) {
	opts := engine.DefaultOptions()
	opts.MaxWidth = 10000
	res := compressBytes(t, "wide.png", encodePNG(t, image.NewGray(image.Rect(0, 0, 20000, 4))), opts)
	decodeOutput(t, res)
	if res.Width != 10000 || res.Height != 2 {
		t.Errorf("output %d×%d, want 10000×2", res.Width, res.Height)
	}
}

// TestCompress_HugeHeaderAllocatesNothing checks that an image refused for
// its size is refused before any pixel memory is allocated.
func TestCompress_HugeHeaderAllocatesNothing(t *testing.T) {
	for name, data := range map[string][]byte{
		"png":  hugePNG(100000, 100000),
		"jpeg": hugeJPEG(65000, 65000),
		"gif":  hugeGIF(65535, 65535),
		"webp": hugeWebP(16384, 16384),
	} {
		t.Run(name, func(t *testing.T) {
			w := new(worker)
			defer w.free()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, _, err := w.convert(context.Background(), data, engine.DefaultOptions())
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v, want ErrTooLarge", err)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
				t.Errorf("refusing the image allocated %d bytes", grew)
			}
			for i := range w.bufs {
				if n := w.bufs[i].size(); n > 0 {
					t.Errorf("refusing the image took a pixel buffer of %d bytes", n)
				}
			}
		})
	}
}

// TestCompress_CorruptDataNeverPanics flips bytes all over valid files of
// every format: each attempt must end in an output or an error, never a
// panic, and an output must be a valid WebP.
func TestCompress_CorruptDataNeverPanics(t *testing.T) {
	src := gradient(48, 40)
	samples := map[string][]byte{
		"jpg":  encodeJPEG(t, src, 90),
		"png":  encodePNG(t, src),
		"gif":  encodeGIF(t, image.NewPaletted(src.Rect, []color.Color{color.Black, color.White})),
		"bmp":  encodeWith(t, bmp.Encode, src),
		"tif":  encodeWith(t, func(b io.Writer, m image.Image) error { return tiff.Encode(b, m, nil) }, src),
		"webp": encodeWebP(t, src, false),
	}
	rng := rand.New(rand.NewPCG(3, 4))
	w := new(worker)
	defer w.free()
	for ext, data := range samples {
		for i := range 60 {
			bad := append([]byte{}, data...)
			for range 1 + i%8 {
				bad[8+rng.IntN(len(bad)-8)] = byte(rng.Uint32())
			}
			if i%5 == 0 {
				bad = bad[:8+rng.IntN(len(bad)-8)]
			}
			out, r, _, err := w.convert(context.Background(), bad, engine.DefaultOptions())
			if err != nil {
				continue
			}
			m, derr := webp.DecodeRGBA(out)
			if derr != nil || m.Rect.Dx() != r.width || m.Rect.Dy() != r.height {
				t.Errorf("%s #%d: output does not decode as a %d×%d WebP (%v)", ext, i, r.width, r.height, derr)
			}
		}
	}
}

// TestCompress_UnreadableFiles checks the messages for paths that cannot be read.
func TestCompress_UnreadableFiles(t *testing.T) {
	dir := t.TempDir()
	if res := compressFile(t, dir+"/missing.jpg", engine.DefaultOptions()); res.Err == nil ||
		!strings.Contains(res.Err.Error(), "no longer exists") {
		t.Errorf("missing file: %v", res.Err)
	}
	if res := compressFile(t, dir, engine.DefaultOptions()); res.Err == nil ||
		!strings.Contains(res.Err.Error(), "folder") {
		t.Errorf("folder: %v", res.Err)
	}
	if os.Getuid() != 0 {
		locked := writeFile(t, "locked.jpg", encodeJPEG(t, gradient(8, 8), 90))
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		if res := compressFile(t, locked, engine.DefaultOptions()); res.Err == nil ||
			!strings.Contains(res.Err.Error(), "permission") {
			t.Errorf("unreadable file: %v", res.Err)
		}
	}
}
