package watcher

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"time"
)

// fakeFS holds the stamps a test's files have now.
type fakeFS map[string]Stamp

func (f fakeFS) stat(path string) (Stamp, error) {
	st, ok := f[path]
	if !ok {
		return Stamp{}, fs.ErrNotExist
	}
	return st, nil
}

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// at returns the time ms milliseconds after t0.
func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func stamp(size int64, ms int) Stamp { return Stamp{Size: size, ModTime: at(ms)} }

// step is one input to a settler, or a check of its output, at a time.
type step struct {
	ms      int
	changed string // a file event: the path, with the stamp in fsys[path]
	write   Stamp  // when set, the file takes this stamp (with or without an event)
	path    string // the file write applies to
	rescan  string
	removed string
	due     bool     // call Due and compare
	want    []string // settled files expected from Due
	dirs    []string // folders to rescan expected from Due
}

func TestSettler_Sequences(t *testing.T) {
	const quiet = 1000
	cases := []struct {
		name  string
		steps []step
	}{
		{
			name: "one write settles after the quiet period",
			steps: []step{
				{ms: 0, path: "/w/a.jpg", write: stamp(10, 0), changed: "/w/a.jpg"},
				{ms: 999, due: true},
				{ms: 1000, due: true, want: []string{"/w/a.jpg"}},
				{ms: 5000, due: true},
			},
		},
		{
			name: "slow copy in chunks settles once, after the last chunk",
			steps: []step{
				{ms: 0, path: "/w/a.jpg", write: stamp(100, 0), changed: "/w/a.jpg"},
				{ms: 700, path: "/w/a.jpg", write: stamp(200, 700), changed: "/w/a.jpg"},
				{ms: 1400, path: "/w/a.jpg", write: stamp(300, 1400), changed: "/w/a.jpg"},
				{ms: 1500, due: true},
				{ms: 2399, due: true},
				{ms: 2400, due: true, want: []string{"/w/a.jpg"}},
			},
		},
		{
			name: "a stamp that moves without an event restarts the quiet period",
			steps: []step{
				{ms: 0, path: "/w/a.jpg", write: stamp(100, 0), changed: "/w/a.jpg"},
				{ms: 10, path: "/w/a.jpg", write: stamp(100, -50000)}, // cp -p sets the old time
				{ms: 1000, due: true},
				{ms: 1999, due: true},
				{ms: 2000, due: true, want: []string{"/w/a.jpg"}},
			},
		},
		{
			name: "a removed file never settles",
			steps: []step{
				{ms: 0, path: "/w/a.jpg", write: stamp(1, 0), changed: "/w/a.jpg"},
				{ms: 500, removed: "/w/a.jpg"},
				{ms: 2000, due: true},
			},
		},
		{
			name: "a file that vanished unseen is dropped",
			steps: []step{
				{ms: 0, path: "/w/a.jpg", write: stamp(1, 0), changed: "/w/a.jpg"},
				{ms: 10, path: "/w/a.jpg"}, // zero write: deleted without an event
				{ms: 2000, due: true},
			},
		},
		{
			name: "removing a folder drops what is pending below it",
			steps: []step{
				{ms: 0, path: "/w/sub/a.jpg", write: stamp(1, 0), changed: "/w/sub/a.jpg"},
				{ms: 0, path: "/w/sub/deep/b.jpg", write: stamp(1, 0), changed: "/w/sub/deep/b.jpg"},
				{ms: 0, path: "/w/c.jpg", write: stamp(1, 0), changed: "/w/c.jpg"},
				{ms: 100, removed: "/w/sub"},
				{ms: 1000, due: true, want: []string{"/w/c.jpg"}},
			},
		},
		{
			name: "files settle in the order they went quiet",
			steps: []step{
				{ms: 0, path: "/w/a.jpg", write: stamp(1, 0), changed: "/w/a.jpg"},
				{ms: 100, path: "/w/b.jpg", write: stamp(1, 100), changed: "/w/b.jpg"},
				{ms: 200, path: "/w/a.jpg", write: stamp(2, 200), changed: "/w/a.jpg"},
				{ms: 1100, due: true, want: []string{"/w/b.jpg"}},
				{ms: 1200, due: true, want: []string{"/w/a.jpg"}},
			},
		},
		{
			name: "a rescan waits for its folder to be quiet and absorbs events below it",
			steps: []step{
				{ms: 0, path: "/w/sub/a.jpg", write: stamp(1, 0), changed: "/w/sub/a.jpg"},
				{ms: 0, rescan: "/w/sub"},
				{ms: 800, path: "/w/sub/b.jpg", write: stamp(1, 800), changed: "/w/sub/b.jpg"},
				{ms: 1000, due: true},
				{ms: 1800, due: true, dirs: []string{"/w/sub"}},
				{ms: 5000, due: true},
			},
		},
		{
			name: "a busy folder is rescanned at the latest after the maximum delay",
			steps: []step{
				{ms: 0, rescan: "/w"},
				{ms: 900, path: "/w/a.jpg", write: stamp(1, 900), changed: "/w/a.jpg"},
				{ms: 1800, path: "/w/a.jpg", write: stamp(2, 1800), changed: "/w/a.jpg"},
				{ms: 2700, path: "/w/a.jpg", write: stamp(3, 2700), changed: "/w/a.jpg"},
				{ms: 2999, due: true},
				{ms: 3000, due: true, dirs: []string{"/w"}},
			},
		},
		{
			name: "a rescan above replaces pending rescans below",
			steps: []step{
				{ms: 0, rescan: "/w/a/b"},
				{ms: 0, rescan: "/w/a"},
				{ms: 0, rescan: "/w/a/c"},
				{ms: 1000, due: true, dirs: []string{"/w/a"}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewSettler(quiet*time.Millisecond, 0, 3*time.Second, 100)
			fsys := fakeFS{}
			for i, st := range c.steps {
				now := at(st.ms)
				if st.path != "" {
					if st.write == (Stamp{}) {
						delete(fsys, st.path)
					} else {
						fsys[st.path] = st.write
					}
				}
				if st.changed != "" {
					s.Changed(st.changed, fsys[st.changed], now)
				}
				if st.rescan != "" {
					s.Rescan(st.rescan, now)
				}
				if st.removed != "" {
					s.Removed(st.removed)
				}
				if !st.due {
					continue
				}
				files, dirs := s.Due(now, fsys.stat, 1000)
				var got []string
				for _, f := range files {
					got = append(got, f.Path)
					if !f.Stamp.Equal(fsys[f.Path]) {
						t.Errorf("step %d: %s settled with stamp %v, file has %v", i, f.Path, f.Stamp, fsys[f.Path])
					}
				}
				if !slices.Equal(got, st.want) {
					t.Errorf("step %d (%d ms): settled %v, want %v", i, st.ms, got, st.want)
				}
				slices.Sort(dirs)
				if !slices.Equal(dirs, st.dirs) {
					t.Errorf("step %d (%d ms): rescans %v, want %v", i, st.ms, dirs, st.dirs)
				}
			}
		})
	}
}

func TestSettler_CollapsesWhenTooManyPending(t *testing.T) {
	s := NewSettler(time.Second, 0, 10*time.Second, 3)
	fsys := fakeFS{}
	paths := []string{"/w/x/1.jpg", "/w/x/2.jpg", "/w/y/3.jpg"}
	for _, p := range paths {
		fsys[p] = stamp(1, 0)
		if s.Changed(p, fsys[p], at(0)) {
			t.Fatalf("collapsed at %s, before the limit", p)
		}
	}
	fsys["/w/x/4.jpg"] = stamp(1, 0)
	if !s.Changed("/w/x/4.jpg", fsys["/w/x/4.jpg"], at(0)) {
		t.Fatal("no collapse past the limit")
	}
	if s.Len() != 2 {
		t.Errorf("after collapse %d pending, want 2 folders", s.Len())
	}
	// Events below a collapsed folder are absorbed, not counted.
	for i := range 10 {
		if s.Changed("/w/y/more.jpg", stamp(int64(i), i), at(i)) {
			t.Fatal("an absorbed event collapsed again")
		}
	}
	files, dirs := s.Due(at(1009), fsys.stat, 100)
	slices.Sort(dirs)
	if len(files) != 0 || !slices.Equal(dirs, []string{"/w/x", "/w/y"}) {
		t.Errorf("Due = %v, %v; want the two folders only", files, dirs)
	}
}

func TestSettler_DueLimitAndNext(t *testing.T) {
	s := NewSettler(time.Second, 0, 10*time.Second, 100)
	if _, ok := s.Next(); ok {
		t.Fatal("Next reports work on an empty settler")
	}
	fsys := fakeFS{}
	for i, p := range []string{"/w/a.png", "/w/b.png", "/w/c.png"} {
		fsys[p] = stamp(1, i)
		s.Changed(p, fsys[p], at(i))
	}
	s.Rescan("/v", at(500))
	if next, _ := s.Next(); !next.Equal(at(1000)) {
		t.Errorf("Next = %v, want %v", next, at(1000))
	}
	files, dirs := s.Due(at(2000), fsys.stat, 2)
	if len(files) != 2 || files[0].Path != "/w/a.png" || len(dirs) != 1 {
		t.Errorf("Due with limit 2 = %v, %v", files, dirs)
	}
	if next, _ := s.Next(); !next.Equal(at(1002)) {
		t.Errorf("Next after a limited Due = %v, want the file left behind", next)
	}
	files, dirs = s.Due(at(2000), fsys.stat, 2)
	if len(files) != 1 || files[0].Path != "/w/c.png" || len(dirs) != 0 {
		t.Errorf("second Due = %v, %v", files, dirs)
	}
	if s.Len() != 0 {
		t.Errorf("%d left pending", s.Len())
	}
}

func TestSettler_StatErrorDropsFile(t *testing.T) {
	s := NewSettler(time.Second, 0, 10*time.Second, 100)
	s.Changed("/w/a.jpg", stamp(1, 0), at(0))
	files, _ := s.Due(at(1000), func(string) (Stamp, error) { return Stamp{}, errors.New("gone") }, 10)
	if len(files) != 0 || s.Len() != 0 {
		t.Errorf("Due = %v with %d pending; want the file dropped", files, s.Len())
	}
}

func TestRecent_ForgetsOldestBeyondSize(t *testing.T) {
	r := newRecent(2)
	if r.seen("a", stamp(1, 0)) || !r.seen("a", stamp(1, 0)) {
		t.Fatal("a not remembered")
	}
	if r.seen("a", stamp(2, 0)) {
		t.Error("a with new content taken for seen")
	}
	r.seen("b", stamp(1, 0))
	r.seen("c", stamp(1, 0)) // evicts a
	if r.seen("a", stamp(2, 0)) {
		t.Error("a still remembered past the size")
	}
	if !r.seen("c", stamp(1, 0)) {
		t.Error("c forgotten")
	}
}

func TestSettler_GlanceThenQuiet(t *testing.T) {
	s := NewSettler(time.Second, 200*time.Millisecond, 10*time.Second, 100)
	fsys := fakeFS{"/w/a.png": stamp(1, 0), "/w/b.png": stamp(1, 0), "/w/c.png": stamp(1, 0)}
	s.Changed("/w/a.png", fsys["/w/a.png"], at(0))
	files, _ := s.Due(at(199), fsys.stat, 10)
	if len(files) != 0 {
		t.Fatalf("due before the glance: %v", files)
	}
	files, _ = s.Due(at(200), fsys.stat, 10)
	if len(files) != 1 || !files[0].Early {
		t.Fatalf("after the glance: %v, want a.png early", files)
	}

	// Put back (not whole), it waits the whole quiet period, and a file
	// changed later but glanced at sooner is not held behind it.
	s.Again("/w/a.png", fsys["/w/a.png"], at(200))
	s.Changed("/w/b.png", fsys["/w/b.png"], at(300))
	if next, _ := s.Next(); !next.Equal(at(500)) {
		t.Errorf("Next = %v, want b.png's glance at %v", next, at(500))
	}
	files, _ = s.Due(at(500), fsys.stat, 10)
	if len(files) != 1 || files[0].Path != "/w/b.png" || !files[0].Early {
		t.Errorf("at 500 ms: %v, want b.png early", files)
	}
	files, _ = s.Due(at(1199), fsys.stat, 10)
	if len(files) != 0 {
		t.Errorf("a.png back before the quiet period: %v", files)
	}
	files, _ = s.Due(at(1200), fsys.stat, 10)
	if len(files) != 1 || files[0].Path != "/w/a.png" || files[0].Early {
		t.Errorf("at 1200 ms: %v, want a.png settled, not early", files)
	}

	// A stamp that moved without an event is given the whole quiet period.
	s.Changed("/w/c.png", fsys["/w/c.png"], at(2000))
	fsys["/w/c.png"] = stamp(1, 2100)
	if files, _ = s.Due(at(2200), fsys.stat, 10); len(files) != 0 {
		t.Errorf("c.png settled with a moved stamp: %v", files)
	}
	files, _ = s.Due(at(3200), fsys.stat, 10)
	if len(files) != 1 || files[0].Early || !files[0].Stamp.Equal(fsys["/w/c.png"]) {
		t.Errorf("at 3200 ms: %v, want c.png with its new stamp, not early", files)
	}
}
