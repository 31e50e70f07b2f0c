package watcher

// recent remembers the files handed over last, with the stamp they had, so
// that a rescan that finds a file still being processed (not yet in the
// record) does not hand it over twice. It holds at most size files,
// forgetting the oldest first.
type recent struct {
	size  int
	stamp map[string]Stamp
	order []string // ring of paths, oldest at next
	next  int
}

func newRecent(size int) *recent {
	return &recent{size: max(size, 1), stamp: map[string]Stamp{}}
}

// seen reports whether path was handed over with stamp st; if not, it
// remembers it now.
func (r *recent) seen(path string, st Stamp) bool {
	if old, ok := r.stamp[path]; ok {
		if old.Equal(st) {
			return true
		}
		r.stamp[path] = st
		return false
	}
	if len(r.order) < r.size {
		r.order = append(r.order, path)
	} else {
		delete(r.stamp, r.order[r.next])
		r.order[r.next] = path
		r.next = (r.next + 1) % r.size
	}
	r.stamp[path] = st
	return false
}
