package local

import (
	"image"

	"golang.org/x/image/draw"
)

// fitSize returns the size of a w×h image scaled down, keeping its aspect
// ratio, to fit inside maxW×maxH (a zero maximum sets no limit on that
// side). Images are never scaled up.
func fitSize(w, h, maxW, maxH int) (int, int) {
	scale := 1.0
	if maxW > 0 && w > maxW {
		scale = float64(maxW) / float64(w)
	}
	if maxH > 0 && h > maxH {
		scale = min(scale, float64(maxH)/float64(h))
	}
	if scale == 1 {
		return w, h
	}
	fit := func(n, limit int) int {
		v := max(1, int(float64(n)*scale+0.5))
		if limit > 0 {
			v = min(v, limit)
		}
		return v
	}
	return fit(w, maxW), fit(h, maxH)
}

// scale resamples r to w×h pixels into buf with the Catmull-Rom filter,
// which x/image/draw widens by the reduction factor so that large
// reductions are averaged rather than aliased. Alpha is resampled
// premultiplied, so transparent pixels do not bleed their colour.
func scale(r raster, w, h int, buf *buffer) raster {
	var src image.Image
	if r.alpha {
		src = &image.NRGBA{Pix: r.pix, Stride: r.stride, Rect: image.Rect(0, 0, r.width, r.height)}
	} else {
		rgba := image.NewRGBA(image.Rect(0, 0, r.width, r.height))
		for y := 0; y < r.height; y++ {
			s := r.pix[y*r.stride : y*r.stride+3*r.width]
			d := rgba.Pix[y*rgba.Stride:]
			for x := 0; x < r.width; x++ {
				d[4*x], d[4*x+1], d[4*x+2], d[4*x+3] = s[3*x], s[3*x+1], s[3*x+2], 0xff
			}
		}
		src = rgba
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	out := newRaster(buf, w, h, r.alpha)
	for y := 0; y < h; y++ {
		s := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		d := out.pix[y*out.stride:]
		for x := 0; x < w; x++ {
			p := s[4*x : 4*x+4 : 4*x+4]
			if !r.alpha {
				d[3*x], d[3*x+1], d[3*x+2] = p[0], p[1], p[2]
				continue
			}
			d[4*x+3] = p[3]
			d[4*x], d[4*x+1], d[4*x+2] = unpremultiply(p[0], p[3]), unpremultiply(p[1], p[3]), unpremultiply(p[2], p[3])
		}
	}
	return out
}

// unpremultiply turns a premultiplied 8-bit channel value into a straight
// one; the filter's overshoot can leave c above a, which saturates.
func unpremultiply(c, a uint8) uint8 {
	if a == 0 {
		return 0
	}
	return uint8(min(255, (uint32(c)*255+uint32(a)/2)/uint32(a)))
}
