package engine

import (
	"bytes"
	"unicode/utf8"
)

// isoBrands maps ISO media file brands to the formats that use them.
var isoBrands = map[string]string{
	"heic": "a HEIC image", "heix": "a HEIC image", "mif1": "a HEIF image",
	"avif": "an AVIF image", "avis": "an AVIF image",
	"isom": "an MP4 video", "mp41": "an MP4 video", "mp42": "an MP4 video", "qt  ": "a QuickTime video",
}

// DescribeContent says in a few words what content that is not a readable
// image looks like ("it looks like an HTML page", "it is a PDF document"),
// for messages about files and results that are not what they claim.
func DescribeContent(data []byte) string {
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
