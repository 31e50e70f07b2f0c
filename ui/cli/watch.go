package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/record"
	"fluxdesk/engine/settings"
	"fluxdesk/watcher"
	"fluxdesk/watcher/session"
)

// stopGrace is how long in-flight jobs may finish after a stop is asked for;
// then they are cancelled, which leaves no partial file.
const stopGrace = 2 * time.Second

func runWatch(env *Env, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return watchUntil(ctx, env, args)
}

// watchUntil runs the watch command until ctx is done.
func watchUntil(ctx context.Context, env *Env, args []string) int {
	var settle time.Duration
	run, status, ok := parseCompressArgs(env, "watch", "watch [options] DIR...", "folders", args, func(fs *flag.FlagSet, s settings.Settings) {
		fs.DurationVar(&settle, "settle", s.Settle(), "how long a file must stay unchanged before it is compressed (a whole image by its end mark: a fifth of it)")
	})
	if !ok {
		return status
	}
	if settle <= 0 {
		return usageError(env, "watch", "--settle must be positive")
	}
	recPath, err := record.DefaultPath()
	if err != nil {
		env.problem("watch", err.Error())
		return ExitFailed
	}
	// Watching cannot do without the record: it is what keeps Fluxdesk's
	// own outputs from being compressed again.
	rec, err := record.Open(recPath, record.DefaultTimeout)
	if err != nil {
		env.problem("watch", err.Error())
		return ExitFailed
	}
	warnMovedAside(env, "watch", rec)
	warnFailures(env, "watch", rec)
	defer rec.Flush()
	o := session.Options{Quiet: settle}
	if run.opts.OutDir != "" {
		o.Exclude = []string{run.opts.OutDir}
	}
	return runSession(ctx, env, run, rec, record.WatchLockDir(recPath), o)
}

// runSession watches run's folders and feeds their files to a pipeline
// until ctx is done, then lets in-flight jobs finish for a moment and
// cancels the rest. The per-folder counts end the output.
func runSession(ctx context.Context, env *Env, run *compressRun, rec *record.Record, lockDir string, o session.Options) int {
	rep := newReporter(env, run.flags.json)
	watchCtx, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	var failMu sync.Mutex
	var failure error
	requests := make(chan engine.Request)
	cfg := session.Config{Record: rec, LockDir: lockDir}
	cfg.Hand = func(ctx context.Context, path string) error {
		select {
		case requests <- engine.Request{Path: path, Options: run.opts, Vetted: true}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var sess *session.Session // set before any folder is added
	cfg.OnStatus = statusPrinter(env, func() []session.Folder { return sess.Snapshot() })
	cfg.OnFailed = func(_ string, err error) {
		failMu.Lock()
		failure = cmp.Or(failure, err)
		failMu.Unlock()
		stopWatching()
	}
	sess = session.New(cfg, o)
	for _, d := range run.paths {
		if err := sess.Add(d, false); err != nil {
			sess.Close()
			env.problem("watch", err.Error())
			return ExitFailed
		}
	}
	// A folder that could not be watched at all (missing, not a folder)
	// ends the command, as one whose watcher stops does.
	for _, f := range sess.Snapshot() {
		if f.Kind == watcher.Error {
			sess.Close()
			env.problem("watch", f.Reason)
			return ExitFailed
		}
	}
	p := engine.New(run.comp, rec, func(e engine.Event) {
		rep.event(e)
		sess.Finished(e)
	})

	runCtx, cancelRun := context.WithCancel(context.Background())
	defer cancelRun()
	go func() {
		<-watchCtx.Done()
		sess.Stop()
		close(requests) // the hand-overs have ended
	}()
	go func() {
		<-watchCtx.Done()
		select {
		case <-time.After(stopGrace):
			cancelRun()
		case <-runCtx.Done():
		}
	}()

	summary := p.Run(runCtx, requests)
	sess.Close()
	rec.Flush()
	rep.finish(summary)
	for _, f := range sess.Snapshot() {
		if env.json {
			env.printJSON(newFolderLine(f, "stopped"))
		} else {
			fmt.Fprintf(env.Stderr, "%-8s %s: %s\n", "stopped", display(f.Path), f.Counts())
		}
	}
	failMu.Lock()
	defer failMu.Unlock()
	if failure != nil {
		env.problem("watch", failure.Error())
		return ExitFailed
	}
	return ExitOK
}

// statusPrinter prints the watcher's status changes on stderr, or as JSON
// objects with --json, with the folder's counts as sess keeps them.
func statusPrinter(env *Env, folders func() []session.Folder) func(watcher.Status) {
	return func(s watcher.Status) {
		if env.json {
			f := session.Folder{Path: s.Root, Reason: s.Reason}
			if s.Err != nil {
				f.Reason = s.Err.Error()
			}
			list := folders()
			if i := slices.IndexFunc(list, func(f session.Folder) bool { return f.Path == s.Root }); i >= 0 {
				f = list[i]
			}
			env.printJSON(newFolderLine(f, s.Kind))
			return
		}
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
