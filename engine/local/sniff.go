package local

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// Formats this package reads, as named by sniff.
const (
	fmtJPEG = "JPEG"
	fmtPNG  = "PNG"
	fmtGIF  = "GIF"
	fmtWebP = "WebP"
	fmtBMP  = "BMP"
	fmtTIFF = "TIFF"
)

// sniff names the image format of data from its first bytes, whatever the
// file is called. When data is not an image it reads, it returns an error
// that says what the content looks like instead.
func sniff(data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", failf(ErrCorrupt, "the file is empty")
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return fmtJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return fmtPNG, nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return fmtGIF, nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return fmtWebP, nil
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 18 && bmpInfoSizes[binary.LittleEndian.Uint32(data[14:])]:
		return fmtBMP, nil
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return fmtTIFF, nil
	}
	return "", failf(ErrNotImage, "not an image: %s", describe(data))
}

// bmpInfoSizes are the sizes of the known BMP info headers, which follow
// the 14-byte file header.
var bmpInfoSizes = map[uint32]bool{12: true, 40: true, 52: true, 56: true, 64: true, 108: true, 124: true}

// isoBrands maps ISO media file brands to the formats that use them.
var isoBrands = map[string]string{
	"heic": "a HEIC image", "heix": "a HEIC image", "mif1": "a HEIF image",
	"avif": "an AVIF image", "avis": "an AVIF image",
	"isom": "an MP4 video", "mp41": "an MP4 video", "mp42": "an MP4 video", "qt  ": "a QuickTime video",
}

// describe says in a few words what non-image content looks like.
func describe(data []byte) string {
	head := data[:min(len(data), 512)]
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		if name, ok := isoBrands[string(head[8:12])]; ok {
			return "it is " + name + ", which is not supported"
		}
	}
	signatures := []struct{ prefix, what string }{
		{"%PDF-", "it is a PDF document"},
		{"PK\x03\x04", "it is a ZIP archive (or an office document)"},
		{"\x1f\x8b", "it is gzip-compressed data"},
		{"8BPS", "it is a Photoshop document, which is not supported"},
		{"\x00\x00\x01\x00", "it is a Windows icon, which is not supported"},
		{"\x00\x00\x00\x0cjP  ", "it is a JPEG 2000 image, which is not supported"},
		{"\xff\x0a", "it is a JPEG XL image, which is not supported"},
		{"\x00\x00\x00\x0cJXL ", "it is a JPEG XL image, which is not supported"},
	}
	for _, s := range signatures {
		if bytes.HasPrefix(head, []byte(s.prefix)) {
			return s.what
		}
	}
	text := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	switch {
	case bytes.HasPrefix(text, []byte("<!doctype html")), bytes.HasPrefix(text, []byte("<html")),
		bytes.Contains(text, []byte("<html")), bytes.Contains(text, []byte("<body")):
		return "it looks like an HTML page"
	case bytes.Contains(text, []byte("<svg")):
		return "it is an SVG drawing, which is not supported"
	case bytes.HasPrefix(text, []byte("<?xml")):
		return "it looks like an XML document"
	case bytes.HasPrefix(text, []byte("{")), bytes.HasPrefix(text, []byte("[")):
		if looksLikeText(head) {
			return "it looks like JSON text"
		}
	}
	if looksLikeText(head) {
		return "it looks like plain text"
	}
	return "the content is not in any image format Fluxdesk reads"
}

// looksLikeText reports whether b is valid UTF-8 without control characters
// other than whitespace (a cut-off rune at the end is allowed).
func looksLikeText(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return false
		}
		b = b[size:]
	}
	return true
}
