package webpmux

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"github.com/chai2010/webp"
	xwebp "golang.org/x/image/webp"
)

// picture returns a w×h test image, with transparent pixels when alpha.
func picture(w, h int, alpha bool) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if alpha && x < w/2 {
				a = 60
			}
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 5), uint8(y * 7), 120, a})
		}
	}
	return m
}

// encodings returns the three shapes libwebp writes: simple lossy (VP8),
// simple lossless (VP8L) and lossy with alpha (VP8X + ALPH).
func encodings(t *testing.T, w, h int) map[string][]byte {
	t.Helper()
	lossy, err := webp.EncodeRGB(picture(w, h, false), 80)
	if err != nil {
		t.Fatal(err)
	}
	lossless, err := webp.EncodeLosslessRGBA(picture(w, h, true))
	if err != nil {
		t.Fatal(err)
	}
	alpha, err := webp.EncodeRGBA(picture(w, h, true), 80)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"lossy": lossy, "lossless with alpha": lossless, "lossy with alpha": alpha}
}

// TestAdd_MetadataReadByLibwebp adds an odd-sized profile, EXIF, XMP and a
// private chunk to each shape of file, and reads them back with libwebp's
// own mux library; the pixels and size must be untouched.
func TestAdd_MetadataReadByLibwebp(t *testing.T) {
	icc := bytes.Repeat([]byte("icc"), 333) // odd length: padded
	exif := []byte("II*\x00\x08\x00\x00\x00\x00\x00\x00\x00")
	xmp := []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"/>`)
	private := []byte("private")
	for name, file := range encodings(t, 37, 23) {
		t.Run(name, func(t *testing.T) {
			before, err := webp.DecodeRGBA(file)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Add(file, Chunk{XMP, xmp}, Chunk{"FLXD", private}, Chunk{ICCP, icc}, Chunk{EXIF, exif})
			if err != nil {
				t.Fatal(err)
			}
			for format, want := range map[string][]byte{"ICCP": icc, "EXIF": exif, "XMP": xmp} {
				if got, err := webp.GetMetadata(out, format); err != nil || !bytes.Equal(got, want) {
					t.Errorf("libwebp reads %s as %q (%v), want %q", format, got, err, want)
				}
			}
			after, err := webp.DecodeRGBA(out)
			if err != nil {
				t.Fatalf("libwebp cannot decode the result: %v", err)
			}
			if !bytes.Equal(after.Pix, before.Pix) {
				t.Error("the pixels changed")
			}
			cfg, err := xwebp.DecodeConfig(bytes.NewReader(out))
			if err != nil || cfg.Width != 37 || cfg.Height != 23 {
				t.Errorf("Go's decoder reads %d×%d (%v)", cfg.Width, cfg.Height, err)
			}
			chunks, err := Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range chunks {
				ids = append(ids, c.ID)
			}
			if ids[0] != VP8X || ids[1] != ICCP || ids[len(ids)-3] != EXIF || ids[len(ids)-2] != XMP || ids[len(ids)-1] != "FLXD" {
				t.Errorf("chunks in the order %q", ids)
			}
			if !bytes.Equal(chunks[len(chunks)-1].Data, private) {
				t.Errorf("the private chunk reads %q", chunks[len(chunks)-1].Data)
			}
			flags := chunks[0].Data[0]
			wantAlpha := name != "lossy"
			if flags&flagICC == 0 || flags&flagEXIF == 0 || flags&flagXMP == 0 || (flags&flagAlpha != 0) != wantAlpha || flags&flagAnimation != 0 {
				t.Errorf("VP8X flags %#x", flags)
			}
		})
	}
}

// TestAdd_Replaces checks that adding a chunk again replaces it, and that
// flags follow what is present.
func TestAdd_Replaces(t *testing.T) {
	file := encodings(t, 16, 16)["lossy"]
	first, err := Add(file, Chunk{EXIF, []byte("first")})
	if err != nil {
		t.Fatal(err)
	}
	second, err := Add(first, Chunk{EXIF, []byte("second")}, Chunk{ICCP, []byte("profile")})
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := Parse(second)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range chunks {
		if c.ID == EXIF {
			n++
			if string(c.Data) != "second" {
				t.Errorf("EXIF reads %q", c.Data)
			}
		}
	}
	if n != 1 || chunks[0].Data[0] != flagEXIF|flagICC {
		t.Errorf("%d EXIF chunks, VP8X flags %#x", n, chunks[0].Data[0])
	}
}

// TestAdd_Refuses checks the errors for what cannot be written.
func TestAdd_Refuses(t *testing.T) {
	file := encodings(t, 16, 16)["lossy"]
	tests := []struct {
		name  string
		file  []byte
		chunk Chunk
	}{
		{"not WebP", []byte("GIF89a, not a WebP file"), Chunk{EXIF, nil}},
		{"truncated", file[:len(file)-5], Chunk{EXIF, nil}},
		{"no image", []byte("RIFF\x04\x00\x00\x00WEBP"), Chunk{EXIF, nil}},
		{"bad ID", file, Chunk{"EXIFF", nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if out, err := Add(tc.file, tc.chunk); err == nil {
				t.Errorf("no error; %d bytes", len(out))
			}
		})
	}
}
