package ui

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

// starting is the kind of a folder whose watcher has not reported yet.
const starting watcher.Kind = "starting"

// FolderState is what the watched-folders panel shows of one folder.
type FolderState struct {
	Path   string
	Paused bool
	// Kind is the watcher's last status; Reason says why (errors too).
	Kind   watcher.Kind
	Reason string
	// Queued counts the files handed to the engine since start; Done,
	// Failed and Saved what became of them.
	Queued, Done, Failed int
	Saved                int64
}

// watchConfig is what watching needs from the rest of the window.
type watchConfig struct {
	rec     *record.Record // nil: watching is impossible, recErr says why
	recErr  error
	lockDir string // the watch locks shared with other Fluxdesk processes
	settle  func() time.Duration
	exclude func() []string
	// submit hands a settled file to the engine.
	submit func(path string) error
	// changed is called, from any goroutine, after a folder's state changed.
	changed func()
	// batchDone is called, from an engine goroutine, when every file a
	// folder handed over has finished.
	batchDone func(files int, saved int64)
}

// folder is one watched folder and its watcher.
type folder struct {
	state  FolderState
	w      *watcher.Watcher
	cancel context.CancelFunc
	done   chan struct{}

	pending    int // files handed over and not finished
	batchFiles int
	batchSaved int64
}

// folders runs one watcher per watched folder, so that each can be added,
// removed, paused and reported on its own. It records the content of each
// file it hands over once that file is done, so that it is never processed
// again. Safe for concurrent use.
type folders struct {
	cfg watchConfig

	mu       sync.Mutex
	list     []*folder
	inFlight map[string]inFlightFile
}

// inFlightFile is a file handed to the engine, with its content's record.
type inFlightFile struct {
	f   *folder
	src record.Source
}

func newFolders(cfg watchConfig) *folders {
	return &folders{cfg: cfg, inFlight: map[string]inFlightFile{}}
}

// add starts watching path (paused if asked).
func (fs *folders) add(path string, paused bool) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, f := range fs.list {
		if within(abs, f.state.Path) || within(f.state.Path, abs) {
			return fmt.Errorf("%s overlaps %s, which is already watched", abs, f.state.Path)
		}
	}
	f := &folder{state: FolderState{Path: abs, Paused: paused, Kind: starting}}
	fs.list = append(fs.list, f)
	fs.start(f)
	return nil
}

// start runs a folder's watcher. fs.mu is held.
func (fs *folders) start(f *folder) {
	if fs.cfg.rec == nil {
		f.state.Kind, f.state.Reason = watcher.Error, fs.cfg.recErr.Error()
		return
	}
	root := f.state.Path
	w, err := watcher.New(watcher.Config{
		Roots: []string{root}, Quiet: fs.cfg.settle(), Record: fs.cfg.rec,
		Exclude: fs.cfg.exclude(), OnStatus: fs.onStatus, LockDir: fs.cfg.lockDir,
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
	go func() {
		defer close(f.done)
		if err := w.Run(ctx); err != nil {
			fs.setStatus(root, watcher.Status{Kind: watcher.Error, Root: root, Err: err})
		}
	}()
	go fs.handOver(f, w)
}

// handOver queues the settled files of one folder until its watcher stops.
func (fs *folders) handOver(f *folder, w *watcher.Watcher) {
	for file := range w.Files() {
		src, ok := record.ReadSettled(file.Path, file.Size, file.ModTime)
		if !ok {
			continue // changed since it settled: it will settle again
		}
		fs.mu.Lock()
		fs.inFlight[src.Path] = inFlightFile{f, src}
		f.pending++
		f.batchFiles++
		f.state.Queued++
		fs.mu.Unlock()
		if err := fs.cfg.submit(src.Path); err != nil {
			fs.finished(engine.Event{Status: engine.StatusFailed, Path: src.Path, Message: err.Error()})
		}
		fs.cfg.changed()
	}
}

// onStatus takes a watcher's status report.
func (fs *folders) onStatus(s watcher.Status) {
	fs.setStatus(s.Root, s)
}

func (fs *folders) setStatus(root string, s watcher.Status) {
	fs.mu.Lock()
	for _, f := range fs.list {
		if f.state.Path == root {
			f.state.Kind, f.state.Reason = s.Kind, s.Reason
			if s.Err != nil {
				f.state.Reason = s.Err.Error()
			}
		}
	}
	fs.mu.Unlock()
	fs.cfg.changed()
}

// finished takes a job's event from the engine: a watched file that is
// done (or skipped for no gain) is recorded, and the folder's batch counted.
func (fs *folders) finished(e engine.Event) {
	if !e.Status.Final() {
		return
	}
	fs.mu.Lock()
	in, ok := fs.inFlight[e.Path]
	if !ok {
		fs.mu.Unlock()
		return
	}
	delete(fs.inFlight, e.Path)
	f := in.f
	f.pending--
	switch e.Status {
	case engine.StatusDone:
		f.state.Done++
		f.state.Saved += e.BytesIn - e.BytesOut
		f.batchSaved += e.BytesIn - e.BytesOut
	case engine.StatusFailed:
		f.state.Failed++
	}
	var files int
	var saved int64
	if f.pending == 0 {
		files, saved = f.batchFiles, f.batchSaved
		f.batchFiles, f.batchSaved = 0, 0
	}
	fs.mu.Unlock()

	if e.Processed() {
		in.src.Output, in.src.Status = e.Output, string(e.Status)
		if err := fs.cfg.rec.Put(in.src); err != nil {
			fs.setReason(f, fmt.Sprintf("%s could not be recorded (%v); it may be compressed again after a restart", filepath.Base(e.Path), err))
		}
	}
	fs.cfg.changed()
	if files > 0 {
		fs.cfg.batchDone(files, saved)
	}
}

func (fs *folders) setReason(f *folder, reason string) {
	fs.mu.Lock()
	f.state.Reason = reason
	fs.mu.Unlock()
}

// remove stops watching path.
func (fs *folders) remove(path string) {
	fs.mu.Lock()
	i := fs.indexOf(path)
	if i < 0 {
		fs.mu.Unlock()
		return
	}
	f := fs.list[i]
	fs.list = slices.Delete(fs.list, i, i+1)
	fs.mu.Unlock()
	if f.cancel != nil {
		f.cancel()
	}
	fs.cfg.changed()
}

// setPaused pauses or resumes path, or every folder when path is "".
func (fs *folders) setPaused(path string, paused bool) {
	fs.mu.Lock()
	for _, f := range fs.list {
		if path != "" && f.state.Path != path {
			continue
		}
		f.state.Paused = paused
		if f.w == nil {
			continue
		}
		if paused {
			f.w.Pause("")
		} else {
			f.w.Resume("")
		}
	}
	fs.mu.Unlock()
	fs.cfg.changed()
}

// restart starts every watcher again, with the settle time and exclusions
// in force now.
func (fs *folders) restart() {
	fs.mu.Lock()
	old := fs.list
	fs.list = nil
	fs.mu.Unlock()
	for _, f := range old {
		if f.cancel != nil {
			f.cancel()
			<-f.done
		}
	}
	fs.mu.Lock()
	for _, f := range old {
		nf := &folder{state: f.state}
		nf.state.Kind, nf.state.Reason = starting, ""
		fs.list = append(fs.list, nf)
		fs.start(nf)
	}
	fs.mu.Unlock()
	fs.cfg.changed()
}

// snapshot returns the folders' states, in the order they were added.
func (fs *folders) snapshot() []FolderState {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]FolderState, len(fs.list))
	for i, f := range fs.list {
		out[i] = f.state
	}
	return out
}

// anyActive reports whether at least one folder is watched and not paused.
func (fs *folders) anyActive() bool {
	for _, s := range fs.snapshot() {
		if !s.Paused {
			return true
		}
	}
	return false
}

// stop ends every watcher and waits for them.
func (fs *folders) stop() {
	fs.mu.Lock()
	list := fs.list
	fs.mu.Unlock()
	for _, f := range list {
		if f.cancel != nil {
			f.cancel()
			<-f.done
		}
	}
}

func (fs *folders) indexOf(path string) int {
	for i, f := range fs.list {
		if f.state.Path == path {
			return i
		}
	}
	return -1
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}

// errNoRecord explains why folders cannot be watched without the record.
var errNoRecord = errors.New("folders cannot be watched without the record of processed files")
