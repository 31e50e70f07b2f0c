package engine

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
)

// Signatures of the formats whose containers are walked here.
var (
	sigGIF87 = []byte("GIF87a")
	sigGIF89 = []byte("GIF89a")
	sigPNG   = []byte("\x89PNG\r\n\x1a\n")
	sigJPEG  = []byte("\xff\xd8\xff")
)

// Complete reports whether an image file's data is all there: its container
// reaches its end mark (the JPEG end-of-image marker, the PNG IEND chunk,
// the GIF trailer) or the length its header declares (WebP, BMP). A file
// still being copied has a readable header long before it is complete.
// Formats without such a mark (TIFF) count as complete; marked is false for
// them, as completeness then says nothing. size is the file's size; r is
// read from its first byte.
func Complete(r io.Reader, size int64) (complete, marked bool) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(30)
	switch {
	case bytes.HasPrefix(head, sigGIF87), bytes.HasPrefix(head, sigGIF89):
		return walkGIF(br, func([]byte) bool { return true }), true
	case bytes.HasPrefix(head, sigPNG):
		return walkPNG(br, func(string, []byte) bool { return true }), true
	case bytes.HasPrefix(head, sigJPEG):
		return jpegComplete(br), true
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return size >= int64(binary.LittleEndian.Uint32(head[4:8]))+8, true
	case len(head) >= 6 && string(head[:2]) == "BM":
		return size >= int64(binary.LittleEndian.Uint32(head[2:6])), true
	}
	return true, false
}

// walkGIF reads a GIF's blocks, calling frame with each image descriptor
// (the 9 bytes after its separator) until it returns false. It returns true
// once the trailer is read: the file is complete.
func walkGIF(r *bufio.Reader, frame func(descriptor []byte) bool) bool {
	var head [13]byte // signature and logical screen descriptor
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return false
	}
	if !skipColourTable(r, head[10]) {
		return false
	}
	for {
		b, err := r.ReadByte()
		if err != nil {
			return false
		}
		switch b {
		case 0x21: // extension: a label, then sub-blocks
			if _, err := r.ReadByte(); err != nil || !skipSubBlocks(r) {
				return false
			}
		case 0x2c: // image descriptor, local colour table, LZW code size, data
			var d [9]byte
			if _, err := io.ReadFull(r, d[:]); err != nil || !skipColourTable(r, d[8]) {
				return false
			}
			if !frame(d[:]) {
				return false
			}
			if _, err := r.ReadByte(); err != nil || !skipSubBlocks(r) {
				return false
			}
		case 0x3b: // trailer
			return true
		default: // damage
			return false
		}
	}
}

// GIFFrames counts the frames of a GIF and the pixels of their rectangles,
// from its container alone (before any pixel memory is taken).
func GIFFrames(r io.Reader) (frames int, pixels int64) {
	walkGIF(bufio.NewReaderSize(r, 64<<10), func(d []byte) bool {
		frames++
		pixels += int64(binary.LittleEndian.Uint16(d[4:])) * int64(binary.LittleEndian.Uint16(d[6:]))
		return true
	})
	return frames, pixels
}

// skipColourTable skips the colour table that GIF flags announce.
func skipColourTable(r *bufio.Reader, flags byte) bool {
	if flags&0x80 == 0 {
		return true
	}
	_, err := r.Discard(3 << ((flags & 7) + 1))
	return err == nil
}

// skipSubBlocks skips GIF data sub-blocks (each a length byte and that many
// bytes) up to and including the empty one that ends them.
func skipSubBlocks(r *bufio.Reader) bool {
	for {
		n, err := r.ReadByte()
		if err != nil {
			return false
		}
		if n == 0 {
			return true
		}
		if _, err := r.Discard(int(n)); err != nil {
			return false
		}
	}
}

// walkPNG reads a PNG's chunks, calling chunk with each one's type and
// first bytes (up to 8) until it returns false. It returns true once the
// IEND chunk is read whole: the file is complete.
func walkPNG(r *bufio.Reader, chunk func(kind string, head []byte) bool) bool {
	if _, err := r.Discard(len(sigPNG)); err != nil {
		return false
	}
	var h [8]byte
	for {
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return false
		}
		n := int(binary.BigEndian.Uint32(h[:4]))
		kind := string(h[4:8])
		first, _ := r.Peek(min(n, 8))
		if !chunk(kind, first) {
			return false
		}
		if _, err := r.Discard(n + 4); err != nil { // data and CRC
			return false
		}
		if kind == "IEND" {
			return true
		}
	}
}

// jpegComplete walks a JPEG's marker segments to its first scan, then its
// scans (where a 0xFF byte is always followed by 0x00, a restart marker or
// a marker) to the end-of-image marker. Segments are skipped by length, so
// the end marker of an embedded thumbnail is not taken for the file's.
func jpegComplete(r *bufio.Reader) bool {
	if _, err := r.Discard(2); err != nil { // SOI
		return false
	}
	for {
		// Skip to the next 0xFF (past entropy-coded data), a buffer at a time.
		if _, err := r.ReadSlice(0xff); err == bufio.ErrBufferFull {
			continue
		} else if err != nil {
			return false
		}
		m, err := r.ReadByte()
		for err == nil && m == 0xff { // fill bytes
			m, err = r.ReadByte()
		}
		switch {
		case err != nil:
			return false
		case m == 0xd9: // EOI
			return true
		case m == 0x00, m == 0x01, m >= 0xd0 && m <= 0xd7:
			continue // stuffed byte, TEM or restart marker: no length
		}
		var l [2]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return false
		}
		if _, err := r.Discard(int(binary.BigEndian.Uint16(l[:])) - 2); err != nil {
			return false
		}
	}
}
