package watcher

import (
	"context"
	"errors"
	"os"
	"path/filepath"
)

// readBatch is how many folder entries are read at a time, so a folder of
// any size is listed in bounded memory.
const readBatch = 256

// walkItem is what the walker reports to the watcher's loop: exactly one of
// its fields is set.
type walkItem struct {
	file    *Settled // a file to settle, with the stamp it had when found
	watched string   // a folder now watched
	err     error    // a problem, for the status, in folder dir
	dir     string
	done    string // the walk of this folder is complete
}

// walker adds watches to folders, then lists them and reports the image
// files in them that the record does not know. It runs one walk at a time.
type walker struct {
	watch   func(dir string) error
	rec     Record
	skipDir func(path string) bool
	out     chan<- walkItem
}

// run walks the folders it receives until ctx is done.
func (w *walker) run(ctx context.Context, dirs <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case dir := <-dirs:
			if !w.walk(ctx, dir) || !w.send(ctx, walkItem{done: dir}) {
				return
			}
		}
	}
}

// walk visits dir and the folders below it, adding each folder's watch
// before listing it, so that no file created meanwhile is missed. It
// returns false when ctx is done.
func (w *walker) walk(ctx context.Context, dir string) bool {
	stack := []string{dir}
	limitReported := false
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := w.watch(d); err != nil {
			err = describeWatchError(d, err)
			if errors.Is(err, ErrWatchLimit) {
				if limitReported {
					err = nil
				}
				limitReported = true
			}
			if err != nil && !w.send(ctx, walkItem{err: err, dir: d}) {
				return false
			}
		} else if !w.send(ctx, walkItem{watched: d}) {
			return false
		}
		subdirs, ok := w.list(ctx, d)
		if !ok {
			return false
		}
		stack = append(stack, subdirs...)
	}
	return true
}

// list reports the wanted files in dir and returns its subfolders.
func (w *walker) list(ctx context.Context, dir string) (subdirs []string, ok bool) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, true // gone or unreadable: its own events will tell
	}
	defer f.Close()
	for {
		entries, err := f.ReadDir(readBatch)
		for _, e := range entries {
			name := e.Name()
			if skipName(name) {
				continue
			}
			path := filepath.Join(dir, name)
			switch {
			case e.IsDir():
				if !w.skipDir(path) {
					subdirs = append(subdirs, path)
				}
			case e.Type().IsRegular() && wantFile(name):
				st, err := statStamp(path)
				if err != nil || w.rec.Ours(path, st.Size, st.ModTime) {
					continue
				}
				if !w.send(ctx, walkItem{file: &Settled{Path: path, Stamp: st}}) {
					return nil, false
				}
			}
		}
		if err != nil { // io.EOF once the folder is listed
			return subdirs, true
		}
	}
}

// send reports an item, giving up when ctx is done.
func (w *walker) send(ctx context.Context, item walkItem) bool {
	select {
	case w.out <- item:
		return true
	case <-ctx.Done():
		return false
	}
}
