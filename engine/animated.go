package engine

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
)

// KeptAnimated is why an animated image is skipped: compressing it to a
// still would lose every frame but one.
const KeptAnimated = "animated image: kept as it is"

// Animated reports whether r holds an animated image: a GIF with more than
// one frame, a WebP with the animation flag, or an APNG with more than one
// frame. It reads the container's structure only, never pixels, and no
// further than it must.
func Animated(r io.Reader) bool {
	return animated(bufio.NewReaderSize(r, 64<<10))
}

// animated reads an image's container from r (see Animated).
func animated(r *bufio.Reader) bool {
	head, _ := r.Peek(21)
	switch {
	case bytes.HasPrefix(head, sigGIF87), bytes.HasPrefix(head, sigGIF89):
		frames := 0
		walkGIF(r, func([]byte) bool {
			frames++
			return frames < 2
		})
		return frames > 1
	case len(head) >= 21 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		// The VP8X chunk, when there is one, comes first; bit 1 of its
		// flags marks an animation.
		return string(head[12:16]) == "VP8X" && head[20]&0x02 != 0
	case bytes.HasPrefix(head, sigPNG):
		// An APNG's animation control chunk (acTL), with its frame count,
		// comes before the image data.
		frames := 0
		walkPNG(r, func(kind string, head []byte) bool {
			if kind == "acTL" && len(head) >= 4 {
				frames = int(binary.BigEndian.Uint32(head))
			}
			return kind != "acTL" && kind != "IDAT"
		})
		return frames > 1
	}
	return false
}
