// Package ssimulacra2 scores how closely a distorted image looks like its
// original with SSIMULACRA 2.1, the perceptual metric of the JPEG XL
// project's tools (Jon Sneyers, Cloudinary). Scores run from 100 (identical)
// down; about 90 is visually lossless at 1:1, 70 high quality, 50 medium.
//
// The metric works in the XYB colour space, so chroma damage counts as well
// as luma damage. It compares up to six scales (1:1 to 1:32, downscaled
// in linear light) with an SSIM map and two edge maps (artifacts the
// original lacks, detail the original has and the distorted image lost),
// pools each map with a 1-norm and a 4-norm and combines the 108 numbers
// with the published, subjectively tuned weights.
//
// Scores of opaque images are those of libjxl's ssimulacra2 tool, the
// reference implementation: to a few thousandths on the published
// synthetic pairs with texture (see the tests).
//
// Images are packed 8-bit sRGB, 3 bytes a pixel, or 4 with straight alpha;
// transparent pixels are judged over mid grey, which the reference tool
// does not do.
package ssimulacra2

import (
	"errors"
	"math"
)

// numScales is the most scales compared, each half the size of the one
// before (see scaleCount for how many an image has); an image narrower or
// lower than minSize pixels is refused.
const (
	numScales = 6
	minSize   = 8
	kC2       = 0.0009
)

// Image is packed 8-bit sRGB pixels: 3 bytes a pixel (R, G, B), or 4 when
// Alpha is set (R, G, B and straight alpha). Rows are Stride bytes apart.
type Image struct {
	Pix           []byte
	Width, Height int
	Stride        int
	Alpha         bool
}

// ErrSize is returned when two images to compare differ in size, or an
// image is too small to score.
var ErrSize = errors.New("the images differ in size or are too small to compare")

// plane is one channel of float samples, w×h, row after row.
type plane struct {
	v    []float32
	w, h int
}

// planes3 is an image as three planes.
type planes3 [3]plane

// scale is what a Reference keeps of the original at one scale: the XYB
// planes, their local means and the local means of their squares.
type scale struct {
	xyb, mu, sq planes3
}

// Reference is an original image, or a set of regions sampled from one,
// prepared for scoring any number of distorted versions of it: the work
// that depends on the original alone is done once. A Reference is not safe
// for concurrent use.
type Reference struct {
	// Alloc, when not nil, supplies the memory of the planes: a slice of
	// at least n values, used until Alloc is called again. The planes of a
	// Reference and its scratch memory are carved from one such slab, which
	// a Reset replaces only when it needs a larger one. By default it is Go
	// memory; a program that scores many images can hand out memory outside
	// the Go heap, so that the garbage collector's heap goal (twice the
	// live data) does not grow by twice the planes.
	Alloc func(n int) []float32

	// Cropped, when set before a Reset, says that the regions are cut
	// from a larger image, so that their edges are not the image's: the
	// local means are then renormalised at the edges instead of taking
	// zeros beyond them as the reference tool does at an image's edges.
	// Otherwise a region's border counts as an edge present in both
	// images, which hides errors near it, and most of all at the coarse
	// scales of small regions, where the border is most of the region.
	Cropped bool

	parts  []part
	scales int // how many scales each region has (see scaleCount)
	work   workspace
	slab   []float32
	used   int // values of the slab carved so far
}

// part is one region of a Reference.
type part struct {
	w, h   int
	scales []scale
}

// workspace is scratch memory reused from one call to the next: the
// linear planes of the current scale and of the next one (the distorted
// image's are turned into XYB in place), and the rows a blur streams
// through (see stream).
type workspace struct {
	lin  [2]planes3
	rows rowBlur
	// What the next stream works on: a reference's channel (whose local
	// means and squares it writes), or a distorted channel against it.
	ref, dist  *plane
	mu, sq     *plane
	ssim, edge bool // which error maps are wanted
	sums       [6]float64
	scales     int  // of the reference, which sets the weights
	cropped    bool // see Reference.Cropped
}

// use sets which error maps of channel c at scale s are wanted, and
// reports whether any is.
func (ws *workspace) use(s, c int) bool {
	ws.ssim, ws.edge = ssimUsed[ws.scales][c][s], edgeUsed[ws.scales][c][s]
	return ws.ssim || ws.edge
}

// pooled accumulates, per scale and channel, the sums over all pixels of
// the three error maps and of their fourth powers, and the pixel counts.
type pooled struct {
	sum [numScales][3][6]float64 // SSIM, SSIM⁴, artifact, artifact⁴, detail lost, detail lost⁴
	n   [numScales]float64
}

// NewReference prepares an original for scoring. Given several images, it
// treats them as regions sampled from one original: a score pools the
// error maps of all regions, as if they were the whole image.
func NewReference(orig ...Image) (*Reference, error) {
	r := new(Reference)
	if err := r.Reset(orig...); err != nil {
		return nil, err
	}
	return r, nil
}

// Reset prepares the Reference for scoring against orig instead, reusing
// its memory.
func (r *Reference) Reset(orig ...Image) error {
	if len(orig) == 0 {
		return ErrSize
	}
	for _, m := range orig {
		if m.Width < minSize || m.Height < minSize || !m.valid() {
			return ErrSize
		}
	}
	if cap(r.parts) < len(orig) {
		r.parts = append(r.parts[:cap(r.parts)], make([]part, len(orig)-cap(r.parts))...)
	}
	r.parts = r.parts[:len(orig)]
	need := 0
	r.layout(orig, func(_ *plane, w, h int) { need += w * h })
	if len(r.slab) < need {
		r.slab = nil // the Alloc below may reuse its memory
		if r.Alloc != nil {
			r.slab = r.Alloc(need)
		} else {
			r.slab = make([]float32, need)
		}
	}
	r.used = 0
	r.layout(orig, r.carve)
	ws := &r.work
	ws.scales, ws.cropped = r.scales, r.Cropped
	for i, m := range orig {
		pt := &r.parts[i]
		pt.w, pt.h = m.Width, m.Height
		cur := &ws.lin[0]
		toLinear(m, cur)
		for n := range pt.scales {
			if n > 0 {
				next := &ws.lin[n%2]
				downsample(cur, next)
				cur = next
			}
			sc := &pt.scales[n]
			toXYB(cur, &sc.xyb)
			for c := range sc.xyb {
				if !ws.use(n, c) {
					continue
				}
				ws.ref, ws.dist = &sc.xyb[c], nil
				ws.mu, ws.sq = &sc.mu[c], &sc.sq[c]
				q := 1
				if ws.ssim {
					q = 2
				}
				ws.stream(q)
			}
		}
	}
	return nil
}

// layout lists the planes a Reference for orig needs, with their sizes:
// for each region and scale the XYB planes and the local means and squares
// the error maps use, and the workspace's linear planes (see score). It
// sets the number of scales: the fewest any region has, so that the regions
// pool scale by scale.
func (r *Reference) layout(orig []Image, plan func(p *plane, w, h int)) {
	r.scales = numScales
	for _, m := range orig {
		r.scales = min(r.scales, scaleCount(m.Width, m.Height))
	}
	ssim, edge := &ssimUsed[r.scales], &edgeUsed[r.scales]
	most, half := 0, 0
	for i, m := range orig {
		pt := &r.parts[i]
		w, h := m.Width, m.Height
		most, half = max(most, w*h), max(half, ((w+1)/2)*((h+1)/2))
		if cap(pt.scales) < r.scales {
			pt.scales = make([]scale, numScales)
		}
		pt.scales = pt.scales[:r.scales]
		for n := range pt.scales {
			sc := &pt.scales[n]
			for c := range sc.xyb {
				plan(&sc.xyb[c], w, h)
				if ssim[c][n] || edge[c][n] {
					plan(&sc.mu[c], w, h)
				}
				if ssim[c][n] {
					plan(&sc.sq[c], w, h)
				}
			}
			w, h = (w+1)/2, (h+1)/2
		}
	}
	for c := range 3 {
		plan(&r.work.lin[0][c], most, 1)
		plan(&r.work.lin[1][c], half, 1)
	}
}

// scaleCount returns how many scales of a w×h image are compared: the
// reference tool goes on to the next scale, up to numScales, while the
// last one is at least minSize pixels in both directions, so the smallest
// scale compared can be under minSize (4×4 for a 64×64 image).
func scaleCount(w, h int) int {
	n := 1
	for n < numScales && w >= minSize && h >= minSize {
		w, h = (w+1)/2, (h+1)/2
		n++
	}
	return n
}

// carve gives p the next w×h values of the slab.
func (r *Reference) carve(p *plane, w, h int) {
	n := w * h
	p.v, p.w, p.h = r.slab[r.used:r.used+n:r.used+n], w, h
	r.used += n
}

// Score returns the SSIMULACRA 2 score of dist against the reference: one
// image per region the reference was made of, each of the same size.
func (r *Reference) Score(dist ...Image) (float64, error) {
	if len(dist) != len(r.parts) {
		return 0, ErrSize
	}
	var pool pooled
	for i, m := range dist {
		pt := &r.parts[i]
		if m.Width != pt.w || m.Height != pt.h || !m.valid() {
			return 0, ErrSize
		}
		r.work.score(m, pt, &pool)
	}
	return pool.combine(r.scales), nil
}

// score adds the error maps of dist against one region to pool.
func (ws *workspace) score(dist Image, pt *part, pool *pooled) {
	toLinear(dist, &ws.lin[0])
	for s := range pt.scales {
		sc := &pt.scales[s]
		cur := &ws.lin[s%2]
		if s+1 < len(pt.scales) {
			downsample(cur, &ws.lin[(s+1)%2])
		}
		toXYB(cur, cur)
		for c := range cur {
			if !ws.use(s, c) {
				continue
			}
			ws.ref, ws.dist = &sc.xyb[c], &cur[c]
			ws.mu, ws.sq = &sc.mu[c], &sc.sq[c]
			ws.sums = [6]float64{}
			q := 1
			if ws.ssim {
				q = 3
			}
			ws.stream(q)
			for i, v := range ws.sums {
				pool.sum[s][c][i] += v
			}
		}
		pool.n[s] += float64(len(sc.xyb[0].v))
	}
}

// Score returns the SSIMULACRA 2 score of dist against orig.
func Score(orig, dist Image) (float64, error) {
	r, err := NewReference(orig)
	if err != nil {
		return 0, err
	}
	return r.Score(dist)
}

// valid reports whether the image's buffer holds its pixels.
func (m Image) valid() bool {
	bpp := 3
	if m.Alpha {
		bpp = 4
	}
	return m.Stride >= bpp*m.Width && len(m.Pix) >= (m.Height-1)*m.Stride+bpp*m.Width
}

// shape makes p a w×h plane within the memory it was given (see layout).
func (p *plane) shape(w, h int) {
	p.v, p.w, p.h = p.v[:w*h:cap(p.v)], w, h
}

// combine turns the pooled sums of the given number of scales into norms
// (the mean, and the fourth root of the mean fourth power) and weighs them
// into the final score.
func (p *pooled) combine(scales int) float64 {
	var d float64
	for c := 0; c < 3; c++ {
		for s := 0; s < scales; s++ {
			for n := 0; n < 2; n++ { // 1-norm, then 4-norm
				w := weights[scales][c][s][n]
				for m := 0; m < 3; m++ {
					v := p.sum[s][c][2*m+n] / p.n[s]
					if n == 1 {
						v = math.Sqrt(math.Sqrt(v))
					}
					d += w[m] * v
				}
			}
		}
	}
	d *= 0.9562382616834844
	d = 2.326765642916932*d - 0.020884521182843837*d*d + 6.248496625763138e-05*d*d*d
	if d <= 0 {
		return 100
	}
	return 100 - 10*math.Pow(d, 0.6276336467831387)
}

// ssimRow adds up 1 − SSIM′ over a row (SSIM without the luminance
// term's gamma correction, as SSIMULACRA 2.1 has it) into sums[0], and
// its fourth power into sums[1].
func ssimRow(mu1, mu2, s11, s22, s12 []float32, sums *[6]float64) {
	l1, l4 := sums[0], sums[1]
	mu2, s11, s22, s12 = mu2[:len(mu1)], s11[:len(mu1)], s22[:len(mu1)], s12[:len(mu1)]
	for i, m1 := range mu1 {
		m2 := mu2[i]
		numM := 1 - (m1-m2)*(m1-m2)
		numS := 2*(s12[i]-m1*m2) + kC2
		denS := (s11[i] - m1*m1) + (s22[i] - m2*m2) + kC2
		d := 1 - float64(numM*numS/denS)
		if d < 0 {
			d = 0
		}
		l1 += d
		d *= d
		l4 += d * d
	}
	sums[0], sums[1] = l1, l4
}

// edgeRow adds up over a row where the distorted image has edges the
// original lacks (ringing, blocking, banding: sums[2], and fourth powers
// in sums[3]) and where it lost the original's (blurring: sums[4],
// sums[5]).
func edgeRow(img1, mu1, img2, mu2 []float32, sums *[6]float64) {
	a1, a4, b1, b4 := sums[2], sums[3], sums[4], sums[5]
	mu1, img2, mu2 = mu1[:len(img1)], img2[:len(img1)], mu2[:len(img1)]
	for i, v1 := range img1 {
		d := (1+math.Abs(float64(img2[i]-mu2[i])))/(1+math.Abs(float64(v1-mu1[i]))) - 1
		// One of the two is zero, and adding zero changes no sum: no
		// branch to mispredict.
		a, b := max(d, 0), max(-d, 0)
		a1 += a
		b1 += b
		a *= a
		b *= b
		a4 += a * a
		b4 += b * b
	}
	sums[2], sums[3], sums[4], sums[5] = a1, a4, b1, b4
}

// downsample halves in into out by averaging 2×2 blocks (the last row or
// column repeated when the size is odd).
func downsample(in, out *planes3) {
	for c := range in {
		p := &in[c]
		w, h := (p.w+1)/2, (p.h+1)/2
		o := &out[c]
		o.shape(w, h)
		for y := 0; y < h; y++ {
			y0, y1 := 2*y, min(2*y+1, p.h-1)
			r0, r1 := p.v[y0*p.w:(y0+1)*p.w], p.v[y1*p.w:(y1+1)*p.w]
			row := o.v[y*w : (y+1)*w]
			for x := range row {
				x0, x1 := 2*x, min(2*x+1, p.w-1)
				row[x] = (r0[x0] + r0[x1] + r1[x0] + r1[x1]) * 0.25
			}
		}
	}
}
