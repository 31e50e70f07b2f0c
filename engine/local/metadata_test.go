package local

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/chai2010/webp"
	exif "github.com/dsoprea/go-exif/v3"
	exifcommon "github.com/dsoprea/go-exif/v3/common"
	"golang.org/x/image/tiff"

	"fluxdesk/engine"
	"fluxdesk/engine/webpmux"
	"fluxdesk/internal/exiftooltest"
)

// photoXMP is an XMP packet as cameras and photo tools write them: author
// and copyright, an orientation, a thumbnail, and GPS positions as an
// attribute, as an element and in a drone maker's own namespace.
const photoXMP = `<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpGImg="http://ns.adobe.com/xap/1.0/g/img/"
    xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"
    exif:GPSLatitude="48,51.42N"
    drone-dji:GpsLongitude="2.3522"
    tiff:Orientation="6"
    xmp:CreatorTool="Fluxtest Camera">
   <dc:creator><rdf:Seq><rdf:li>Ada Lovelace</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) 2026 Ada Lovelace</rdf:li></rdf:Alt></dc:rights>
   <exif:GPSLongitude>2,21.13E</exif:GPSLongitude>
   <xmp:Thumbnails><rdf:Alt><rdf:li rdf:parseType="Resource"><xmpGImg:format>JPEG</xmpGImg:format><xmpGImg:image>/9j/4AAQSkZJRgABAQ</xmpGImg:image></rdf:li></rdf:Alt></xmp:Thumbnails>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`

// photoExif returns an EXIF block (a TIFF structure, without the JPEG
// prefix) as a camera writes it: make, author, copyright, orientation 6,
// capture date, pixel dimensions, maker notes, a GPS position and a
// thumbnail directory.
func photoExif(t testing.TB, width, height int) []byte {
	t.Helper()
	im, err := exifcommon.NewIfdMappingWithStandard()
	if err != nil {
		t.Fatal(err)
	}
	ti := exif.NewTagIndex()
	order := binary.BigEndian
	root := exif.NewIfdBuilder(im, ti, exifcommon.IfdStandardIfdIdentity, order)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(root.AddStandardWithName("Make", "Fluxtest"))
	must(root.AddStandardWithName("Model", "Camera One"))
	must(root.AddStandardWithName("Artist", "Ada Lovelace"))
	must(root.AddStandardWithName("Copyright", "(c) 2026 Ada Lovelace"))
	must(root.AddStandardWithName("Orientation", []uint16{6}))
	sub, err := exif.GetOrCreateIbFromRootIb(root, "IFD/Exif")
	must(err)
	must(sub.AddStandardWithName("DateTimeOriginal", "2026:05:04 13:14:15"))
	must(sub.AddStandardWithName("PixelXDimension", []uint32{uint32(width)}))
	must(sub.AddStandardWithName("PixelYDimension", []uint32{uint32(height)}))
	must(sub.Add(exif.NewBuilderTag(sub.IfdIdentity().UnindexedString(), tagMakerNote, exifcommon.TypeUndefined,
		exif.NewIfdBuilderTagValueFromBytes([]byte("FLUXTEST maker note: serial 12345, lens data")), order)))
	gps, err := exif.GetOrCreateIbFromRootIb(root, "IFD/GPSInfo")
	must(err)
	must(gps.AddStandardWithName("GPSLatitudeRef", "N"))
	must(gps.AddStandardWithName("GPSLatitude", []exifcommon.Rational{{Numerator: 48, Denominator: 1}, {Numerator: 51, Denominator: 1}, {Numerator: 25, Denominator: 1}}))
	must(gps.AddStandardWithName("GPSLongitudeRef", "E"))
	must(gps.AddStandardWithName("GPSLongitude", []exifcommon.Rational{{Numerator: 2, Denominator: 1}, {Numerator: 21, Denominator: 1}, {Numerator: 8, Denominator: 1}}))
	thumb := exif.NewIfdBuilder(im, ti, exifcommon.IfdStandardIfdIdentity, order)
	must(thumb.SetThumbnail(encodeJPEG(t, gradient(16, 12), 80)))
	must(root.SetNextIb(thumb))
	data, err := exif.NewIfdByteEncoder().EncodeToExif(root)
	must(err)
	return data
}

// pngITXt returns the body of an iTXt chunk holding XMP, compressed or not.
func pngITXt(t testing.TB, xmp string, compress bool) []byte {
	body := []byte(xmpKeyword + "\x00\x00\x00\x00\x00")
	if !compress {
		return append(body, xmp...)
	}
	body[len(xmpKeyword)+1] = 1
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(xmp))
	zw.Close()
	return append(body, z.Bytes()...)
}

// exiftoolTIFF writes a TIFF file and has exiftool itself write author,
// copyright, orientation, capture date, GPS and XMP into it.
func exiftoolTIFF(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tiff.Encode(&b, gradient(w, h), nil); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "photo.tif", b.Bytes())
	exiftooltest.Write(t, path,
		"-IFD0:Artist=Ada Lovelace", "-IFD0:Copyright=(c) 2026 Ada Lovelace", "-IFD0:Orientation#=6",
		"-ExifIFD:DateTimeOriginal=2026:05:04 13:14:15",
		"-GPSLatitude=48.857", "-GPSLatitudeRef=N", "-GPSLongitude=2.352", "-GPSLongitudeRef=E",
		"-XMP-dc:Creator=Ada Lovelace", "-XMP-exif:GPSLatitude=48.857", "-XMP-tiff:Orientation#=6")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCompress_MetadataPolicy compresses photos carrying EXIF and XMP from
// each format and reads the outputs with exiftool: by default only the ICC
// profile survives; with KeepMetadata author, copyright and capture date do,
// while GPS (unless KeepGPS), maker notes and thumbnails are gone and the
// orientation reads upright.
func TestCompress_MetadataPolicy(t *testing.T) {
	exiftooltest.Path(t)
	const w, h = 60, 40 // orientation 6: the output is 40×60
	// A profile header with one text tag, which exiftool reads without
	// warning.
	icc := fakeProfile(600)
	binary.BigEndian.PutUint32(icc, uint32(len(icc)))
	copy(icc[36:], "acsp")
	copy(icc[128:], "\x00\x00\x00\x01cprt\x00\x00\x00\x90\x00\x00\x00\x0ctext\x00\x00\x00\x00Flux")
	ex := photoExif(t, w, h)
	jpg := withSegment(encodeJPEG(t, gradient(w, h), 90), 0xe1, append(append([]byte{}, xmpPrefix...), photoXMP...))
	jpg = withSegment(jpg, 0xe1, append(append([]byte{}, exifPrefix...), ex...))
	jpg = withJPEGICC(jpg, icc)
	png := withPNGChunk(encodePNG(t, gradient(w, h)), "eXIf", ex)
	webpFile, err := webpmux.Add(encodeWebP(t, gradient(w, h), false), webpmux.Chunk{ID: webpmux.EXIF, Data: ex}, webpmux.Chunk{ID: webpmux.XMP, Data: []byte(photoXMP)})
	if err != nil {
		t.Fatal(err)
	}
	sources := []struct {
		name       string
		data       []byte
		makerNotes bool   // whether the source has maker notes and a thumbnail
		icc        []byte // the source's ICC profile
	}{
		{"a.jpg", jpg, true, icc},
		{"a.png", withPNGChunk(png, "iTXt", pngITXt(t, photoXMP, false)), true, nil},
		{"compressed-xmp.png", withPNGChunk(png, "iTXt", pngITXt(t, photoXMP, true)), true, nil},
		// Text chunks may also follow the image data.
		{"xmp-after-image-data.png", withPNGChunkLast(png, "iTXt", pngITXt(t, photoXMP, true)), true, nil},
		{"a.webp", webpFile, true, nil},
		{"a.tif", exiftoolTIFF(t, w, h), false, nil},
	}
	cases := []struct {
		name              string
		keep, keepGPS     bool
		wantMeta, wantGPS bool
	}{
		{name: "default"},
		{name: "keep metadata", keep: true, wantMeta: true},
		{name: "keep metadata and GPS", keep: true, keepGPS: true, wantMeta: true, wantGPS: true},
	}
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			files := []string{writeFile(t, src.name, src.data)}
			for _, tc := range cases {
				opts := engine.DefaultOptions()
				opts.KeepMetadata, opts.KeepGPS = tc.keep, tc.keepGPS
				res := compressBytes(t, src.name, src.data, opts)
				decodeOutput(t, res)
				if res.Width != h || res.Height != w {
					t.Fatalf("%s: output %d×%d, want %d×%d (upright)", tc.name, res.Width, res.Height, h, w)
				}
				if got, _ := webp.GetMetadata(res.Data, "ICCP"); !bytes.Equal(got, src.icc) {
					t.Errorf("%s: ICC profile of %d bytes, want the original's %d", tc.name, len(got), len(src.icc))
				}
				files = append(files, writeFile(t, "out.webp", res.Data))
			}
			tags := exiftooltest.Tags(t, files...)
			in := tags[0]
			// The source carries what the policy must remove.
			if len(exiftooltest.Like(in, "GPSLatitude")) < 2 || in["IFD0:Orientation"] != 6.0 || in["XMP-tiff:Orientation"] != 6.0 ||
				src.makerNotes && (len(exiftooltest.Like(in, "MakerNote")) == 0 || len(exiftooltest.Like(in, "Thumbnail")) == 0) {
				t.Fatalf("the source lacks what the test needs: %v", in)
			}
			for i, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					checkOutputMeta(t, tags[i+1], tc.wantMeta, tc.wantGPS, h, w)
				})
			}
		})
	}
}

// checkOutputMeta checks an output's tags as exiftool reads them.
func checkOutputMeta(t *testing.T, out map[string]any, wantMeta, wantGPS bool, width, height int) {
	t.Helper()
	author := []string{"IFD0:Artist", "IFD0:Copyright", "XMP-dc:Creator"}
	for _, k := range author {
		if (out[k] != nil) != wantMeta {
			t.Errorf("%s is %v; want it kept: %v", k, out[k], wantMeta)
		}
	}
	if wantMeta && (out["ExifIFD:DateTimeOriginal"] != "2026:05:04 13:14:15" || out["IFD0:Artist"] != "Ada Lovelace") {
		t.Errorf("capture date %v, artist %v", out["ExifIFD:DateTimeOriginal"], out["IFD0:Artist"])
	}
	if gps := exiftooltest.Like(out, "GPS"); (len(gps) > 0) != wantGPS {
		t.Errorf("GPS tags %v; want them: %v", gps, wantGPS)
	}
	if wantGPS && (out["GPS:GPSLatitude"] == nil || out["XMP-exif:GPSLatitude"] == nil) {
		t.Errorf("GPS position not kept in EXIF and XMP: %v", exiftooltest.Like(out, "GPS"))
	}
	if found := exiftooltest.Like(out, "MakerNote", "Thumbnail", "IFD1:", "Serial"); len(found) > 0 {
		t.Errorf("maker notes or thumbnails left: %v", found)
	}
	for _, k := range []string{"IFD0:Orientation", "XMP-tiff:Orientation"} {
		if v, ok := out[k]; ok && v != 1.0 {
			t.Errorf("%s is %v, want 1 (upright) or absent", k, v)
		}
	}
	for k, want := range map[string]int{"ExifIFD:ExifImageWidth": width, "ExifIFD:ExifImageHeight": height} {
		if v, ok := out[k]; ok && v != float64(want) {
			t.Errorf("%s is %v, want the output's %d", k, v, want)
		}
	}
	if w := exiftooltest.Like(out, "Warning"); len(w) > 0 {
		t.Errorf("exiftool warns: %v", fmt.Sprint(out[w[0]]))
	}
}

// TestKeptXMP checks the XMP rewrite on its own: what it removes, what it
// keeps byte for byte, and that a packet that is not XML is refused.
func TestKeptXMP(t *testing.T) {
	nested := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/">` +
		`<Iptc4xmpExt:LocationCreated rdf:parseType="Resource"><Iptc4xmpExt:City>Paris</Iptc4xmpExt:City><exif:GPSLatitude>48,51.42N</exif:GPSLatitude></Iptc4xmpExt:LocationCreated>` +
		`<tiff:Orientation>8</tiff:Orientation></rdf:Description>` +
		`<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:Orientation="8"/></rdf:RDF></x:xmpmeta>`
	tests := []struct {
		name, in string
		keepGPS  bool
		want     []string
		wantNot  []string
	}{
		{"photo", photoXMP, false,
			[]string{`tiff:Orientation="1"`, `xmp:CreatorTool="Fluxtest Camera"`, "<rdf:li>Ada Lovelace</rdf:li>", `<?xpacket end="w"?>`, `xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"`},
			[]string{"GPS", "Gps", "Thumbnails", "/9j/"}},
		{"photo, GPS kept", photoXMP, true,
			[]string{`exif:GPSLatitude="48,51.42N"`, `drone-dji:GpsLongitude="2.3522"`, "<exif:GPSLongitude>2,21.13E</exif:GPSLongitude>", `tiff:Orientation="1"`},
			[]string{"Thumbnails"}},
		{"nested position, orientation element", nested, false,
			[]string{"<Iptc4xmpExt:City>Paris</Iptc4xmpExt:City></Iptc4xmpExt:LocationCreated>", "<tiff:Orientation>1</tiff:Orientation>", `exif:Orientation="1"`},
			[]string{"GPS"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := keptXMP([]byte(tc.in), tc.keepGPS)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.want {
				if !bytes.Contains(got, []byte(s)) {
					t.Errorf("%q missing from:\n%s", s, got)
				}
			}
			for _, s := range tc.wantNot {
				if bytes.Contains(got, []byte(s)) {
					t.Errorf("%q left in:\n%s", s, got)
				}
			}
		})
	}
	for _, bad := range []string{"not xml <", "<a><b></a>", ""} {
		if got, err := keptXMP([]byte(bad), false); err == nil && bad != "" {
			t.Errorf("%q: no error, got %q", bad, got)
		}
	}
}

// TestPNGMeta_ChunkOrder checks where in a PNG metadata is read from: XMP
// before or after the image data, EXIF only before it, as the PNG
// extensions order it.
func TestPNGMeta_ChunkOrder(t *testing.T) {
	png := encodePNG(t, gradient(8, 6))
	exifBody := exifOrientation(6)[len(exifPrefix):]
	tests := []struct {
		name            string
		data            []byte
		wantXMP         bool
		wantOrientation int
	}{
		{"before the image data", withPNGChunk(withPNGChunk(png, "iTXt", pngITXt(t, photoXMP, false)), "eXIf", exifBody), true, 6},
		{"after the image data", withPNGChunkLast(withPNGChunkLast(png, "iTXt", pngITXt(t, photoXMP, false)), "eXIf", exifBody), true, 1},
		{"none", png, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := pngMeta(tc.data)
			if got := bytes.Equal(m.xmp, []byte(photoXMP)); got != tc.wantXMP {
				t.Errorf("XMP read: %v, want %v (%q)", got, tc.wantXMP, m.xmp)
			}
			if m.orientation != tc.wantOrientation || (len(m.exif) > 0) != (tc.wantOrientation != 1) {
				t.Errorf("orientation %d and %d bytes of EXIF, want orientation %d", m.orientation, len(m.exif), tc.wantOrientation)
			}
		})
	}
}

// TestCompress_UnreadableMetadataIsLeftOut checks that EXIF and XMP the
// readers refuse are left out (never copied blind), and the image is still
// compressed.
func TestCompress_UnreadableMetadataIsLeftOut(t *testing.T) {
	exiftooltest.Path(t)
	jpg := encodeJPEG(t, gradient(30, 20), 90)
	jpg = withSegment(jpg, 0xe1, append(append([]byte{}, xmpPrefix...), "<x:xmpmeta><exif:GPSLatitude>48N"...))
	jpg = withSegment(jpg, 0xe1, append(append([]byte{}, exifPrefix...), "II*\x00\xff\xff\xff\x00GPS garbage"...))
	opts := engine.DefaultOptions()
	opts.KeepMetadata = true
	res := compressBytes(t, "a.jpg", jpg, opts)
	decodeOutput(t, res)
	out := exiftooltest.Tags(t, writeFile(t, "out.webp", res.Data))[0]
	if found := exiftooltest.Like(out, "GPS", "XMP", "EXIF:", "IFD0"); len(found) > 0 {
		t.Errorf("unreadable metadata carried over: %v", found)
	}
}

// TestOptions_KeepGPSNeedsKeepMetadata checks that the GPS position is
// never asked for alone.
func TestOptions_KeepGPSNeedsKeepMetadata(t *testing.T) {
	opts := engine.DefaultOptions()
	opts.KeepGPS = true
	if err := opts.Validate(); err == nil {
		t.Error("KeepGPS without KeepMetadata was accepted")
	}
	opts.KeepMetadata = true
	if err := opts.Validate(); err != nil {
		t.Error(err)
	}
}

// TestCompress_MetadataConcurrently runs workers that rewrite metadata at
// the same time (the race detector watches the library's shared state).
func TestCompress_MetadataConcurrently(t *testing.T) {
	const n = 8
	jpg := withSegment(encodeJPEG(t, gradient(48, 32), 90), 0xe1, append(append([]byte{}, exifPrefix...), photoExif(t, 48, 32)...))
	path := writeFile(t, "a.jpg", jpg)
	opts := engine.DefaultOptions()
	opts.KeepMetadata = true
	jobs := make(chan engine.Job, n)
	for i := range n {
		jobs <- engine.Job{ID: i + 1, Path: path, Options: opts}
	}
	close(jobs)
	rec := newRecorder()
	New(4).Compress(context.Background(), jobs, rec)
	if len(rec.finished) != n {
		t.Fatalf("%d results, want %d", len(rec.finished), n)
	}
	for id, res := range rec.finished {
		if res.Err != nil {
			t.Fatalf("job %d: %v", id, res.Err)
		}
		exifData, err := webp.GetMetadata(res.Data, "EXIF")
		if err != nil || !bytes.Contains(exifData, []byte("Ada Lovelace")) || bytes.Contains(exifData, []byte("maker note")) {
			t.Errorf("job %d: EXIF %q (%v)", id, exifData, err)
		}
	}
}

// benchPhoto is the photo BenchmarkKeepMetadata compresses when the
// benchmarks' photos (Debian's mate-backgrounds) are installed.
const benchPhoto = "/usr/share/backgrounds/mate/nature/Blinds.jpg"

// BenchmarkKeepMetadata times what --keep-metadata adds to a photo's
// compression: rewriting its EXIF and XMP (rewrite), against compressing
// it with and without the metadata in the same run (compress/keep,
// compress/drop). The photo is benchPhoto, or a generated one, given a
// camera's EXIF (with maker notes, GPS and a thumbnail) and an XMP packet.
func BenchmarkKeepMetadata(b *testing.B) {
	photo, err := os.ReadFile(benchPhoto)
	if err != nil {
		photo = encodeJPEG(b, gradient(1920, 1280), 90)
	}
	src, err := probe(photo)
	if err != nil {
		b.Fatal(err)
	}
	photo = withSegment(photo, 0xe1, append(append([]byte{}, xmpPrefix...), photoXMP...))
	photo = withSegment(photo, 0xe1, append(append([]byte{}, exifPrefix...), photoExif(b, src.width, src.height)...))
	if src, err = probe(photo); err != nil {
		b.Fatal(err)
	}
	keep := engine.DefaultOptions()
	keep.KeepMetadata = true
	b.Run("rewrite", func(b *testing.B) {
		for b.Loop() {
			if c := src.chunks(keep, src.height, src.width); len(c) != 2 {
				b.Fatalf("%d chunks, want EXIF and XMP", len(c))
			}
		}
	})
	var w worker
	defer w.free()
	for _, opts := range []struct {
		name string
		keep bool
	}{{"compress/drop", false}, {"compress/keep", true}} {
		b.Run(opts.name, func(b *testing.B) {
			o := engine.DefaultOptions()
			o.KeepMetadata = opts.keep
			for b.Loop() {
				if _, _, _, err := w.convert(context.Background(), photo, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
