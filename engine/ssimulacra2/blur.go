package ssimulacra2

import "math"

// The local means are a Gaussian of sigma 1.5, computed as the reference
// tool does: by the recursive filter of Charalampidis ("Recursive
// Implementation of the Gaussian Filter Using Truncated Cosine
// Functions", 2016), a sum of three second-order recursions run along the
// rows and then down the columns, with zeros beyond the image's edges. Near
// an edge the mean is therefore pulled towards zero, which the scores of
// the reference tool (and so its weights) include. For regions cut from a
// larger image (Reference.Cropped) the blur is divided by the blur of
// ones, which renormalises it at the cut instead.
const (
	sigma = 1.5
	// reach is the filter's N, round(3.2795·sigma + 0.2546): output n
	// takes in the samples n−reach−1 and n+reach−1.
	reach = 5
	// ringRows is how many rows blurred along the rows the column pass
	// keeps: from reach+1 above the output row to reach−1 below it.
	ringRows = 2*reach + 1
	// pad is the number of zeros before a row in its padded copy: the
	// recursions start reach−1 samples before the row, and each step reads
	// the sample reach+1 before its own.
	pad = 2 * reach
)

// n2 and d1 are the three recursions' coefficients: each computes
// y[n] = n2·(x[n−reach−1] + x[n+reach−1]) − d1·y[n−1] − y[n−2], and the
// blurred sample is the sum of the three y[n].
var n2, d1 = func() (n2, d1 [3]float32) {
	const s = sigma
	r := math.Round(3.2795*s + 0.2546)
	if r != reach {
		panic("ssimulacra2: the recursive Gaussian's reach does not match sigma")
	}
	var omega, p, q, rho [3]float64
	for k := range omega {
		omega[k] = float64(2*k+1) * math.Pi / (2 * r)
		sign := 1 - 2*float64(k%2) // +, −, +
		p[k] = sign / math.Tan(omega[k]/2)
		q[k] = sign * p[k] * p[k] / math.Sin(omega[k])
		rho[k] = math.Exp(-s*s*omega[k]*omega[k]/2) / r
	}
	d13 := p[0]*q[1] - q[0]*p[1]
	d35 := p[1]*q[2] - q[1]*p[2]
	d51 := p[2]*q[0] - q[2]*p[0]
	z15, z35 := d35/d13, d51/d13
	// The weights beta of the three cosine terms solve a 3×3 system:
	// normalised gain, the Gaussian's variance, and its spectrum at the
	// three frequencies.
	beta := solve3([3][3]float64{
		{p[0], p[1], p[2]},
		{q[0], q[1], q[2]},
		{z15, z35, 1},
	}, [3]float64{1, r*r - s*s, z15*rho[0] + z35*rho[1] + rho[2]})
	for k := range n2 {
		n2[k] = float32(-beta[k] * math.Cos(omega[k]*(r+1)))
		d1[k] = float32(-2 * math.Cos(omega[k]))
	}
	return n2, d1
}()

// solve3 solves a·x = b by Cramer's rule.
func solve3(a [3][3]float64, b [3]float64) (x [3]float64) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
			m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
			m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(a)
	for j := range x {
		m := a
		for i := range m {
			m[i][j] = b[i]
		}
		x[j] = det(m) / d
	}
	return x
}

// rowBlur is the memory of a streamed blur, for up to three quantities:
// each row as it enters, with zeros around it (padded); the last ringRows
// rows blurred along the rows; the column pass's state, the previous two
// outputs of each recursion; and the finished row.
type rowBlur struct {
	padded [3][]float32
	ring   [3][ringRows][]float32
	state  [3][6][]float32 // per quantity: y[n−1] and y[n−2] of each recursion
	out    [3][]float32
	zero   []float32
	// For regions cut from a larger image: a padded row of ones, and one
	// over its blur along a row (gain[0]) and down a column (gain[1]).
	ones []float32
	gain [2][]float32
}

// start readies the memory for a stream of q quantities whose rows are w
// samples: it grows the rows if needed, zeroes the column pass's state and
// the padding after a row's end.
func (rb *rowBlur) start(w, q int) {
	if len(rb.zero) < w {
		for i := range rb.out {
			rb.padded[i] = make([]float32, w+pad+reach-1)
			rb.out[i] = make([]float32, w)
			for j := range rb.ring[i] {
				rb.ring[i][j] = make([]float32, w)
			}
			for j := range rb.state[i] {
				rb.state[i][j] = make([]float32, w)
			}
		}
		rb.zero = make([]float32, w)
	}
	for i := range q {
		clear(rb.padded[i][pad+w : pad+w+reach-1])
		for j := range rb.state[i] {
			clear(rb.state[i][j][:w])
		}
	}
}

// renormalise readies the gains that make the blur of a w×h region
// renormalised at its edges: the blur of zeros beyond the edges divided by
// the blur of ones (the filter is separable, so that is the product of the
// blurs along a row and down a column).
func (rb *rowBlur) renormalise(w, h int) {
	n := max(w, h)
	if len(rb.gain[0]) < n {
		rb.ones = make([]float32, n+pad+reach-1)
		rb.gain[0], rb.gain[1] = make([]float32, n), make([]float32, n)
	}
	for i, m := range [2]int{w, h} {
		ones := rb.ones[:m+pad+reach-1]
		clear(ones)
		for j := range m {
			ones[pad+j] = 1
		}
		g := rb.gain[i][:m]
		blurRow(ones, g)
		for j, v := range g {
			g[j] = 1 / v
		}
	}
}

// row returns where quantity i's entering row of w samples goes.
func (rb *rowBlur) row(i, w int) []float32 {
	return rb.padded[i][pad : pad+w]
}

// stream blurs, row by row, the planes of ws's current job. For a
// reference's channel (ws.dist nil) it blurs the channel into ws.mu and,
// for q = 2, the channel squared into ws.sq. For a distorted channel it
// blurs the channel and, for q = 3, its square and its product with the
// reference's, and turns them at once into the wanted error maps' sums
// (ws.sums). Each row is blurred along the row when it enters, into the
// ring, and a step of the column pass follows: the working set is a few
// rows, and no plane holds an intermediate result. The column pass starts
// reach−1 rows above the image, on zeros, as the row pass does left of it.
func (ws *workspace) stream(q int) {
	ref := ws.ref
	w, h := ref.w, ref.h
	rb := &ws.rows
	rb.start(w, q)
	if ws.cropped {
		rb.renormalise(w, h)
	}
	zero := rb.zero[:w]
	for n := 1 - reach; n < h; n++ {
		in := n + reach - 1 // the row entering
		if in < h {
			r := ref.v[in*w : (in+1)*w]
			switch {
			case ws.dist == nil:
				copy(rb.row(0, w), r)
				if q == 2 {
					product(r, r, rb.row(1, w))
				}
			case q == 1:
				copy(rb.row(0, w), ws.dist.v[in*w:(in+1)*w])
			default:
				d := ws.dist.v[in*w : (in+1)*w]
				copy(rb.row(0, w), d)
				product(d, d, rb.row(1, w))
				product(r, d, rb.row(2, w))
			}
			for i := range q {
				blurRow(rb.padded[i][:w+pad+reach-1], rb.ring[i][in%ringRows][:w])
			}
		}
		for i := range q {
			top, bottom := zero, zero
			if t := n - reach - 1; t >= 0 {
				top = rb.ring[i][t%ringRows][:w]
			}
			if in < h {
				bottom = rb.ring[i][in%ringRows][:w]
			}
			blurColumns(top, bottom, &rb.state[i], rb.out[i][:w])
		}
		if n < 0 {
			continue
		}
		if ws.cropped {
			gx, gy := rb.gain[0][:w], rb.gain[1][n]
			for i := range q {
				out := rb.out[i][:w]
				for x, g := range gx {
					out[x] *= g * gy
				}
			}
		}
		at := n * w
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

// product sets out to a×b, sample by sample.
func product(a, b, out []float32) {
	out = out[:len(a)]
	b = b[:len(a)]
	for i, v := range a {
		out[i] = v * b[i]
	}
}

// blurRow runs the recursions along a row: src is the row after pad zeros
// and followed by reach−1 more, dst receives the blurred row. The first
// reach−1 steps only prime the recursions.
func blurRow(src, dst []float32) {
	w := len(dst)
	left := src[: w+reach-1 : w+reach-1]
	right := src[pad : pad+w+reach-1]
	na, nb, nc, da, db, dc := n2[0], n2[1], n2[2], d1[0], d1[1], d1[2]
	var a1, a2, b1, b2, c1, c2 float32
	for i := range left {
		s := left[i] + right[i]
		a := na*s - da*a1 - a2
		b := nb*s - db*b1 - b2
		c := nc*s - dc*c1 - c2
		a1, a2, b1, b2, c1, c2 = a, a1, b, b1, c, c1
		if i >= reach-1 {
			dst[i-(reach-1)] = a + b + c
		}
	}
}

// blurColumns runs one step of the recursions down the columns: top and
// bottom are the rows reach+1 above and reach−1 below the output row dst
// (blurred along the rows, or zeros beyond the image), st the previous two
// outputs of each recursion, which it moves on by one row.
func blurColumns(top, bottom []float32, st *[6][]float32, dst []float32) {
	w := len(dst)
	top, bottom = top[:w], bottom[:w]
	a1, a2, b1, b2, c1, c2 := st[0][:w], st[1][:w], st[2][:w], st[3][:w], st[4][:w], st[5][:w]
	na, nb, nc, da, db, dc := n2[0], n2[1], n2[2], d1[0], d1[1], d1[2]
	for x := range dst {
		s := top[x] + bottom[x]
		a := na*s - da*a1[x] - a2[x]
		b := nb*s - db*b1[x] - b2[x]
		c := nc*s - dc*c1[x] - c2[x]
		a2[x], b2[x], c2[x] = a, b, c
		dst[x] = a + b + c
	}
	// The rows just written are the newest outputs, the ones before them
	// the second newest.
	st[0], st[1], st[2], st[3], st[4], st[5] = st[1], st[0], st[3], st[2], st[5], st[4]
}
