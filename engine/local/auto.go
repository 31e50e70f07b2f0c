package local

import (
	"math"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
	"fluxdesk/engine/ssimulacra2"
	"fluxdesk/engine/webpmux"
)

// The auto quality search looks for the lowest lossy quality in
// [minQuality, 100] whose output scores at least the target. It encodes a
// proxy of the image, at most maxProbes times, and then encodes the image
// once. The proxy is proxyGrid×proxyGrid crops of proxySide pixels, one
// from the middle of each cell of a grid over the image, at full
// resolution (so that the encoder and the metric see the image's own
// detail at its own scale); their error maps are pooled as if they were
// the whole image.
const (
	proxySide  = 192
	proxyGrid  = 2
	minQuality = 10
	maxProbes  = 6
	// precision: the search stops when the lowest quality known to reach
	// the target is at most this much above the highest known to miss it.
	precision = 2
	// slope is a typical score gain per quality step near the target, for
	// the first guesses before two probes give a better one.
	slope = 0.5
	// losslessMargin: graphics keep a lossless output up to this much
	// larger than the lossy one.
	losslessMargin = 1.10
	// graphicsColours: an image with at most this many distinct colours is
	// taken for a screenshot or flat artwork; photos have many more.
	graphicsColours = 4096
)

// autoState is what a worker keeps between images for the auto search.
type autoState struct {
	ref    ssimulacra2.Reference
	crops  []raster
	images []ssimulacra2.Image // the decoded outputs of a probe
	colour []uint64            // one bit per 24-bit colour, for graphics
}

// encodeAuto encodes r at the quality the auto search chooses for it.
func (w *worker) encodeAuto(r raster, opts engine.Options, chunks []webpmux.Chunk) ([]byte, engine.Encoding, error) {
	target := opts.TargetScore()
	p := w.auto.proxy(r)
	refs := make([]ssimulacra2.Image, len(p))
	for i, c := range p {
		refs[i] = metricImage(c)
	}
	if err := w.auto.ref.Reset(refs...); err != nil {
		return nil, engine.Encoding{}, failf(ErrUnsupported, "the image is too small to judge its quality")
	}
	q, score, reached, err := w.search(p, target)
	if err != nil {
		return nil, engine.Encoding{}, err
	}
	lossy := opts
	lossy.Lossless = false
	lossy.Quality = q
	chosen := engine.Encoding{Quality: q, Auto: true, Score: score}
	if !w.auto.graphics(r) {
		data, err := encode(r, lossy, chunks)
		return data, chosen, err
	}
	lossless := opts
	lossless.Lossless = true
	ll, err := encode(r, lossless, chunks)
	if err != nil {
		return nil, engine.Encoding{}, err
	}
	if !reached {
		return ll, engine.Encoding{Lossless: true, Auto: true, Score: 100}, nil
	}
	data, err := encode(r, lossy, chunks)
	if err != nil {
		return nil, engine.Encoding{}, err
	}
	if float64(len(ll)) <= losslessMargin*float64(len(data)) {
		return ll, engine.Encoding{Lossless: true, Auto: true, Score: 100}, nil
	}
	return data, chosen, nil
}

// search finds the lowest quality whose proxy output scores at least
// target; reached is false when even 100 does not, and q is then 100.
func (w *worker) search(p []raster, target float64) (q int, score float64, reached bool, err error) {
	// lo is the highest quality known to miss the target, hi the lowest
	// known to reach it; minQuality-1 and 101 stand for "not probed".
	lo, hi := minQuality-1, 101
	var sLo, sHi float64
	next := engine.DefaultQuality
	for probe := 0; probe < maxProbes && hi-lo > precision; probe++ {
		s, err := w.probe(p, next)
		if err != nil {
			return 0, 0, false, err
		}
		if s >= target {
			hi, sHi = next, s
		} else {
			lo, sLo = next, s
		}
		next = nextGuess(lo, hi, sLo, sHi, target)
	}
	if hi > 100 {
		return 100, sLo, false, nil
	}
	return hi, sHi, true, nil
}

// nextGuess picks the next quality to probe between lo and hi (exclusive):
// by interpolating between the two probes when both are known, else by
// stepping from the one known at the typical slope.
func nextGuess(lo, hi int, sLo, sHi, target float64) int {
	var g float64
	switch {
	case lo >= minQuality && hi <= 100:
		g = float64(lo) + (target-sLo)*float64(hi-lo)/(sHi-sLo)
		// Lean towards the middle so that the bracket always shrinks well.
		g = (2*g + float64(lo+hi)/2) / 3
	case hi <= 100:
		g = float64(hi) - (sHi-target)/slope - 2
	default:
		g = float64(lo) + (target-sLo)/slope + 2
	}
	return min(max(int(math.Round(g)), lo+1), hi-1)
}

// probe encodes the proxy's crops at quality q and scores the result.
func (w *worker) probe(p []raster, q int) (float64, error) {
	w.auto.images = w.auto.images[:0]
	for _, c := range p {
		data, err := encode(c, engine.Options{Quality: q}, nil)
		if err != nil {
			return 0, err
		}
		m := ssimulacra2.Image{Width: c.width, Height: c.height, Alpha: c.alpha}
		if c.alpha {
			d, err := webp.DecodeRGBA(data)
			if err != nil {
				return 0, failf(ErrUnsupported, "the WebP encoder's output could not be read back")
			}
			m.Pix, m.Stride = d.Pix, d.Stride
		} else {
			d, err := webp.DecodeRGB(data)
			if err != nil {
				return 0, failf(ErrUnsupported, "the WebP encoder's output could not be read back")
			}
			m.Pix, m.Stride = d.XPix, d.XStride
		}
		w.auto.images = append(w.auto.images, m)
	}
	return w.auto.ref.Score(w.auto.images...)
}

// metricImage describes a raster to the metric.
func metricImage(r raster) ssimulacra2.Image {
	return ssimulacra2.Image{Pix: r.pix, Width: r.width, Height: r.height, Stride: r.stride, Alpha: r.alpha}
}

// proxy returns the crops the search encodes in place of r: r itself when
// it is small, else one crop from the middle of each cell of a grid over
// r, each starting on a macroblock boundary. The crops share r's pixels.
func (a *autoState) proxy(r raster) []raster {
	a.crops = a.crops[:0]
	if r.width*r.height <= 2*proxyGrid*proxyGrid*proxySide*proxySide {
		return append(a.crops, r)
	}
	w, h := min(r.width, proxySide), min(r.height, proxySide)
	for gy := 0; gy < proxyGrid; gy++ {
		y0 := max(0, (2*gy+1)*r.height/(2*proxyGrid)-h/2) &^ 15
		for gx := 0; gx < proxyGrid; gx++ {
			x0 := max(0, (2*gx+1)*r.width/(2*proxyGrid)-w/2) &^ 15
			c := r
			c.width, c.height = w, h
			c.pix = r.pix[y0*r.stride+x0*r.bpp():]
			a.crops = append(a.crops, c)
		}
	}
	return a.crops
}

// graphics reports whether r looks like a screenshot or flat artwork
// rather than a photo: it has few distinct colours.
func (a *autoState) graphics(r raster) bool {
	if a.colour == nil {
		a.colour = make([]uint64, 1<<24/64)
	} else {
		clear(a.colour)
	}
	bpp, n := r.bpp(), 0
	for y := 0; y < r.height; y++ {
		row := r.pix[y*r.stride : y*r.stride+r.width*bpp]
		for i := 0; i < len(row); i += bpp {
			c := uint32(row[i])<<16 | uint32(row[i+1])<<8 | uint32(row[i+2])
			if bit := uint64(1) << (c & 63); a.colour[c>>6]&bit == 0 {
				a.colour[c>>6] |= bit
				if n++; n > graphicsColours {
					return false
				}
			}
		}
	}
	return true
}
