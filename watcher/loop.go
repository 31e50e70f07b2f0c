package watcher

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"

	"fluxdesk/engine"
)

// minRecent is the least number of handed-over files remembered, well above
// the number of files an engine holds in flight.
const minRecent = 4096

// rootState is what the loop knows of one watched folder.
type rootState struct {
	path   string
	paused bool
	// held are files that settled while paused, handed over on resume.
	held map[string]Stamp
	// rescanOnResume is set when held overflowed: the whole folder is
	// scanned on resume instead.
	rescanOnResume bool
	// gone is set while the folder does not exist.
	gone bool
}

// loop is the watcher's single owner of state: it alone touches the settler,
// the queues and the roots, so none of them needs a lock.
type loop struct {
	w       *Watcher
	fsw     *fsnotify.Watcher
	settler *Settler
	roots   []*rootState
	dirs    map[string]bool // folders with a watch

	walkQ   []string // folders waiting for the walker
	walking bool
	walks   chan string
	found   chan walkItem

	readyQ  []Settled // settled files waiting for the checker
	checks  chan Settled
	recheck chan Settled // files not whole, back from the checker to settle again

	poll *time.Ticker // while a root is gone
}

func newLoop(w *Watcher, fsw *fsnotify.Watcher) *loop {
	l := &loop{
		w: w, fsw: fsw,
		settler: NewSettler(w.cfg.Quiet, w.cfg.Quiet/glanceShare, w.cfg.MaxDelay, w.cfg.MaxPending),
		dirs:    map[string]bool{},
		walks:   make(chan string),
		found:   make(chan walkItem),
		checks:  make(chan Settled),
		recheck: make(chan Settled),
	}
	for _, r := range w.roots {
		l.roots = append(l.roots, &rootState{path: r, held: map[string]Stamp{}})
	}
	return l
}

// run is the loop itself; it returns when ctx is done.
func (l *loop) run(ctx context.Context) {
	l.applyPause()
	for _, r := range l.roots {
		l.status(Status{Kind: Rescanning, Root: r.path, Reason: "catching up with files that arrived while not watching"})
		l.queueWalk(r.path)
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var walks chan<- string
		var nextWalk string
		if !l.walking && len(l.walkQ) > 0 {
			walks, nextWalk = l.walks, l.walkQ[0]
		}
		var checks chan<- Settled
		var nextCheck Settled
		if len(l.readyQ) > 0 {
			checks, nextCheck = l.checks, l.readyQ[0]
		}
		var found <-chan walkItem
		if l.settler.Len()+len(l.readyQ) < l.w.cfg.MaxPending {
			found = l.found
		}
		var timerC <-chan time.Time
		if next, ok := l.settler.Next(); ok && len(l.readyQ) < l.w.cfg.MaxPending {
			timer.Reset(time.Until(next))
			timerC = timer.C
		}
		var pollC <-chan time.Time
		if l.poll != nil {
			pollC = l.poll.C
		}

		select {
		case <-ctx.Done():
			return
		case ev, ok := <-l.fsw.Events:
			if !ok {
				return
			}
			l.onEvent(ev)
		case err, ok := <-l.fsw.Errors:
			if !ok {
				return
			}
			l.onError(err)
		case walks <- nextWalk:
			l.walkQ = l.walkQ[1:]
			l.walking = true
		case item := <-found:
			l.onFound(item)
		case checks <- nextCheck:
			l.readyQ = l.readyQ[1:]
		case f := <-l.recheck:
			if r := l.rootOf(f.Path); r != nil && !r.gone && l.settler.Again(f.Path, f.Stamp, time.Now()) {
				l.collapsed(r)
			}
		case <-timerC:
			l.onTimer(time.Now())
		case <-l.w.wake:
			l.applyPause()
		case <-pollC:
			l.pollGone()
		}
	}
}

// onEvent handles one file system event.
func (l *loop) onEvent(ev fsnotify.Event) {
	if ev.Name == "" || !(ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
		return // Chmod alone: permissions or timestamps, never content
	}
	r := l.rootOf(ev.Name)
	if r == nil {
		return
	}
	if ev.Name == r.path {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			l.rootGone(r)
		}
		return
	}
	if skipName(filepath.Base(ev.Name)) || l.excluded(ev.Name) {
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		l.forget(r, ev.Name)
		return
	}
	info, err := os.Lstat(ev.Name)
	switch {
	case err != nil:
	case info.IsDir():
		if ev.Has(fsnotify.Create) {
			l.queueWalk(ev.Name) // a new folder: watch it, then list it
		}
	case info.Mode().IsRegular() && engine.IsImageName(ev.Name):
		l.changed(r, ev.Name, Stamp{Size: info.Size(), ModTime: info.ModTime()})
	}
}

// onError handles an error from fsnotify.
func (l *loop) onError(err error) {
	if !errors.Is(err, fsnotify.ErrEventOverflow) {
		for _, r := range l.roots {
			l.status(Status{Kind: Error, Root: r.path, Err: err})
		}
		return
	}
	now := time.Now()
	for _, r := range l.roots {
		if !r.gone {
			l.settler.Rescan(r.path, now)
			l.status(Status{Kind: Rescanning, Root: r.path, Reason: "too many changes at once: some were not seen"})
		}
	}
}

// onFound handles what the walker reports.
func (l *loop) onFound(item walkItem) {
	switch {
	case item.file != nil:
		if r := l.rootOf(item.file.Path); r != nil && !r.gone {
			l.changed(r, item.file.Path, item.file.Stamp)
		}
	case item.watched != "":
		l.dirs[item.watched] = true
	case item.err != nil:
		l.status(Status{Kind: Error, Root: l.rootPathOf(item.dir), Err: item.err})
	case item.done != "":
		l.walking = false
		if r := l.rootOf(item.done); r != nil && r.path == item.done && !r.gone {
			kind := Watching
			if r.paused {
				kind = Paused
			}
			l.status(Status{Kind: kind, Root: r.path})
		}
	}
}

// onTimer moves settled files on and starts due rescans.
func (l *loop) onTimer(now time.Time) {
	files, dirs := l.settler.Due(now, statStamp, l.w.cfg.MaxPending-len(l.readyQ))
	for _, f := range files {
		r := l.rootOf(f.Path)
		switch {
		case r == nil || r.gone:
		case r.paused:
			l.hold(r, f)
		default:
			l.readyQ = append(l.readyQ, f)
		}
	}
	for _, d := range dirs {
		l.queueWalk(d)
	}
}

// changed passes a file change to the settler, reporting a collapse.
func (l *loop) changed(r *rootState, path string, st Stamp) {
	if l.settler.Changed(path, st, time.Now()) {
		l.collapsed(r)
	}
}

// collapsed reports that the pending files collapsed into folder rescans.
func (l *loop) collapsed(r *rootState) {
	l.status(Status{Kind: Rescanning, Root: r.path, Reason: "too many files changing at once: their folders will be scanned"})
}

// forget drops a removed or renamed path, and the watches below it.
func (l *loop) forget(r *rootState, path string) {
	l.settler.Removed(path)
	delete(r.held, path)
	if !l.dirs[path] {
		return
	}
	for dir := range l.dirs {
		if within(dir, path) {
			delete(l.dirs, dir)
			l.fsw.Remove(dir) // may already be gone with its folder
		}
	}
}

// hold keeps a settled file of a paused root for its resumption.
func (l *loop) hold(r *rootState, f Settled) {
	if r.rescanOnResume {
		return
	}
	if len(r.held) >= l.w.cfg.MaxPending {
		clear(r.held)
		r.rescanOnResume = true
		return
	}
	r.held[f.Path] = f.Stamp
}

// applyPause brings each root's paused state in line with what was asked.
func (l *loop) applyPause() {
	want := l.w.pausedNow()
	for _, r := range l.roots {
		switch {
		case want[r.path] && !r.paused:
			r.paused = true
			l.status(Status{Kind: Paused, Root: r.path})
		case !want[r.path] && r.paused:
			r.paused = false
			l.resume(r)
		}
	}
}

// resume hands over what was noted while r was paused.
func (l *loop) resume(r *rootState) {
	for path, st := range r.held {
		l.readyQ = append(l.readyQ, Settled{Path: path, Stamp: st})
	}
	clear(r.held)
	if r.rescanOnResume {
		r.rescanOnResume = false
		l.status(Status{Kind: Rescanning, Root: r.path, Reason: "many changes were made while paused"})
		l.queueWalk(r.path)
		return
	}
	l.status(Status{Kind: Watching, Root: r.path})
}

// rootGone handles a watched folder that was removed or moved away.
func (l *loop) rootGone(r *rootState) {
	if r.gone {
		return
	}
	r.gone = true
	l.forget(r, r.path)
	clear(r.held)
	l.status(Status{Kind: Error, Root: r.path, Err: errors.New("the folder was removed or moved away; it is watched again when it is back")})
	if l.poll == nil {
		l.poll = time.NewTicker(max(l.w.cfg.Quiet, time.Second))
	}
}

// pollGone looks for removed roots that are back.
func (l *loop) pollGone() {
	anyGone := false
	for _, r := range l.roots {
		if !r.gone {
			continue
		}
		if info, err := os.Stat(r.path); err == nil && info.IsDir() {
			r.gone = false
			l.status(Status{Kind: Rescanning, Root: r.path, Reason: "the folder is back"})
			l.queueWalk(r.path)
			continue
		}
		anyGone = true
	}
	if !anyGone {
		l.poll.Stop()
		l.poll = nil
	}
}

// queueWalk asks the walker for dir, unless it or a folder above it is
// already waiting.
func (l *loop) queueWalk(dir string) {
	if slices.ContainsFunc(l.walkQ, func(q string) bool { return within(dir, q) }) {
		return
	}
	l.walkQ = slices.DeleteFunc(l.walkQ, func(q string) bool { return within(q, dir) })
	l.walkQ = append(l.walkQ, dir)
}

// check hands over the files that pass the checks, until ctx is done. A
// file that came out of the settler early goes back for the whole quiet
// period unless it is whole. A file whose data ends early goes back to
// settle again, until it is whole or has been waited for IncompleteWait;
// then it is handed over anyway, for the engine to report what is wrong
// with it.
func (l *loop) check(ctx context.Context) {
	handed := newRecent(max(l.w.cfg.MaxPending, minRecent))
	waiting := newWaits(l.w.cfg.MaxPending)
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-l.checks:
			v := check(l.w.cfg.Record, f)
			if v == incomplete && (f.Early || waiting.waited(f, time.Now()) < l.w.cfg.IncompleteWait) {
				select {
				case l.recheck <- f:
				case <-ctx.Done():
					return
				}
				continue
			}
			waiting.done(f.Path)
			if v == drop || handed.seen(f.Path, f.Stamp) {
				continue
			}
			file := File{Path: f.Path, Root: l.rootPathOf(f.Path), Size: f.Stamp.Size, ModTime: f.Stamp.ModTime}
			select {
			case l.w.files <- file:
			case <-ctx.Done():
				return
			}
		}
	}
}

// rootOf returns the root path is in, or nil.
func (l *loop) rootOf(path string) *rootState {
	for _, r := range l.roots {
		if within(path, r.path) {
			return r
		}
	}
	return nil
}

// rootPathOf returns the watched folder path is in; the roots never change,
// so any goroutine may ask.
func (l *loop) rootPathOf(path string) string {
	for _, r := range l.w.roots {
		if within(path, r) {
			return r
		}
	}
	return ""
}

// excluded reports whether path is in an excluded folder.
func (l *loop) excluded(path string) bool {
	return slices.ContainsFunc(l.w.cfg.Exclude, func(ex string) bool { return within(path, ex) })
}

// status reports s to the watcher's callback.
func (l *loop) status(s Status) {
	if l.w.cfg.OnStatus != nil {
		l.w.cfg.OnStatus(s)
	}
}
