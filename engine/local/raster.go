package local

import (
	"image"
	"image/color"
)

// raster is a decoded image in one of the two layouts the WebP encoder takes
// without converting: packed RGB (3 bytes a pixel) when opaque, or RGBA with
// straight, non-premultiplied alpha (4 bytes a pixel) otherwise.
type raster struct {
	pix           []byte
	width, height int
	stride        int
	alpha         bool
}

// bpp returns the bytes per pixel of r's layout.
func (r *raster) bpp() int {
	if r.alpha {
		return 4
	}
	return 3
}

// newRaster lays out a raster of w×h pixels over buf.
func newRaster(buf *buffer, w, h int, alpha bool) raster {
	r := raster{width: w, height: h, alpha: alpha}
	r.stride = w * r.bpp()
	r.pix = buf.get(r.stride * h)
	return r
}

// dropOpaqueAlpha repacks an RGBA raster whose pixels are all opaque as RGB,
// in place, so that the encoder stores no alpha channel.
func (r *raster) dropOpaqueAlpha() {
	if !r.alpha {
		return
	}
	for y := 0; y < r.height; y++ {
		row := r.pix[y*r.stride : y*r.stride+4*r.width]
		for i := 3; i < len(row); i += 4 {
			if row[i] != 0xff {
				return
			}
		}
	}
	// Writing 3 bytes for every 4 read never overtakes the reader.
	o := 0
	for y := 0; y < r.height; y++ {
		row := r.pix[y*r.stride : y*r.stride+4*r.width]
		for i := 0; i < len(row); i += 4 {
			r.pix[o], r.pix[o+1], r.pix[o+2] = row[i], row[i+1], row[i+2]
			o += 3
		}
	}
	r.alpha = false
	r.stride = 3 * r.width
	r.pix = r.pix[:o]
}

// fromImage converts an image decoded in Go into a raster over buf.
func fromImage(buf *buffer, img image.Image) raster {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		r := newRaster(buf, b.Dx(), b.Dy(), false)
		ycbcrToRGB(m, r.pix, r.stride)
		return r
	case *image.Gray:
		r := newRaster(buf, b.Dx(), b.Dy(), false)
		for y := 0; y < r.height; y++ {
			src := m.Pix[(y)*m.Stride : y*m.Stride+r.width]
			dst := r.pix[y*r.stride:]
			for x, v := range src {
				dst[3*x], dst[3*x+1], dst[3*x+2] = v, v, v
			}
		}
		return r
	case *image.NRGBA:
		r := newRaster(buf, b.Dx(), b.Dy(), true)
		for y := 0; y < r.height; y++ {
			copy(r.pix[y*r.stride:(y+1)*r.stride], m.Pix[y*m.Stride:])
		}
		r.dropOpaqueAlpha()
		return r
	}
	r := newRaster(buf, b.Dx(), b.Dy(), !opaqueModel(img.ColorModel()))
	fromRGBA64(&r, img)
	r.dropOpaqueAlpha()
	return r
}

// opaqueModel reports whether every colour of model m is fully opaque.
func opaqueModel(m color.Model) bool {
	switch m {
	case color.YCbCrModel, color.GrayModel, color.Gray16Model, color.CMYKModel:
		return true
	}
	if p, ok := m.(color.Palette); ok {
		for _, c := range p {
			if _, _, _, a := c.RGBA(); a != 0xffff {
				return false
			}
		}
		return true
	}
	return false
}

// fromRGBA64 fills r from any image, converting each pixel through 16-bit
// premultiplied RGBA with correct rounding.
func fromRGBA64(r *raster, img image.Image) {
	b := img.Bounds()
	src, fast := img.(image.RGBA64Image)
	bpp := r.bpp()
	for y := 0; y < r.height; y++ {
		dst := r.pix[y*r.stride:]
		for x := 0; x < r.width; x++ {
			var c color.RGBA64
			if fast {
				c = src.RGBA64At(b.Min.X+x, b.Min.Y+y)
			} else {
				cr, cg, cb, ca := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				c = color.RGBA64{uint16(cr), uint16(cg), uint16(cb), uint16(ca)}
			}
			d := dst[x*bpp:]
			if !r.alpha {
				d[0], d[1], d[2] = to8(uint32(c.R)), to8(uint32(c.G)), to8(uint32(c.B))
				continue
			}
			d[3] = to8(uint32(c.A))
			if c.A == 0 {
				d[0], d[1], d[2] = 0, 0, 0
				continue
			}
			a := uint32(c.A)
			d[0] = to8((uint32(c.R)*0xffff + a/2) / a)
			d[1] = to8((uint32(c.G)*0xffff + a/2) / a)
			d[2] = to8((uint32(c.B)*0xffff + a/2) / a)
		}
	}
}

// to8 rounds a 16-bit channel value to 8 bits.
func to8(v uint32) uint8 {
	return uint8((v*255 + 32767) / 65535)
}
