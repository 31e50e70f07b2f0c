package engine

import (
	"bytes"
	"image"
	"image/color/palette"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestAnimated(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	frame := image.NewPaletted(image.Rect(0, 0, 8, 8), palette.Plan9)
	var still, stillPNG bytes.Buffer
	// A one-frame GIF with a local colour table and extensions still has
	// one frame only.
	if err := gif.EncodeAll(&still, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{5}, LoopCount: 2}); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&stillPNG, frame); err != nil {
		t.Fatal(err)
	}
	gifData := read("animated.gif")
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"animated GIF", gifData, true},
		{"animated WebP", read("animated.webp"), true},
		{"APNG", read("animated.png"), true},
		{"one-frame GIF", still.Bytes(), false},
		{"PNG", stillPNG.Bytes(), false},
		{"animated GIF cut in its first frame", gifData[:len(gifData)/4], false},
		{"GIF header only", []byte("GIF89a"), false},
		{"not an image", []byte("<html>"), false},
	}
	for _, tt := range tests {
		if got := Animated(bytes.NewReader(tt.data)); got != tt.want {
			t.Errorf("%s: Animated = %v, want %v", tt.name, got, tt.want)
		}
	}
}
