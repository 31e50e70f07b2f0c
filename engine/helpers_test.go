package engine_test

import (
	"bytes"
	"context"
	"image"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/chai2010/webp"

	"fluxdesk/engine"
	"fluxdesk/engine/record"
)

// scriptedCompressor stands in for an encoder: it reads each original and
// returns what produce makes of it, with the given number of workers.
type scriptedCompressor struct {
	workers int
	produce func(job engine.Job, original []byte) engine.Result
}

func (c scriptedCompressor) Compress(ctx context.Context, jobs <-chan engine.Job, s engine.Sink) {
	var wg sync.WaitGroup
	for range max(c.workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case job, ok := <-jobs:
					if !ok {
						return
					}
					s.Started(job)
					data, err := os.ReadFile(job.Path)
					if err != nil {
						s.Finished(job, engine.Result{Err: err})
						continue
					}
					s.Finished(job, c.produce(job, data))
				}
			}
		}()
	}
	wg.Wait()
}

// tinyWebP returns a valid w×h lossy WebP.
func tinyWebP(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	data, err := webp.EncodeRGBA(img, 80)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// webpResult makes a compressor result of a valid 8×8 WebP.
func webpResult(t testing.TB) func(engine.Job, []byte) engine.Result {
	data := tinyWebP(t, 8, 8)
	return func(engine.Job, []byte) engine.Result {
		return engine.Result{Data: data, Format: "webp", Width: 8, Height: 8}
	}
}

// newRecord returns a fresh persistent record, the ledger Fluxdesk uses.
func newRecord(t testing.TB) *record.Record {
	t.Helper()
	r, err := record.Open(filepath.Join(t.TempDir(), record.FileName), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Flush() }) // before its folder is removed
	return r
}

// run compresses paths with opts and returns the final event of each path
// (keyed by path) and the summary.
func run(t *testing.T, c engine.Compressor, ledger engine.Ledger, opts engine.Options, paths ...string) (map[string]engine.Event, engine.Summary) {
	t.Helper()
	reqs := make([]engine.Request, len(paths))
	for i, path := range paths {
		reqs[i] = engine.Request{Path: path, Options: opts}
	}
	return runRequests(t, c, ledger, reqs...)
}

// runRequests is run with the requests made by the caller.
func runRequests(t *testing.T, c engine.Compressor, ledger engine.Ledger, requests ...engine.Request) (map[string]engine.Event, engine.Summary) {
	t.Helper()
	final := map[string]engine.Event{}
	var mu sync.Mutex
	busy := false
	p := engine.New(c, ledger, func(e engine.Event) {
		mu.Lock()
		if busy {
			t.Error("listener called concurrently")
		}
		busy = true
		mu.Unlock()
		if e.Status.Final() {
			if _, dup := final[e.Path]; dup {
				t.Errorf("%s reported final twice", e.Path)
			}
			final[e.Path] = e
		}
		mu.Lock()
		busy = false
		mu.Unlock()
	})
	reqs := make(chan engine.Request, len(requests))
	for _, r := range requests {
		reqs <- r
	}
	close(reqs)
	return final, p.Run(context.Background(), reqs)
}

// writeFile creates a file with content, making parent folders.
func writeFile(t testing.TB, path string, content []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// filler returns n bytes that stand in for an original image.
func filler(n int) []byte { return bytes.Repeat([]byte{0xAB}, n) }

// listTree returns every path below dir, relative, sorted.
func listTree(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// mustRead returns a file's content.
func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
