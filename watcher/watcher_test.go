package watcher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/image/tiff"

	"fluxdesk/engine"
	"fluxdesk/engine/record"
)

const testQuiet = 300 * time.Millisecond

// pngBytes returns a small PNG image whose pixels depend on seed.
func pngBytes(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = byte(seed*31 + i)
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// newRecord returns a fresh persistent record, as the watch command uses.
func newRecord(t *testing.T) *record.Record {
	t.Helper()
	r, err := record.Open(filepath.Join(t.TempDir(), record.FileName), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Flush() }) // before its folder is removed
	return r
}

// markProcessed records the file at path as processed, content and all.
func markProcessed(t *testing.T, r *record.Record, path string) {
	t.Helper()
	src, err := record.ReadSource(path)
	if err != nil {
		t.Fatal(err)
	}
	src.Status = "done"
	if err := r.Put(src); err != nil {
		t.Fatal(err)
	}
}

// markOutput records the file at output as written by Fluxdesk for source.
func markOutput(t *testing.T, r *record.Record, source, output string) {
	t.Helper()
	info, err := os.Stat(output)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Wrote(engine.Written{Source: source, Output: output, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		t.Fatal(err)
	}
}

// harness runs a watcher for a test and collects what it reports.
type harness struct {
	t        *testing.T
	w        *Watcher
	cancel   context.CancelFunc
	done     chan struct{}
	statuses chan Status
}

func start(t *testing.T, cfg Config) *harness {
	t.Helper()
	if cfg.Quiet == 0 {
		cfg.Quiet = testQuiet
	}
	h := &harness{t: t, done: make(chan struct{}), statuses: make(chan Status, 1000)}
	cfg.OnStatus = func(s Status) {
		select {
		case h.statuses <- s:
		default:
		}
	}
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.w = w
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() {
		defer close(h.done)
		if err := w.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(h.stop)
	h.waitStatus(Watching, "")
	return h
}

func (h *harness) stop() {
	h.cancel()
	for range h.w.Files() {
	}
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		h.t.Error("Run did not return after cancellation")
	}
}

// waitStatus waits for a status of the given kind whose reason contains
// reason.
func (h *harness) waitStatus(kind Kind, reason string) Status {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-h.statuses:
			if s.Kind == kind && bytes.Contains([]byte(s.String()), []byte(reason)) {
				return s
			}
		case <-deadline:
			h.t.Fatalf("no %s status (%q) within 10 s", kind, reason)
		}
	}
}

// collect gathers files until want distinct ones arrived, then keeps
// listening for quiet periods to catch duplicates or strays.
func (h *harness) collect(want int, within time.Duration) map[string]int {
	h.t.Helper()
	got := map[string]int{}
	deadline := time.After(within)
	for len(got) < want {
		select {
		case f := <-h.w.Files():
			got[f.Path]++
		case <-deadline:
			h.t.Fatalf("%d of %d files within %v: %v", len(got), want, within, got)
		}
	}
	h.expectNone(got, 3*testQuiet)
	return got
}

// expectNone records in got whatever arrives within d.
func (h *harness) expectNone(got map[string]int, d time.Duration) {
	end := time.After(d)
	for {
		select {
		case f := <-h.w.Files():
			got[f.Path]++
		case <-end:
			return
		}
	}
}

func checkOnce(t *testing.T, got map[string]int, want []string) {
	t.Helper()
	for _, p := range want {
		if got[p] != 1 {
			t.Errorf("%s handed over %d times, want once", p, got[p])
		}
		delete(got, p)
	}
	for p, n := range got {
		t.Errorf("unexpected file %s (%d times)", p, n)
	}
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcher_BurstOfCopies(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Config{Roots: []string{dir}})
	var want []string
	for i := range 300 {
		p := filepath.Join(dir, fmt.Sprintf("photo-%03d.png", i))
		write(t, p, pngBytes(t, i))
		want = append(want, p)
	}
	checkOnce(t, h.collect(len(want), 20*time.Second), want)
}

func TestWatcher_SettlesSlowCopyIntoNewNestedFolder(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Config{Roots: []string{dir}})
	path := filepath.Join(dir, "new", "deeper", "slow.png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	data := pngBytes(t, 7)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Pauses shorter than the quiet period, but longer than the glance: a
	// file not whole yet is not taken early.
	chunk := len(data)/6 + 1
	off := 0
	for ; off+chunk < len(data); off += chunk {
		f.Write(data[off : off+chunk])
		select {
		case got := <-h.w.Files():
			t.Fatalf("%s handed over while still being written", got.Path)
		case <-time.After(testQuiet / 2):
		}
	}
	f.Write(data[off:])
	f.Close()
	got := h.collect(1, 10*time.Second)
	checkOnce(t, got, []string{path})
}

func TestWatcher_DownloadRenamedIntoPlace(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Config{Roots: []string{dir}})
	part := filepath.Join(dir, "download.png.crdownload")
	data := pngBytes(t, 3)
	write(t, part, data[:len(data)/2])
	write(t, filepath.Join(dir, "notes.txt"), []byte("not an image"))
	write(t, filepath.Join(dir, ".hidden.png"), data)
	write(t, filepath.Join(dir, "backup.png~"), data)
	write(t, filepath.Join(dir, "#autosave.png#"), data)
	write(t, filepath.Join(dir, ".goutputstream-XYZ"), data)
	write(t, filepath.Join(dir, "fake.png"), []byte("this is an HTML page"))
	write(t, part, data)
	final := filepath.Join(dir, "download.png")
	if err := os.Rename(part, final); err != nil {
		t.Fatal(err)
	}
	checkOnce(t, h.collect(1, 10*time.Second), []string{final})
}

func TestWatcher_SkipsOutputsAndExcludedFolder(t *testing.T) {
	dir := t.TempDir()
	rec := newRecord(t)
	out := filepath.Join(dir, "out")
	h := start(t, Config{Roots: []string{dir}, Record: rec, Exclude: []string{out}})
	orig := filepath.Join(dir, "a.png")
	output := filepath.Join(dir, "a.webp")
	write(t, output, pngBytes(t, 1)) // any image: the record says it is ours,
	markOutput(t, rec, orig, output) // as the pipeline records it after writing
	write(t, filepath.Join(out, "b.png"), pngBytes(t, 2))
	write(t, filepath.Join(dir, ".fluxdesk-originals", "c.png"), pngBytes(t, 3))
	write(t, filepath.Join(dir, ".fluxdesk-123-456.tmp"), pngBytes(t, 4))
	write(t, orig, pngBytes(t, 5))
	checkOnce(t, h.collect(1, 10*time.Second), []string{orig})
}

func TestWatcher_CatchesUpAndSkipsKnownContent(t *testing.T) {
	dir := t.TempDir()
	rec := newRecord(t)
	old := filepath.Join(dir, "sub", "old.png")
	write(t, old, pngBytes(t, 1))
	markProcessed(t, rec, old)
	arrived := filepath.Join(dir, "sub", "arrived.png")
	write(t, arrived, pngBytes(t, 2))
	h := start(t, Config{Roots: []string{dir}, Record: rec})
	checkOnce(t, h.collect(1, 10*time.Second), []string{arrived})
}

func TestWatcher_PauseAndResume(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	h := start(t, Config{Roots: []string{a, b}})
	h.waitStatus(Watching, "")
	if err := h.w.Pause(a); err != nil {
		t.Fatal(err)
	}
	h.waitStatus(Paused, a)
	inA, inB := filepath.Join(a, "x.png"), filepath.Join(b, "y.png")
	write(t, inA, pngBytes(t, 1))
	write(t, inB, pngBytes(t, 2))
	got := h.collect(1, 10*time.Second)
	checkOnce(t, got, []string{inB})
	if err := h.w.Resume(""); err != nil {
		t.Fatal(err)
	}
	checkOnce(t, h.collect(1, 10*time.Second), []string{inA})
	if err := h.w.Pause(filepath.Join(a, "not-a-root")); err == nil {
		t.Error("Pause accepted a folder that is not watched")
	}
}

func TestWatcher_PauseOverflowRescansOnResume(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Config{Roots: []string{dir}, MaxPending: 5})
	h.w.Pause("")
	h.waitStatus(Paused, "")
	var want []string
	for i := range 20 {
		p := filepath.Join(dir, fmt.Sprintf("%02d.png", i))
		write(t, p, pngBytes(t, i))
		want = append(want, p)
	}
	h.expectNone(map[string]int{}, 4*testQuiet) // let them settle while paused
	h.w.Resume("")
	checkOnce(t, h.collect(len(want), 20*time.Second), want)
}

func TestWatcher_TooManyPendingCollapsesToRescan(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Config{Roots: []string{dir}, MaxPending: 10})
	var want []string
	for i := range 100 {
		p := filepath.Join(dir, fmt.Sprintf("d%d", i%3), fmt.Sprintf("%03d.png", i))
		write(t, p, pngBytes(t, i))
		want = append(want, p)
	}
	checkOnce(t, h.collect(len(want), 30*time.Second), want)
	h.waitStatus(Rescanning, "too many files")
}

func TestWatcher_RootRemovedAndRecreated(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "watched")
	os.Mkdir(dir, 0o755)
	h := start(t, Config{Roots: []string{dir}})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	h.waitStatus(Error, "removed")
	path := filepath.Join(dir, "again.png")
	write(t, path, pngBytes(t, 9))
	h.waitStatus(Rescanning, "back")
	checkOnce(t, h.collect(1, 10*time.Second), []string{path})
	later := filepath.Join(dir, "new", "later.png")
	write(t, later, pngBytes(t, 10))
	checkOnce(t, h.collect(1, 10*time.Second), []string{later})
}

// A Chmod-only event (permissions, timestamps) never makes a file pending;
// the same event with a write does. Watched end to end this could not fail:
// a file whose content is unchanged is turned away later anyway.
func TestLoop_ChmodOnlyIsIgnored(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.png")
	write(t, path, pngBytes(t, 1))
	w, err := New(Config{Roots: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	l := newLoop(w, nil)
	l.onEvent(fsnotify.Event{Name: path, Op: fsnotify.Chmod})
	if n := l.settler.Len(); n != 0 {
		t.Errorf("a Chmod-only event left %d pending, want none", n)
	}
	l.onEvent(fsnotify.Event{Name: path, Op: fsnotify.Chmod | fsnotify.Write})
	if n := l.settler.Len(); n != 1 {
		t.Errorf("a Chmod|Write event left %d pending, want the file", n)
	}
}

// Past MaxPending files held while paused, the held files give way to one
// rescan of the folder on resume. (End to end, whether the files overflowed
// before the resume depends on timing; here it does not.)
func TestLoop_HoldOverflowRescansOnResume(t *testing.T) {
	dir := t.TempDir()
	var statuses []Status
	w, err := New(Config{Roots: []string{dir}, MaxPending: 3, OnStatus: func(s Status) { statuses = append(statuses, s) }})
	if err != nil {
		t.Fatal(err)
	}
	l := newLoop(w, nil)
	r := l.roots[0]
	r.paused = true
	for i := range 4 {
		l.hold(r, Settled{Path: filepath.Join(dir, fmt.Sprintf("%d.png", i))})
	}
	if !r.rescanOnResume || len(r.held) != 0 {
		t.Fatalf("after 4 held of 3: rescanOnResume %v, %d held; want a rescan and none held", r.rescanOnResume, len(r.held))
	}
	r.paused = false
	l.resume(r)
	if len(l.readyQ) != 0 || !slices.Equal(l.walkQ, []string{dir}) {
		t.Errorf("on resume: %d files ready, walks %v; want none ready and the folder walked", len(l.readyQ), l.walkQ)
	}
	if len(statuses) != 1 || statuses[0].Kind != Rescanning {
		t.Errorf("statuses on resume: %v; want one Rescanning", statuses)
	}
}

func TestNew_RejectsBadRoots(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.png")
	write(t, file, []byte("x"))
	for _, roots := range [][]string{nil, {filepath.Join(dir, "missing")}, {file}, {dir, filepath.Join(dir, "sub")}} {
		os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
		if _, err := New(Config{Roots: roots}); err == nil {
			t.Errorf("New(%v) accepted", roots)
		}
	}
}

func TestWatcher_OneWatcherPerFolder(t *testing.T) {
	dir, locks := t.TempDir(), t.TempDir()
	first := start(t, Config{Roots: []string{dir}, LockDir: locks})

	second, err := New(Config{Roots: []string{dir}, LockDir: locks})
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Run(context.Background()); !errors.Is(err, ErrWatchedElsewhere) {
		t.Fatalf("second watcher of the same folder: %v; want ErrWatchedElsewhere", err)
	}
	other := start(t, Config{Roots: []string{t.TempDir()}, LockDir: locks}) // another folder is free
	other.stop()

	first.stop()
	start(t, Config{Roots: []string{dir}, LockDir: locks}) // free again once the first stopped
}

// A folder that is, contains or lies inside a watched one, however it is
// named, is refused with the watched folder's name; a lock file its watcher
// left behind when it ended does not keep the folder from being watched.
func TestWatcher_RefusesOverlapWithAWatchedFolder(t *testing.T) {
	x, locks := t.TempDir(), t.TempDir()
	real := filepath.Join(x, "real")
	if err := os.MkdirAll(filepath.Join(real, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(x, "link")); err != nil {
		t.Fatal(err)
	}
	first := start(t, Config{Roots: []string{real}, LockDir: locks})
	for _, root := range []string{filepath.Join(x, "link"), filepath.Join(x, "link", "sub", ".."), filepath.Join(real, "sub"), x} {
		w, err := New(Config{Roots: []string{root}, LockDir: locks})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // if it is not refused
		err = w.Run(ctx)
		cancel()
		if !errors.Is(err, ErrWatchedElsewhere) || !strings.Contains(err.Error(), real) {
			t.Errorf("watching %s: %v; want a refusal naming %s", root, err, real)
		}
	}
	first.stop()
	left := filepath.Join(locks, "0123456789abcdef01234567.lock") // as a killed watcher leaves it
	if err := os.WriteFile(left, []byte(real), 0o600); err != nil {
		t.Fatal(err)
	}
	start(t, Config{Roots: []string{x}, LockDir: locks}).stop()
	if _, err := os.Stat(left); err == nil {
		t.Error("the lock file nobody held was not removed")
	}
}

// noisyPNG returns a w×h PNG that barely compresses, so that a copy of it
// cut anywhere past its header still has a readable header but not all of
// its pixel data.
func noisyPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(3)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = byte(seed >> 24)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A copy that pauses for longer than the settle time (a network share)
// leaves a file whose header reads but whose data ends early: it is not
// handed over until the copy completes, then once.
func TestWatcher_SlowCopyPausingLongerThanSettleIsHandedOverOnce(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Config{Roots: []string{dir}})
	path := filepath.Join(dir, "from the share.png")
	data := noisyPNG(t, 200, 150)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	written := 0
	for _, upTo := range []int{len(data) * 2 / 5, len(data) * 7 / 10, len(data)} {
		if _, err := f.Write(data[written:upTo]); err != nil {
			t.Fatal(err)
		}
		written = upTo
		if written == len(data) {
			break
		}
		select { // the copy stalls for three settle times
		case got := <-h.w.Files():
			t.Fatalf("%s handed over with %d of %d bytes", filepath.Base(got.Path), got.Size, len(data))
		case <-time.After(3 * testQuiet):
		}
	}
	f.Close()
	got := map[string]int{}
	select {
	case file := <-h.w.Files():
		got[file.Path]++
		if file.Size != int64(len(data)) {
			t.Errorf("handed over with %d bytes, want %d", file.Size, len(data))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the finished copy was not handed over within 10 s")
	}
	h.expectNone(got, 3*testQuiet)
	checkOnce(t, got, []string{path})
}

// A file whose data never completes is handed over once, after the bounded
// wait for the rest of it, and not before: the engine then reports it.
func TestWatcher_NeverCompletedFileHandedOverAfterTheWait(t *testing.T) {
	dir := t.TempDir()
	const wait = 2 * time.Second
	h := start(t, Config{Roots: []string{dir}, IncompleteWait: wait})
	path := filepath.Join(dir, "cut.png")
	data := noisyPNG(t, 120, 90)
	began := time.Now()
	write(t, path, data[:len(data)/2])
	select {
	case file := <-h.w.Files():
		if d := time.Since(began); d < wait {
			t.Errorf("handed over after %v, before the %v wait", d, wait)
		}
		got := map[string]int{file.Path: 1}
		h.expectNone(got, 3*testQuiet)
		checkOnce(t, got, []string{path})
	case <-time.After(wait + 10*time.Second):
		t.Fatal("the incomplete file was never handed over")
	}
}

// A whole image is taken after a glance, well before the quiet period; a
// TIFF, which marks no end, and an image not whole yet wait for it.
func TestWatcher_WholeFileTakenBeforeTheQuietPeriod(t *testing.T) {
	dir := t.TempDir()
	const quiet = 3 * time.Second
	h := start(t, Config{Roots: []string{dir}, Quiet: quiet})
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	var tif bytes.Buffer
	if err := tiff.Encode(&tif, img, nil); err != nil {
		t.Fatal(err)
	}
	whole, unmarked, cut := filepath.Join(dir, "whole.png"), filepath.Join(dir, "unmarked.tif"), filepath.Join(dir, "cut.png")
	data := pngBytes(t, 5)
	began := time.Now()
	write(t, whole, data)
	write(t, unmarked, tif.Bytes())
	write(t, cut, data[:len(data)/2])

	taken := map[string]time.Duration{}
	deadline := time.After(quiet + 10*time.Second)
	for len(taken) < 2 {
		select {
		case f := <-h.w.Files():
			taken[f.Path] = time.Since(began)
		case <-deadline:
			t.Fatalf("taken within the quiet period and 10 s more: %v", taken)
		}
	}
	if d, ok := taken[whole]; !ok || d >= quiet {
		t.Errorf("the whole PNG was taken after %v (taken: %v), want before the %v quiet period", d, ok, quiet)
	}
	if d, ok := taken[unmarked]; !ok || d < quiet {
		t.Errorf("the TIFF was taken after %v (taken: %v), want not before the %v quiet period", d, ok, quiet)
	}
	if _, ok := taken[cut]; ok {
		t.Errorf("the PNG cut short was taken")
	}
}
