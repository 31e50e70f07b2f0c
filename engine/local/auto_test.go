package local

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/chai2010/webp"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"fluxdesk/engine"
	"fluxdesk/engine/ssimulacra2"
)

// textured returns a w×h picture of busy, photo-like detail, which needs a
// high quality to survive lossy coding.
func textured(w, h int) *image.NRGBA {
	rng := rand.New(rand.NewPCG(1, 2))
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			base := 90 + 60*((x/5+y/7)%2)
			m.SetNRGBA(x, y, color.NRGBA{
				uint8(base + rng.IntN(60)), uint8(base/2 + rng.IntN(70)), uint8(200 - base/2 + rng.IntN(50)), 255,
			})
		}
	}
	return m
}

// screenshot returns a w×h window-like picture: flat panels, a coloured
// title bar and lines of red, blue and black text.
func screenshot(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.NRGBA{245, 245, 245, 255}), image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(0, 0, w, 28), image.NewUniform(color.NRGBA{40, 90, 200, 255}), image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(10, 40, w/3, h-10), image.NewUniform(color.NRGBA{225, 228, 235, 255}), image.Point{}, draw.Src)
	inks := []color.NRGBA{{20, 20, 20, 255}, {200, 20, 30, 255}, {20, 40, 210, 255}}
	d := font.Drawer{Dst: m, Face: basicfont.Face7x13}
	for i, y := 0, 60; y < h-10; i, y = i+1, y+16 {
		d.Src = image.NewUniform(inks[i%len(inks)])
		d.Dot = fixed.P(w/3+12, y)
		d.DrawString("Fluxdesk compresses images: queue, compare, watch 0123456789")
	}
	return m
}

// autoConvert runs the worker on img (as PNG) with auto quality.
func autoConvert(t *testing.T, img image.Image) ([]byte, raster, engine.Encoding) {
	t.Helper()
	opts := engine.DefaultOptions()
	opts.AutoQuality = true
	out, r, enc, err := new(worker).convert(context.Background(), encodePNG(t, img), opts)
	if err != nil {
		t.Fatal(err)
	}
	return out, r, enc
}

// fullScore scores a WebP output against the whole source image.
func fullScore(t *testing.T, src image.Image, out []byte) float64 {
	t.Helper()
	n := image.NewNRGBA(src.Bounds())
	draw.Draw(n, n.Bounds(), src, src.Bounds().Min, draw.Src)
	d, err := webp.DecodeRGBA(out)
	if err != nil {
		t.Fatal(err)
	}
	b := n.Bounds()
	s, err := ssimulacra2.Score(
		ssimulacra2.Image{Pix: n.Pix, Width: b.Dx(), Height: b.Dy(), Stride: n.Stride, Alpha: true},
		ssimulacra2.Image{Pix: d.Pix, Width: b.Dx(), Height: b.Dy(), Stride: d.Stride, Alpha: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAuto_EasyImageGetsALowerQualityThanABusyOne(t *testing.T) {
	easyImg, busyImg := gradient(512, 384), textured(512, 384)
	easyOut, _, easy := autoConvert(t, easyImg)
	busyOut, _, busy := autoConvert(t, busyImg)
	t.Logf("easy %s (score %.1f, %d bytes), busy %s (score %.1f, %d bytes)", easy, easy.Score, len(easyOut), busy, busy.Score, len(busyOut))
	if !easy.Auto || !busy.Auto || easy.Lossless || busy.Lossless {
		t.Fatalf("encodings %+v, %+v: want auto, lossy", easy, busy)
	}
	if easy.Quality >= busy.Quality {
		t.Errorf("easy image got q%d, busy one q%d: want the easy one lower", easy.Quality, busy.Quality)
	}
	for _, c := range []struct {
		img image.Image
		out []byte
		enc engine.Encoding
	}{{easyImg, easyOut, easy}, {busyImg, busyOut, busy}} {
		if c.enc.Score < engine.DefaultTarget {
			t.Errorf("%s: reported score %.2f under the target %v", c.enc, c.enc.Score, engine.DefaultTarget)
		}
		// The image is small enough to be its own proxy: the reported
		// score is the output's.
		if s := fullScore(t, c.img, c.out); s < engine.DefaultTarget || s-c.enc.Score > 0.5 || c.enc.Score-s > 0.5 {
			t.Errorf("%s: output scores %.2f, reported %.2f", c.enc, s, c.enc.Score)
		}
	}
}

func TestAuto_TextScreenshotStaysCrisp(t *testing.T) {
	img := screenshot(800, 600)
	out, _, enc := autoConvert(t, img)
	s := fullScore(t, img, out)
	t.Logf("screenshot: %s, %d bytes, score %.2f", enc, len(out), s)
	if !enc.Lossless && s < engine.DefaultTarget {
		t.Errorf("screenshot came out %s with score %.2f, under the target %v", enc, s, engine.DefaultTarget)
	}
	if enc.Lossless && s != 100 {
		t.Errorf("lossless output scores %.2f, want 100", s)
	}
}

func TestAuto_HigherTargetGivesHigherQuality(t *testing.T) {
	img := encodePNG(t, textured(400, 300))
	opts := engine.DefaultOptions()
	opts.AutoQuality = true
	_, _, normal, err := new(worker).convert(context.Background(), img, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Target = 80
	_, _, high, err := new(worker).convert(context.Background(), img, opts)
	if err != nil {
		t.Fatal(err)
	}
	if high.Quality <= normal.Quality || high.Score < 80 {
		t.Errorf("target %v: %s (%.1f); target 80: %s (%.1f)", engine.DefaultTarget, normal, normal.Score, high, high.Score)
	}
}

func TestCompress_ReportsTheQualityUsed(t *testing.T) {
	path := writeFile(t, "g.png", encodePNG(t, gradient(200, 150)))
	for _, c := range []struct {
		opts func(*engine.Options)
		want string
	}{
		{func(o *engine.Options) { o.Quality = 67 }, "q67"},
		{func(o *engine.Options) { o.Lossless = true }, "lossless"},
		{func(o *engine.Options) { o.AutoQuality = true }, "auto → q"},
	} {
		opts := engine.DefaultOptions()
		c.opts(&opts)
		res := new(worker).compress(context.Background(), engine.Job{Path: path, Options: opts})
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := res.Encoding.String(); len(got) < len(c.want) || got[:len(c.want)] != c.want {
			t.Errorf("encoding %q, want %q…", got, c.want)
		}
	}
}

func TestGraphics_TellsFlatArtFromPhotos(t *testing.T) {
	var a autoState
	for _, c := range []struct {
		name string
		img  image.Image
		want bool
	}{
		{"screenshot", screenshot(320, 240), true},
		{"gradient", gradient(320, 240), false},
		{"texture", textured(320, 240), false},
	} {
		r := fromImage(nil, c.img)
		if got := a.graphics(r); got != c.want {
			t.Errorf("%s: graphics %v, want %v", c.name, got, c.want)
		}
	}
}

func TestGraphics_CountsColoursUpToTheLimit(t *testing.T) {
	var a autoState
	// n distinct colours, each on two pixels apart from each other, spread
	// over all three channels.
	picture := func(n int) raster {
		m := image.NewNRGBA(image.Rect(0, 0, 128, 2*n/128+1))
		for i := range 2 * n {
			c := uint32(i%n) * 40503
			m.SetNRGBA(i%128, i/128, color.NRGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 255})
		}
		return fromImage(nil, m)
	}
	// The picture's last row is padded with black, one of its colours.
	if !a.graphics(picture(graphicsColours)) {
		t.Errorf("%d colours: not taken for graphics", graphicsColours)
	}
	if a.graphics(picture(graphicsColours + 1)) {
		t.Errorf("%d colours: taken for graphics", graphicsColours+1)
	}
}

func TestProxy_SamplesCellsByDetailFromTheBusiest(t *testing.T) {
	var a autoState
	small := fromImage(nil, gradient(300, 200))
	if p := a.proxy(small); len(p) != 1 || p[0].width != 300 {
		t.Errorf("a small image should be its own proxy, got %d crops", len(p))
	}
	// A smooth picture with one busy patch, away from the middle of any
	// ninth of it.
	img := gradient(1600, 1200)
	draw.Draw(img, image.Rect(1408, 1024, 1536, 1152), textured(128, 128), image.Point{}, draw.Src)
	big := fromImage(nil, img)
	p := a.proxy(big)
	if len(p) != proxyCrops {
		t.Fatalf("%d crops, want %d", len(p), proxyCrops)
	}
	seen := map[int]bool{}
	for _, c := range p {
		if c.width != proxySide || c.height != proxySide || c.stride != big.stride {
			t.Errorf("crop %d×%d stride %d", c.width, c.height, c.stride)
		}
		seen[len(big.pix)-len(c.pix)] = true
	}
	if len(seen) != len(p) {
		t.Errorf("crops start at %d distinct places, want %d", len(seen), len(p))
	}
	if at, want := len(big.pix)-len(p[0].pix), 1024*big.stride+1408*3; at != want {
		t.Errorf("first crop at %d, want the busy patch at %d", at, want)
	}
}

func TestAuto_BusyPatchAwayFromTheMiddleStillReachesTheTarget(t *testing.T) {
	// Smooth almost everywhere: a proxy taken from the middle of the
	// image's ninths or quarters would see no detail and pick a low
	// quality that ruins the patch.
	img := gradient(1600, 1200)
	draw.Draw(img, image.Rect(1408, 1024, 1600, 1200), textured(192, 176), image.Point{}, draw.Src)
	out, _, enc := autoConvert(t, img)
	s := fullScore(t, img, out)
	t.Logf("%s, %d bytes, reported %.2f, whole image %.2f", enc, len(out), enc.Score, s)
	if s < engine.DefaultTarget {
		t.Errorf("whole image scores %.2f, under the target %v", s, engine.DefaultTarget)
	}
}

// textBar returns a w×h strip, a few lines of red, blue and black text on
// a gradient: too many colours to be taken for graphics, too thin for the
// metric's coarse scales, and the text's chroma edges are what lossy WebP
// damages most.
func textBar(w, h int) *image.NRGBA {
	m := gradient(w, h)
	inks := []color.NRGBA{{200, 20, 30, 255}, {20, 40, 210, 255}, {20, 20, 20, 255}}
	d := font.Drawer{Dst: m, Face: basicfont.Face7x13}
	for i, y := 0, 12; y < h; i, y = i+1, y+13 {
		d.Src = image.NewUniform(inks[i%len(inks)])
		d.Dot = fixed.P(2+3*i, y)
		d.DrawString("Activities  Files  Wed 04:12  Fluxdesk 0123456789 queue compare watch")
	}
	return m
}

func TestAuto_ImageNoLossyQualityReachesGetsLossless(t *testing.T) {
	img := textBar(600, 40)
	if new(autoState).graphics(fromImage(nil, img)) {
		t.Fatal("the text bar is taken for graphics: the test needs a picture that is not")
	}
	q100, err := encode(fromImage(nil, img), engine.Options{Quality: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := fullScore(t, img, q100); s >= engine.DefaultTarget {
		t.Fatalf("the text bar scores %.2f at q100, not under the target %v: the test needs a harder picture", s, engine.DefaultTarget)
	}
	out, _, enc := autoConvert(t, img)
	s := fullScore(t, img, out)
	t.Logf("%s, %d bytes (q100: %d), score %.2f", enc, len(out), len(q100), s)
	if !enc.Lossless || enc.Score != 100 || s != 100 {
		t.Errorf("%s, reported score %.2f, output scores %.2f: want lossless, 100", enc, enc.Score, s)
	}
}

// faded returns img with every channel squeezed to a quarter of its range
// around a pale grey, as in a misty or washed-out photo.
func faded(img *image.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(img.Bounds())
	for i, v := range img.Pix {
		if i%4 == 3 {
			m.Pix[i] = v
			continue
		}
		m.Pix[i] = uint8(180 + (int(v)-128)/4)
	}
	return m
}

func TestMarginFor_LowContrastAimsHigher(t *testing.T) {
	for _, c := range []struct {
		name string
		img  image.Image
		want float64
	}{
		{"texture", textured(640, 480), proxyMargin},
		{"gradient", gradient(640, 480), proxyMargin},
		{"faded texture", faded(textured(640, 480)), lowContrastMargin},
	} {
		r := fromImage(nil, c.img)
		if got := marginFor(r); got != c.want {
			t.Errorf("%s (contrast %.1f): margin %v, want %v", c.name, contrast(r), got, c.want)
		}
	}
}

// lowContrastPhoto is the benchmark photo whose cells judge it most
// kindly: a pale close-up of wooden planks.
const lowContrastPhoto = "/usr/share/backgrounds/mate/nature/Wood.jpg"

func TestAuto_LowContrastPhotoReachesTheTargetOnTheWholeImage(t *testing.T) {
	data, err := os.ReadFile(lowContrastPhoto)
	if err != nil {
		t.Fatalf("%v: the photo comes with Debian's mate-backgrounds (scripts/setup.sh test installs it)", err)
	}
	opts := engine.DefaultOptions()
	opts.AutoQuality = true
	w := new(worker)
	defer w.free()
	out, r, enc, err := w.convert(context.Background(), data, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeWebP(out, r.alpha)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssimulacra2.Score(metricImage(r), metricImage(d))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s, contrast %.1f, proxy %.2f, whole image %.2f", enc, contrast(r), enc.Score, s)
	if s < engine.DefaultTarget {
		t.Errorf("whole image scores %.2f, under the target %v", s, engine.DefaultTarget)
	}
}
