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
// goroutines. A job under way when ctx is done may finish with ctx's error.
// Compress returns when every job it took has been reported.
func (c *Compressor) Compress(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink) {
	var wg sync.WaitGroup
	for range c.workers {
		wg.Go(func() { new(worker).run(ctx, jobs, sink) })
	}
	wg.Wait()
}
