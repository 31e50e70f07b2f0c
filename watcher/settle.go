package watcher

import (
	"container/list"
	"path/filepath"
	"strings"
	"time"
)

// Stamp is what settling compares: a file's size and modification time.
type Stamp struct {
	Size    int64
	ModTime time.Time
}

// Equal reports whether two stamps describe the same state of a file.
func (s Stamp) Equal(o Stamp) bool {
	return s.Size == o.Size && s.ModTime.Equal(o.ModTime)
}

// Settled is a file whose stamp stayed the same over the quiet period, or
// over the glance when Early is set.
type Settled struct {
	Path  string
	Stamp Stamp
	// Early is set when the file was unchanged only for the glance, a part
	// of the quiet period: it is to be taken only if its end mark shows it
	// whole, and otherwise given the whole quiet period (Again).
	Early bool
}

// Settler decides when changed files have settled. It is a pure state
// machine: events and the current time go in, settled files and folders to
// rescan come out, so it is tested without a file system or a clock.
//
// A file settles once no event touched it for the quiet period and its stamp
// is still the one seen with the last event; a stamp that moved without an
// event (a timestamp set after a copy) restarts the quiet period. A file is
// first given only a glance, a shorter wait after which it comes out early:
// the writes of a copy follow each other much faster than that, and the
// caller takes an early file only when its data is whole, putting it back
// for the whole quiet period otherwise (Again). The set of
// pending files is bounded: when it would grow past its limit, the pending
// files collapse into rescans of their folders. A pending rescan absorbs the
// events below it and is due once its folder has been quiet for the quiet
// period, or at the latest the maximum delay after it was asked for.
type Settler struct {
	quiet, glance, maxDelay time.Duration
	maxPending              int
	// Pending files wait in two queues of *pendingFile, each with one
	// delay, so each is in due order: glancing files are due a glance
	// after their last change, waiting ones the quiet period after it.
	glancing, waiting *list.List
	files             map[string]*list.Element
	under             map[string]int // pending files below each folder
	dirs              map[string]*pendingDir
}

type pendingFile struct {
	path  string
	stamp Stamp
	due   time.Time
	queue *list.List // glancing or waiting
}

type pendingDir struct {
	first, last time.Time
}

// NewSettler returns a settler with the given quiet period, glance (none
// when zero or not shorter than quiet), maximum delay of a folder rescan,
// and limit on pending files.
func NewSettler(quiet, glance, maxDelay time.Duration, maxPending int) *Settler {
	if glance <= 0 || glance >= quiet {
		glance = quiet
	}
	return &Settler{
		quiet: quiet, glance: glance, maxDelay: maxDelay, maxPending: max(maxPending, 1),
		glancing: list.New(), waiting: list.New(),
		files: map[string]*list.Element{}, under: map[string]int{}, dirs: map[string]*pendingDir{},
	}
}

// Len returns how many files and folders are pending.
func (s *Settler) Len() int {
	return len(s.files) + len(s.dirs)
}

// Changed notes that the file at path changed and now has stamp st; it is
// due a glance from now. It reports whether the pending set overflowed and
// collapsed into folder rescans.
func (s *Settler) Changed(path string, st Stamp, now time.Time) (collapsed bool) {
	if s.glance < s.quiet {
		return s.note(path, st, now, s.glancing, s.glance)
	}
	return s.note(path, st, now, s.waiting, s.quiet)
}

// Again puts back a file that came out but was not whole: it is due the
// whole quiet period from now, never early. It reports a collapse as
// Changed does.
func (s *Settler) Again(path string, st Stamp, now time.Time) (collapsed bool) {
	return s.note(path, st, now, s.waiting, s.quiet)
}

// note makes path pending in queue, due after delay.
func (s *Settler) note(path string, st Stamp, now time.Time, queue *list.List, delay time.Duration) (collapsed bool) {
	if d := s.pendingAncestor(path); d != nil {
		d.last = now
		return false
	}
	if e, ok := s.files[path]; ok {
		s.requeue(e, st, now.Add(delay), queue)
		return false
	}
	s.add(&pendingFile{path: path, stamp: st, due: now.Add(delay), queue: queue})
	if len(s.files) <= s.maxPending {
		return false
	}
	s.collapse(now)
	return true
}

// Removed forgets path and everything pending below it.
func (s *Settler) Removed(path string) {
	if e, ok := s.files[path]; ok {
		s.remove(e)
	}
	s.dropFilesUnder(path)
	if len(s.dirs) == 0 {
		return
	}
	for dir := range s.dirs {
		if within(dir, path) {
			delete(s.dirs, dir)
		}
	}
}

// Rescan asks for the folder dir to be rescanned once it is quiet. Pending
// files below it are dropped: the rescan finds them again.
func (s *Settler) Rescan(dir string, now time.Time) {
	if d := s.pendingAncestor(dir); d != nil {
		d.last = now
		return
	}
	s.dropFilesUnder(dir)
	s.dirs[dir] = &pendingDir{first: now, last: now}
	s.pruneDirs()
}

// Next returns when Due next has something to do; ok is false when nothing
// is pending.
func (s *Settler) Next() (at time.Time, ok bool) {
	if f := s.front(); f != nil {
		at, ok = f.due, true
	}
	for _, d := range s.dirs {
		if due := s.dirDue(d); !ok || due.Before(at) {
			at, ok = due, true
		}
	}
	return at, ok
}

// Due returns up to limit files that have settled by now, and the folders
// whose rescan is due; both leave the pending set. stat reads a file's
// current stamp; a file it cannot read is dropped.
func (s *Settler) Due(now time.Time, stat func(path string) (Stamp, error), limit int) (files []Settled, dirs []string) {
	for dir, d := range s.dirs {
		if !s.dirDue(d).After(now) {
			dirs = append(dirs, dir)
			delete(s.dirs, dir)
		}
	}
	for len(files) < limit {
		f := s.front()
		if f == nil || f.due.After(now) {
			break
		}
		e := s.files[f.path]
		st, err := stat(f.path)
		switch {
		case err != nil:
			s.remove(e)
		case !st.Equal(f.stamp):
			s.requeue(e, st, now.Add(s.quiet), s.waiting)
		default:
			s.remove(e)
			files = append(files, Settled{Path: f.path, Stamp: st, Early: f.queue == s.glancing})
		}
	}
	return files, dirs
}

// front returns the pending file due first, or nil.
func (s *Settler) front() *pendingFile {
	var first *pendingFile
	for _, q := range []*list.List{s.glancing, s.waiting} {
		if e := q.Front(); e != nil {
			if f := e.Value.(*pendingFile); first == nil || f.due.Before(first.due) {
				first = f
			}
		}
	}
	return first
}

// dirDue is when a pending rescan is due.
func (s *Settler) dirDue(d *pendingDir) time.Time {
	due := d.last.Add(s.quiet)
	if limit := d.first.Add(s.maxDelay); limit.Before(due) {
		return limit
	}
	return due
}

// pendingAncestor returns the pending rescan of a folder above path, if any.
func (s *Settler) pendingAncestor(path string) *pendingDir {
	if len(s.dirs) == 0 {
		return nil
	}
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if d, ok := s.dirs[dir]; ok {
			return d
		}
		if next := filepath.Dir(dir); next == dir {
			return nil
		}
	}
}

// collapse turns every pending file into a rescan of its folder.
func (s *Settler) collapse(now time.Time) {
	parents := map[string]bool{}
	for path := range s.files {
		parents[filepath.Dir(path)] = true
	}
	s.glancing.Init()
	s.waiting.Init()
	clear(s.files)
	clear(s.under)
	for dir := range parents {
		if _, ok := s.dirs[dir]; !ok {
			s.dirs[dir] = &pendingDir{first: now, last: now}
		}
	}
	s.pruneDirs()
}

// pruneDirs drops the pending rescans that a pending rescan above covers.
func (s *Settler) pruneDirs() {
	for dir := range s.dirs {
		if s.pendingAncestor(dir) != nil {
			delete(s.dirs, dir)
		}
	}
}

// add puts a file at the end of its queue.
func (s *Settler) add(f *pendingFile) {
	s.files[f.path] = f.queue.PushBack(f)
	for dir := filepath.Dir(f.path); ; dir = filepath.Dir(dir) {
		s.under[dir]++
		if filepath.Dir(dir) == dir {
			return
		}
	}
}

// requeue moves a pending file to the end of queue, with a new stamp and
// due time; the counts of pending files below each folder stay as they are.
func (s *Settler) requeue(e *list.Element, st Stamp, due time.Time, queue *list.List) {
	f := e.Value.(*pendingFile)
	f.queue.Remove(e)
	f.stamp, f.due, f.queue = st, due, queue
	s.files[f.path] = queue.PushBack(f)
}

// remove takes a file out of the pending set.
func (s *Settler) remove(e *list.Element) {
	f := e.Value.(*pendingFile)
	f.queue.Remove(e)
	delete(s.files, f.path)
	for dir := filepath.Dir(f.path); ; dir = filepath.Dir(dir) {
		if s.under[dir]--; s.under[dir] == 0 {
			delete(s.under, dir)
		}
		if filepath.Dir(dir) == dir {
			return
		}
	}
}

// dropFilesUnder forgets the pending files below the folder dir.
func (s *Settler) dropFilesUnder(dir string) {
	if s.under[dir] == 0 {
		return
	}
	prefix := withSeparator(dir)
	for path, e := range s.files {
		if strings.HasPrefix(path, prefix) {
			s.remove(e)
		}
	}
}

// withSeparator returns dir ending in a path separator, for prefix tests.
func withSeparator(dir string) string {
	if strings.HasSuffix(dir, string(filepath.Separator)) {
		return dir
	}
	return dir + string(filepath.Separator)
}
