package engine

// Format is an output format, spelled as the settings file, the command line
// and the Fluximage API spell it: "webp", "avif", "jpg" or "png".
type Format string

// The output formats. The local engine makes WebP only; the remote engine
// makes all four.
const (
	FormatWebP Format = "webp"
	FormatAVIF Format = "avif"
	FormatJPEG Format = "jpg"
	FormatPNG  Format = "png"
)

// Formats lists every output format, in the order menus offer them.
var Formats = []Format{FormatWebP, FormatAVIF, FormatJPEG, FormatPNG}

// formatInfo is what Fluxdesk knows of an output format.
type formatInfo struct {
	extension string // the output file's ending
	label     string // the name people write
	mime      string // the media type
	decoder   string // the name image.DecodeConfig reports; "" when Go cannot read it
}

// formatTable is the one table of the output formats.
var formatTable = map[Format]formatInfo{
	FormatWebP: {".webp", "WebP", "image/webp", "webp"},
	FormatAVIF: {".avif", "AVIF", "image/avif", ""},
	FormatJPEG: {".jpg", "JPEG", "image/jpeg", "jpeg"},
	FormatPNG:  {".png", "PNG", "image/png", "png"},
}

// Known reports whether f is one of Formats.
func (f Format) Known() bool {
	_, ok := formatTable[f]
	return ok
}

// Extension is the ending of an output file in this format: ".webp".
func (f Format) Extension() string { return formatTable[f].extension }

// Label names the format as people write it: "WebP", "JPEG".
func (f Format) Label() string { return formatTable[f].label }

// MIME is the format's media type: "image/webp".
func (f Format) MIME() string { return formatTable[f].mime }

// FormatLabeled returns the format whose Label is label.
func FormatLabeled(label string) (Format, bool) {
	for _, f := range Formats {
		if formatTable[f].label == label {
			return f, true
		}
	}
	return "", false
}

// FormatDecoded returns the output format of the image decoder name that
// image.Decode and image.DecodeConfig report ("jpeg" is FormatJPEG).
func FormatDecoded(name string) (Format, bool) {
	for _, f := range Formats {
		if info := formatTable[f]; info.decoder != "" && info.decoder == name {
			return f, true
		}
	}
	return "", false
}
