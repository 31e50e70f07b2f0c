package ui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fluxdesk/engine"
)

// stallingCompressor starts every job it takes and finishes it only when
// the run is cancelled.
type stallingCompressor struct{}

func (stallingCompressor) Compress(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink) {
	var wg sync.WaitGroup
	for job := range jobs {
		sink.Started(job)
		wg.Go(func() {
			<-ctx.Done()
			sink.Finished(job, engine.Result{Err: ctx.Err()})
		})
	}
	wg.Wait()
}

func TestLanes_CancelReachesRetiredLanes(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, name := range []string{"a.png", "b.png"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("not read"), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	var mu sync.Mutex
	running, final := 0, 0
	l := newLanes(func(string) (engine.Compressor, error) { return stallingCompressor{}, nil }, nil, func(_ int, e engine.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case e.Status == engine.StatusRunning:
			running++
		case e.Status.Final():
			final++
		}
	})
	defer l.stop(time.Second)
	counts := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return running, final
	}
	wait := func(what string, cond func(running, final int) bool) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for !cond(counts()) {
			select {
			case <-deadline:
				t.Fatalf("timed out waiting for %s", what)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}

	if err := l.submit("local", paths[:1], engine.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	wait("the first job to run", func(r, _ int) bool { return r == 1 })
	l.retire("local") // new settings: the first lane finishes what it has
	if err := l.submit("local", paths[1:], engine.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	wait("the second job to run", func(r, _ int) bool { return r == 2 })
	l.cancelAll()
	wait("both jobs to be cancelled", func(_, f int) bool { return f == 2 })
}
