package local

import (
	"bytes"
	"image"
	"strings"

	"fluxdesk/engine"
)

// Picture is an image decoded by DecodeFile, with what its header said.
type Picture struct {
	// Image is upright, with straight (non-premultiplied) alpha.
	Image image.Image
	// Format names the file's format from its content: "jpeg", "png",
	// "gif", "webp", "bmp" or "tiff".
	Format string
	// Width and Height are the image's full size once upright, before any
	// scaling down.
	Width, Height int
}

// DecodeFile decodes the image file at path exactly as the engine does
// before it compresses it: the format recognised from the content, the size
// refused before any pixel memory is taken when the header claims more than
// maxPixels pixels (engine.DefaultMaxPixels when 0), and the EXIF
// orientation applied. When maxSide is above 0 the image is scaled down with
// the engine's filters to fit a maxSide×maxSide square. The window's
// thumbnails and its before/after comparison use it, so they show what the
// engine compresses. Errors wrap ErrNotImage, ErrUnsupported, ErrTooLarge or
// ErrCorrupt when the file is at fault.
func DecodeFile(path string, maxPixels int64, maxSide int) (Picture, error) {
	data, err := readFile(path)
	if err != nil {
		return Picture{}, err
	}
	if format, _ := sniff(data); format == fmtWebP && engine.Animated(bytes.NewReader(data)) {
		if still := firstFrame(data); still != nil {
			data = still // an animated WebP shows its first frame
		}
	}
	src, err := probe(data)
	if err != nil {
		return Picture{}, err
	}
	p := Picture{Format: strings.ToLower(src.format)}
	p.Width, p.Height = uprightSize(src.width, src.height, src.orientation)
	if err := checkPixels(src.width, src.height, maxPixels); err != nil {
		return p, err
	}
	r, err := src.decode(data, nil)
	if err != nil {
		return p, err
	}
	r = develop(r, src.orientation, maxSide, maxSide, nil)
	p.Image = r.nrgba()
	return p, nil
}

// develop scales r down to fit maxW×maxH once upright (a zero maximum sets
// no limit on that side), then turns it upright by EXIF orientation o. The
// steps write alternately into bufs[1] and bufs[0], since the decoder wrote
// r into bufs[0]; with bufs nil they use ordinary Go memory.
func develop(r raster, o, maxW, maxH int, bufs *[2]buffer) raster {
	buf := func(i int) *buffer {
		if bufs == nil {
			return nil
		}
		return &bufs[i]
	}
	next := 1 // the buffer the next step writes
	uw, uh := uprightSize(r.width, r.height, o)
	if tw, th := fitSize(uw, uh, maxW, maxH); tw != uw || th != uh {
		sw, sh := uprightSize(tw, th, o) // the same size in the stored orientation
		if k := shrinkFactor(r.width, r.height, sw, sh); k > 1 {
			r = shrink(r, k, buf(next))
			next = 1 - next
		}
		r = scale(r, sw, sh, buf(next))
		next = 1 - next
	}
	if o != 1 {
		r = orient(r, o, buf(next))
	}
	return r
}

// nrgba returns r as an image in Go memory, with opaque alpha added to RGB.
func (r raster) nrgba() *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, r.width, r.height))
	for y := 0; y < r.height; y++ {
		src, dst := r.pix[y*r.stride:], m.Pix[y*m.Stride:]
		if r.alpha {
			copy(dst[:4*r.width], src)
			continue
		}
		for x := 0; x < r.width; x++ {
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = src[3*x], src[3*x+1], src[3*x+2], 0xff
		}
	}
	return m
}
