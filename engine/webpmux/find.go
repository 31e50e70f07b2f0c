package webpmux

import (
	"encoding/binary"
	"io"
)

// Find reads the payload of the first chunk id of the WebP file r, seeking
// over the chunks before it without reading them; a payload longer than
// limit is not read. ok is false when there is no such chunk, or r is not a
// WebP file.
func Find(r io.ReadSeeker, id string, limit int) (data []byte, ok bool) {
	var head [12]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:4]) != "RIFF" || string(head[8:12]) != "WEBP" {
		return nil, false
	}
	for {
		if _, err := io.ReadFull(r, head[:8]); err != nil {
			return nil, false
		}
		n := int64(binary.LittleEndian.Uint32(head[4:8]))
		if string(head[:4]) == id {
			if n > int64(limit) {
				return nil, false
			}
			data = make([]byte, n)
			if _, err := io.ReadFull(r, data); err != nil {
				return nil, false
			}
			return data, true
		}
		if _, err := r.Seek(n+n&1, io.SeekCurrent); err != nil {
			return nil, false
		}
	}
}
