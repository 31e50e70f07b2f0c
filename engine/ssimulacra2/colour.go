package ssimulacra2

import "math"

// linearLUT maps an 8-bit sRGB value to linear light.
var linearLUT = func() (t [256]float32) {
	for i := range t {
		v := float64(i) / 255
		if v <= 0.04045 {
			v /= 12.92
		} else {
			v = math.Pow((v+0.055)/1.055, 2.4)
		}
		t[i] = float32(v)
	}
	return t
}()

// background is the linear-light grey that transparent pixels are shown on.
var background = linearLUT[128]

// toLinear converts an sRGB image to three planes of linear light.
func toLinear(m Image, out *planes3) {
	for c := range out {
		out[c].shape(m.Width, m.Height)
	}
	bpp := 3
	if m.Alpha {
		bpp = 4
	}
	for y := 0; y < m.Height; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+bpp*m.Width]
		r, g, b := out[0].v[y*m.Width:], out[1].v[y*m.Width:], out[2].v[y*m.Width:]
		for x := 0; x < m.Width; x++ {
			p := row[bpp*x:]
			r[x], g[x], b[x] = linearLUT[p[0]], linearLUT[p[1]], linearLUT[p[2]]
			if m.Alpha && p[3] != 0xff {
				a := float32(p[3]) / 255
				bg := background * (1 - a)
				r[x], g[x], b[x] = r[x]*a+bg, g[x]*a+bg, b[x]*a+bg
			}
		}
	}
}

// The opsin absorbance matrix and bias of JPEG XL's XYB colour space.
const (
	m00, m01, m02 = 0.30, 0.622, 0.078
	m10, m11, m12 = 0.23, 0.692, 0.078
	m20, m21, m22 = 0.24342268924547819, 0.20476744424496821, 0.55180986650955360
	bias          = 0.0037930732552754493
)

// cbrtBias is the cube root of bias, subtracted so that black is zero.
var cbrtBias = float32(math.Cbrt(bias))

// toXYB converts linear light to XYB, shifted and scaled into roughly
// 0…1 as SSIMULACRA 2.1 has it (X·14 + 0.42, Y + 0.01, B − Y + 0.55).
func toXYB(lin, out *planes3) {
	for c := range out {
		out[c].shape(lin[c].w, lin[c].h)
	}
	r, g, b := lin[0].v, lin[1].v[:len(lin[0].v)], lin[2].v[:len(lin[0].v)]
	ox, oy, ob := out[0].v[:len(r)], out[1].v[:len(r)], out[2].v[:len(r)]
	for i := range r {
		l := cbrt(m00*r[i]+m01*g[i]+m02*b[i]+bias) - cbrtBias
		m := cbrt(m10*r[i]+m11*g[i]+m12*b[i]+bias) - cbrtBias
		s := cbrt(m20*r[i]+m21*g[i]+m22*b[i]+bias) - cbrtBias
		x, y := 0.5*(l-m), 0.5*(l+m)
		ox[i] = x*14 + 0.42
		oy[i] = y + 0.01
		ob[i] = s - y + 0.55
	}
}

// cbrt returns the cube root of a positive v to float32 precision: a first
// guess from the exponent bits, refined by two steps of Halley's method.
func cbrt(v float32) float32 {
	if v <= 0 {
		return 0
	}
	x := math.Float32frombits(math.Float32bits(v)/3 + 709921077)
	x3 := x * x * x
	x *= (x3 + 2*v) / (2*x3 + v)
	x3 = x * x * x
	return x * (x3 + 2*v) / (2*x3 + v)
}

// sigma of the Gaussian that gives the local means, and its kernel
// (cut at 3.4 sigma and normalised).
const (
	sigma  = 1.5
	radius = 5
)

var kernel = func() (k [2*radius + 1]float32) {
	var sum float64
	w := make([]float64, len(k))
	for i := range w {
		d := float64(i - radius)
		w[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += w[i]
	}
	for i := range k {
		k[i] = float32(w[i] / sum)
	}
	return k
}()

// taps is the kernel's length.
const taps = 2*radius + 1

// rowBlur is the memory of a streamed blur: the rows of up to three
// quantities as they enter, after the pass along the rows (a ring of the
// last taps rows of each), and after the pass down the columns.
type rowBlur struct {
	in, prod, out [3][]float32
	ring          [3][taps][]float32
}

// grow makes every row at least w samples long.
func (rb *rowBlur) grow(w int) {
	if len(rb.out[0]) >= w {
		return
	}
	for i := range rb.out {
		rb.prod[i] = make([]float32, w)
		rb.out[i] = make([]float32, w)
		for j := range rb.ring[i] {
			rb.ring[i][j] = make([]float32, w)
		}
	}
}

// stream blurs, row by row, the planes of ws's current job. For a
// reference's channel (ws.dist nil) it blurs the channel into ws.mu and,
// for q = 2, the channel squared into ws.sq. For a distorted channel it
// blurs the channel and, for q = 3, its square and its product with the
// reference's, and turns them at once into the wanted error maps' sums
// (ws.sums). Each row is blurred along the row when it enters, into the
// ring, and down the columns as soon as the rows within the kernel's reach
// below it are in: the working set is a few rows, and no plane holds an
// intermediate result.
func (ws *workspace) stream(q int) {
	ref := ws.ref
	w, h := ref.w, ref.h
	rb := &ws.rows
	rb.grow(w)
	next := 0 // the next row to enter
	for y := 0; y < h; y++ {
		for ; next < h && next <= y+radius; next++ {
			r := ref.v[next*w : (next+1)*w]
			switch {
			case ws.dist == nil:
				rb.in[0], rb.in[1] = r, product(r, r, rb.prod[1])
			case q == 1:
				rb.in[0] = ws.dist.v[next*w : (next+1)*w]
			default:
				d := ws.dist.v[next*w : (next+1)*w]
				rb.in[0], rb.in[1], rb.in[2] = d, product(d, d, rb.prod[1]), product(r, d, rb.prod[2])
			}
			for i := range q {
				blurRow(rb.in[i], rb.ring[i][next%taps][:w])
			}
		}
		for i := range q {
			blurColumns(&rb.ring[i], y, h, rb.out[i][:w])
		}
		at := y * w
		mu1 := ws.mu.v[at : at+w]
		if ws.dist == nil {
			copy(mu1, rb.out[0])
			if q == 2 {
				copy(ws.sq.v[at:at+w], rb.out[1])
			}
			continue
		}
		if ws.ssim {
			ssimRow(mu1, rb.out[0], ws.sq.v[at:at+w], rb.out[1], rb.out[2], &ws.sums)
		}
		if ws.edge {
			edgeRow(ref.v[at:at+w], mu1, ws.dist.v[at:at+w], rb.out[0], &ws.sums)
		}
	}
}

// product sets out to a×b, sample by sample, and returns it.
func product(a, b, out []float32) []float32 {
	out = out[:len(a)]
	b = b[:len(a)]
	for i, v := range a {
		out[i] = v * b[i]
	}
	return out
}

// blurRow applies the Gaussian along a row; near its ends the kernel is
// cut at the edge and renormalised. The kernel is symmetric, so the
// samples at equal distance are added before one multiplication.
func blurRow(src, dst []float32) {
	w := len(src)
	k := kernel[radius:] // k[d] weighs the samples d away
	for x := range dst {
		if x < radius || x >= w-radius {
			dst[x] = edgeTap(src, x, w)
			continue
		}
		s := src[x-radius : x+radius+1 : x+radius+1]
		dst[x] = k[0]*s[5] + k[1]*(s[4]+s[6]) + k[2]*(s[3]+s[7]) + k[3]*(s[2]+s[8]) + k[4]*(s[1]+s[9]) + k[5]*(s[0]+s[10])
	}
}

// edgeTap blurs the sample at x of a row, cutting the kernel at the row's
// ends.
func edgeTap(src []float32, x, w int) float32 {
	var acc, norm float32
	for i, k := range kernel {
		if xx := x + i - radius; xx >= 0 && xx < w {
			acc += k * src[xx]
			norm += k
		}
	}
	return acc / norm
}

// blurColumns applies the Gaussian down the columns to give row y of a
// plane h rows high, from the ring of rows already blurred along (row yy
// at ring[yy%taps]); near the top and bottom the kernel is cut at the edge
// and renormalised.
func blurColumns(ring *[taps][]float32, y, h int, dst []float32) {
	w := len(dst)
	if y < radius || y >= h-radius {
		clear(dst)
		var norm float32
		for i, k := range kernel {
			yy := y + i - radius
			if yy < 0 || yy >= h {
				continue
			}
			norm += k
			for x, v := range ring[yy%taps][:w] {
				dst[x] += k * v
			}
		}
		for x := range dst {
			dst[x] /= norm
		}
		return
	}
	k := kernel[radius:]
	r := func(d int) []float32 { return ring[(y+d+taps)%taps][:w] }
	r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10 := r(-5), r(-4), r(-3), r(-2), r(-1), r(0), r(1), r(2), r(3), r(4), r(5)
	for x := range dst {
		dst[x] = k[0]*r5[x] + k[1]*(r4[x]+r6[x]) + k[2]*(r3[x]+r7[x]) + k[3]*(r2[x]+r8[x]) + k[4]*(r1[x]+r9[x]) + k[5]*(r0[x]+r10[x])
	}
}
