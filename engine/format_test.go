package engine

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestFormat_LabelsNameEachFormatOnce(t *testing.T) {
	for _, f := range Formats {
		got, ok := FormatLabeled(f.Label())
		if !ok || got != f {
			t.Errorf("FormatLabeled(%q) = %q, %v; want %q", f.Label(), got, ok, f)
		}
		if ext := f.Extension(); ext != "."+string(f) {
			t.Errorf("%s.Extension() = %q", f, ext)
		}
	}
	if _, ok := FormatLabeled("GIF"); ok {
		t.Error("GIF is not an output format")
	}
	if Format("gif").Known() || !FormatJPEG.Known() {
		t.Error("Known is wrong")
	}
}

// Verify is the table's main reader: a JPEG result passes as FormatJPEG,
// a PNG is refused as one.
func TestFormat_DecoderNamesMatchVerify(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.White)
	var j, p bytes.Buffer
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := Verify(j.Bytes(), FormatJPEG, 4, 3); err != nil {
		t.Errorf("a JPEG result as JPEG: %v", err)
	}
	if err := Verify(p.Bytes(), FormatPNG, 4, 3); err != nil {
		t.Errorf("a PNG result as PNG: %v", err)
	}
	err := Verify(p.Bytes(), FormatJPEG, 4, 3)
	if err == nil || err.Error() != "the result is a png image, not JPEG" {
		t.Errorf("a PNG result as JPEG: %v", err)
	}
	if f, ok := FormatDecoded("jpeg"); !ok || f != FormatJPEG {
		t.Errorf(`FormatDecoded("jpeg") = %q, %v`, f, ok)
	}
	if _, ok := FormatDecoded("gif"); ok {
		t.Error("gif decodes to no output format")
	}
}
