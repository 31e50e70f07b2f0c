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

// Settled is a file whose stamp stayed the same over the quiet period.
type Settled struct {
	Path  string
	Stamp Stamp
}

// Settler decides when changed files have settled. It is a pure state
// machine: events and the current time go in, settled files and folders to
// rescan come out, so it is tested without a file system or a clock.
//
// A file settles once no event touched it for the quiet period and its stamp
// is still the one seen with the last event; a stamp that moved without an
// event (a timestamp set after a copy) restarts the quiet period. The set of
// pending files is bounded: when it would grow past its limit, the pending
// files collapse into rescans of their folders. A pending rescan absorbs the
// events below it and is due once its folder has been quiet for the quiet
// period, or at the latest the maximum delay after it was asked for.
type Settler struct {
	quiet, maxDelay time.Duration
	maxPending      int
	order           *list.List // of *pendingFile, earliest due first
	files           map[string]*list.Element
	under           map[string]int // pending files below each folder
	dirs            map[string]*pendingDir
}

type pendingFile struct {
	path  string
	stamp Stamp
	due   time.Time
}

type pendingDir struct {
	first, last time.Time
}

// NewSettler returns a settler with the given quiet period, maximum delay of
// a folder rescan, and limit on pending files.
func NewSettler(quiet, maxDelay time.Duration, maxPending int) *Settler {
	return &Settler{
		quiet: quiet, maxDelay: maxDelay, maxPending: max(maxPending, 1),
		order: list.New(), files: map[string]*list.Element{}, under: map[string]int{}, dirs: map[string]*pendingDir{},
	}
}

// Len returns how many files and folders are pending.
func (s *Settler) Len() int {
	return len(s.files) + len(s.dirs)
}

// Changed notes that the file at path changed and now has stamp st. It
// reports whether the pending set overflowed and collapsed into folder
// rescans.
func (s *Settler) Changed(path string, st Stamp, now time.Time) (collapsed bool) {
	if d := s.pendingAncestor(path); d != nil {
		d.last = now
		return false
	}
	if e, ok := s.files[path]; ok {
		f := e.Value.(*pendingFile)
		f.stamp, f.due = st, now.Add(s.quiet)
		s.order.MoveToBack(e)
		return false
	}
	s.add(&pendingFile{path: path, stamp: st, due: now.Add(s.quiet)})
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
	if front := s.order.Front(); front != nil {
		at, ok = front.Value.(*pendingFile).due, true
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
		e := s.order.Front()
		if e == nil {
			break
		}
		f := e.Value.(*pendingFile)
		if f.due.After(now) {
			break
		}
		st, err := stat(f.path)
		switch {
		case err != nil:
			s.remove(e)
		case !st.Equal(f.stamp):
			f.stamp, f.due = st, now.Add(s.quiet)
			s.order.MoveToBack(e)
		default:
			s.remove(e)
			files = append(files, Settled{Path: f.path, Stamp: st})
		}
	}
	return files, dirs
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
	s.order.Init()
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

// add puts a file at the end of the pending order.
func (s *Settler) add(f *pendingFile) {
	s.files[f.path] = s.order.PushBack(f)
	for dir := filepath.Dir(f.path); ; dir = filepath.Dir(dir) {
		s.under[dir]++
		if filepath.Dir(dir) == dir {
			return
		}
	}
}

// remove takes a file out of the pending set.
func (s *Settler) remove(e *list.Element) {
	f := s.order.Remove(e).(*pendingFile)
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
