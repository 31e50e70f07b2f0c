package engine_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fluxdesk/engine"
	"fluxdesk/engine/record"
)

// distinct returns n bytes of original content unique to i.
func distinct(i, n int) []byte {
	return []byte(fmt.Sprintf("%06d", i) + strings.Repeat("x", n-6))
}

// assertOneOutputEach checks that dir holds each original and exactly one
// output of the same stem, and no other file.
func assertOneOutputEach(t *testing.T, dir string, originals int) {
	t.Helper()
	files := listTree(t, dir)
	for _, name := range files {
		if strings.Contains(name, "-min") {
			t.Fatalf("%s was written: an output name was claimed twice (%d files)", name, len(files))
		}
	}
	if len(files) != 2*originals {
		t.Errorf("folder holds %d files, want %d: %v", len(files), 2*originals, files)
	}
}

// Pipelines sharing one record, each opened separately as separate
// processes do, never give one original two outputs, however their jobs
// interleave.
func TestPipeline_ConcurrentPipelinesMakeNoDuplicates(t *testing.T) {
	dir := t.TempDir()
	const n = 60
	for i := range n {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("s%02d.png", i)), distinct(i, 3000))
	}
	dbPath := filepath.Join(t.TempDir(), record.FileName)
	var wg sync.WaitGroup
	for range 3 {
		rec, err := record.Open(dbPath, 0)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			p := engine.New(scriptedCompressor{3, webpResult(t)}, rec, nil)
			sum := p.Run(context.Background(), requestsOf(engine.DefaultOptions(), dir))
			if sum.Failed != 0 || sum.Done+sum.Skipped != n {
				t.Errorf("summary %+v", sum)
			}
			if err := rec.Flush(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	assertOneOutputEach(t, dir, n)
}

// Every WebP written carries Fluxdesk's mark with the original's hash, so
// that without any record a later run still knows its outputs: it replaces
// them, and never takes them for originals.
func TestPipeline_MarkedOutputsKnownWithoutRecord(t *testing.T) {
	dir := t.TempDir()
	orig := writeFile(t, filepath.Join(dir, "a.png"), filler(5000))
	first, _ := run(t, scriptedCompressor{1, webpResult(t)}, nil, engine.DefaultOptions(), dir)
	out := first[orig].Output
	if mark, ok := engine.ReadMark(out); !ok || mark != sha256.Sum256(filler(5000)) {
		t.Fatalf("the output carries no mark of its original (%v)", ok)
	}
	for range 2 {
		again, sum := run(t, scriptedCompressor{1, webpResult(t)}, nil, engine.DefaultOptions(), dir)
		if again[orig].Output != out || sum.Done != 1 {
			t.Errorf("run without record: %+v, summary %+v", again, sum)
		}
	}
	assertOneOutputEach(t, dir, 1)
	// A foreign WebP (no mark) under the output's name is still left alone.
	other := writeFile(t, filepath.Join(dir, "b.png"), filler(5000))
	writeFile(t, filepath.Join(dir, "b.webp"), tinyWebP(t, 8, 8))
	final, _ := run(t, scriptedCompressor{1, webpResult(t)}, nil, engine.DefaultOptions(), other)
	if got := filepath.Base(final[other].Output); got != "b-min.webp" {
		t.Errorf("beside a foreign b.webp the output went to %s", got)
	}
}

// A folder reached through a symbolic link is the same folder: outputs
// written through one path are known through the other, and replacing
// originals through the link never backs up an output.
func TestPipeline_OutputsKnownThroughSymlink(t *testing.T) {
	x := t.TempDir()
	real := filepath.Join(x, "real")
	writeFile(t, filepath.Join(real, "a.png"), filler(5000))
	if err := os.Symlink("real", filepath.Join(x, "link")); err != nil {
		t.Fatal(err)
	}
	ledger := newRecord(t)
	run(t, scriptedCompressor{1, webpResult(t)}, ledger, engine.DefaultOptions(), real)
	for _, path := range []string{filepath.Join(x, "link"), filepath.Join(x, "link", "..", "real")} {
		final, sum := run(t, scriptedCompressor{1, webpResult(t)}, ledger, engine.DefaultOptions(), path)
		if sum.Done != 1 || len(final) != 1 {
			t.Errorf("through %s: %d done, events %v", path, sum.Done, final)
		}
	}
	opts := engine.DefaultOptions()
	opts.Replace = true
	run(t, scriptedCompressor{1, webpResult(t)}, ledger, opts, filepath.Join(x, "link"))
	got := listTree(t, real)
	want := []string{".fluxdesk-originals", ".fluxdesk-originals/.notes", ".fluxdesk-originals/.notes/a.png.json", ".fluxdesk-originals/a.png", "a.webp"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after replacing through the link: %v, want %v", got, want)
	}
}

// A record that cannot be written (here its file has become a folder; a full
// disk does the same) leaves each job done, with a warning from the record,
// and a later run still knows the outputs by their mark.
func TestPipeline_UnwritableRecordMakesNoDuplicates(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), record.FileName)
	rec, err := record.Open(dbPath, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(dbPath); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dbPath, 0o700); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := range 3 {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("s%d.png", i)), distinct(i, 3000))
	}
	for range 3 {
		final, sum := run(t, scriptedCompressor{2, webpResult(t)}, rec, engine.DefaultOptions(), dir)
		if sum.Done != 3 || len(final) != 3 {
			t.Fatalf("summary %+v, events %v", sum, final)
		}
		if err := rec.Flush(); err == nil || !strings.Contains(err.Error(), "not recorded: 3 outputs") {
			t.Errorf("Flush: %v, want a warning that the 3 outputs were not recorded", err)
		}
	}
	assertOneOutputEach(t, dir, 3)
}
