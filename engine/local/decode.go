package local

import (
	"bytes"
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/chai2010/webp"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// source is an image file whose header has been read but whose pixels have
// not been decoded yet.
type source struct {
	format        string
	width, height int
	// components is the number of colour components of a JPEG frame.
	components int
	// alpha says whether a WebP file has an alpha channel.
	alpha bool
	meta
}

// goCodec is a Go decoder of one format.
type goCodec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// goCodecs are the decoders for the formats read entirely in Go. GIF
// decoding returns the first frame.
var goCodecs = map[string]goCodec{
	fmtJPEG: {jpeg.DecodeConfig, jpeg.Decode},
	fmtPNG:  {png.DecodeConfig, png.Decode},
	fmtGIF:  {gif.DecodeConfig, gif.Decode},
	fmtBMP:  {bmp.DecodeConfig, bmp.Decode},
	fmtTIFF: {tiff.DecodeConfig, tiff.Decode},
}

// probe recognises the format of data and reads its size and metadata
// from the header, without decoding pixels. Animated images are not for
// probe: the worker keeps them as they are.
func probe(data []byte) (source, error) {
	format, err := sniff(data)
	if err != nil {
		return source{}, err
	}
	s := source{format: format}
	switch format {
	case fmtJPEG:
		return scanJPEG(data)
	case fmtWebP:
		if s.width, s.height, s.alpha, err = webp.GetInfo(data); err != nil {
			return s, failf(ErrCorrupt, "the WebP file is damaged (its header cannot be read)")
		}
	default:
		var cfg image.Config
		err = safely(format, func() (err error) {
			cfg, err = goCodecs[format].config(bytes.NewReader(data))
			return err
		})
		if err != nil {
			return s, err
		}
		s.width, s.height = cfg.Width, cfg.Height
	}
	s.meta = readMeta(format, data)
	return s, nil
}

// decode decodes the pixels of s into a raster, using buf when it can.
func (s *source) decode(data []byte, buf *buffer) (raster, error) {
	switch s.format {
	case fmtJPEG:
		return decodeJPEG(data, *s, buf)
	case fmtPNG:
		return decodePNG(data, *s, buf)
	case fmtWebP:
		return decodeWebP(data, s.alpha)
	}
	return decodeGo(s.format, data, buf)
}

// decodeJPEGGo decodes a JPEG with Go's decoder; it reads CMYK and YCCK too.
func decodeJPEGGo(data []byte, buf *buffer) (raster, error) {
	return decodeGo(fmtJPEG, data, buf)
}

// decodeGo decodes an image with the Go decoder of its format.
func decodeGo(format string, data []byte, buf *buffer) (raster, error) {
	var img image.Image
	err := safely(format, func() (err error) {
		img, err = goCodecs[format].decode(bytes.NewReader(data))
		return err
	})
	if err != nil {
		return raster{}, err
	}
	return fromImage(buf, img), nil
}

// decodeWebP decodes a WebP image with libwebp, as RGBA when its header
// declares alpha.
func decodeWebP(data []byte, alpha bool) (raster, error) {
	var r raster
	if alpha {
		// libwebp returns straight (non-premultiplied) alpha despite the type.
		m, err := webp.DecodeRGBA(data)
		if err != nil {
			return r, failf(ErrCorrupt, "the WebP file is damaged or truncated")
		}
		r = raster{pix: m.Pix, width: m.Rect.Dx(), height: m.Rect.Dy(), stride: m.Stride, alpha: true}
		r.dropOpaqueAlpha()
		return r, nil
	}
	m, err := webp.DecodeRGB(data)
	if err != nil {
		return r, failf(ErrCorrupt, "the WebP file is damaged or truncated")
	}
	return raster{pix: m.XPix, width: m.XRect.Dx(), height: m.XRect.Dy(), stride: m.XStride}, nil
}

// errTruncated says that the image data of a file in format ends early.
func errTruncated(format string) error {
	return failf(ErrCorrupt, "the %s data ends early (the file is truncated)", format)
}

// safely runs a Go decoder, turning its errors, and any panic, into
// messages a person understands.
func safely(format string, run func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = failf(ErrCorrupt, "the %s file is damaged (the decoder stopped: %v)", format, p)
		}
	}()
	err = run()
	var (
		jpegUnsupported jpeg.UnsupportedError
		pngUnsupported  png.UnsupportedError
		tiffUnsupported tiff.UnsupportedError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		// How image/png and image/jpeg report image data that stops short.
		err.Error() == "png: invalid format: not enough pixel data",
		err.Error() == "invalid JPEG format: short Huffman data":
		return errTruncated(format)
	case errors.As(err, &jpegUnsupported), errors.As(err, &pngUnsupported), errors.As(err, &tiffUnsupported),
		errors.Is(err, bmp.ErrUnsupported):
		return failf(ErrUnsupported, "this %s file uses a feature that cannot be read: %v", format, err)
	}
	return failf(ErrCorrupt, "the %s file is damaged: %v", format, err)
}
