package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fluxdesk/engine/webpmux"
)

// Fluxdesk marks every output with its name and the SHA-256 of the
// original's content: a WebP in a private chunk (decoders skip it), other
// formats in an extended attribute where the file system has them. The mark
// makes an output recognisable as Fluxdesk's without the record: after the
// record was lost, could not be written, or when the file is reached by a
// path the record does not know.
const (
	markChunk = "FXDK"
	markAttr  = "user.fluxdesk.mark"
	markMagic = "Fluxdesk\x01" // name and version of the mark
	markSize  = len(markMagic) + sha256.Size
)

// SourceHash is the SHA-256 of an original's content.
type SourceHash [sha256.Size]byte

// MarshalText writes the hash in hexadecimal.
func (h SourceHash) MarshalText() ([]byte, error) {
	return []byte(hex.EncodeToString(h[:])), nil
}

// UnmarshalText reads a hash written by MarshalText.
func (h *SourceHash) UnmarshalText(text []byte) error {
	if hex.DecodedLen(len(text)) != len(h) {
		return errors.New("not a SHA-256 hash")
	}
	_, err := hex.Decode(h[:], text)
	return err
}

// HashContent returns the SHA-256 of everything r reads.
func HashContent(r io.Reader) (SourceHash, error) {
	var h SourceHash
	d := sha256.New()
	if _, err := io.Copy(d, r); err != nil {
		return h, err
	}
	d.Sum(h[:0])
	return h, nil
}

// HashFile returns the SHA-256 of a file's content.
func HashFile(path string) (SourceHash, error) {
	f, err := os.Open(path)
	if err != nil {
		return SourceHash{}, err
	}
	defer f.Close()
	return HashContent(f)
}

// addMark returns a WebP output with Fluxdesk's mark for an original of the
// given content. Other formats are returned as they are.
func addMark(data []byte, format Format, source SourceHash) []byte {
	if format != FormatWebP {
		return data
	}
	marked, err := webpmux.Add(data, webpmux.Chunk{ID: markChunk, Data: append([]byte(markMagic), source[:]...)})
	if err != nil {
		return data // Verify has passed: the container is sound, so this does not happen
	}
	return marked
}

// markAttribute marks an output in a format without a place for the mark,
// where the file system keeps extended attributes; elsewhere it does
// nothing, and the record alone knows the output.
func markAttribute(path string, format Format, source SourceHash) {
	if format != FormatWebP {
		setAttr(path, markAttr, append([]byte(markMagic), source[:]...))
	}
}

// ReadMark returns the original's hash from the mark of the file at path;
// ok is false when the file carries no Fluxdesk mark.
func ReadMark(path string) (source SourceHash, ok bool) {
	data, ok := readMark(path)
	if !ok || len(data) != markSize || !bytes.HasPrefix(data, []byte(markMagic)) {
		return source, false
	}
	copy(source[:], data[len(markMagic):])
	return source, true
}

// readMark returns the raw mark of the file at path: the WebP chunk of a
// file named .webp, else the extended attribute.
func readMark(path string) ([]byte, bool) {
	if !strings.EqualFold(filepath.Ext(path), FormatWebP.Extension()) {
		return getAttr(path, markAttr, markSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	return webpmux.Find(f, markChunk, markSize)
}

// HasMark reports whether the file at path is an output Fluxdesk marked.
func HasMark(path string) bool {
	_, ok := ReadMark(path)
	return ok
}
