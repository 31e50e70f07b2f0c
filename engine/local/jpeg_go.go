//go:build nolibjpeg

package local

// decodeJPEG decodes a JPEG into a raster over buf with Go's decoder.
func decodeJPEG(data []byte, _ source, buf *buffer) (raster, error) {
	return decodeJPEGGo(data, buf)
}
