package local

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"fluxdesk/engine"
)

// TestNew_DefaultsToOneWorkerPerCore checks the worker count.
func TestNew_DefaultsToOneWorkerPerCore(t *testing.T) {
	for _, tc := range []struct{ asked, want int }{{0, runtime.NumCPU()}, {-3, runtime.NumCPU()}, {5, 5}} {
		if got := New(tc.asked).Workers(); got != tc.want {
			t.Errorf("New(%d).Workers() = %d, want %d", tc.asked, got, tc.want)
		}
	}
}

// concurrency is a Sink that measures how many jobs run at once.
type concurrency struct {
	*recorder
	mu        sync.Mutex
	now, peak int
}

func (c *concurrency) Started(job engine.Job) {
	c.mu.Lock()
	c.now++
	c.peak = max(c.peak, c.now)
	c.mu.Unlock()
	c.recorder.Started(job)
}

func (c *concurrency) Finished(job engine.Job, res engine.Result) {
	c.mu.Lock()
	c.now--
	c.mu.Unlock()
	c.recorder.Finished(job, res)
}

// TestCompress_EveryJobReportedOnce runs good and bad files through several
// workers: each job is started and finished exactly once, a bad file fails
// alone, and no more jobs run at once than there are workers.
func TestCompress_EveryJobReportedOnce(t *testing.T) {
	good := writeFile(t, "good.jpg", encodeJPEG(t, gradient(120, 80), 90))
	bad := writeFile(t, "bad.jpg", []byte("<html>oops</html>"))
	jobs := make(chan engine.Job)
	const n, workers = 24, 3
	go func() {
		defer close(jobs)
		for id := 1; id <= n; id++ {
			path := good
			if id%4 == 0 {
				path = bad
			}
			jobs <- engine.Job{ID: id, Path: path, Options: engine.DefaultOptions()}
		}
	}()
	sink := &concurrency{recorder: newRecorder()}
	New(workers).Compress(context.Background(), jobs, sink)
	if len(sink.order) > 0 {
		t.Fatalf("sink calls out of order: %v", sink.order)
	}
	if len(sink.finished) != n {
		t.Fatalf("%d jobs finished, want %d", len(sink.finished), n)
	}
	if sink.peak > workers {
		t.Errorf("%d jobs ran at once with %d workers", sink.peak, workers)
	}
	for id, res := range sink.finished {
		if failed := res.Err != nil; failed != (id%4 == 0) {
			t.Errorf("job %d: error %v", id, res.Err)
		}
		if res.Err == nil && (res.Width != 120 || res.Height != 80 || len(res.Data) == 0) {
			t.Errorf("job %d: %d×%d, %d bytes", id, res.Width, res.Height, len(res.Data))
		}
	}
}

// cancelling is a Sink that cancels the run when the first job finishes.
type cancelling struct {
	*recorder
	cancel context.CancelFunc
}

func (c *cancelling) Finished(job engine.Job, res engine.Result) {
	c.recorder.Finished(job, res)
	c.cancel()
}

// TestCompress_StopsTakingJobsWhenCancelled checks that no job is taken
// after the context is done, and that Compress returns although the job
// channel stays open.
func TestCompress_StopsTakingJobsWhenCancelled(t *testing.T) {
	path := writeFile(t, "a.jpg", encodeJPEG(t, gradient(64, 64), 90))
	for _, tc := range []struct {
		name         string
		cancelBefore bool
		want         int
	}{{"before the start", true, 0}, {"after the first job", false, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			jobs := make(chan engine.Job, 5)
			for id := 1; id <= 5; id++ {
				jobs <- engine.Job{ID: id, Path: path, Options: engine.DefaultOptions()}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancelBefore {
				cancel()
			}
			sink := &cancelling{recorder: newRecorder(), cancel: cancel}
			done := make(chan struct{})
			go func() {
				New(1).Compress(ctx, jobs, sink)
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Compress did not return after cancellation")
			}
			if len(sink.finished) != tc.want || len(sink.started) != tc.want {
				t.Errorf("%d started, %d finished, want %d", len(sink.started), len(sink.finished), tc.want)
			}
			if left := len(jobs); left != 5-tc.want {
				t.Errorf("%d jobs left in the queue, want %d", left, 5-tc.want)
			}
		})
	}
}

// TestWorker_ReusesPixelBuffers checks that a worker decodes its second
// image of the same size into the memory of the first, allocating on the Go
// heap far less than the pixels would take.
func TestWorker_ReusesPixelBuffers(t *testing.T) {
	const w, h = 1000, 800
	data := encodeJPEG(t, gradient(w, h), 90)
	wk := new(worker)
	defer wk.free()
	ctx := context.Background()
	if _, _, _, err := wk.convert(ctx, data, engine.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	first := &wk.bufs[0].mem[0]
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, _, _, err := wk.convert(ctx, data, engine.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if &wk.bufs[0].mem[0] != first {
		t.Error("the second image got a new pixel buffer")
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew >= 3*w*h {
		t.Errorf("second image allocated %d bytes, as much as its RGB pixels", grew)
	}
}

// TestWorker_TrimsLargeBuffers checks that a buffer too large to keep is
// freed after its image and that smaller ones stay.
func TestWorker_TrimsLargeBuffers(t *testing.T) {
	wk := new(worker)
	defer wk.free()
	wk.bufs[0].get(keepBytes + 1)
	wk.bufs[1].get(1 << 20)
	wk.trim()
	if wk.bufs[0].size() != 0 || wk.bufs[1].size() != 1<<20 {
		t.Errorf("after trim: buffers of %d and %d bytes", wk.bufs[0].size(), wk.bufs[1].size())
	}
}
