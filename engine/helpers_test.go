package engine

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
)

// scriptedCompressor stands in for an encoder: it reads each original and
// returns what produce makes of it, with the given number of workers.
type scriptedCompressor struct {
	workers int
	produce func(job Job, original []byte) Result
}

func (c scriptedCompressor) Compress(ctx context.Context, jobs <-chan Job, s Sink) {
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
						s.Finished(job, Result{Err: err})
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
func webpResult(t testing.TB) func(Job, []byte) Result {
	data := tinyWebP(t, 8, 8)
	return func(Job, []byte) Result {
		return Result{Data: data, Format: "webp", Width: 8, Height: 8}
	}
}

// mapLedger is an in-memory Ledger that checks outputs are unchanged by size.
type mapLedger struct {
	mu      sync.Mutex
	written map[string]Written
}

func newMapLedger() *mapLedger { return &mapLedger{written: map[string]Written{}} }

func (l *mapLedger) SourceOf(output string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.written[output]
	if !ok {
		return "", false
	}
	info, err := os.Stat(output)
	if err != nil || info.Size() != w.Size || !info.ModTime().Equal(w.ModTime) {
		return "", false
	}
	return w.Source, true
}

func (l *mapLedger) Wrote(w Written) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.written[w.Output] = w
	return nil
}

// run compresses paths with opts and returns the final event of each path
// (keyed by path) and the summary.
func run(t *testing.T, c Compressor, ledger Ledger, opts Options, paths ...string) (map[string]Event, Summary) {
	t.Helper()
	final := map[string]Event{}
	var mu sync.Mutex
	busy := false
	p := New(c, ledger, func(e Event) {
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
	reqs := make(chan Request, len(paths))
	for _, path := range paths {
		reqs <- Request{Path: path, Options: opts}
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
