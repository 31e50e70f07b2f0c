package local

import (
	"image"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
	"fluxdesk/engine/webpmux"
)

// encode compresses r to WebP as the options ask and adds the metadata
// chunks, if any. Opaque rasters are encoded without an alpha channel.
func encode(r raster, opts engine.Options, chunks []webpmux.Chunk) ([]byte, error) {
	bounds := image.Rect(0, 0, r.width, r.height)
	var (
		data []byte
		err  error
	)
	if r.alpha {
		// libwebp reads these bytes as straight RGBA, which is how they are
		// stored; image.RGBA is only the container the binding accepts.
		m := &image.RGBA{Pix: r.pix, Stride: r.stride, Rect: bounds}
		if opts.Lossless {
			data, err = webp.EncodeLosslessRGBA(m)
		} else {
			data, err = webp.EncodeRGBA(m, float32(opts.Quality))
		}
	} else {
		// A *webp.RGBImage goes to libwebp as it is, without conversion.
		m := &webp.RGBImage{XPix: r.pix, XStride: r.stride, XRect: bounds}
		if opts.Lossless {
			data, err = webp.EncodeLosslessRGB(m)
		} else {
			data, err = webp.EncodeRGB(m, float32(opts.Quality))
		}
	}
	if err != nil {
		return nil, failf(ErrUnsupported, "the WebP encoder failed on this %d×%d image", r.width, r.height)
	}
	if len(chunks) == 0 {
		return data, nil
	}
	if data, err = webpmux.Add(data, chunks...); err != nil {
		return nil, failf(ErrCorrupt, "the image's metadata could not be embedded in the WebP file: %v", err)
	}
	return data, nil
}
