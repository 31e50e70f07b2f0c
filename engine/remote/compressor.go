package remote

import (
	"context"
	"sync"
	"time"

	"fluxdesk/engine"
)

// Options configure a Compressor; zero values select the defaults.
type Options struct {
	// InFlight is how many compress requests run at once (default 3).
	InFlight int
	// Linger is how long a batch waits for more jobs before it is sent
	// with fewer than MaxFiles files (default 50 ms).
	Linger time.Duration
	// HoldOnRejectedKey holds the jobs hit by a rejected or missing key
	// until a new key is stored (the window). Without it they fail with an
	// error matching ErrKeyRejected or ErrNoKey (the command line).
	HoldOnRejectedKey bool
	// KeyHint tells the user how to store a new key; it ends the message
	// given with held or failed jobs.
	KeyHint string
	// OnKeyRejected, when set, is called each time the service rejects a
	// key, so that the caller can show it or end the run.
	OnKeyRejected func()
	// Fallback, when set, receives the jobs the service cannot take: files
	// over 20 MB, and all jobs while the quota is used up or the service
	// cannot be reached.
	Fallback engine.Compressor
}

// Compressor is an engine.Compressor that sends jobs to Fluximage.
type Compressor struct {
	client *Client
	keys   Keys
	opt    Options
}

var _ engine.Compressor = (*Compressor)(nil)

// NewCompressor returns a compressor that sends jobs through client, with
// the key keys gives at the time of sending.
func NewCompressor(client *Client, keys Keys, o Options) *Compressor {
	if o.InFlight <= 0 {
		o.InFlight = 3
	}
	if o.Linger <= 0 {
		o.Linger = 50 * time.Millisecond
	}
	return &Compressor{client: client, keys: keys, opt: o}
}

// Compress packs jobs into batches of up to MaxFiles with the same settings
// and sends up to InFlight of them at once. The usage check runs once per
// key before its first upload. It returns when every job taken has been
// reported to sink, by itself or by the fallback.
func (c *Compressor) Compress(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink) {
	r := &run{c: c, sink: sink, gate: &gate{keys: c.keys, client: c.client, onReject: c.opt.OnKeyRejected}}
	r.startFallback(ctx)
	batches := make(chan batch)
	var wg sync.WaitGroup
	for range c.opt.InFlight {
		wg.Go(func() {
			for b := range batches {
				r.send(ctx, b)
			}
		})
	}
	r.collect(ctx, jobs, batches)
	wg.Wait()
	r.stopFallback()
}

// run is the state of one Compress call.
type run struct {
	c    *Compressor
	sink engine.Sink
	gate *gate

	fallback     chan engine.Job
	fallbackDone chan struct{}
}

// fail reports a job as failed with err.
func (r *run) fail(job engine.Job, err error) {
	r.sink.Finished(job, engine.Result{Err: err})
}

func (r *run) failAll(jobs []engine.Job, err error) {
	for _, j := range jobs {
		r.fail(j, err)
	}
}
