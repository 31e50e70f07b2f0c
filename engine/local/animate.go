package local

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
	"image/gif"

	"fluxdesk/engine"
	"fluxdesk/engine/webpmux"
)

// ANMF flags: the frame replaces the pixels under it (no blending) and
// stays on the canvas after its duration (no disposal).
const anmfNoBlend = 0x02

// encodeAnimatedGIF turns an animated GIF into an animated WebP with the
// same frames, timing and loop count. Each frame is composed on the canvas
// as GIF players compose it (transparency and disposal included), scaled as
// the options ask, and only the rectangle that changed since the previous
// frame is encoded. The frames' rectangles are checked against the pixel
// limit before any of them is decoded.
func encodeAnimatedGIF(data []byte, opts engine.Options) (out []byte, width, height int, err error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, safely(fmtGIF, func() error { return err })
	}
	if err := checkPixels(cfg.Width, cfg.Height, opts.MaxPixels); err != nil {
		return nil, 0, 0, err
	}
	frames, pixels := engine.GIFFrames(bytes.NewReader(data))
	if limit := pixelLimit(opts.MaxPixels); pixels > limit {
		return nil, 0, 0, failf(ErrTooLarge, "its %d frames hold %s megapixels, over the %s-megapixel limit",
			frames, megapixels(pixels), megapixels(limit))
	}
	width, height = fitSize(cfg.Width, cfg.Height, opts.MaxWidth, opts.MaxHeight)
	if err := checkWebPSize(width, height); err != nil {
		return nil, 0, 0, err
	}
	var g *gif.GIF
	if err := safely(fmtGIF, func() (err error) {
		g, err = gif.DecodeAll(bytes.NewReader(data))
		return err
	}); err != nil {
		return nil, 0, 0, err
	}
	canvas := image.NewNRGBA(image.Rect(0, 0, g.Config.Width, g.Config.Height))
	var body []byte
	var prev *image.NRGBA
	alpha := false
	for i, frame := range g.Image {
		var saved []byte
		if g.Disposal[i] == gif.DisposalPrevious {
			saved = bytes.Clone(canvas.Pix)
		}
		draw.Draw(canvas, frame.Bounds(), frame, frame.Bounds().Min, draw.Over)
		shown := develop(fromImage(nil, canvas), 1, opts.MaxWidth, opts.MaxHeight, nil).nrgba()
		rect := changedRect(prev, shown)
		r := fromImage(nil, shown.SubImage(rect))
		alpha = alpha || r.alpha
		enc, err := encode(r, opts, nil)
		if err != nil {
			return nil, 0, 0, err
		}
		if body, err = appendFrame(body, rect, g.Delay[i]*10, enc); err != nil {
			return nil, 0, 0, err
		}
		switch g.Disposal[i] {
		case gif.DisposalBackground:
			draw.Draw(canvas, frame.Bounds(), image.Transparent, image.Point{}, draw.Src)
		case gif.DisposalPrevious:
			copy(canvas.Pix, saved)
		}
		prev = shown
	}
	return animatedWebP(width, height, alpha, gifLoops(g.LoopCount), body), width, height, nil
}

// gifLoops maps a GIF's loop count (0 forever, -1 no loop extension: play
// once, n: repeat n times) to WebP's (0 forever, n: play n times).
func gifLoops(n int) int {
	switch {
	case n == 0:
		return 0
	case n < 0:
		return 1
	}
	return min(n+1, 0xffff)
}

// changedRect returns the part of cur that differs from prev (all of it
// without prev), starting at even coordinates as WebP frames must; at least
// one pixel, so that a repeated frame still carries its duration.
func changedRect(prev, cur *image.NRGBA) image.Rectangle {
	b := cur.Bounds()
	if prev == nil || prev.Bounds() != b {
		return b
	}
	rect := image.Rectangle{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		p, c := prev.Pix[y*prev.Stride:y*prev.Stride+4*b.Dx()], cur.Pix[y*cur.Stride:y*cur.Stride+4*b.Dx()]
		if bytes.Equal(p, c) {
			continue
		}
		for x := 0; x < b.Dx(); x++ {
			if !bytes.Equal(p[4*x:4*x+4], c[4*x:4*x+4]) {
				rect = rect.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if rect.Empty() {
		rect = image.Rect(0, 0, 1, 1)
	}
	rect.Min.X &^= 1
	rect.Min.Y &^= 1
	return rect
}

// appendFrame appends an ANMF chunk holding the image data of the still
// WebP enc, shown at rect for ms milliseconds.
func appendFrame(body []byte, rect image.Rectangle, ms int, enc []byte) ([]byte, error) {
	chunks, err := webpmux.Parse(enc)
	if err != nil {
		return nil, failf(ErrCorrupt, "the WebP encoder made an unreadable frame: %v", err)
	}
	head := make([]byte, 16)
	putUint24(head[0:], rect.Min.X/2)
	putUint24(head[3:], rect.Min.Y/2)
	putUint24(head[6:], rect.Dx()-1)
	putUint24(head[9:], rect.Dy()-1)
	putUint24(head[12:], min(ms, 1<<24-1))
	head[15] = anmfNoBlend
	for _, c := range chunks {
		if c.ID == webpmux.ALPH || c.ID == webpmux.VP8 || c.ID == webpmux.VP8L {
			head = appendChunk(head, c.ID, c.Data)
		}
	}
	return appendChunk(body, webpmux.ANMF, head), nil
}

// animatedWebP wraps ANMF chunks into a WebP file with its VP8X and ANIM
// chunks.
func animatedWebP(width, height int, alpha bool, loops int, frames []byte) []byte {
	vp8x := make([]byte, 10)
	vp8x[0] = 0x02 // animation
	if alpha {
		vp8x[0] |= 0x10
	}
	putUint24(vp8x[4:], width-1)
	putUint24(vp8x[7:], height-1)
	anim := make([]byte, 6) // background colour 0 (transparent), loop count
	binary.LittleEndian.PutUint16(anim[4:], uint16(loops))
	body := appendChunk(appendChunk([]byte("WEBP"), webpmux.VP8X, vp8x), webpmux.ANIM, anim)
	body = append(body, frames...)
	return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
}

// firstFrame returns the first frame of an animated WebP as a still WebP,
// for previews; nil when data holds no readable frame.
func firstFrame(data []byte) []byte {
	chunks, _ := webpmux.Parse(data)
	for _, c := range chunks {
		if c.ID == webpmux.ANMF {
			return frameWebP(c.Data)
		}
	}
	return nil
}

// frameWebP returns the image of an ANMF chunk's payload as a still WebP
// file; nil when the payload is damaged.
func frameWebP(anmf []byte) []byte {
	if len(anmf) < 16 {
		return nil
	}
	inner, err := webpmux.Parse(append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(anmf)-12)), append([]byte("WEBP"), anmf[16:]...)...))
	if err != nil || len(inner) == 0 {
		return nil
	}
	body := []byte("WEBP")
	if inner[0].ID == webpmux.ALPH { // lossy with alpha: the extended format
		vp8x := make([]byte, 10)
		vp8x[0] = 0x10
		copy(vp8x[4:], anmf[6:12]) // the frame's width and height less one
		body = appendChunk(body, webpmux.VP8X, vp8x)
	}
	for _, c := range inner {
		body = appendChunk(body, c.ID, c.Data)
	}
	return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
}

// appendChunk appends a RIFF chunk (with its padding byte) to b.
func appendChunk(b []byte, id string, data []byte) []byte {
	b = append(b, id...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// putUint24 stores v in three little-endian bytes.
func putUint24(b []byte, v int) {
	b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
}
