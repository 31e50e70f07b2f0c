// Package ssimulacra2 scores how closely a distorted image looks like its
// original with SSIMULACRA 2.1, the perceptual metric of the JPEG XL
// project's tools (Jon Sneyers, Cloudinary). Scores run from 100 (identical)
// down; about 90 is visually lossless at 1:1, 70 high quality, 50 medium.
//
// The metric works in the XYB colour space, so chroma damage counts as well
// as luma damage. It compares six scales (1:1 to 1:32, downscaled in linear
// light) with an SSIM map and two edge maps (artifacts the original lacks,
// detail the original has and the distorted image lost), pools each map
// with a 1-norm and a 4-norm and combines the 108 numbers with the
// published, subjectively tuned weights.
//
// Images are packed 8-bit sRGB, 3 bytes a pixel, or 4 with straight alpha;
// transparent pixels are judged over mid grey.
package ssimulacra2

import (
	"errors"
	"math"
)

// numScales is the number of scales compared, each half the size of the one
// before; scales smaller than minSize pixels across are left out.
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
	parts []part
	work  workspace
}

// part is one region of a Reference.
type part struct {
	w, h   int
	scales []scale
}

// workspace is scratch memory reused from one Score call to the next:
// three planes for the linear image and three for its XYB version, and
// single planes for one channel's products and local means at a time.
type workspace struct {
	lin, xyb                 planes3
	prod, mu2, s22, s12, tmp plane
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
	ws := &r.work
	for i, m := range orig {
		pt := &r.parts[i]
		pt.w, pt.h = m.Width, m.Height
		toLinear(m, &ws.lin)
		n := 0
		for s := 0; s < numScales; s++ {
			if s > 0 && !ws.halve() {
				break
			}
			if n == len(pt.scales) {
				pt.scales = append(pt.scales, scale{})
			}
			sc := &pt.scales[n]
			n++
			toXYB(&ws.lin, &sc.xyb)
			for c := range sc.xyb {
				multiply(&sc.xyb[c], &sc.xyb[c], &ws.prod)
				blur(&ws.prod, &sc.sq[c], &ws.tmp)
				blur(&sc.xyb[c], &sc.mu[c], &ws.tmp)
			}
		}
		pt.scales = pt.scales[:n]
	}
	return nil
}

// halve replaces the linear planes with their half-size version, unless
// that would be smaller than the smallest scale compared.
func (ws *workspace) halve() bool {
	if (ws.lin[0].w+1)/2 < minSize || (ws.lin[0].h+1)/2 < minSize {
		return false
	}
	downsample(&ws.lin, &ws.xyb)
	ws.lin, ws.xyb = ws.xyb, ws.lin
	return true
}

// Score returns the SSIMULACRA 2 score of dist against the reference: one
// image per region the reference was made of, each of the same size.
func (r *Reference) Score(dist ...Image) (float64, error) {
	if len(dist) != len(r.parts) {
		return 0, ErrSize
	}
	var pool pooled
	scales := numScales
	for i, m := range dist {
		pt := &r.parts[i]
		if m.Width != pt.w || m.Height != pt.h || !m.valid() {
			return 0, ErrSize
		}
		r.work.score(m, pt, &pool)
		scales = min(scales, len(pt.scales))
	}
	return pool.combine(scales), nil
}

// score adds the error maps of dist against one region to pool.
func (ws *workspace) score(dist Image, pt *part, pool *pooled) {
	toLinear(dist, &ws.lin)
	for s, sc := range pt.scales {
		if s > 0 {
			ws.halve()
		}
		toXYB(&ws.lin, &ws.xyb)
		for c := range ws.xyb {
			d := &ws.xyb[c]
			multiply(d, d, &ws.prod)
			blur(&ws.prod, &ws.s22, &ws.tmp)
			multiply(&sc.xyb[c], d, &ws.prod)
			blur(&ws.prod, &ws.s12, &ws.tmp)
			blur(d, &ws.mu2, &ws.tmp)
			sums := pool.sum[s][c][:]
			ssimMap(sc.mu[c], ws.mu2, sc.sq[c], ws.s22, ws.s12, sums[0:2])
			edgeMap(sc.xyb[c], sc.mu[c], *d, ws.mu2, sums[2:6])
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

// resize makes p a w×h plane, reusing its memory when it is large enough.
func (p *plane) resize(w, h int) {
	if cap(p.v) < w*h {
		p.v = make([]float32, w*h)
	}
	p.v, p.w, p.h = p.v[:w*h], w, h
}

// combine turns the pooled sums into norms (the mean, and the fourth
// root of the mean fourth power) and weighs them into the final score.
func (p *pooled) combine(scales int) float64 {
	var d float64
	for c := 0; c < 3; c++ {
		for s := 0; s < scales; s++ {
			for n := 0; n < 2; n++ { // 1-norm, then 4-norm
				w := weights[c][s][n]
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

// ssimMap adds up 1 − SSIM′ over a plane (SSIM without the luminance
// term's gamma correction, as SSIMULACRA 2.1 has it) into out[0], and its
// fourth power into out[1].
func ssimMap(mu1, mu2, s11, s22, s12 plane, out []float64) {
	var l1, l4 float64
	for i := range mu1.v {
		m1, m2 := mu1.v[i], mu2.v[i]
		numM := 1 - (m1-m2)*(m1-m2)
		numS := 2*(s12.v[i]-m1*m2) + kC2
		denS := (s11.v[i] - m1*m1) + (s22.v[i] - m2*m2) + kC2
		d := 1 - float64(numM*numS/denS)
		if d < 0 {
			d = 0
		}
		l1 += d
		d *= d
		l4 += d * d
	}
	out[0] += l1
	out[1] += l4
}

// edgeMap adds up where the distorted image has edges the original lacks
// (ringing, blocking, banding: out[0], and fourth powers in out[1]) and
// where it lost the original's (blurring: out[2], out[3]).
func edgeMap(img1, mu1, img2, mu2 plane, out []float64) {
	var a1, a4, b1, b4 float64
	for i := range img1.v {
		d := (1+math.Abs(float64(img2.v[i]-mu2.v[i])))/(1+math.Abs(float64(img1.v[i]-mu1.v[i]))) - 1
		if d > 0 {
			a1 += d
			d *= d
			a4 += d * d
		} else {
			d = -d
			b1 += d
			d *= d
			b4 += d * d
		}
	}
	out[0] += a1
	out[1] += a4
	out[2] += b1
	out[3] += b4
}

// multiply sets out to a×b, sample by sample.
func multiply(a, b, out *plane) {
	out.resize(a.w, a.h)
	av, bv, ov := a.v, b.v[:len(a.v)], out.v[:len(a.v)]
	for i := range av {
		ov[i] = av[i] * bv[i]
	}
}

// downsample halves in into out by averaging 2×2 blocks (the last row or
// column repeated when the size is odd).
func downsample(in, out *planes3) {
	for c := range in {
		p := &in[c]
		w, h := (p.w+1)/2, (p.h+1)/2
		o := &out[c]
		o.resize(w, h)
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
