package local

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"testing"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
	"fluxdesk/engine/webpmux"
)

// animation is an animated WebP read back: its canvas, loop count, and each
// frame as shown (composed on the canvas) with its duration.
type animation struct {
	width, height, loops int
	shown                []*image.NRGBA
	ms                   []int
}

// readAnimation decodes an animated WebP frame by frame, composing the
// frames (which never blend nor dispose) as a player does.
func readAnimation(t *testing.T, data []byte) animation {
	t.Helper()
	chunks, err := webpmux.Parse(data)
	if err != nil || len(chunks) < 3 || chunks[0].ID != webpmux.VP8X || chunks[0].Data[0]&0x02 == 0 || chunks[1].ID != webpmux.ANIM {
		t.Fatalf("not an animated WebP: %v %v", chunks, err)
	}
	a := animation{
		width:  int(uint32(chunks[0].Data[4])|uint32(chunks[0].Data[5])<<8|uint32(chunks[0].Data[6])<<16) + 1,
		height: int(uint32(chunks[0].Data[7])|uint32(chunks[0].Data[8])<<8|uint32(chunks[0].Data[9])<<16) + 1,
		loops:  int(binary.LittleEndian.Uint16(chunks[1].Data[4:])),
	}
	canvas := image.NewNRGBA(image.Rect(0, 0, a.width, a.height))
	u24 := func(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }
	for _, c := range chunks[2:] {
		if c.ID != webpmux.ANMF {
			t.Fatalf("unexpected chunk %q", c.ID)
		}
		if c.Data[15] != anmfNoBlend {
			t.Errorf("frame flags %#x", c.Data[15])
		}
		x, y := 2*u24(c.Data[0:]), 2*u24(c.Data[3:])
		m, err := webp.DecodeRGBA(frameWebP(c.Data))
		if err != nil {
			t.Fatalf("frame %d: %v", len(a.shown), err)
		}
		for fy := 0; fy < m.Rect.Dy(); fy++ { // straight alpha, replacing what is under it
			copy(canvas.Pix[(y+fy)*canvas.Stride+4*x:], m.Pix[fy*m.Stride:fy*m.Stride+4*m.Rect.Dx()])
		}
		a.shown = append(a.shown, image.NewNRGBA(canvas.Rect))
		copy(a.shown[len(a.shown)-1].Pix, canvas.Pix)
		a.ms = append(a.ms, u24(c.Data[12:]))
	}
	return a
}

// An animated GIF becomes an animated WebP with its frames (transparency
// and disposal applied as GIF players do), timing and loop count.
func TestCompress_AnimatedGIFBecomesAnimatedWebP(t *testing.T) {
	red, blue, green := color.NRGBA{200, 20, 20, 255}, color.NRGBA{20, 20, 200, 255}, color.NRGBA{20, 180, 20, 255}
	pal := color.Palette{red, blue, green, color.NRGBA{}}
	fill := func(r image.Rectangle, idx func(x, y int) uint8) *image.Paletted {
		m := image.NewPaletted(r, pal)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				m.SetColorIndex(x, y, idx(x, y))
			}
		}
		return m
	}
	g := &gif.GIF{
		Image: []*image.Paletted{
			fill(image.Rect(0, 0, 32, 24), func(x, y int) uint8 { return 0 }), // all red
			// blue, with a transparent hole at (8,6) showing the red below
			fill(image.Rect(5, 3, 15, 11), func(x, y int) uint8 { return map[bool]uint8{true: 3, false: 1}[x == 8 && y == 6] }),
			fill(image.Rect(20, 14, 26, 20), func(x, y int) uint8 { return 2 }), // green
		},
		Delay:     []int{10, 25, 7},
		Disposal:  []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalNone},
		LoopCount: 2,
		Config:    image.Config{ColorModel: pal, Width: 32, Height: 24},
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	opts := engine.DefaultOptions()
	opts.Lossless = true
	res := compressBytes(t, "anim.gif", b.Bytes(), opts)
	if res.Err != nil || res.Skip != "" || res.Width != 32 || res.Height != 24 {
		t.Fatalf("result: %v %q %d×%d", res.Err, res.Skip, res.Width, res.Height)
	}
	if err := engine.Verify(res.Data, res.Format, res.Width, res.Height); err != nil {
		t.Fatal(err)
	}
	a := readAnimation(t, res.Data)
	if a.width != 32 || a.height != 24 || a.loops != 3 || len(a.shown) != 3 {
		t.Fatalf("canvas %d×%d, %d loops, %d frames; want 32×24, 3 loops (GIF: 2 repeats), 3 frames", a.width, a.height, a.loops, len(a.shown))
	}
	if a.ms[0] != 100 || a.ms[1] != 250 || a.ms[2] != 70 {
		t.Errorf("durations %v ms, want [100 250 70]", a.ms)
	}
	checks := []struct {
		frame, x, y int
		want        color.NRGBA
	}{
		{0, 10, 5, red}, {0, 31, 23, red},
		{1, 10, 5, blue}, {1, 8, 6, red}, {1, 0, 0, red}, // the hole shows the frame below
		{2, 10, 5, color.NRGBA{}}, {2, 22, 15, green}, {2, 0, 0, red}, // the blue rectangle was disposed of
	}
	for _, c := range checks {
		if got := a.shown[c.frame].NRGBAAt(c.x, c.y); got != c.want && !(got.A == 0 && c.want.A == 0) {
			t.Errorf("frame %d at (%d,%d): %v, want %v", c.frame, c.x, c.y, got, c.want)
		}
	}
	// The preview shows the first frame.
	pic, err := DecodeFile(writeFile(t, "anim.webp", res.Data), 0, 0)
	if err != nil || pic.Image.Bounds() != image.Rect(0, 0, 32, 24) {
		t.Fatalf("preview: %v, %v", pic.Image, err)
	}
	if got := pic.Image.(*image.NRGBA).NRGBAAt(3, 3); got != red {
		t.Errorf("preview at (3,3): %v, want %v", got, red)
	}
}

// The lossy fixture of engine/testdata keeps its three frames, their
// timing and its endless loop, and is smaller than the GIF.
func TestCompress_AnimatedGIFFixture(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "animated.gif"))
	if err != nil {
		t.Fatal(err)
	}
	res := compressBytes(t, "animated.gif", data, engine.DefaultOptions())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	a := readAnimation(t, res.Data)
	if len(a.shown) != 3 || a.loops != 0 || a.ms[0] != 100 || a.ms[1] != 200 || a.ms[2] != 300 {
		t.Errorf("%d frames, %d loops, durations %v; want 3 frames, 0 (forever), [100 200 300]", len(a.shown), a.loops, a.ms)
	}
	if len(res.Data) >= len(data) {
		t.Errorf("%d bytes, the GIF is %d", len(res.Data), len(data))
	}
}

// A GIF whose frames hold more pixels than the limit is refused before
// they are decoded.
func TestCompress_AnimatedGIFOverThePixelLimit(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "animated.gif"))
	if err != nil {
		t.Fatal(err)
	}
	opts := engine.DefaultOptions()
	opts.MaxPixels = 48 * 32 * 2 // the canvas fits, its three frames do not
	res := compressBytes(t, "animated.gif", data, opts)
	if !errors.Is(res.Err, ErrTooLarge) {
		t.Errorf("error %v, want ErrTooLarge", res.Err)
	}
}
