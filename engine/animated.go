package engine

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
)

// KeptAnimated is why an animated image is skipped: compressing it to a
// still would lose every frame but one.
const KeptAnimated = "animated image: kept as it is"

// Animated reports whether data is an animated image: a GIF with more than
// one frame, a WebP with the animation flag, or an APNG with more than one
// frame. It reads the container's structure only, never pixels.
func Animated(data []byte) bool {
	switch {
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return gifFrames(data) > 1
	case len(data) >= 21 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		// The VP8X chunk, when there is one, comes first; bit 1 of its
		// flags marks an animation.
		return string(data[12:16]) == "VP8X" && data[20]&0x02 != 0
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return apngFrames(data) > 1
	}
	return false
}

// AnimatedFile reports whether the file at path is an animated image (see
// Animated). A file that cannot be read is reported as not animated: reading
// it again then says why.
func AnimatedFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAnimatedScan))
	return err == nil && Animated(data)
}

// maxAnimatedScan bounds how much of a file AnimatedFile reads: a second
// frame (or the APNG control chunk) further in than this is not looked for.
const maxAnimatedScan = 64 << 20

// gifFrames counts the image descriptors of a GIF, stopping at the second,
// by skipping over colour tables, extensions and image data sub-blocks.
func gifFrames(data []byte) int {
	pos := 13 // header and logical screen descriptor
	if len(data) < pos {
		return 0
	}
	if flags := data[10]; flags&0x80 != 0 {
		pos += 3 << ((flags & 7) + 1) // global colour table
	}
	frames := 0
	for pos < len(data) && frames < 2 {
		switch data[pos] {
		case 0x21: // extension: label, then sub-blocks
			pos = skipSubBlocks(data, pos+2)
		case 0x2c: // image descriptor, local colour table, LZW code size, data
			if pos+10 > len(data) {
				return frames
			}
			flags := data[pos+9]
			pos += 10
			if flags&0x80 != 0 {
				pos += 3 << ((flags & 7) + 1)
			}
			pos = skipSubBlocks(data, pos+1)
			frames++
		default: // the trailer, or damage: no further frame can be found
			return frames
		}
	}
	return frames
}

// skipSubBlocks returns the position after the GIF data sub-blocks that
// start at pos (each a length byte and that many bytes, ending with 0).
func skipSubBlocks(data []byte, pos int) int {
	for pos < len(data) {
		n := int(data[pos])
		pos++
		if n == 0 {
			return pos
		}
		pos += n
	}
	return len(data)
}

// apngFrames returns the frame count of an APNG's animation control chunk
// (acTL), which comes before the image data; 0 for a plain PNG.
func apngFrames(data []byte) int {
	pos := 8
	for pos+8 <= len(data) {
		length := int(binary.BigEndian.Uint32(data[pos:]))
		kind := string(data[pos+4 : pos+8])
		switch {
		case kind == "IDAT", length < 0:
			return 0
		case kind == "acTL" && length >= 8 && pos+12 <= len(data):
			return int(binary.BigEndian.Uint32(data[pos+8:]))
		}
		pos += 12 + length
	}
	return 0
}
