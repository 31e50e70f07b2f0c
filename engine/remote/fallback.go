package remote

import (
	"context"

	"fluxdesk/engine"
)

// startFallback starts the fallback compressor, when there is one, on a
// channel of its own; it reports to the same sink.
func (r *run) startFallback(ctx context.Context) {
	if r.c.opt.Fallback == nil {
		return
	}
	r.fallback = make(chan engine.Job)
	r.fallbackDone = make(chan struct{})
	go func() {
		defer close(r.fallbackDone)
		r.c.opt.Fallback.Compress(ctx, r.fallback, r.sink)
	}()
}

// stopFallback lets the fallback finish its jobs and waits for it.
func (r *run) stopFallback() {
	if r.fallback != nil {
		close(r.fallback)
		<-r.fallbackDone
	}
}

// handOver gives jobs to the fallback compressor, or fails them with err
// when there is none.
func (r *run) handOver(ctx context.Context, jobs []engine.Job, err error) {
	for i, j := range jobs {
		if r.fallback == nil {
			r.fail(j, err)
			continue
		}
		select {
		case r.fallback <- j:
		case <-ctx.Done():
			r.failAll(jobs[i:], ctx.Err())
			return
		}
	}
}
