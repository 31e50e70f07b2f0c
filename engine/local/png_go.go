//go:build nolibjpeg

package local

// decodePNG decodes a PNG into a raster over buf with Go's decoder.
func decodePNG(data []byte, _ source, buf *buffer) (raster, error) {
	return decodeGo(fmtPNG, data, buf)
}
