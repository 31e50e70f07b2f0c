package restore_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
	"fluxdesk/engine/local"
	"fluxdesk/engine/record"
	"fluxdesk/engine/restore"
	"fluxdesk/internal/testimage"
)

// writePNG writes a noisy PNG at path and returns its bytes.
func writePNG(t *testing.T, path string, seed uint32) []byte {
	t.Helper()
	return writeFile(t, path, testimage.PNG(t, testimage.NoisySeeded(160, 120, seed)))
}

// writeLosslessWebP writes a noisy lossless WebP at path and returns its
// bytes: an original that is itself a WebP.
func writeLosslessWebP(t *testing.T, path string, seed uint32) []byte {
	t.Helper()
	data, err := webp.EncodeLosslessRGBA(testimage.NoisySeeded(160, 120, seed))
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, path, data)
}

// writeFile writes data at path and returns it.
func writeFile(t *testing.T, path string, data []byte) []byte {
	t.Helper()
	testimage.Write(t, path, data)
	return data
}

// newRecord returns a fresh persistent record, the ledger Fluxdesk uses.
func newRecord(t *testing.T) *record.Record {
	t.Helper()
	r, err := record.Open(filepath.Join(t.TempDir(), record.FileName), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Flush() }) // before its folder is removed
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
