package record

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fluxdesk/engine"
	"fluxdesk/internal/testproc"
)

func openTemp(t *testing.T) (*Record, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "fluxdesk", FileName)
	r, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Flush() }) // before the folder is removed
	return r, path
}

// openAgain opens the record at path a second time, as another process
// sharing it does.
func openAgain(t *testing.T, path string) *Record {
	t.Helper()
	r, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Flush() })
	return r
}

func writeFile(t *testing.T, path, content string) os.FileInfo {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestDefaultPath_FollowsXDGStateHome(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/somewhere/state")
	if got, _ := DefaultPath(); got != "/somewhere/state/fluxdesk/record.db" {
		t.Errorf("DefaultPath() = %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/someone")
	if got, _ := DefaultPath(); got != "/home/someone/.local/state/fluxdesk/record.db" {
		t.Errorf("DefaultPath() without XDG_STATE_HOME = %q", got)
	}
}

func TestRecord_SourceOfOnlyWhileUnchanged(t *testing.T) {
	r, _ := openTemp(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "a.webp")
	info := writeFile(t, out, "output")
	if _, ok := r.SourceOf(out); ok {
		t.Fatal("SourceOf knows an output never recorded")
	}
	src := filepath.Join(dir, "a.jpg")
	if err := r.Wrote(engine.Written{Source: src, Output: out, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		t.Fatal(err)
	}
	if got, ok := r.SourceOf(out); !ok || got != src {
		t.Fatalf("SourceOf = %q, %v; want %q, true", got, ok, src)
	}
	writeFile(t, out, "changed by the user")
	if _, ok := r.SourceOf(out); ok {
		t.Error("SourceOf still claims an output the user changed")
	}
}

func TestRecord_KnownBySameContent(t *testing.T) {
	r, _ := openTemp(t)
	path := filepath.Join(t.TempDir(), "photo.jpg")
	writeFile(t, path, "first content")
	s, err := ReadSource(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Output, s.Status = path+".webp", "done"
	if err := r.Put(s); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name    string
		content string // "" keeps the content
		touch   time.Time
		want    bool
	}{
		{name: "unchanged", want: true},
		{name: "timestamp only", touch: s.ModTime.Add(time.Hour), want: true},
		{name: "same size, other content", content: "other content", want: false},
		{name: "other size", content: "much longer content", want: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.content != "" {
				writeFile(t, path, c.content)
				t.Cleanup(func() { writeFile(t, path, "first content") })
			}
			if !c.touch.IsZero() {
				if err := os.Chtimes(path, c.touch, c.touch); err != nil {
					t.Fatal(err)
				}
			}
			info, _ := os.Stat(path)
			if got := r.Ours(path, info.Size(), info.ModTime()); got != c.want {
				t.Errorf("Ours = %v, want %v", got, c.want)
			}
		})
	}
	if _, ok := r.Get(filepath.Join(filepath.Dir(path), "never.jpg")); ok {
		t.Error("Get found a file never recorded")
	}
}

func TestRecord_TimestampMatchIsRemembered(t *testing.T) {
	r, _ := openTemp(t)
	path := filepath.Join(t.TempDir(), "photo.png")
	writeFile(t, path, "content")
	s, _ := ReadSource(path)
	r.Put(s)
	later := s.ModTime.Add(time.Minute)
	os.Chtimes(path, later, later)
	if !r.Ours(path, s.Size, later) {
		t.Fatal("a touched file is not known")
	}
	if got, _ := r.Get(path); !got.ModTime.Equal(later) || got.Hash != s.Hash {
		t.Errorf("after Ours: %+v; want the new time and the same hash", got)
	}
}

func TestRecord_SurvivesReopen(t *testing.T) {
	r, dbPath := openTemp(t)
	path := filepath.Join(t.TempDir(), "photo.gif")
	writeFile(t, path, "gif")
	s, _ := ReadSource(path)
	s.Status = "skipped"
	r.Put(s)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	r2, err := Open(dbPath, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := r2.Get(path); !ok || got.Hash != s.Hash || got.Status != "skipped" || !got.ModTime.Equal(s.ModTime) {
		t.Errorf("after reopening: %+v, %v; want %+v", got, ok, s)
	}
}

// Two holders of the same record stand in for two Fluxdesk processes (the
// window and a "watch", say): each sees what the other writes, and writes
// made at the same time from both all land.
func TestRecord_SharedByTwoHolders(t *testing.T) {
	r1, dbPath := openTemp(t)
	r2 := openAgain(t, dbPath)
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i, r := range []*Record{r1, r2} {
		wg.Go(func() {
			for j := range 25 {
				out := filepath.Join(dir, fmt.Sprintf("%d-%d.webp", i, j))
				info := writeFile(t, out, "output")
				if err := r.Wrote(engine.Written{Source: out + ".jpg", Output: out, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for _, r := range []*Record{r1, r2} {
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2 {
		for j := range 25 {
			out := filepath.Join(dir, fmt.Sprintf("%d-%d.webp", i, j))
			for _, r := range []*Record{r1, r2} {
				if src, ok := r.SourceOf(out); !ok || src != out+".jpg" {
					t.Fatalf("%s: SourceOf = %q, %v", filepath.Base(out), src, ok)
				}
			}
		}
	}
}

// A process that keeps the record open for writing longer than the timeout
// makes reads know nothing, and writes fail: Flush returns the failure,
// wrapping ErrLocked, once the timeout is over; neither hangs.
func TestRecord_BusyElsewhereTimesOut(t *testing.T) {
	_, dbPath := openTemp(t)
	r, err := Open(dbPath, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	testproc.Start(t, "hold", dbPath)
	start := time.Now()
	if err := r.Wrote(engine.Written{Source: "a.jpg", Output: "a.webp"}); err != nil {
		t.Errorf("Wrote: %v", err)
	}
	if err := r.Flush(); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "not recorded: 1 outputs") {
		t.Errorf("Flush: %v; want ErrLocked, and what was not recorded", err)
	}
	if _, ok := r.SourceOf(filepath.Join(t.TempDir(), "a.webp")); ok {
		t.Error("SourceOf found something in a record it could not read")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
}

// Writes given up in several batches are reported by Flush as one
// failure that counts them all, with each cause once.
func TestRecord_FlushCountsEveryBatchLost(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), FileName)
	r, err := Open(dbPath, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(dbPath); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dbPath, 0o700); err != nil { // a file the record cannot open
		t.Fatal(err)
	}
	for i := range 2 {
		if err := r.Wrote(engine.Written{Source: fmt.Sprintf("s%d.png", i), Output: fmt.Sprintf("s%d.webp", i)}); err != nil {
			t.Fatal(err)
		}
		waitUntilBooksKept(t, r) // each write its own batch
	}
	err = r.Flush()
	if err == nil || !strings.Contains(err.Error(), "not recorded: 2 outputs") {
		t.Fatalf("Flush: %v, want one warning for the 2 outputs", err)
	}
	if n := strings.Count(err.Error(), "not recorded"); n != 1 {
		t.Errorf("Flush: %v, reports %d times", err, n)
	}
	if err := r.Flush(); err != nil {
		t.Errorf("second Flush: %v, already reported", err)
	}
}

// waitUntilBooksKept waits until r's bookkeeping goroutine has ended.
func waitUntilBooksKept(t *testing.T, r *Record) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		r.bookMu.Lock()
		keeping := r.keeping
		r.bookMu.Unlock()
		if !keeping {
			return
		}
	}
	t.Fatal("the bookkeeping goroutine did not end")
}

// Writes are queued for one bookkeeping goroutine: lookups see them at
// once, Flush commits them for every process, and the claim of an output
// ends only once its record is committed.
func TestRecord_WritesQueuedUntilCommitted(t *testing.T) {
	r, dbPath := openTemp(t)
	other := openAgain(t, dbPath)
	dir := t.TempDir()
	src, out := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "a.webp")
	s := Source{Path: src, Size: 1, ModTime: time.Unix(1, 0), Status: "done", Output: out}
	holder := testproc.Start(t, "hold", dbPath) // nothing can be committed
	if got, _ := r.Claim(src, out); got != engine.Free {
		t.Fatalf("Claim = %v", got)
	}
	info := writeFile(t, out, "output")
	if err := r.Wrote(engine.Written{Source: src, Output: out, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		t.Fatal(err)
	}
	if err := r.Put(s); err != nil {
		t.Fatal(err)
	}
	if got, ok := r.SourceOf(out); !ok || got != src {
		t.Errorf("SourceOf a queued output = %q, %v", got, ok)
	}
	if got, ok := r.Get(src); !ok || got.Output != out {
		t.Errorf("Get a queued original = %+v, %v", got, ok)
	}
	if got, _ := other.Claim(filepath.Join(dir, "b.jpg"), out); got != engine.Taken {
		t.Errorf("the name of an output not yet committed: %v, want Taken", got)
	}
	holder.Kill()
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, ok := other.SourceOf(out); !ok || got != src {
		t.Errorf("after Flush, another holder: SourceOf = %q, %v", got, ok)
	}
	if got, ok := other.Get(src); !ok || got.Output != out {
		t.Errorf("after Flush, another holder: Get = %+v, %v", got, ok)
	}
	if got, _ := other.Claim(src, out); got != engine.Earlier {
		t.Errorf("after Flush the claim is over: %v, want Earlier", got)
	}
}

// A write the record does not take within its timeout is given up, its
// claim ended, and the failure reported as it happens.
func TestRecord_FailureReported(t *testing.T) {
	_, dbPath := openTemp(t)
	r, err := Open(dbPath, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	failures := make(chan error, 1)
	r.OnFailure(func(err error) { failures <- err })
	testproc.Start(t, "hold", dbPath)
	dir := t.TempDir()
	src, out := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "a.webp")
	if got, _ := r.Claim(src, out); got != engine.Free {
		t.Fatalf("Claim = %v", got)
	}
	if err := r.Wrote(engine.Written{Source: src, Output: out}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-failures:
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "not recorded") {
			t.Errorf("failure: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no failure reported")
	}
	if err := r.Flush(); err != nil {
		t.Errorf("Flush returned %v, already reported", err)
	}
	if got, _ := r.Claim(filepath.Join(dir, "b.jpg"), out); got != engine.Free {
		t.Errorf("the claim of a write given up: %v, want Free", got)
	}
}

func TestReadSource_Hash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a")
	writeFile(t, path, "abc")
	s, err := ReadSource(path)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := s.Hash.MarshalText()
	if string(text) != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("hash of abc = %s", text)
	}
	var back engine.SourceHash
	if err := back.UnmarshalText(text); err != nil || back != s.Hash {
		t.Errorf("UnmarshalText: %v, %x", err, back)
	}
}

func TestRecord_ConcurrentUse(t *testing.T) {
	r, _ := openTemp(t)
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			out := filepath.Join(dir, string(rune('a'+i))+".webp")
			info := writeFile(t, out, "x")
			r.Wrote(engine.Written{Source: "s", Output: out, Size: info.Size(), ModTime: info.ModTime()})
			if _, ok := r.SourceOf(out); !ok {
				t.Errorf("%s not known after Wrote", out)
			}
		})
	}
	wg.Wait()
}

func TestReadSettled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.png")
	info := writeFile(t, path, "settled")
	if s, ok := ReadSettled(path, info.Size(), info.ModTime()); !ok || s.Path != path || s.Size != info.Size() {
		t.Errorf("unchanged file: %+v, %v", s, ok)
	}
	if _, ok := ReadSettled(path, info.Size()+1, info.ModTime()); ok {
		t.Error("a file whose size changed since it settled was taken")
	}
	if _, ok := ReadSettled(path, info.Size(), info.ModTime().Add(time.Second)); ok {
		t.Error("a file whose time changed since it settled was taken")
	}
	if _, ok := ReadSettled(path+".gone", info.Size(), info.ModTime()); ok {
		t.Error("a missing file was taken")
	}
}

// While another process holds the record, a lookup knows nothing (the file
// is taken for new, which marks make safe) instead of waiting for it; once
// the record is free again it knows the file again.
func TestRecord_LookupWhileHeldKnowsNothing(t *testing.T) {
	r, dbPath := openTemp(t)
	path := filepath.Join(t.TempDir(), "photo.png")
	writeFile(t, path, "content")
	s, _ := ReadSource(path)
	r.Put(s)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	holder := testproc.Start(t, "hold", dbPath)
	for range 3 {
		if r.Ours(path, s.Size, s.ModTime) {
			t.Fatal("a lookup read a record another process holds")
		}
	}
	holder.Kill()
	if !r.Ours(path, s.Size, s.ModTime) {
		t.Error("the record, free again, does not know the file")
	}
}
