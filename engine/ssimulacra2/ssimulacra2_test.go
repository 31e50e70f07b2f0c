package ssimulacra2

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/chai2010/webp"
)

// scene returns a w×h picture with smooth areas, edges, fine texture and
// saturated red and blue detail: what compression damages first.
func scene(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(60 + 120*x/w), uint8(80 + 100*y/h), 150, 255}
			switch {
			case x > w/2 && y < h/2: // fine texture
				v := uint8(128 + 60*math.Sin(float64(x)*0.6)*math.Cos(float64(y)*0.5))
				c = color.NRGBA{v, v / 2, 255 - v, 255}
			case x < w/2 && y > h/2 && (x/8+y/8)%2 == 0: // red and blue detail
				c = color.NRGBA{220, 20, 30, 255}
			case x < w/2 && y > h/2:
				c = color.NRGBA{20, 30, 200, 255}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

func asImage(m *image.NRGBA) Image {
	return Image{Pix: m.Pix, Width: m.Rect.Dx(), Height: m.Rect.Dy(), Stride: m.Stride, Alpha: true}
}

// boxBlur returns m blurred with a (2r+1)² box.
func boxBlur(m *image.NRGBA, r int) *image.NRGBA {
	b := m.Bounds()
	out := image.NewNRGBA(b)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			var s [3]int
			n := 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					xx, yy := min(max(x+dx, 0), b.Dx()-1), min(max(y+dy, 0), b.Dy()-1)
					c := m.NRGBAAt(xx, yy)
					s[0], s[1], s[2] = s[0]+int(c.R), s[1]+int(c.G), s[2]+int(c.B)
					n++
				}
			}
			out.SetNRGBA(x, y, color.NRGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), 255})
		}
	}
	return out
}

// webpRoundTrip returns m after lossy WebP at quality q.
func webpRoundTrip(t testing.TB, m *image.NRGBA, q float32) *image.NRGBA {
	t.Helper()
	var b bytes.Buffer
	if err := webp.Encode(&b, m, &webp.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	d, err := webp.DecodeRGBA(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return &image.NRGBA{Pix: d.Pix, Stride: d.Stride, Rect: d.Rect}
}

func score(t *testing.T, a, b *image.NRGBA) float64 {
	t.Helper()
	s, err := Score(asImage(a), asImage(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestScore_IdenticalImagesArePerfect(t *testing.T) {
	m := scene(200, 150)
	if s := score(t, m, m); s != 100 {
		t.Errorf("identical images score %v, want 100", s)
	}
}

func TestScore_RanksDistortionsByStrength(t *testing.T) {
	m := scene(240, 180)
	cases := []struct {
		name string
		img  *image.NRGBA
	}{
		{"WebP q95", webpRoundTrip(t, m, 95)},
		{"WebP q75", webpRoundTrip(t, m, 75)},
		{"WebP q40", webpRoundTrip(t, m, 40)},
		{"WebP q5", webpRoundTrip(t, m, 5)},
	}
	blurs := []struct {
		name string
		img  *image.NRGBA
	}{
		{"blur 1", boxBlur(m, 1)},
		{"blur 2", boxBlur(m, 2)},
		{"blur 4", boxBlur(m, 4)},
	}
	for _, set := range [][]struct {
		name string
		img  *image.NRGBA
	}{cases, blurs} {
		prev, prevName := 100.0, "the original"
		for _, c := range set {
			s := score(t, m, c.img)
			t.Logf("%s: %.2f", c.name, s)
			if s >= prev {
				t.Errorf("%s scores %.2f, not below %s (%.2f)", c.name, s, prevName, prev)
			}
			prev, prevName = s, c.name
		}
	}
}

func TestScore_SeesColourDamageThatLeavesLumaAlone(t *testing.T) {
	m := scene(200, 150)
	// Swap red for a blue of the same luma (BT.601) in the red detail: a
	// luma-only metric sees no change.
	d := image.NewNRGBA(m.Rect)
	copy(d.Pix, m.Pix)
	changed := 0
	for i := 0; i < len(d.Pix); i += 4 {
		if d.Pix[i] == 220 && d.Pix[i+1] == 20 {
			// 0.299·220 + 0.587·20 + 0.114·30 ≈ 0.299·0 + 0.587·98 + 0.114·237
			d.Pix[i], d.Pix[i+1], d.Pix[i+2] = 0, 98, 237
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("the scene has no red detail")
	}
	if s := score(t, m, d); s > 80 {
		t.Errorf("a colour swap at equal luma scores %.2f, want it seen (under 80)", s)
	}
}

func TestReference_PooledRegionsActAsOneImage(t *testing.T) {
	m := scene(160, 160)
	d := webpRoundTrip(t, m, 60)
	whole := score(t, m, d)
	// The same region twice pools to the same means as the region once.
	ref, err := NewReference(asImage(m), asImage(m))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := ref.Score(asImage(d), asImage(d))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(twice-whole) > 1e-9 {
		t.Errorf("two copies score %v, one %v", twice, whole)
	}
	// Reset reuses the Reference for another original.
	other := scene(96, 64)
	if err := ref.Reset(asImage(other)); err != nil {
		t.Fatal(err)
	}
	if s, err := ref.Score(asImage(other)); err != nil || s != 100 {
		t.Errorf("after Reset, identical scores %v, %v", s, err)
	}
	if _, err := ref.Score(asImage(d)); err != ErrSize {
		t.Errorf("a distorted image of another size: %v, want ErrSize", err)
	}
}

func TestReference_TakesItsMemoryFromAlloc(t *testing.T) {
	var calls, last int
	ref := &Reference{Alloc: func(n int) []float32 {
		calls++
		last = n
		return make([]float32, n)
	}}
	big, small := scene(200, 150), scene(96, 64)
	d := webpRoundTrip(t, big, 60)
	if err := ref.Reset(asImage(big)); err != nil {
		t.Fatal(err)
	}
	got, err := ref.Score(asImage(d))
	if err != nil {
		t.Fatal(err)
	}
	if want := score(t, big, d); got != want {
		t.Errorf("with Alloc: %v, without: %v", got, want)
	}
	if calls != 1 || last < 200*150*3 {
		t.Errorf("%d calls, the last for %d values", calls, last)
	}
	// A smaller original fits in the same memory, a larger one asks again.
	if err := ref.Reset(asImage(small)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("a smaller original asked for memory again")
	}
	if err := ref.Reset(asImage(big), asImage(big)); err != nil {
		t.Fatal(err)
	}
	if calls != 2 || last <= 200*150*6 {
		t.Errorf("two regions: %d calls, the last for %d values", calls, last)
	}
}

func TestScore_RefusesMismatchedOrTinyImages(t *testing.T) {
	if _, err := Score(asImage(scene(64, 64)), asImage(scene(64, 63))); err != ErrSize {
		t.Errorf("sizes differ: %v", err)
	}
	if _, err := Score(asImage(scene(4, 4)), asImage(scene(4, 4))); err != ErrSize {
		t.Errorf("4×4: %v", err)
	}
}

func TestCbrt_MatchesTheStandardLibrary(t *testing.T) {
	for v := float32(1e-4); v < 2; v *= 1.07 {
		want := math.Cbrt(float64(v))
		if got := float64(cbrt(v)); math.Abs(got-want) > 1e-6*want {
			t.Fatalf("cbrt(%v) = %v, want %v", v, got, want)
		}
	}
}

// BenchmarkScore scores a 384×384 WebP round trip against a prepared
// reference, as the auto quality search does for each probe.
func BenchmarkScore(b *testing.B) {
	m := scene(384, 384)
	d := webpRoundTrip(b, m, 80)
	ref, err := NewReference(asImage(m))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ref.Score(asImage(d)); err != nil {
			b.Fatal(err)
		}
	}
}
