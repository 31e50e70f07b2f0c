package local

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// XMP namespaces the metadata policy acts on.
const (
	nsXMPBasic = "http://ns.adobe.com/xap/1.0/"
	nsTIFF     = "http://ns.adobe.com/tiff/1.0/"
	nsEXIF     = "http://ns.adobe.com/exif/1.0/"
)

// xmpEdit replaces the bytes from..to of a packet with text.
type xmpEdit struct {
	from, to int
	text     string
}

// keptXMP rewrites an XMP packet as the metadata policy asks: the orientation
// set to 1 since the pixels are upright, and without thumbnails
// (xmp:Thumbnails) and, unless keepGPS, any property whose name starts with
// "GPS" in any case (exif:GPSLatitude, a drone maker's GpsLongitude, also
// inside structures). Properties are found as elements and as attributes;
// the rest of the packet is kept byte for byte. A packet that is not
// well-formed XML is an error: it is then left out rather than copied blind.
func keptXMP(packet []byte, keepGPS bool) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(packet))
	var edits []xmpEdit
	for {
		start := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the XMP data is not well-formed: %v", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		tagEnd := int(d.InputOffset())
		switch {
		case dropXMP(el.Name, keepGPS):
			if err := d.Skip(); err != nil {
				return nil, fmt.Errorf("the XMP data is not well-formed: %v", err)
			}
			edits = append(edits, xmpEdit{start, int(d.InputOffset()), ""})
			continue
		case isXMPOrientation(el.Name):
			if err := d.Skip(); err != nil {
				return nil, fmt.Errorf("the XMP data is not well-formed: %v", err)
			}
			if close := bytes.LastIndex(packet[tagEnd:d.InputOffset()], []byte("</")); close >= 0 {
				edits = append(edits, xmpEdit{tagEnd, tagEnd + close, "1"})
			}
			continue
		}
		attrs, err := attrSpans(packet[start:tagEnd])
		if err != nil || len(attrs) != len(el.Attr) {
			return nil, errors.New("the XMP data has a tag that cannot be read")
		}
		for i, a := range el.Attr {
			s := attrs[i]
			switch {
			case dropXMP(a.Name, keepGPS):
				edits = append(edits, xmpEdit{start + s.from, start + s.to, ""})
			case isXMPOrientation(a.Name):
				edits = append(edits, xmpEdit{start + s.valueFrom, start + s.valueTo, "1"})
			}
		}
	}
	var out bytes.Buffer
	p := 0
	for _, e := range edits {
		out.Write(packet[p:e.from])
		out.WriteString(e.text)
		p = e.to
	}
	out.Write(packet[p:])
	return out.Bytes(), nil
}

// dropXMP reports whether the property name is left out of an output.
func dropXMP(name xml.Name, keepGPS bool) bool {
	switch {
	case name.Space == "xmlns" || name.Space == "" && name.Local == "xmlns":
		return false // a namespace declaration, not a property
	case name.Space == nsXMPBasic && name.Local == "Thumbnails":
		return true
	}
	return !keepGPS && strings.HasPrefix(strings.ToUpper(name.Local), "GPS")
}

// isXMPOrientation reports whether the property name is an orientation:
// tiff:Orientation, or exif:Orientation as GIMP writes it.
func isXMPOrientation(name xml.Name) bool {
	return (name.Space == nsTIFF || name.Space == nsEXIF) && name.Local == "Orientation"
}

// attrSpan locates one attribute in a start tag: from..to is the whole
// attribute with the white space before it, valueFrom..valueTo its value
// inside the quotes.
type attrSpan struct {
	from, to, valueFrom, valueTo int
}

// attrSpans locates the attributes of a start tag ("<name a='1' b="2">"),
// in their order.
func attrSpans(tag []byte) ([]attrSpan, error) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	p := 1
	for p < len(tag) && !isSpace(tag[p]) && tag[p] != '/' && tag[p] != '>' {
		p++
	}
	var spans []attrSpan
	for {
		from := p
		for p < len(tag) && isSpace(tag[p]) {
			p++
		}
		if p >= len(tag) {
			return nil, errors.New("unterminated tag")
		}
		if tag[p] == '/' || tag[p] == '>' {
			return spans, nil
		}
		eq := bytes.IndexByte(tag[p:], '=')
		if eq < 0 {
			return nil, errors.New("attribute without a value")
		}
		p += eq + 1
		for p < len(tag) && isSpace(tag[p]) {
			p++
		}
		if p >= len(tag) || tag[p] != '"' && tag[p] != '\'' {
			return nil, errors.New("attribute value without quotes")
		}
		end := bytes.IndexByte(tag[p+1:], tag[p])
		if end < 0 {
			return nil, errors.New("unterminated attribute value")
		}
		spans = append(spans, attrSpan{from: from, valueFrom: p + 1, valueTo: p + 1 + end, to: p + 2 + end})
		p += end + 2
	}
}
