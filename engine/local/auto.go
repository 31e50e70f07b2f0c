package local

import (
	"math"
	"slices"
	"unsafe"

	"fluxdesk/engine"
	"fluxdesk/engine/ssimulacra2"
	"fluxdesk/engine/webpmux"
)

// The auto quality search looks for the lowest lossy quality in
// [minQuality, 100] whose output scores at least the target. It encodes a
// proxy of the image, at most maxProbes times, and then encodes the image
// once, lossless when no lossy quality reaches the target. Graphics are
// also encoded lossless, and keep it when it is barely larger.
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
	// proxyWhole: images up to this many pixels are their own proxy, so
	// that screenshots and small pictures, whose text and thin lines a
	// sample of cells judges worst, are judged exactly.
	proxyWhole = 1 << 20
	minQuality = 10
	maxProbes  = 6
	// precision: the search stops when the lowest quality known to reach
	// the target is at most this much above the highest known to miss it.
	precision = 2
	// slope is a typical score gain per quality step near the target, for
	// the first guesses before two probes give a better one.
	slope = 0.5
	// proxyMargin: a proxy of cells aims this much over the target. The
	// cells do not see all of the image and the encoder adapts its
	// quantisers to the whole picture: near the target, the proxy's score
	// was from 1.3 under to 2.3 over the whole output's on 11 of the
	// benchmark photos. On the twelfth, Wood, it was 2.9 to 4.7 over (see
	// lowContrast); a margin covering it for every photo (4.5) took the
	// photos' bytes from 1.27× to 1.62× fixed q82's (target 74).
	proxyMargin = 2.5
	// lowContrast, lowContrastMargin: a photo whose green channel's
	// standard deviation is under lowContrast levels (a pale, misty or
	// faded picture) aims lowContrastMargin over the target instead. Its
	// coarse structure is weak, so that damage at the metric's coarse
	// scales, which 128-pixel cells hardly have, and the quantisers the
	// encoder adapts to the whole picture, which differ from a cell's own,
	// weigh more than the cells show. Wood, a pale close-up of planks, has
	// a spread of 12.5 where the other 11 benchmark photos have 28.0 or
	// more; at margin 2.5 it ended 0.22 under the target (q83), at 4.0 it
	// ends 1.07 over (q85). Checking the whole output instead costs more
	// than the search: for Wood, decoding and scoring it took 1.7 s where
	// decoding the JPEG and encoding it took 0.5 s.
	lowContrast       = 18
	lowContrastMargin = 4.0
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
	mem    buffer // the metric's planes, outside the Go heap (see buffer)
	crops  []raster
	images []ssimulacra2.Image // the decoded outputs being scored
	detail []cellDetail
	colour colourSet
}

// reference returns the metric's reference, its memory taken from a.mem.
func (a *autoState) reference() *ssimulacra2.Reference {
	if a.ref.Alloc == nil {
		a.ref.Alloc = func(n int) []float32 {
			b := a.mem.get(4 * n)
			return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n)
		}
	}
	return &a.ref
}

// cellDetail is how busy one proxySide cell of an image is.
type cellDetail struct {
	at  int // offset of the cell's first pixel
	sum int
}

// release frees the metric's memory when it is larger than keep bytes;
// the reference is then made anew for the next image.
func (a *autoState) release(keep int) {
	if a.mem.size() > keep {
		a.mem.free()
		a.ref = ssimulacra2.Reference{}
	}
}

// encodeAuto encodes r at the quality the auto search chooses for it.
func (w *worker) encodeAuto(r raster, opts engine.Options, chunks []webpmux.Chunk) ([]byte, engine.Encoding, error) {
	target := opts.TargetScore()
	p := w.auto.proxy(r)
	refs := make([]ssimulacra2.Image, len(p))
	for i, c := range p {
		refs[i] = metricImage(c)
	}
	ref := w.auto.reference()
	ref.Cropped = len(p) > 1
	if err := ref.Reset(refs...); err != nil {
		return nil, engine.Encoding{}, failf(ErrUnsupported, "the image is too small to judge its quality")
	}
	// An image that is its own proxy is judged exactly by the probes.
	goal := target
	if len(p) > 1 {
		goal += marginFor(r)
	}
	q, score, reached, err := w.search(p, goal)
	if err != nil {
		return nil, engine.Encoding{}, err
	}
	lossless := opts
	lossless.Lossless = true
	if !reached {
		// No lossy quality reaches the target, but lossless does: it
		// scores 100 on 8-bit sources. The target wins over the size.
		data, err := encode(r, lossless, chunks)
		return data, engine.Encoding{Lossless: true, Auto: true, Score: 100}, err
	}
	lossy := opts
	lossy.Lossless = false
	lossy.Quality = q
	chosen := engine.Encoding{Quality: q, Auto: true, Score: score}
	data, err := encode(r, lossy, chunks)
	if err != nil || !w.auto.graphics(r) {
		return data, chosen, err
	}
	ll, err := encode(r, lossless, chunks)
	if err != nil {
		return nil, engine.Encoding{}, err
	}
	if float64(len(ll)) <= losslessMargin*float64(len(data)) {
		return ll, engine.Encoding{Lossless: true, Auto: true, Score: 100}, nil
	}
	return data, chosen, nil
}

// search finds the lowest quality whose proxy output scores at least
// goal; reached is false when even 100 does not, and q is then 100.
func (w *worker) search(p []raster, goal float64) (q int, score float64, reached bool, err error) {
	// lo is the highest quality known to miss the goal, hi the lowest
	// known to reach it; minQuality-1 and 101 stand for "not probed".
	lo, hi := minQuality-1, 101
	var sLo, sHi float64
	next := engine.DefaultQuality
	for probe := 0; probe < maxProbes && hi-lo > precision; probe++ {
		s, err := w.probe(p, next)
		if err != nil {
			return 0, 0, false, err
		}
		if s >= goal {
			hi, sHi = next, s
		} else {
			lo, sLo = next, s
		}
		next = nextGuess(lo, hi, sLo, sHi, goal)
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
		m, err := decodeForMetric(data, c.alpha)
		if err != nil {
			return 0, err
		}
		w.auto.images = append(w.auto.images, m)
	}
	return w.auto.ref.Score(w.auto.images...)
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
// it has at most proxyWhole pixels, else proxyCrops cells of r chosen by detail
// (see above).
// The crops share r's pixels.
func (a *autoState) proxy(r raster) []raster {
	a.crops = a.crops[:0]
	cols, rows := r.width/proxySide, r.height/proxySide
	if r.width*r.height <= proxyWhole || cols*rows < proxyCrops {
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

// marginFor returns how far over the target a proxy of cells of r aims.
func marginFor(r raster) float64 {
	if contrast(r) < lowContrast {
		return lowContrastMargin
	}
	return proxyMargin
}

// contrast returns the standard deviation of r's green channel, in levels,
// over every fourth pixel of every fourth row.
func contrast(r raster) float64 {
	bpp := r.bpp()
	var sum, sq, n float64
	for y := 0; y < r.height; y += 4 {
		row := r.pix[y*r.stride+1 : y*r.stride+r.width*bpp]
		for x := 0; x < len(row); x += 4 * bpp {
			g := float64(row[x])
			sum += g
			sq += g * g
			n++
		}
	}
	mean := sum / n
	return math.Sqrt(max(sq/n-mean*mean, 0))
}

// graphics reports whether r looks like a screenshot or flat artwork
// rather than a photo: it has few distinct colours.
func (a *autoState) graphics(r raster) bool {
	a.colour.reset()
	bpp := r.bpp()
	for y := 0; y < r.height; y++ {
		row := r.pix[y*r.stride : y*r.stride+r.width*bpp]
		for i := 0; i < len(row); i += bpp {
			c := uint32(row[i])<<16 | uint32(row[i+1])<<8 | uint32(row[i+2])
			if !a.colour.add(c) {
				return false
			}
		}
	}
	return true
}

// colourSet holds up to graphicsColours distinct 24-bit colours, in an
// open-addressing hash table kept at most half full.
type colourSet struct {
	slot [4 * graphicsColours]uint32 // colour+1; 0 is an empty slot
	n    int
	last uint32 // the colour added last, +1: runs of one colour skip the table
}

// reset empties the set.
func (s *colourSet) reset() {
	clear(s.slot[:])
	s.n, s.last = 0, 0
}

// add puts c in the set and reports whether the set still holds at most
// graphicsColours colours.
func (s *colourSet) add(c uint32) bool {
	key := c + 1
	if key == s.last {
		return true
	}
	s.last = key
	mask := uint32(len(s.slot) - 1)
	for i := (c * 0x9E3779B1) >> 18 & mask; ; i = (i + 1) & mask {
		switch s.slot[i] {
		case key:
			return true
		case 0:
			if s.n == graphicsColours {
				return false
			}
			s.slot[i] = key
			s.n++
			return true
		}
	}
}
