package remote

import (
	"context"
	"fmt"
	"os"
	"time"

	"fluxdesk/engine"
)

// batch is up to MaxFiles jobs sent in one request.
type batch struct {
	params Params
	jobs   []engine.Job
}

// collect takes jobs until the channel closes or ctx is done and packs
// them into batches: a batch goes out when it is full, or Linger after its
// first job arrived, so a batch holds the jobs that are available now.
// Jobs with different settings go in different batches.
func (r *run) collect(ctx context.Context, jobs <-chan engine.Job, out chan<- batch) {
	defer close(out)
	pending := map[Params][]engine.Job{}
	var linger <-chan time.Time
	flushAll := func() {
		for p, js := range pending {
			out <- batch{p, js}
		}
		clear(pending)
		linger = nil
	}
	for {
		select {
		case job, ok := <-jobs:
			if !ok {
				flushAll()
				return
			}
			p, ok := r.admit(ctx, job)
			if !ok {
				continue
			}
			pending[p] = append(pending[p], job)
			if len(pending[p]) == MaxFiles {
				out <- batch{p, pending[p]}
				delete(pending, p)
			}
			switch {
			case len(pending) == 0:
				linger = nil
			case linger == nil:
				linger = time.After(r.c.opt.Linger)
			}
		case <-linger:
			flushAll()
		case <-ctx.Done():
			flushAll() // the senders report them as cancelled
			return
		}
	}
}

// admit checks what can be checked before sending: the settings, and the
// file's size against the service's limit. Jobs that cannot go are failed
// or handed to the fallback here.
func (r *run) admit(ctx context.Context, job engine.Job) (Params, bool) {
	p := paramsOf(job.Options)
	if job.Options.Lossless {
		r.fail(job, fmt.Errorf("lossless WebP is made by the local engine only; Fluximage makes png for lossless"))
		return p, false
	}
	if job.Options.AutoQuality {
		r.fail(job, fmt.Errorf("auto quality is chosen by the local engine only; Fluximage takes a fixed quality"))
		return p, false
	}
	if err := p.Validate(); err != nil {
		r.fail(job, err)
		return p, false
	}
	fi, err := os.Stat(job.Path)
	if err != nil {
		r.fail(job, fmt.Errorf("cannot read the file: %w", err))
		return p, false
	}
	if fi.Size() > MaxFileSize {
		err := fmt.Errorf("%.1f MB is over Fluximage's 20 MB limit per file; not sent", float64(fi.Size())/(1<<20))
		r.handOver(ctx, []engine.Job{job}, err)
		return p, false
	}
	return p, true
}

// paramsOf maps a job's options to request settings.
func paramsOf(o engine.Options) Params {
	q := o.Quality
	if o.Format == engine.FormatPNG {
		q = 0 // not sent: png is always lossless
	}
	return Params{Format: o.Format, Quality: q, MaxWidth: o.MaxWidth, MaxHeight: o.MaxHeight}
}

// encoding says how the service encodes with these settings.
func (p Params) encoding() engine.Encoding {
	return engine.Encoding{Quality: p.Quality, Lossless: p.Format == engine.FormatPNG}
}
