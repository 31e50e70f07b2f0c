package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/record"
	"fluxdesk/engine/settings"
	"fluxdesk/watcher"
)

// stopGrace is how long in-flight jobs may finish after a stop is asked for;
// then they are cancelled, which leaves no partial file.
const stopGrace = 2 * time.Second

var _ watcher.Record = (*record.Record)(nil)

func runWatch(env *Env, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return watchUntil(ctx, env, args)
}

// watchUntil runs the watch command until ctx is done.
func watchUntil(ctx context.Context, env *Env, args []string) int {
	var settle time.Duration
	run, status, ok := parseCompressArgs(env, "watch", "watch [options] DIR...", "folders", args, func(fs *flag.FlagSet, s settings.Settings) {
		fs.DurationVar(&settle, "settle", s.Settle(), "how long a file must stay unchanged before it is compressed")
	})
	if !ok {
		return status
	}
	if settle <= 0 {
		return usageError(env, "watch", "--settle must be positive")
	}
	dirs, opts := run.paths, run.opts
	recPath, err := record.DefaultPath()
	if err != nil {
		fmt.Fprintf(env.Stderr, "fluxdesk watch: %v\n", err)
		return ExitFailed
	}
	// Watching cannot do without the record: it is what keeps Fluxdesk's
	// own outputs from being compressed again.
	rec, err := record.Open(recPath, record.DefaultTimeout)
	if err != nil {
		fmt.Fprintf(env.Stderr, "fluxdesk watch: %v\n", err)
		return ExitFailed
	}
	warnMovedAside(env, rec)

	cfg := watcher.Config{Roots: dirs, Quiet: settle, Record: rec, OnStatus: statusPrinter(env), LockDir: record.WatchLockDir(recPath)}
	if opts.OutDir != "" {
		cfg.Exclude = []string{opts.OutDir}
	}
	w, err := watcher.New(cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "fluxdesk watch: %v\n", err)
		return ExitFailed
	}
	return runWatcher(ctx, env, w, rec, run.comp, opts, run.flags.json)
}

// runWatcher feeds the watcher's files to a pipeline until ctx is done, then
// lets in-flight jobs finish for a moment and cancels the rest.
func runWatcher(ctx context.Context, env *Env, w *watcher.Watcher, rec *record.Record, comp engine.Compressor, opts engine.Options, asJSON bool) int {
	rep := newReporter(env, asJSON)
	sources := &inFlight{rec: rec, env: env, files: map[string]record.Source{}}
	p := engine.New(comp, rec, func(e engine.Event) {
		rep.event(e)
		sources.finished(e)
	})

	runCtx, cancelRun := context.WithCancel(context.Background())
	defer cancelRun()
	var watchErr error
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		watchErr = w.Run(ctx)
	}()
	requests := make(chan engine.Request)
	go func() {
		defer close(requests)
		for f := range w.Files() {
			if sources.start(f) {
				select {
				case requests <- engine.Request{Path: f.Path, Options: opts}:
				case <-ctx.Done():
				}
			}
		}
	}()
	go func() {
		<-ctx.Done()
		select {
		case <-time.After(stopGrace):
			cancelRun()
		case <-runCtx.Done():
		}
	}()

	summary := p.Run(runCtx, requests)
	<-watchDone
	rep.finish(summary)
	if watchErr != nil {
		fmt.Fprintf(env.Stderr, "fluxdesk watch: %v\n", watchErr)
		return ExitFailed
	}
	return ExitOK
}

// inFlight remembers the content of each file handed to the pipeline, and
// records it once the file is done, so that it is never processed again.
type inFlight struct {
	rec   *record.Record
	env   *Env
	mu    sync.Mutex
	files map[string]record.Source
}

// start hashes a settled file before it is compressed. It returns false
// when the file changed since it settled: it will settle again.
func (f *inFlight) start(file watcher.File) bool {
	src, ok := record.ReadSettled(file.Path, file.Size, file.ModTime)
	if !ok {
		return false
	}
	f.mu.Lock()
	f.files[src.Path] = src
	f.mu.Unlock()
	return true
}

// finished records a file whose job was processed for good (done, or
// skipped for no gain).
// Failed and cancelled jobs are not recorded: they are tried again when the
// file changes or on the next start.
func (f *inFlight) finished(e engine.Event) {
	if !e.Status.Final() {
		return
	}
	f.mu.Lock()
	src, ok := f.files[e.Path]
	delete(f.files, e.Path)
	f.mu.Unlock()
	if !ok || !e.Processed() {
		return
	}
	src.Output, src.Status = e.Output, string(e.Status)
	if err := f.rec.Put(src); err != nil {
		fmt.Fprintf(f.env.Stderr, "warning: %s could not be recorded (%v); it may be compressed again after a restart\n", display(src.Path), err)
	}
}

// statusPrinter prints the watcher's status changes on stderr.
func statusPrinter(env *Env) func(watcher.Status) {
	return func(s watcher.Status) {
		fmt.Fprintf(env.Stderr, "%-8s %s\n", s.Kind, describeStatus(s))
	}
}

// describeStatus words a status without its kind.
func describeStatus(s watcher.Status) string {
	switch {
	case s.Err != nil:
		return fmt.Sprintf("%s: %v", display(s.Root), s.Err)
	case s.Reason != "":
		return fmt.Sprintf("%s: %s", display(s.Root), s.Reason)
	}
	return display(s.Root)
}
