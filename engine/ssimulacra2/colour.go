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
