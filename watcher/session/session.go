// Package session runs the watching of folders from end to end, for the
// window and for "fluxdesk watch" alike: each folder's watcher, the hashing
// of a file that settled, its hand-over to a pipeline, and the recording of
// what became of it, so that it is never processed twice.
//
// The hand-over blocks while the pipeline is busy, so the watcher's bound
// on pending files holds all the way to the compressor. Outcomes are
// recorded by one bookkeeping goroutine: Finished, called from a pipeline's
// listener, only copies the event, and never waits on the disk.
//
// A Session keeps each folder's state (paused, status, and the files
// pending, done, failed and the bytes saved), which the window's panel and
// the command line show; they only render what it reports.
package session

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/record"
	"fluxdesk/watcher"
)

// Kinds of Folder.Kind and Status.Kind besides the watcher's own.
const (
	// Starting: the folder's watcher has not reported yet.
	Starting watcher.Kind = "starting"
	// Warning: something went wrong that watching goes on despite, such as
	// an outcome that could not be recorded.
	Warning watcher.Kind = "warning"
)

// Record is what a session needs of the record of processed files: what
// the watcher asks of it, and a place to put each processed original.
type Record interface {
	watcher.Record
	Put(record.Source) error
}

var _ Record = (*record.Record)(nil)

// Folder is the state of one watched folder.
type Folder struct {
	Path   string
	Paused bool
	// Kind is the last status of its watcher; Reason says why (errors
	// and warnings too).
	Kind   watcher.Kind
	Reason string
	// Queued counts the files handed to the pipeline since the folder was
	// added; Pending those not finished yet; Done, Skipped and Failed what
	// became of the others.
	Queued, Pending, Done, Skipped, Failed int
	// Saved is the bytes the files done saved.
	Saved int64
}

// Counts words the folder's counts: "12 queued · 10 done · 1 failed ·
// 4.2 MB saved", or "no files yet".
func (f Folder) Counts() string {
	if f.Queued == 0 {
		return "no files yet"
	}
	c := fmt.Sprintf("%d queued · %d done", f.Queued, f.Done)
	if f.Failed > 0 {
		c += fmt.Sprintf(" · %d failed", f.Failed)
	}
	if f.Saved > 0 {
		c += " · " + engine.FormatBytes(f.Saved) + " saved"
	}
	return c
}

// Options are the watching options that Restart can change.
type Options struct {
	// Quiet is how long a file must stay unchanged to have settled.
	Quiet time.Duration
	// Exclude are folders never looked at, such as an output folder.
	Exclude []string
}

// Config connects a session to the rest of the program.
type Config struct {
	// Record is the record of processed files. Without one nothing can be
	// watched: each folder is then in error, with RecordErr as the reason.
	Record    Record
	RecordErr error
	// LockDir holds the locks that keep two watchers, in any process, off
	// the same folder (see watcher.Config).
	LockDir string
	// Hand gives a settled file to a pipeline. It returns once the
	// pipeline has taken it, so that a busy pipeline holds the watcher
	// back; or with an error when it cannot (an error wrapping
	// context.Canceled when the hand-over was called off).
	Hand func(ctx context.Context, path string) error
	// OnStatus, when set, receives each status of a watcher and the
	// session's warnings, as they happen. It must return quickly.
	OnStatus func(watcher.Status)
	// OnChange, when set, is called from any goroutine after a folder's
	// state changed; Snapshot reads it. It must return quickly.
	OnChange func()
	// OnBatch, when set, is called when every file a folder handed over
	// has finished, with how many there were and the bytes they saved.
	OnBatch func(files int, saved int64)
	// OnFailed, when set, is called when a folder's watcher could not
	// start, or stopped, because of err.
	OnFailed func(root string, err error)
}

// folder is one watched folder and its goroutines.
type folder struct {
	state  Folder
	w      *watcher.Watcher
	cancel context.CancelFunc
	done   chan struct{} // closed once its watcher and hand-over ended

	batchFiles int
	batchSaved int64
}

// handed is a file given to the pipeline, with its content as hashed.
type handed struct {
	f   *folder
	src record.Source
}

// Session watches folders and feeds their settled files to a pipeline.
// Safe for concurrent use.
type Session struct {
	cfg       Config
	restartMu sync.Mutex // one Restart at a time

	mu       sync.Mutex
	opts     Options
	folders  []*folder
	inFlight map[string][]handed // by path, oldest first

	// Final events waiting for the bookkeeping goroutine.
	outMu    sync.Mutex
	outcomes []engine.Event
	closed   bool
	wake     chan struct{}
	bookDone chan struct{}
}

// New returns a session with no folder, and starts its bookkeeping
// goroutine; Close ends it.
func New(cfg Config, opts Options) *Session {
	s := &Session{
		cfg: cfg, opts: opts, inFlight: map[string][]handed{},
		wake: make(chan struct{}, 1), bookDone: make(chan struct{}),
	}
	go s.keepBooks()
	return s
}

// Add starts watching path, paused if asked. A folder inside, or around,
// one already watched is refused. A folder that cannot be watched (missing,
// not a folder, no record) is added in the Error state, with the reason,
// so that it can be shown and started again; OnChange is called either way.
func (s *Session) Add(path string, paused bool) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	s.mu.Lock()
	for _, f := range s.folders {
		if within(abs, f.state.Path) || within(f.state.Path, abs) {
			s.mu.Unlock()
			return fmt.Errorf("%s overlaps %s, which is already watched", abs, f.state.Path)
		}
	}
	f := &folder{state: Folder{Path: abs, Paused: paused}}
	s.folders = append(s.folders, f)
	s.start(f)
	s.mu.Unlock()
	s.changed()
	return nil
}

// start runs a folder's watcher and hand-over. s.mu is held.
func (s *Session) start(f *folder) {
	f.state.Kind, f.state.Reason = Starting, ""
	f.w, f.cancel, f.done = nil, nil, nil
	if s.cfg.Record == nil {
		f.state.Kind, f.state.Reason = watcher.Error, s.cfg.RecordErr.Error()
		return
	}
	root := f.state.Path
	w, err := watcher.New(watcher.Config{
		Roots: []string{root}, Quiet: s.opts.Quiet, Record: s.cfg.Record,
		Exclude: s.opts.Exclude, OnStatus: s.onStatus, LockDir: s.cfg.LockDir,
	})
	if err != nil {
		f.state.Kind, f.state.Reason = watcher.Error, err.Error()
		return
	}
	if f.state.Paused {
		w.Pause("")
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.w, f.cancel, f.done = w, cancel, make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := w.Run(ctx); err != nil {
			s.onStatus(watcher.Status{Kind: watcher.Error, Root: root, Err: err})
			if s.cfg.OnFailed != nil {
				s.cfg.OnFailed(root, err)
			}
		}
	})
	wg.Go(func() { s.handOver(ctx, f, w) })
	go func() {
		wg.Wait()
		close(f.done)
	}()
}

// handOver hashes each settled file of a folder and hands it to the
// pipeline, one at a time, until the folder's watcher stops.
func (s *Session) handOver(ctx context.Context, f *folder, w *watcher.Watcher) {
	for file := range w.Files() {
		src, ok := record.ReadSettled(file.Path, file.Size, file.ModTime)
		if !ok {
			continue // changed since it settled: it will settle again
		}
		s.mu.Lock()
		s.inFlight[src.Path] = append(s.inFlight[src.Path], handed{f, src})
		f.state.Queued++
		f.state.Pending++
		f.batchFiles++
		s.mu.Unlock()
		s.changed()
		if err := s.cfg.Hand(ctx, src.Path); err != nil {
			s.notHanded(f, src.Path, err)
		}
	}
}

// notHanded takes back a file the pipeline did not take. A hand-over
// called off is forgotten (the file is tried again when it changes or on
// the next start); another error counts as a failure.
func (s *Session) notHanded(f *folder, path string, err error) {
	s.mu.Lock()
	list := s.inFlight[path]
	if i := slices.IndexFunc(list, func(h handed) bool { return h.f == f }); i >= 0 {
		s.dropInFlight(path, i)
	}
	f.state.Pending--
	if errors.Is(err, context.Canceled) {
		f.state.Queued--
		f.batchFiles--
	} else {
		f.state.Failed++
		f.state.Reason = fmt.Sprintf("%s was not queued: %v", filepath.Base(path), err)
	}
	files, saved := f.takeBatch()
	s.mu.Unlock()
	s.finishBatch(files, saved)
	s.changed()
}

// dropInFlight removes the i-th entry for path. s.mu is held.
func (s *Session) dropInFlight(path string, i int) {
	list := slices.Delete(s.inFlight[path], i, i+1)
	if len(list) == 0 {
		delete(s.inFlight, path)
		return
	}
	s.inFlight[path] = list
}

// Finished takes an event from the pipeline the session hands files to.
// It is meant to be called from the pipeline's listener: it only keeps a
// copy of a final event for the bookkeeping goroutine, and never waits on
// the disk. Events of files the session did not hand over are ignored.
func (s *Session) Finished(e engine.Event) {
	if !e.Status.Final() {
		return
	}
	s.outMu.Lock()
	if !s.closed {
		s.outcomes = append(s.outcomes, e)
	}
	s.outMu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// keepBooks is the bookkeeping goroutine: it records the outcome of each
// file handed over, and counts it, until Close.
func (s *Session) keepBooks() {
	defer close(s.bookDone)
	for {
		s.outMu.Lock()
		batch, closed := s.outcomes, s.closed
		s.outcomes = nil
		s.outMu.Unlock()
		for _, e := range batch {
			s.settle(e)
		}
		if len(batch) > 0 {
			continue
		}
		if closed {
			return
		}
		<-s.wake
	}
}

// settle records and counts the final event of a job, when the session
// handed its file over.
func (s *Session) settle(e engine.Event) {
	s.mu.Lock()
	list, ok := s.inFlight[e.Path]
	if !ok {
		s.mu.Unlock()
		return
	}
	h := list[0]
	s.dropInFlight(e.Path, 0)
	s.mu.Unlock()

	var warning string
	if e.Processed() {
		h.src.Output, h.src.Status = e.Output, string(e.Status)
		if err := s.cfg.Record.Put(h.src); err != nil {
			warning = fmt.Sprintf("%s could not be recorded (%v); it may be compressed again after a restart", filepath.Base(e.Path), err)
		}
	}

	s.mu.Lock()
	f := h.f
	f.state.Pending--
	switch e.Status {
	case engine.StatusDone:
		f.state.Done++
		f.state.Saved += e.BytesIn - e.BytesOut
		f.batchSaved += e.BytesIn - e.BytesOut
	case engine.StatusSkipped:
		f.state.Skipped++
	case engine.StatusFailed:
		f.state.Failed++
	}
	if warning != "" {
		f.state.Reason = warning
	}
	files, saved := f.takeBatch()
	s.mu.Unlock()

	if warning != "" && s.cfg.OnStatus != nil {
		s.cfg.OnStatus(watcher.Status{Kind: Warning, Root: f.state.Path, Reason: warning})
	}
	s.finishBatch(files, saved)
	s.changed()
}

// takeBatch returns, and starts anew, the folder's batch once nothing of
// it is pending; files is 0 otherwise. s.mu is held.
func (f *folder) takeBatch() (files int, saved int64) {
	if f.state.Pending > 0 || f.batchFiles == 0 {
		return 0, 0
	}
	files, saved = f.batchFiles, f.batchSaved
	f.batchFiles, f.batchSaved = 0, 0
	return files, saved
}

func (s *Session) finishBatch(files int, saved int64) {
	if files > 0 && s.cfg.OnBatch != nil {
		s.cfg.OnBatch(files, saved)
	}
}

// onStatus takes a watcher's status report.
func (s *Session) onStatus(st watcher.Status) {
	s.mu.Lock()
	for _, f := range s.folders {
		if f.state.Path == st.Root {
			f.state.Kind, f.state.Reason = st.Kind, st.Reason
			if st.Err != nil {
				f.state.Reason = st.Err.Error()
			}
		}
	}
	s.mu.Unlock()
	if s.cfg.OnStatus != nil {
		s.cfg.OnStatus(st)
	}
	s.changed()
}

func (s *Session) changed() {
	if s.cfg.OnChange != nil {
		s.cfg.OnChange()
	}
}

// Remove stops watching path. Files it handed over are still recorded
// when they finish.
func (s *Session) Remove(path string) {
	s.mu.Lock()
	i := slices.IndexFunc(s.folders, func(f *folder) bool { return f.state.Path == path })
	if i < 0 {
		s.mu.Unlock()
		return
	}
	if cancel := s.folders[i].cancel; cancel != nil {
		cancel()
	}
	s.folders = slices.Delete(s.folders, i, i+1)
	s.mu.Unlock()
	s.changed()
}

// SetPaused pauses or resumes path, or every folder when path is "".
func (s *Session) SetPaused(path string, paused bool) {
	s.mu.Lock()
	for _, f := range s.folders {
		if path != "" && f.state.Path != path {
			continue
		}
		f.state.Paused = paused
		switch {
		case f.w == nil:
		case paused:
			f.w.Pause("")
		default:
			f.w.Resume("")
		}
	}
	s.mu.Unlock()
	s.changed()
}

// Restart starts every watcher again with opts. Their counts go on.
func (s *Session) Restart(opts Options) {
	s.restartMu.Lock()
	defer s.restartMu.Unlock()
	s.mu.Lock()
	s.opts = opts
	old := slices.Clone(s.folders)
	running := runningOf(old)
	s.mu.Unlock()
	stopAll(running)
	s.mu.Lock()
	for _, f := range old {
		if slices.Contains(s.folders, f) { // not removed meanwhile
			s.start(f)
		}
	}
	s.mu.Unlock()
	s.changed()
}

// Snapshot returns the folders' states, in the order they were added.
func (s *Session) Snapshot() []Folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Folder, len(s.folders))
	for i, f := range s.folders {
		out[i] = f.state
	}
	return out
}

// AnyActive reports whether at least one folder is watched and not paused.
func (s *Session) AnyActive() bool {
	return slices.ContainsFunc(s.Snapshot(), func(f Folder) bool { return !f.Paused })
}

// Stop ends every watcher and hand-over, and waits for them. The outcomes
// of files already handed over are still recorded until Close.
func (s *Session) Stop() {
	s.mu.Lock()
	running := runningOf(s.folders)
	s.mu.Unlock()
	stopAll(running)
}

// Close stops watching, records the outcomes already reported and ends the
// bookkeeping goroutine. Events reported later are ignored.
func (s *Session) Close() {
	s.Stop()
	s.outMu.Lock()
	s.closed = true
	s.outMu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	<-s.bookDone
}

// running is a folder's watcher as it was when asked to stop.
type running struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// runningOf returns the folders' running watchers. s.mu is held.
func runningOf(list []*folder) []running {
	var out []running
	for _, f := range list {
		if f.cancel != nil {
			out = append(out, running{f.cancel, f.done})
		}
	}
	return out
}

// stopAll ends the watchers and hand-overs, and waits for them.
func stopAll(list []running) {
	for _, r := range list {
		r.cancel()
		<-r.done
	}
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}
