package ssimulacra2

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
)

// Synthetic images, packed RGB, as made for the published reference
// scores (see TestScore_MatchesTheReferenceTool).

func flat(w, h int, v byte) []byte {
	pix := make([]byte, 3*w*h)
	for i := range pix {
		pix[i] = v
	}
	return pix
}

// grey builds each pixel from its position as one grey level.
func grey(w, h int, level func(x, y int) byte) []byte {
	pix := make([]byte, 0, 3*w*h)
	for y := range h {
		for x := range w {
			v := level(x, y)
			pix = append(pix, v, v, v)
		}
	}
	return pix
}

// noise is bytes of a 64-bit linear congruential generator (Knuth's
// MMIX constants), bits 33 to 40 of each state.
func noise(w, h int, seed uint64) []byte {
	pix := make([]byte, 3*w*h)
	for i := range pix {
		seed = seed*6364136223846793005 + 1442695040888963407
		pix[i] = byte(seed >> 33)
	}
	return pix
}

// synthetic returns the image named, at w×h.
func synthetic(name string, w, h int) []byte {
	var v, n int
	switch {
	case name == "grey":
		return flat(w, h, 128)
	case name == "ramp across":
		return grey(w, h, func(x, _ int) byte { return byte(x * 255 / (w - 1)) })
	case name == "ramp down":
		return grey(w, h, func(_, y int) byte { return byte(y * 255 / (h - 1)) })
	case name == "edge":
		return grey(w, h, func(x, _ int) byte { return byte(255 * min(x/(w/2), 1)) })
	}
	if _, err := fmt.Sscanf(name, "grey+%d", &v); err == nil {
		return flat(w, h, byte(128+v))
	}
	if _, err := fmt.Sscanf(name, "checkers %d", &n); err == nil {
		return grey(w, h, func(x, y int) byte { return byte(255 * (1 - (x/n+y/n)%2)) })
	}
	if _, err := fmt.Sscanf(name, "noise %d", &n); err == nil {
		return noise(w, h, uint64(n))
	}
	panic("no synthetic image " + name)
}

// publishedHashes are the SHA-256 sums of the synthetic images' RGB bytes,
// as published with the reference scores.
var publishedHashes = map[string]string{
	"grey 32":         "753412db29fc2970bed80a0cefed2d3caf17b282ed5b9b8707b5c39929a27fce",
	"grey+1 32":       "9bfd6cf255ab34830702095e9d20315139bc7139180cc7a5824c75778a0d0f5b",
	"grey+5 32":       "51b9f0ae4323fb70a30524450cdaeb940d5ab23b8e22e249976c8fe82c1f5795",
	"grey+10 32":      "264e5cfb60a64f9b7ab8957f2e3ab00a6c93247cfac1e737fbfdfc0748931275",
	"grey+20 32":      "2fcac1467f36ff01cc6817e30915d4b23afce13c5cdb7ac1249c3eb94c77a490",
	"grey+50 32":      "1cfe56369e0441824162a7cec96cb29364cac32654afe71dac9d2f4d0fa61ce6",
	"grey 64":         "2203a98fd84adfbd3cbbfda33c94fcc2d33f0e1d6ebfa4e0ced17c5469ba54e5",
	"grey+1 64":       "ba72ca16b1a20d73df1e731690165166355f49f94329e3d155a5c5988fc67c2e",
	"grey+5 64":       "5b0e43ac49bd5fb36490734280e3fb2d61ed608f0cc04c866b00fdc205528616",
	"grey+10 64":      "e802fe3a49ace0c2ec9b689de7d5b875d81b8e0653110b00cd8b2ee51fa40979",
	"grey+20 64":      "fe8a663ebc8cead56c6e1879d9fe43acf67ad22a1a4a08429510186f2fb51acc",
	"grey+50 64":      "e67286008fa164d1af611cd84f922e6cbe9a48e4d55e50e0665dd9b642e9a6bb",
	"ramp across 64":  "bfcfaa0618d282841d4469793253649ea6ddab2f1d0351548cb6f05a8fd79b87",
	"ramp down 64":    "ace6ea6f0fc42ad458fb72b077547864ab96879ddb710aa609b1941b307b8598",
	"checkers 4 64":   "dbdb01e8d49e11b31fc1106f3726edcd094f822ca34c3350f9d2cacb0d079350",
	"checkers 8 64":   "ce810a56212fd98b4f3b4fcb233bda78d4a9d37d2db0e3063b211fece39b8c28",
	"checkers 16 64":  "f05a28b4adf321fa6d2776919a52be55da293656f4c5d7af9a83e24dffab29c5",
	"noise 42 64":     "7f6be7f433ccb0a006e888f827df518a15c560c44b89852441183c2f61ea59f2",
	"noise 123 64":    "0d3841c663576a759f0342d6feb7de707adf89a274df064f2abbc2b1690b449b",
	"noise 999 64":    "53f592ab5678b4f46d1de4eec5963a728202c7ef837d90fef30de68f127e643d",
	"edge 64":         "f0d003b6007c958df848862398db117778c87d28db5943dc1bef4d6fdffb3137",
	"grey 128":        "2af5ead05032faafc0818cc27fe86c562e70fe7bea63d38366ef7355051b8fe9",
	"grey+1 128":      "43ebfa035c41a640aeda9630522bf65fb02f487bd9b47ac11fa58cf584c6d1c4",
	"grey+5 128":      "bc6f35e8fbe58efe8245f71ca581836e95ecc3a472e3a2798e99c364b8484149",
	"grey+10 128":     "8a688a547f7bb47011ef46e5a04f45f8d2f46e1843136eeb97dad5c76db17973",
	"grey+20 128":     "22a45cbe1683df60effde2b4d3ed4d41e0cf0924e89705d61c292efadf9def6b",
	"grey+50 128":     "768e019eb1e7b74aa1a48443b3f484373881ce7070223ddc4e948fadf5cdaba1",
	"grey 256":        "83ab53863cf746efe2611c6b521cfbdefba4f5325cf123ab451c385035b394ef",
	"grey+1 256":      "1c0cfab02575aafff19f5f19ada4b61ac53131822b4e57aac249667b385abcd0",
	"grey+5 256":      "90526676d3846e7ed5af2e4e8658c81e3f771fe2a1c64dd39a5e123b28863ae2",
	"grey+10 256":     "2019b05026c860a398ea4e5ccebf663341474616afd841520ad6f0f2cb93d95b",
	"grey+20 256":     "2aebb5647caa208acc8f8f3fdeb9868f828c1a82bf554bc654eb2a850406ad2a",
	"grey+50 256":     "ebf9afb21c2447887ac397990d539d9369aca02485bbac3af760da7f4132a2fc",
	"ramp across 256": "fb5f204ed84efa48484d193e260fcb573938c9153d852300b8f0cdf58cc2b85b",
	"ramp down 256":   "2961137ded7508136fe713238cd32724903c17a8190fb0588bd762b2532a262c",
	"checkers 4 256":  "c206c2b7a185cff1f0ed29e3c1831aa31a1a3f7adfb1a2b927ce7616918153fa",
	"checkers 8 256":  "e3e45ad46a0f85cb6d8fcb2028c4214993215378c8622902efc15325d5f6055d",
	"checkers 16 256": "9771669cebae5d46fe86f6c6d96c0a5605cb961114432aca1f5ef38f7a6e2f76",
	"noise 42 256":    "6742146af148c546b689204728135c7592574164b5b095dd87348d8f1794a429",
	"noise 123 256":   "c518fc76e482f1f64bcd0eed0e87e6fd3aa02b2f0a65b030baafc7941e81d2e6",
	"noise 999 256":   "965e88bccae4a9bd9d819aedd2e863506ac880eac039650f73bbd10c42f4d612",
	"edge 256":        "ef6a7a3a6dd6460c0f211781f0a8b418b9b6fc9c9a114ddce4c025975eb59e96",
}

// Tolerances against the reference tool's scores. Both compute in single
// precision, but the tool's blur runs four samples at a time with fused
// multiply-adds, its cube root and sRGB curve are approximations of their
// own, and it prints 8 decimals: on an image with texture the scores agree
// to a few thousandths.
//
// Flat grey against another flat grey is another matter. Where both images
// are flat, the SSIM map's variances (the blurred square less the squared
// blur) are zero but for rounding, and its ratio (2σ12 + C2) / (σ1² + σ2² +
// C2) divides rounding noise of about 1e-7 by C2 = 9e-4; the map's small
// positive errors are kept (negative ones are clamped to zero) and a score
// near 100 magnifies them. The published scores of these pairs are that
// noise: at 32×32 the tool scores grey+5 at 98.81, above grey+1 at 97.75.
// Here, fusing the blur's multiply-adds, which changes nothing but the
// rounding, moves the flat pairs' scores by up to 2.4 (grey+1 at 256×256
// from 93.76 to 96.12) and the textured pairs' by under 0.001. Matching the
// flat pairs more closely would take the tool's exact sequence of
// single-precision operations, for a case real images do not reach: their
// variances are far above the noise.
const (
	referenceTolerance = 0.005
	flatTolerance      = 2.5
)

// TestScore_MatchesTheReferenceTool scores synthetic pairs against the
// scores libjxl's ssimulacra2 tool gives them, as published with the images'
// recipe and SHA-256 sums in imazen's fork of the Rust ssimulacra2 crate
// (ssimulacra2/src/reference_data.rs, 62 pairs; all but the identical
// pairs at 32×32 and 128×128 are here). The images are rebuilt and their
// sums checked first, so a score compares the same pixels. Flat grey
// against lighter grey and the two pairs at 64×64 exercise what sets the
// score apart from a textbook SSIM: the recursive blur's zeros beyond the
// edges, and the weights of images with fewer than six scales.
func TestScore_MatchesTheReferenceTool(t *testing.T) {
	type pair struct {
		orig, dist string
		size       int
		want       float64
	}
	pairs := []pair{
		{"grey+1", "", 32, 97.74921430}, {"grey+5", "", 32, 98.80827382}, {"grey+10", "", 32, 96.53114090},
		{"grey+20", "", 32, 93.79823220}, {"grey+50", "", 32, 85.01409588},
		{"grey+1", "", 64, 97.98672126}, {"grey+5", "", 64, 91.52357693}, {"grey+10", "", 64, 80.24289393},
		{"grey+20", "", 64, 56.05855584}, {"grey+50", "", 64, -8.75942256},
		{"grey+1", "", 128, 96.78920738}, {"grey+5", "", 128, 88.54070876}, {"grey+10", "", 128, 77.84296299},
		{"grey+20", "", 128, 54.27883917}, {"grey+50", "", 128, -9.82383315},
		{"grey+1", "", 256, 96.15027098}, {"grey+5", "", 256, 89.73209436}, {"grey+10", "", 256, 80.29149136},
		{"grey+20", "", 256, 59.77892918}, {"grey+50", "", 256, -0.39085784},
		{"ramp across", "grey", 64, -64.56872148},
		{"noise 42", "grey", 64, -47.33572558},
	}
	// Flat grey is the original of the shifted greys.
	for i := range pairs {
		if pairs[i].dist == "" {
			pairs[i].orig, pairs[i].dist = "grey", pairs[i].orig
		}
	}
	// Identical pairs score 100.
	for _, size := range []int{64, 256} {
		for _, name := range []string{"grey", "ramp across", "ramp down", "checkers 4", "checkers 8",
			"checkers 16", "noise 42", "noise 123", "noise 999", "edge"} {
			pairs = append(pairs, pair{name, name, size, 100})
		}
	}
	pairs = append(pairs, pair{"grey", "grey", 32, 100})

	image := func(name string, size int) Image {
		t.Helper()
		pix := synthetic(name, size, size)
		key := fmt.Sprintf("%s %d", name, size)
		sum := sha256.Sum256(pix)
		if want, ok := publishedHashes[key]; !ok || hex.EncodeToString(sum[:]) != want {
			t.Fatalf("%s: SHA-256 %x, published %q", key, sum, want)
		}
		return Image{Pix: pix, Width: size, Height: size, Stride: 3 * size}
	}
	var worst, worstFlat float64
	for _, p := range pairs {
		got, err := Score(image(p.orig, p.size), image(p.dist, p.size))
		if err != nil {
			t.Fatal(err)
		}
		diff := math.Abs(got - p.want)
		tolerance := referenceTolerance
		if p.orig == "grey" && strings.HasPrefix(p.dist, "grey+") {
			tolerance = flatTolerance
			worstFlat = max(worstFlat, diff)
		} else {
			worst = max(worst, diff)
		}
		t.Logf("%-12s against %-12s %3d×%-3d  %12.8f  reference %12.8f  difference %.2g", p.orig, p.dist, p.size, p.size, got, p.want, diff)
		if diff > tolerance {
			t.Errorf("%s against %s at %d×%d: %.8f, the reference tool gives %.8f", p.orig, p.dist, p.size, p.size, got, p.want)
		}
	}
	t.Logf("worst difference %.2g with texture, %.2g flat against flat", worst, worstFlat)
}

// TestReference_CroppedRegionsHaveNoEdgesAtTheCut: the four quarters of an
// image of even texture, taken as whole images, hide part of the damage
// near their edges and score above the whole image, which has a quarter of
// their edges; pooled as regions cut from it, nothing hides the damage and
// they score below it.
func TestReference_CroppedRegionsHaveNoEdgesAtTheCut(t *testing.T) {
	const size = 256
	m := image.NewNRGBA(image.Rect(0, 0, size, size))
	copy(m.Pix, rgba(noise(size, size, 7)))
	d := webpRoundTrip(t, m, 50)
	whole := score(t, m, d)
	quarters := func(m *image.NRGBA) []Image {
		var q []Image
		for _, at := range []image.Point{{0, 0}, {size / 2, 0}, {0, size / 2}, {size / 2, size / 2}} {
			c := m.SubImage(image.Rectangle{Min: at, Max: at.Add(image.Pt(size/2, size/2))}).(*image.NRGBA)
			q = append(q, Image{Pix: c.Pix, Width: size / 2, Height: size / 2, Stride: c.Stride, Alpha: true})
		}
		return q
	}
	pooled := func(cropped bool) float64 {
		ref := &Reference{Cropped: cropped}
		if err := ref.Reset(quarters(m)...); err != nil {
			t.Fatal(err)
		}
		s, err := ref.Score(quarters(d)...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cropped, uncropped := pooled(true), pooled(false)
	t.Logf("whole %.2f, quarters cropped %.2f, as whole images %.2f", whole, cropped, uncropped)
	if !(cropped < whole && whole < uncropped) {
		t.Errorf("want the cropped quarters under the whole image, and the quarters as whole images over it")
	}
}

// rgba adds an opaque alpha channel to packed RGB.
func rgba(rgb []byte) []byte {
	out := make([]byte, 0, len(rgb)/3*4)
	for i := 0; i < len(rgb); i += 3 {
		out = append(out, rgb[i], rgb[i+1], rgb[i+2], 0xff)
	}
	return out
}

// TestStream_BlursAsTheRecursionsOverWholePlanes checks the streamed blur,
// a ring of rows, against the recursions run plainly along every row and
// then down every column, on a plane of odd size lower than the filter's
// reach at its second scale.
func TestStream_BlursAsTheRecursionsOverWholePlanes(t *testing.T) {
	const w, h = 37, 11
	m := Image{Pix: noise(w, h, 5), Width: w, Height: h, Stride: 3 * w}
	ref, err := NewReference(m)
	if err != nil {
		t.Fatal(err)
	}
	// recursions runs the three recursions over x, zeros beyond its ends.
	recursions := func(x []float64) []float64 {
		at := func(i int) float64 {
			if i < 0 || i >= len(x) {
				return 0
			}
			return x[i]
		}
		out := make([]float64, len(x))
		var y1, y2 [3]float64
		for n := 1 - reach; n < len(x); n++ {
			s := at(n-reach-1) + at(n+reach-1)
			sum := 0.0
			for k := range y1 {
				y := float64(n2[k])*s - float64(d1[k])*y1[k] - y2[k]
				y1[k], y2[k] = y, y1[k]
				sum += y
			}
			if n >= 0 {
				out[n] = sum
			}
		}
		return out
	}
	checked := 0
	for s, sc := range ref.parts[0].scales {
		for c := range sc.mu {
			mu, in := sc.mu[c], sc.xyb[c]
			if len(mu.v) == 0 {
				continue
			}
			pw, ph := in.w, in.h
			plane := make([]float64, pw*ph)
			for y := range ph {
				row := make([]float64, pw)
				for x := range row {
					row[x] = float64(in.v[y*pw+x])
				}
				copy(plane[y*pw:], recursions(row))
			}
			for x := range pw {
				col := make([]float64, ph)
				for y := range col {
					col[y] = plane[y*pw+x]
				}
				for y, v := range recursions(col) {
					if got := float64(mu.v[y*pw+x]); math.Abs(got-v) > 1e-5 {
						t.Fatalf("scale %d channel %d (%d×%d) at %d,%d: streamed %v, plain %v", s, c, pw, ph, x, y, got, v)
					}
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no local means to check")
	}
}
