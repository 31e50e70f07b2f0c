package fluxtest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strconv"

	// Formats the server reads, besides jpeg and png.
	_ "image/gif"

	"github.com/chai2010/webp"
	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// encode does what the service does to one file: decode, scale down to
// fit maxWidth×maxHeight, encode in the requested format.
func encode(data []byte, fields map[string]string) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	img = fit(img, atoi(fields["maxWidth"]), atoi(fields["maxHeight"]))
	quality := 82
	if q := atoi(fields["quality"]); q > 0 {
		quality = q
	}
	var out bytes.Buffer
	switch fields["format"] {
	case "png":
		err = png.Encode(&out, img)
	case "jpg":
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: quality})
	case "avif":
		out.Write(avifBlob(img.Bounds()))
	default:
		err = webp.Encode(&out, img, &webp.Options{Quality: float32(quality)})
	}
	return out.Bytes(), err
}

// fit scales img down, keeping its aspect ratio, so that it fits within
// maxW×maxH (a zero bound is no bound). It never scales up.
func fit(img image.Image, maxW, maxH int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := 1.0
	if maxW > 0 && w > maxW {
		scale = float64(maxW) / float64(w)
	}
	if maxH > 0 && h > maxH {
		scale = min(scale, float64(maxH)/float64(h))
	}
	if scale == 1 {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))))
	xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// avifBlob stands in for an AVIF encoder, which Go does not have: a valid
// "ftyp" box with the avif brands, an "ispe" property with the size, and an
// empty media box. Clients that check the brand accept it; decoders do not.
func avifBlob(b image.Rectangle) []byte {
	var out bytes.Buffer
	box := func(typ string, payload []byte) []byte {
		bx := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
		return append(append(bx, typ...), payload...)
	}
	out.Write(box("ftyp", []byte("avif\x00\x00\x00\x00avifmif1miaf")))
	ispe := binary.BigEndian.AppendUint32([]byte{0, 0, 0, 0}, uint32(b.Dx()))
	ispe = binary.BigEndian.AppendUint32(ispe, uint32(b.Dy()))
	out.Write(box("meta", append([]byte{0, 0, 0, 0}, box("iprp", box("ipco", box("ispe", ispe)))...)))
	out.Write(box("mdat", nil))
	return out.Bytes()
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}
