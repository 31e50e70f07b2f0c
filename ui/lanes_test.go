package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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

// idleCompressor takes no job until the run is cancelled.
type idleCompressor struct{}

func (idleCompressor) Compress(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink) {
	<-ctx.Done()
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

// Files submitted one at a time while the pipeline is stalled wait in the
// lane's queue, not in a goroutine each.
func TestLanes_SubmitStartsNoGoroutinePerCall(t *testing.T) {
	l := newLanes(func(string) (engine.Compressor, error) { return stallingCompressor{}, nil }, nil, func(int, engine.Event) {})
	defer l.stop(time.Second)
	dir := t.TempDir()
	if err := l.submit("local", []string{dir}, engine.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for i := range 1000 {
		if err := l.submit("local", []string{filepath.Join(dir, fmt.Sprintf("%d.png", i))}, engine.DefaultOptions()); err != nil {
			t.Fatal(err)
		}
	}
	if n := runtime.NumGoroutine() - before; n > 50 {
		t.Errorf("%d more goroutines after 1000 submits", n)
	}
}

// handOver returns once the lane's pipeline took the request, and with the
// caller's error when it gave up first.
func TestLanes_HandOverWaitsForThePipeline(t *testing.T) {
	l := newLanes(func(string) (engine.Compressor, error) { return idleCompressor{}, nil }, nil, func(int, engine.Event) {})
	defer l.stop(time.Second)
	path := filepath.Join(t.TempDir(), "a.png")
	if err := os.WriteFile(path, []byte("not read"), 0o600); err != nil {
		t.Fatal(err)
	}
	req := engine.Request{Path: path, Options: engine.DefaultOptions()}
	if err := l.handOver(context.Background(), "local", req); err != nil {
		t.Fatalf("an idle lane refused a request: %v", err)
	}
	// A stalled pipeline fills up: some hand-over then has to wait, and
	// gives up with its context.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var err error
	for i := 0; err == nil && i < 1000; i++ {
		err = l.handOver(ctx, "local", req)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("1000 hand-overs to a stalled pipeline: %v, want the deadline", err)
	}
}
