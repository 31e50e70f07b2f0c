//go:build !nolibjpeg

package local

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// noise returns a well-mixed number for channel c of pixel (x, y).
func noise(x, y, c int) int {
	h := uint32(x*73856093 ^ y*19349663 ^ c*83492791)
	h ^= h >> 13
	h *= 0x5bd1e995
	return int(h ^ h>>15)
}

// pngVariants returns one PNG of each kind a PNG can be: every colour type
// and depth, with and without tRNS, ancillary chunks that would change the
// colours if applied, each plain and interlaced.
func pngVariants(t *testing.T) map[string][]byte {
	const w, h = 37, 23 // odd sizes leave partial interlacing blocks and bytes
	random := func(depth int) func(x, y, c int) int {
		return func(x, y, c int) int { return noise(x, y, c) % (1 << depth) }
	}
	// alphaEdges gives alpha channels many fully transparent and fully
	// opaque pixels besides partial ones.
	alphaEdges := func(depth, alpha int) func(x, y, c int) int {
		return func(x, y, c int) int {
			if c == alpha {
				switch noise(x, y, 9) % 4 {
				case 0:
					return 0
				case 1:
					return 1<<depth - 1
				}
			}
			return noise(x, y, c) % (1 << depth)
		}
	}
	// few takes its samples from four values, so that tRNS matches often.
	few := func(depth int) func(x, y, c int) int {
		return func(x, y, c int) int { return (noise(x, y, 0) % 4) * ((1<<depth - 1) / 3) }
	}
	be16 := func(vs ...int) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.BigEndian.AppendUint16(b, uint16(v))
		}
		return b
	}
	palette := func(n int) []byte {
		p := make([]byte, 3*n)
		for i := range p {
			p[i] = byte(noise(i, 0, 5))
		}
		return p
	}
	alphas := func(n int) []byte {
		a := make([]byte, n)
		for i := range a {
			a[i] = byte(noise(i, 1, 6))
		}
		a[0] = 0
		return a
	}
	specs := map[string]pngSpec{
		"grey 1-bit":              {colorType: 0, depth: 1, sample: random(1)},
		"grey 2-bit":              {colorType: 0, depth: 2, sample: random(2)},
		"grey 4-bit":              {colorType: 0, depth: 4, sample: random(4)},
		"grey 8-bit":              {colorType: 0, depth: 8, sample: random(8)},
		"grey 16-bit":             {colorType: 0, depth: 16, sample: random(16)},
		"grey 8-bit tRNS":         {colorType: 0, depth: 8, sample: few(8), chunks: []pngChunk{{"tRNS", be16(85)}}},
		"grey 16-bit tRNS":        {colorType: 0, depth: 16, sample: few(16), chunks: []pngChunk{{"tRNS", be16(21845)}}},
		"grey 2-bit tRNS":         {colorType: 0, depth: 2, sample: random(2), chunks: []pngChunk{{"tRNS", be16(2)}}},
		"grey tRNS unused":        {colorType: 0, depth: 8, sample: few(8), chunks: []pngChunk{{"tRNS", be16(7)}}},
		"grey alpha 8-bit":        {colorType: 4, depth: 8, sample: alphaEdges(8, 1)},
		"grey alpha 16-bit":       {colorType: 4, depth: 16, sample: alphaEdges(16, 1)},
		"RGB 8-bit":               {colorType: 2, depth: 8, sample: random(8)},
		"RGB 16-bit":              {colorType: 2, depth: 16, sample: random(16)},
		"RGB 8-bit tRNS":          {colorType: 2, depth: 8, sample: few(8), chunks: []pngChunk{{"tRNS", be16(85, 85, 85)}}},
		"RGB 16-bit tRNS":         {colorType: 2, depth: 16, sample: few(16), chunks: []pngChunk{{"tRNS", be16(43690, 43690, 43690)}}},
		"RGBA 8-bit":              {colorType: 6, depth: 8, sample: alphaEdges(8, 3)},
		"RGBA 16-bit":             {colorType: 6, depth: 16, sample: alphaEdges(16, 3)},
		"RGBA all opaque":         {colorType: 6, depth: 8, sample: func(x, y, c int) int { return min(255, random(8)(x, y, c)+255*(c/3)) }},
		"palette 1-bit":           {colorType: 3, depth: 1, sample: random(1), chunks: []pngChunk{{"PLTE", palette(2)}}},
		"palette 2-bit":           {colorType: 3, depth: 2, sample: random(2), chunks: []pngChunk{{"PLTE", palette(4)}}},
		"palette 4-bit":           {colorType: 3, depth: 4, sample: random(4), chunks: []pngChunk{{"PLTE", palette(16)}}},
		"palette 8-bit":           {colorType: 3, depth: 8, sample: random(8), chunks: []pngChunk{{"PLTE", palette(256)}}},
		"palette tRNS":            {colorType: 3, depth: 8, sample: random(8), chunks: []pngChunk{{"PLTE", palette(256)}, {"tRNS", alphas(100)}}},
		"palette 4-bit tRNS":      {colorType: 3, depth: 4, sample: random(4), chunks: []pngChunk{{"PLTE", palette(16)}, {"tRNS", alphas(16)}}},
		"palette tRNS all opaque": {colorType: 3, depth: 8, sample: random(8), chunks: []pngChunk{{"PLTE", palette(256)}, {"tRNS", bytes.Repeat([]byte{255}, 8)}}},
		// Go's decoder ignores gAMA, cHRM and sRGB; so must this one.
		"RGB gamma 1.0": {colorType: 2, depth: 8, sample: random(8), chunks: []pngChunk{
			{"gAMA", binary.BigEndian.AppendUint32(nil, 100000)},
			{"cHRM", bytes.Repeat([]byte{0, 0, 0x7a, 0x26}, 8)}}},
		"RGBA sRGB": {colorType: 6, depth: 8, sample: alphaEdges(8, 3), chunks: []pngChunk{{"sRGB", []byte{0}}}},
	}
	out := map[string][]byte{}
	for name, s := range specs {
		s.width, s.height = w, h
		out[name] = s.encode(t)
		s.interlaced = true
		out[name+" interlaced"] = s.encode(t)
	}
	return out
}

// TestDecodePNG_LibpngMatchesImagePNG checks that libpng gives the encoder
// exactly the pixels image/png reads from each kind of PNG, 16-bit samples
// rounded to 8 bits, and an alpha channel only when a pixel is not opaque.
func TestDecodePNG_LibpngMatchesImagePNG(t *testing.T) {
	var buf buffer
	defer buf.free()
	for name, data := range pngVariants(t) {
		t.Run(name, func(t *testing.T) {
			want, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("image/png: %v", err)
			}
			b := want.Bounds()
			info := source{format: fmtPNG, width: b.Dx(), height: b.Dy()}
			got, err := decodePNG(data, info, &buf)
			if err != nil {
				t.Fatalf("libpng: %v", err)
			}
			wantAlpha := !opaqueImage(want)
			if got.alpha != wantAlpha || got.width != b.Dx() || got.height != b.Dy() {
				t.Fatalf("%d×%d, alpha %v; want %d×%d, alpha %v", got.width, got.height, got.alpha, b.Dx(), b.Dy(), wantAlpha)
			}
			bad := 0
			for y := 0; y < b.Dy(); y++ {
				for x := 0; x < b.Dx(); x++ {
					c := straight(want.At(b.Min.X+x, b.Min.Y+y))
					wantPix := []byte{to8(uint32(c.R)), to8(uint32(c.G)), to8(uint32(c.B)), to8(uint32(c.A))}[:got.bpp()]
					gotPix := got.pix[y*got.stride+x*got.bpp():][:got.bpp()]
					if !bytes.Equal(gotPix, wantPix) {
						if bad++; bad <= 3 {
							t.Errorf("pixel (%d, %d) = %v, want %v", x, y, gotPix, wantPix)
						}
					}
				}
			}
			if bad > 3 {
				t.Errorf("%d pixels differ in all", bad)
			}
		})
	}
}

// straight returns a colour as 16-bit channels with straight alpha,
// keeping the colour of fully transparent pixels, which image/png keeps.
func straight(c color.Color) color.NRGBA64 {
	switch c := c.(type) {
	case color.NRGBA:
		return color.NRGBA64{uint16(c.R) * 0x101, uint16(c.G) * 0x101, uint16(c.B) * 0x101, uint16(c.A) * 0x101}
	case color.NRGBA64:
		return c
	}
	return color.NRGBA64Model.Convert(c).(color.NRGBA64)
}

// opaqueImage reports whether every pixel of an image decoded by image/png
// is fully opaque.
func opaqueImage(m image.Image) bool {
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := m.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// BenchmarkDecodePNG times libpng against image/png on each PNG in the
// folder named by FLUXDESK_BENCH_PNG (scripts/bench.sh sets it), or on a
// generated photo-like image: NAME/libpng and NAME/imagepng, one after the
// other per image. Both include laying the pixels out as the encoder takes
// them, in a reused buffer, as a worker does. Besides the time per decode,
// each reports the process's CPU time per decode (cpu-ns/op, garbage
// collection included), which other load on the machine disturbs less.
func BenchmarkDecodePNG(b *testing.B) {
	files := map[string][]byte{"gradient": encodePNG(b, gradient(1920, 1080))}
	if dir := os.Getenv("FLUXDESK_BENCH_PNG"); dir != "" {
		paths, err := filepath.Glob(filepath.Join(dir, "*.png"))
		if err != nil || len(paths) == 0 {
			b.Fatalf("no PNG files in %s", dir)
		}
		files = map[string][]byte{}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			files[strings.TrimSuffix(filepath.Base(p), ".png")] = data
		}
	}
	var buf buffer
	defer buf.free()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data := files[name]
		info, err := probe(data)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/libpng", func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := decodePNG(data, info, &buf); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/imagepng", func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := decodeGo(fmtPNG, data, &buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU starts counting the process's CPU time; the function it returns
// reports it per iteration of b.
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	return func() { b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op") }
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
