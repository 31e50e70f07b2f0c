package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"

	"fluxdesk/engine"
)

// keepBytes is the largest pixel buffer a worker keeps for the next image
// (about 22 megapixels of RGB); larger ones are freed after their image.
const keepBytes = 64 << 20

// worker compresses one job at a time, reusing its two pixel buffers: the
// decoder writes the first, and each later step of the pipeline reads the
// current buffer and writes the other one.
type worker struct {
	bufs [2]buffer
	auto autoState
}

// run takes jobs until the channel is closed or ctx is done. It works on
// one OS thread at a time (see onThread), and moves to a new one when a job
// that someone waits for follows background jobs.
func (w *worker) run(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink) {
	defer w.free()
	var carried *engine.Job
	for {
		moved := make(chan *engine.Job)
		go func() { moved <- w.onThread(ctx, jobs, sink, carried) }()
		if carried = <-moved; carried == nil {
			return
		}
	}
}

// onThread takes jobs on one OS thread, locked to it: libjpeg and libwebp
// allocate through the C library, which keeps freed memory in an arena per
// thread, so a worker keeps one arena instead of touching a new one
// whenever it moves to another thread. The thread goes to the lowest CPU
// priority for the first background job (Job.Background). A thread cannot
// leave it again without privileges, so a later job that someone waits
// for is returned, for run to start on a new thread, and this one ends
// with its goroutine, where no other goroutine runs (or is parked for good
// when it is the process's first). onThread returns nil when there are no
// more jobs.
func (w *worker) onThread(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink, carried *engine.Job) *engine.Job {
	runtime.LockOSThread()
	lowered := false
	defer func() {
		if !lowered {
			runtime.UnlockOSThread()
		}
	}()
	var job engine.Job
	ok := carried != nil // a job carried over was taken: it runs even when ctx is done
	if ok {
		job = *carried
	} else {
		job, ok = receive(ctx, jobs)
	}
	for ; ok; job, ok = receive(ctx, jobs) {
		if lowered && !job.Background {
			return &job
		}
		if job.Background && !lowered {
			lowered = lowestPriority() == nil
		}
		sink.Started(job)
		sink.Finished(job, w.compress(ctx, job))
	}
	return nil
}

// receive returns the next job; ok is false when there are no more or ctx
// is done.
func receive(ctx context.Context, jobs <-chan engine.Job) (job engine.Job, ok bool) {
	if ctx.Err() != nil {
		return engine.Job{}, false
	}
	select {
	case <-ctx.Done():
		return engine.Job{}, false
	case job, ok = <-jobs:
		return job, ok
	}
}

// compress turns one job into a result; it never panics.
func (w *worker) compress(ctx context.Context, job engine.Job) (res engine.Result) {
	defer func() {
		if p := recover(); p != nil {
			res = engine.Result{Err: fmt.Errorf("internal error while compressing the image: %v", p)}
		}
	}()
	defer w.trim()
	if job.Options.Format != "" && job.Options.Format != engine.FormatWebP {
		return engine.Result{Err: fmt.Errorf("this machine can only make WebP images, not %s", job.Options.Format)}
	}
	data, err := readFile(job.Path)
	if err != nil {
		return engine.Result{Err: err}
	}
	if engine.Animated(bytes.NewReader(data)) {
		return w.compressAnimated(data, job.Options)
	}
	out, r, enc, err := w.convert(ctx, data, job.Options)
	if err != nil {
		return engine.Result{Err: err}
	}
	return engine.Result{Data: out, Format: engine.FormatWebP, Width: r.width, Height: r.height, Encoding: enc}
}

// compressAnimated turns an animated GIF into an animated WebP; other
// animated images (WebP, APNG) are kept as they are, never flattened.
func (w *worker) compressAnimated(data []byte, opts engine.Options) engine.Result {
	if format, _ := sniff(data); format != fmtGIF {
		return engine.Result{Skip: engine.KeptAnimated}
	}
	out, width, height, err := encodeAnimatedGIF(data, opts)
	if err != nil {
		return engine.Result{Err: err}
	}
	// Frames are encoded at the fixed quality, also when auto quality is on.
	return engine.Result{Data: out, Format: engine.FormatWebP, Width: width, Height: height,
		Encoding: engine.Encoding{Quality: opts.Quality, Lossless: opts.Lossless}}
}

// convert runs the pipeline: probe, check limits, decode, scale (a box
// filter for most of a large reduction, then Catmull-Rom), orient, encode.
// It returns the WebP data, the raster it was made from and how it was
// encoded.
func (w *worker) convert(ctx context.Context, data []byte, opts engine.Options) ([]byte, raster, engine.Encoding, error) {
	src, err := probe(data)
	if err != nil {
		return nil, raster{}, engine.Encoding{}, err
	}
	if err := checkPixels(src.width, src.height, opts.MaxPixels); err != nil {
		return nil, raster{}, engine.Encoding{}, err
	}
	o := src.orientation
	uw, uh := uprightSize(src.width, src.height, o)
	if err := checkWebPSize(fitSize(uw, uh, opts.MaxWidth, opts.MaxHeight)); err != nil {
		return nil, raster{}, engine.Encoding{}, err
	}
	r, err := src.decode(data, &w.bufs[0])
	if err != nil {
		return nil, raster{}, engine.Encoding{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, raster{}, engine.Encoding{}, fmt.Errorf("cancelled: %w", err)
	}
	r = develop(r, o, opts.MaxWidth, opts.MaxHeight, &w.bufs)
	chunks := src.chunks(opts, r.width, r.height)
	if opts.AutoQuality {
		out, enc, err := w.encodeAuto(r, opts, chunks)
		return out, r, enc, err
	}
	out, err := encode(r, opts, chunks)
	return out, r, engine.Encoding{Quality: opts.Quality, Lossless: opts.Lossless}, err
}

// trim frees buffers too large to be worth keeping for the next image.
func (w *worker) trim() {
	for i := range w.bufs {
		if w.bufs[i].size() > keepBytes {
			w.bufs[i].free()
		}
	}
	w.auto.release(keepBytes)
}

// free releases the worker's buffers.
func (w *worker) free() {
	for i := range w.bufs {
		w.bufs[i].free()
	}
	w.auto.release(0)
}

// readFile reads a whole file, refusing files too large to hold in memory.
func readFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("the file no longer exists")
	case errors.Is(err, fs.ErrPermission):
		return nil, errors.New("permission to read the file was denied")
	case err != nil:
		return nil, fmt.Errorf("the file cannot be read: %w", err)
	case info.IsDir():
		return nil, errors.New("it is a folder, not a file")
	case info.Size() > maxFileBytes:
		return nil, failf(ErrTooLarge, "the file is %d MB, over the %d MB limit", info.Size()>>20, maxFileBytes>>20)
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return nil, errors.New("permission to read the file was denied")
	case err != nil:
		return nil, fmt.Errorf("the file cannot be read: %w", err)
	}
	return data, nil
}
