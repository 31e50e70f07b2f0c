package local

import (
	"context"
	"runtime"
	"sync"

	"fluxdesk/engine"
)

// Compressor compresses jobs to WebP on this machine with a fixed number of
// worker goroutines, each with its own reusable pixel buffers.
type Compressor struct {
	workers int
}

var _ engine.Compressor = (*Compressor)(nil)

// New returns a Compressor with the given number of workers; zero or less
// means one per CPU core.
func New(workers int) *Compressor {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	return &Compressor{workers: workers}
}

// Workers returns the number of jobs the Compressor works on at once.
func (c *Compressor) Workers() int {
	return c.workers
}

// Compress takes jobs until the channel is closed or ctx is done, and
// reports each job it took to sink, Started then Finished, from its worker
// goroutines. Background jobs run at the lowest CPU priority the system has
// (SCHED_IDLE on Linux; elsewhere as the others): they get a core only when
// no other thread wants it. The window's watched folders compress this way,
// so that its drawing, on the same cores, comes first: at the start of a
// flood of files, its main thread had waited for a core up to 70 ms in a
// tenth of a second. A job under way when ctx is done may finish with
// ctx's error. Compress returns when every job it took has been reported.
func (c *Compressor) Compress(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink) {
	var wg sync.WaitGroup
	for range c.workers {
		wg.Go(func() { new(worker).run(ctx, jobs, sink) })
	}
	wg.Wait()
}
