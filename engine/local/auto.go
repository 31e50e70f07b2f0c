package local

import (
	"math"
	"slices"

	"fluxdesk/engine"
	"fluxdesk/engine/ssimulacra2"
	"fluxdesk/engine/webpmux"
)

// The auto quality search looks for the lowest lossy quality in
// [minQuality, 100] whose output scores at least the target. It encodes a
// proxy of the image, at most maxProbes times, then encodes the image and
// checks the output itself on the proxy's regions; when that misses the
// target, the quality is raised and the image encoded again, at most
// maxEncodes times in all.
//
// The proxy is proxyCrops crops of proxySide pixels at full resolution (so
// that the encoder and the metric see the image's own detail at its own
// scale), their error maps pooled as if they were the whole image. The
// image is divided into cells of proxySide pixels, ranked by detail, and
// the crops are the cells at evenly spaced ranks, from the most detailed
// to the flattest: a sample of the image's kinds of content that always
// holds its hardest region.
const (
	proxySide  = 128
	proxyCrops = 9
	minQuality = 10
	maxProbes  = 6
	maxEncodes = 3
	// precision: the search stops when the lowest quality known to reach
	// the target is at most this much above the highest known to miss it.
	precision = 2
	// slope is a typical score gain per quality step near the target, for
	// the first guesses before two probes give a better one.
	slope = 0.5
	// checkMargin: the full output must score this much over the target
	// on the proxy's regions, which do not see the whole image.
	checkMargin = 1.0
	// proxyMargin: the proxy's own encodes score higher than the same
	// regions of the full image's encode (the encoder adapts its
	// quantisers to the whole picture), by about this much.
	proxyMargin = 0.5
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
	at     []int               // each crop's offset in the image's pixels
	images []ssimulacra2.Image // the decoded outputs being scored
	detail []cellDetail
	colour []uint64 // one bit per 24-bit colour, for graphics
}

// cellDetail is how busy one proxySide cell of an image is.
type cellDetail struct {
	at  int // offset of the cell's first pixel
	sum int
}

// encodeAuto encodes r at the quality the auto search chooses for it.
func (w *worker) encodeAuto(r raster, opts engine.Options, chunks []webpmux.Chunk) ([]byte, engine.Encoding, error) {
	target := opts.TargetScore()
	a := &w.auto
	p := a.proxy(r)
	whole := len(p) == 1 && p[0].width == r.width && p[0].height == r.height
	refs := make([]ssimulacra2.Image, len(p))
	for i, c := range p {
		refs[i] = metricImage(c)
	}
	if err := a.ref.Reset(refs...); err != nil {
		return nil, engine.Encoding{}, failf(ErrUnsupported, "the image is too small to judge its quality")
	}
	// An image that is its own proxy is judged exactly by the probes; a
	// larger one needs margins for what the proxy does not see.
	goal, check := target, target
	if !whole {
		check = target + checkMargin
		goal = check + proxyMargin
	}
	s, err := w.search(p, goal)
	if err != nil {
		return nil, engine.Encoding{}, err
	}
	graphics := a.graphics(r)
	var ll []byte
	if graphics {
		lossless := opts
		lossless.Lossless = true
		if ll, err = encode(r, lossless, chunks); err != nil {
			return nil, engine.Encoding{}, err
		}
		if !s.reached {
			return ll, engine.Encoding{Lossless: true, Auto: true, Score: 100}, nil
		}
	}
	lossy := opts
	lossy.Lossless = false
	lossy.Quality = s.hi
	data, score := []byte(nil), s.sHi
	for n := 1; ; n++ {
		if data, err = encode(r, lossy, chunks); err != nil {
			return nil, engine.Encoding{}, err
		}
		if whole {
			break
		}
		if score, err = w.check(r, data); err != nil {
			return nil, engine.Encoding{}, err
		}
		if score >= check || lossy.Quality == 100 || n == maxEncodes {
			break
		}
		lossy.Quality = s.raise(lossy.Quality, score, check)
	}
	if graphics && float64(len(ll)) <= losslessMargin*float64(len(data)) {
		return ll, engine.Encoding{Lossless: true, Auto: true, Score: 100}, nil
	}
	return data, engine.Encoding{Quality: lossy.Quality, Auto: true, Score: score}, nil
}

// searched is the outcome of the search: hi is the lowest quality whose
// proxy reached the goal, scoring sHi (100 and reached false when none
// did), lo the highest that missed it, scoring sLo (minQuality-1 when none
// was probed).
type searched struct {
	lo, hi   int
	sLo, sHi float64
	reached  bool
}

// search finds the lowest quality whose proxy output scores at least goal.
func (w *worker) search(p []raster, goal float64) (searched, error) {
	// minQuality-1 and 101 stand for "not probed".
	s := searched{lo: minQuality - 1, hi: 101}
	next := engine.DefaultQuality
	for probe := 0; probe < maxProbes && s.hi-s.lo > precision; probe++ {
		score, err := w.probe(p, next)
		if err != nil {
			return s, err
		}
		if score >= goal {
			s.hi, s.sHi = next, score
		} else {
			s.lo, s.sLo = next, score
		}
		next = nextGuess(s.lo, s.hi, s.sLo, s.sHi, goal)
	}
	if s.hi > 100 {
		s.hi, s.sHi = 100, s.sLo
		return s, nil
	}
	s.reached = true
	return s, nil
}

// raise returns the quality to encode at next after quality q scored
// score, under goal: up by the score per quality step the search measured
// (or the typical one).
func (s searched) raise(q int, score, goal float64) int {
	gain := slope
	if s.lo >= minQuality && s.reached && s.sHi > s.sLo {
		gain = max((s.sHi-s.sLo)/float64(s.hi-s.lo), slope/2)
	}
	return min(100, q+int(math.Ceil((goal-score)/gain)))
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
		m, err := decodeForMetric(data, c.alpha)
		if err != nil {
			return 0, err
		}
		w.auto.images = append(w.auto.images, m)
	}
	return w.auto.ref.Score(w.auto.images...)
}

// check scores the image's encoded output on the proxy's regions.
func (w *worker) check(r raster, data []byte) (float64, error) {
	out, err := decodeForMetric(data, r.alpha)
	if err != nil {
		return 0, err
	}
	a := &w.auto
	a.images = a.images[:0]
	bpp := 3
	if out.Alpha {
		bpp = 4
	}
	for i, c := range a.crops {
		y, x := a.at[i]/r.stride, a.at[i]%r.stride/r.bpp()
		m := out
		m.Pix = out.Pix[y*out.Stride+x*bpp:]
		m.Width, m.Height = c.width, c.height
		a.images = append(a.images, m)
	}
	return a.ref.Score(a.images...)
}

// decodeForMetric decodes an encoder's output for the metric, with alpha
// when the source had it.
func decodeForMetric(data []byte, alpha bool) (ssimulacra2.Image, error) {
	r, err := decodeWebP(data, alpha)
	if err != nil {
		return ssimulacra2.Image{}, failf(ErrUnsupported, "the WebP encoder's output could not be read back")
	}
	return metricImage(r), nil
}

// metricImage describes a raster to the metric.
func metricImage(r raster) ssimulacra2.Image {
	return ssimulacra2.Image{Pix: r.pix, Width: r.width, Height: r.height, Stride: r.stride, Alpha: r.alpha}
}

// proxy returns the crops the search encodes in place of r: r itself when
// it is small, else proxyCrops cells of r chosen by detail (see above).
// The crops share r's pixels; a.at keeps their offsets.
func (a *autoState) proxy(r raster) []raster {
	a.crops, a.at = a.crops[:0], a.at[:0]
	cols, rows := r.width/proxySide, r.height/proxySide
	if r.width*r.height <= 2*proxyCrops*proxySide*proxySide || cols*rows < proxyCrops {
		a.at = append(a.at, 0)
		return append(a.crops, r)
	}
	a.detail = a.detail[:0]
	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			at := y*proxySide*r.stride + x*proxySide*r.bpp()
			a.detail = append(a.detail, cellDetail{at, cellBusyness(r, at)})
		}
	}
	slices.SortFunc(a.detail, func(p, q cellDetail) int { return q.sum - p.sum })
	for i := 0; i < proxyCrops; i++ {
		at := a.detail[i*(len(a.detail)-1)/(proxyCrops-1)].at
		c := r
		c.width, c.height = proxySide, proxySide
		c.pix = r.pix[at:]
		a.crops = append(a.crops, c)
		a.at = append(a.at, at)
	}
	return a.crops
}

// cellBusyness adds up the green channel's differences between
// neighbouring pixels over the proxySide cell at offset at, on every other
// row and column.
func cellBusyness(r raster, at int) int {
	bpp, sum := r.bpp(), 0
	for y := 0; y < proxySide-1; y += 2 {
		row := r.pix[at+y*r.stride+1:]
		below := row[r.stride:]
		for x := 0; x < (proxySide-1)*bpp; x += 2 * bpp {
			g := int(row[x])
			sum += abs(g-int(row[x+bpp])) + abs(g-int(below[x]))
		}
	}
	return sum
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
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
