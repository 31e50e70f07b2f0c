package restore_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
	"fluxdesk/engine/local"
	"fluxdesk/engine/record"
	"fluxdesk/engine/restore"
)

// noisy returns a w×h picture with grain, like a photo: large as a PNG or
// a lossless WebP, much smaller as a lossy WebP. seed varies the grain.
func noisy(w, h int, seed uint32) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223
			grain := uint8(seed >> 28)
			img.SetNRGBA(x, y, color.NRGBA{uint8(x) + grain, uint8(y) + grain, uint8(x+y) + grain, 255})
		}
	}
	return img
}

// writePNG writes a noisy PNG at path and returns its bytes.
func writePNG(t *testing.T, path string, seed uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, noisy(160, 120, seed)); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, path, buf.Bytes())
}

// writeLosslessWebP writes a noisy lossless WebP at path and returns its
// bytes: an original that is itself a WebP.
func writeLosslessWebP(t *testing.T, path string, seed uint32) []byte {
	t.Helper()
	data, err := webp.EncodeLosslessRGBA(noisy(160, 120, seed))
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, path, data)
}

func writeFile(t *testing.T, path string, data []byte) []byte {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

// newRecord returns a fresh persistent record, the ledger Fluxdesk uses.
func newRecord(t *testing.T) *record.Record {
	t.Helper()
	r, err := record.Open(filepath.Join(t.TempDir(), record.FileName), 0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// replace compresses paths with the local engine, replacing the originals,
// as "compress --replace" does, and returns the output of each original.
func replace(t *testing.T, ledger engine.Ledger, paths ...string) map[string]string {
	t.Helper()
	outputs := map[string]string{}
	opts := engine.DefaultOptions()
	opts.Replace = true
	p := engine.New(local.New(1), ledger, func(e engine.Event) {
		switch e.Status {
		case engine.StatusDone:
			outputs[e.Path] = e.Output
		case engine.StatusSkipped, engine.StatusFailed:
			t.Errorf("replace %s: %s %s", e.Path, e.Status, e.Message)
		}
	})
	reqs := make(chan engine.Request, len(paths))
	for _, path := range paths {
		reqs <- engine.Request{Path: path, Options: opts}
	}
	close(reqs)
	p.Run(context.Background(), reqs)
	return outputs
}

// restoreAll runs a restore of paths and returns its results and summary.
func restoreAll(t *testing.T, ledger engine.Ledger, paths ...string) ([]restore.Result, restore.Summary) {
	t.Helper()
	var results []restore.Result
	r := restore.Restorer{Ledger: ledger, Report: func(res restore.Result) { results = append(results, res) }}
	s := r.Run(context.Background(), paths)
	return results, s
}

// assertContent fails unless the file at path holds want, byte for byte.
func assertContent(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: %d bytes, not the %d expected", filepath.Base(path), len(got), len(want))
	}
}

func assertGone(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v)", path, err)
	}
}

func assertExists(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); err != nil {
		t.Errorf("%s: %v", path, err)
	}
}

func backupPath(dir, name string) string {
	return filepath.Join(dir, engine.BackupDirName, name)
}
