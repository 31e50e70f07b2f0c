package remote

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"

	"golang.org/x/image/webp"
)

// Verify checks that data is a non-empty image in format ("webp", "avif",
// "jpg" or "png") and returns its size; an avif's size is not read (0, 0).
// Its errors say what came instead, in words a person understands.
func Verify(data []byte, format string) (width, height int, err error) {
	body := bytes.TrimSpace(data)
	switch {
	case len(body) == 0:
		return 0, 0, errors.New("the service returned an empty file instead of an image")
	case looksLikeHTML(body):
		return 0, 0, errors.New("the service returned an HTML page instead of an image")
	case body[0] == '{' || body[0] == '[':
		return 0, 0, errors.New("the service returned JSON instead of an image")
	}
	var cfg image.Config
	switch format {
	case "webp":
		cfg, err = webp.DecodeConfig(bytes.NewReader(data))
	case "png":
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case "jpg":
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case "avif":
		if isAVIF(data) {
			return 0, 0, nil
		}
		err = errors.New("no avif brand")
	default:
		return 0, 0, fmt.Errorf("unknown format %q", format)
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, fmt.Errorf("the service returned something that is not a valid %s image", strings.ToUpper(format))
	}
	return cfg.Width, cfg.Height, nil
}

// isAVIF reads the leading ISO-BMFF "ftyp" box and looks for the avif
// brands (avif for still images, avis for sequences) among the major and
// compatible brands.
func isAVIF(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	size := int(binary.BigEndian.Uint32(b[0:4]))
	if size < 16 || size > len(b) {
		return false
	}
	brands := [][]byte{b[8:12]} // major brand; b[12:16] is the minor version
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, b[i:i+4])
	}
	for _, br := range brands {
		if s := string(br); s == "avif" || s == "avis" {
			return true
		}
	}
	return false
}
