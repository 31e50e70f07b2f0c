package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"fluxdesk/engine"
)

// downloadsPerBatch is how many results of one batch download at once.
const downloadsPerBatch = 4

// errCancelled is the result of jobs the run was stopped before finishing.
var errCancelled = errors.New("cancelled")

// send takes one batch to its end: every job finished, held until a new key
// comes, or handed to the fallback.
func (r *run) send(ctx context.Context, b batch) {
	jobs := b.jobs
	for len(jobs) > 0 {
		if ctx.Err() != nil {
			r.failAll(jobs, errCancelled)
			return
		}
		key, err := r.gate.key(ctx)
		switch {
		case err == nil:
			jobs = r.upload(ctx, key, b.params, jobs)
		case errors.Is(err, ErrKeyRejected) || errors.Is(err, ErrNoKey):
			if err := r.hold(ctx, jobs, key, r.keyError(err)); err != nil {
				r.failAll(jobs, err)
				return
			}
		case errors.Is(err, ErrQuota) || errors.Is(err, ErrUnreachable):
			r.handOver(ctx, jobs, err)
			return
		case ctx.Err() != nil:
			r.failAll(jobs, errCancelled)
			return
		default:
			r.failAll(jobs, err)
			return
		}
	}
}

// keyError adds to a key problem what the user can do about it.
func (r *run) keyError(err error) error {
	if r.c.opt.KeyHint == "" {
		return err
	}
	return fmt.Errorf("%w %s", err, r.c.opt.KeyHint)
}

// hold reports jobs as held and waits until a key other than bad is
// stored. It returns the error to fail them with when they cannot be held
// (HoldOnRejectedKey off, keys that never change) or the run is cancelled.
func (r *run) hold(ctx context.Context, jobs []engine.Job, bad string, reason error) error {
	changed := r.c.keys.KeyChanged()
	if !r.c.opt.HoldOnRejectedKey || changed == nil {
		return reason
	}
	if r.gate.changedSince(bad) { // stored between the rejection and now
		return nil
	}
	for _, j := range jobs {
		r.sink.Held(j, reason.Error())
	}
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		return errCancelled
	}
}

// upload sends jobs in one request and reports them. It returns the jobs
// to send again: all of them when the key was rejected.
func (r *run) upload(ctx context.Context, key string, p Params, jobs []engine.Job) []engine.Job {
	files, sent := r.open(jobs)
	defer closeAll(files)
	if len(sent) == 0 {
		return nil
	}
	for _, j := range sent {
		r.sink.Started(j)
	}
	outs, err := r.c.client.Compress(ctx, key, p, uploads(files, sent))
	switch {
	case err == nil:
		r.fetch(ctx, p.Format, sent, outs)
	case ctx.Err() != nil:
		r.failAll(sent, errCancelled)
	case errors.Is(err, ErrKeyRejected):
		r.gate.reject(key)
		return sent
	case errors.Is(err, ErrUnreachable):
		r.handOver(ctx, sent, err)
	default:
		r.failAll(sent, err)
	}
	return nil
}

// open opens the jobs' files; those that cannot be opened fail alone, and
// animated images are skipped as they are (the service would return a
// still).
func (r *run) open(jobs []engine.Job) ([]*os.File, []engine.Job) {
	var files []*os.File
	var ok []engine.Job
	for _, j := range jobs {
		f, err := os.Open(j.Path)
		if err != nil {
			r.fail(j, fmt.Errorf("cannot read the file: %w", err))
			continue
		}
		if engine.Animated(f) {
			f.Close()
			r.sink.Finished(j, engine.Result{Skip: engine.KeptAnimated})
			continue
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			r.fail(j, fmt.Errorf("cannot read the file: %w", err))
			continue
		}
		files = append(files, f)
		ok = append(ok, j)
	}
	return files, ok
}

func uploads(files []*os.File, jobs []engine.Job) []Upload {
	up := make([]Upload, len(files))
	for i, f := range files {
		size := jobs[i].Size
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		up[i] = Upload{Name: filepath.Base(jobs[i].Path), Body: f, Size: size}
	}
	return up
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close() // read-only: nothing to lose on close
	}
}

// fetch downloads and checks the results of one batch, a few at a time,
// and reports each job.
func (r *run) fetch(ctx context.Context, format engine.Format, jobs []engine.Job, outs []Outcome) {
	sem := make(chan struct{}, downloadsPerBatch)
	var wg sync.WaitGroup
	for i, j := range jobs {
		if outs[i].Err != nil {
			r.fail(j, outs[i].Err)
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res := r.result(ctx, format, outs[i])
			res.Encoding = paramsOf(j.Options).encoding()
			r.sink.Finished(j, res)
		})
	}
	wg.Wait()
}

func (r *run) result(ctx context.Context, format engine.Format, o Outcome) engine.Result {
	var (
		data = o.Data
		w, h int
		err  error
	)
	if data != nil {
		w, h, err = Verify(data, format)
	} else {
		data, w, h, err = r.c.client.Download(ctx, o.URL, format)
	}
	switch {
	case ctx.Err() != nil:
		return engine.Result{Err: errCancelled}
	case err != nil:
		return engine.Result{Err: err}
	}
	return engine.Result{Data: data, Format: format, Width: w, Height: h}
}
