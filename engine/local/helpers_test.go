package local

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
)

// gradient returns a smooth w×h test picture, which lossy coding keeps well.
func gradient(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.SetNRGBA(x, y, color.NRGBA{
				R: uint8(40 + 170*x/max(1, w-1)),
				G: uint8(40 + 170*y/max(1, h-1)),
				B: uint8(128 + 60*math.Sin(float64(x+y)/17)),
				A: 255,
			})
		}
	}
	return m
}

// corners colours used by cornered, in the order top-left, top-right,
// bottom-left, bottom-right; the rest of the picture is grey.
var corners = [4]color.NRGBA{
	{220, 30, 30, 255}, {30, 200, 30, 255}, {30, 30, 220, 255}, {240, 240, 240, 255},
}

// cornered returns a w×h grey picture with a solid block of a distinct
// colour in each corner, so that any rotation or mirroring shows.
func cornered(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	bw, bh := w/4, h/4
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{128, 128, 128, 255}
			switch {
			case x < bw && y < bh:
				c = corners[0]
			case x >= w-bw && y < bh:
				c = corners[1]
			case x < bw && y >= h-bh:
				c = corners[2]
			case x >= w-bw && y >= h-bh:
				c = corners[3]
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// encodeJPEG returns img as a baseline JPEG (4:2:0 for colour images).
func encodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodePNG returns img as a PNG.
func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withSegment inserts a JPEG marker segment right after the SOI marker.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xff, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// exifOrientation returns a little-endian EXIF block (with the "Exif\0\0"
// prefix) whose only tag is the given orientation.
func exifOrientation(o int) []byte {
	b := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00")
	entry := make([]byte, 12)
	binary.LittleEndian.PutUint16(entry[0:], tagOrientation)
	binary.LittleEndian.PutUint16(entry[2:], 3)
	binary.LittleEndian.PutUint32(entry[4:], 1)
	binary.LittleEndian.PutUint16(entry[8:], uint16(o))
	b = append(b, entry...)
	return append(b, 0, 0, 0, 0)
}

// withPNGChunk inserts a chunk right after a PNG's IHDR chunk.
func withPNGChunk(p []byte, typ string, body []byte) []byte {
	const afterIHDR = 8 + 8 + 13 + 4
	return slices.Concat(p[:afterIHDR], pngChunk{typ, body}.bytes(), p[afterIHDR:])
}

// withPNGChunkLast inserts a chunk right before a PNG's IEND chunk, after
// the image data.
func withPNGChunkLast(p []byte, typ string, body []byte) []byte {
	iend := len(p) - 12
	return slices.Concat(p[:iend], pngChunk{typ, body}.bytes(), p[iend:])
}

// pngChunk is a PNG chunk's type and body.
type pngChunk struct {
	typ  string
	body []byte
}

// bytes returns the whole chunk: length, type, body and CRC.
func (c pngChunk) bytes() []byte {
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(c.body)))
	chunk = append(append(chunk, c.typ...), c.body...)
	return binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
}

// writeFile writes data to name in a temporary folder and returns its path.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// recorder is a Sink that keeps every call, safe for concurrent workers.
type recorder struct {
	mu       sync.Mutex
	started  map[int]int
	finished map[int]engine.Result
	order    []string
}

func newRecorder() *recorder {
	return &recorder{started: map[int]int{}, finished: map[int]engine.Result{}}
}

func (r *recorder) Started(job engine.Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started[job.ID]++
}

func (r *recorder) Held(job engine.Job, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.order = append(r.order, "held")
}

func (r *recorder) Finished(job engine.Job, res engine.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started[job.ID] != 1 {
		r.order = append(r.order, "finished before started")
	}
	if _, dup := r.finished[job.ID]; dup {
		r.order = append(r.order, "finished twice")
	}
	r.finished[job.ID] = res
}

// compressFile runs one file through a one-worker Compressor.
func compressFile(t testing.TB, path string, opts engine.Options) engine.Result {
	t.Helper()
	jobs := make(chan engine.Job, 1)
	jobs <- engine.Job{ID: 1, Path: path, Options: opts}
	close(jobs)
	rec := newRecorder()
	New(1).Compress(context.Background(), jobs, rec)
	if len(rec.order) > 0 || len(rec.finished) != 1 {
		t.Fatalf("sink calls out of order: %v, %d results", rec.order, len(rec.finished))
	}
	return rec.finished[1]
}

// compressBytes writes data to a file called name and compresses it.
func compressBytes(t testing.TB, name string, data []byte, opts engine.Options) engine.Result {
	t.Helper()
	return compressFile(t, writeFile(t, name, data), opts)
}

// decodeOutput decodes a WebP result to straight RGBA and checks that its
// size is the one the result claims.
func decodeOutput(t testing.TB, res engine.Result) *image.NRGBA {
	t.Helper()
	if res.Err != nil {
		t.Fatalf("compress: %v", res.Err)
	}
	if res.Format != "webp" {
		t.Fatalf("format %q, want webp", res.Format)
	}
	m, err := webp.DecodeRGBA(res.Data)
	if err != nil {
		t.Fatalf("output does not decode as WebP: %v", err)
	}
	if m.Rect.Dx() != res.Width || m.Rect.Dy() != res.Height {
		t.Fatalf("output is %v, result says %d×%d", m.Rect.Size(), res.Width, res.Height)
	}
	// libwebp's RGBA is straight alpha, whatever the Go type says.
	return &image.NRGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
}

// meanDiff returns the mean absolute difference per channel between two
// images of the same size, over pixels where want is not fully transparent.
func meanDiff(t testing.TB, got, want image.Image) float64 {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	var sum, n float64
	gb, wb := got.Bounds(), want.Bounds()
	for y := 0; y < wb.Dy(); y++ {
		for x := 0; x < wb.Dx(); x++ {
			g := color.NRGBAModel.Convert(got.At(gb.Min.X+x, gb.Min.Y+y)).(color.NRGBA)
			w := color.NRGBAModel.Convert(want.At(wb.Min.X+x, wb.Min.Y+y)).(color.NRGBA)
			if w.A == 0 {
				continue
			}
			for _, d := range []int{int(g.R) - int(w.R), int(g.G) - int(w.G), int(g.B) - int(w.B), int(g.A) - int(w.A)} {
				sum += math.Abs(float64(d))
			}
			n += 4
		}
	}
	return sum / n
}

// near reports whether two colours differ by at most tol in every channel.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}
