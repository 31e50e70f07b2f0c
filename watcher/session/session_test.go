package session

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"fluxdesk/engine"
	"fluxdesk/engine/local"
	"fluxdesk/engine/record"
	"fluxdesk/internal/testimage"
	"fluxdesk/internal/testproc"
	"fluxdesk/watcher"
)

const quiet = 200 * time.Millisecond

func TestMain(m *testing.M) {
	testproc.Main(m, nil)
}

func openRecord(t *testing.T) (*record.Record, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", record.FileName)
	rec, err := record.Open(path, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Flush() }) // before its folder is removed
	return rec, path
}

// waitFolder waits until the only folder's state satisfies cond.
func waitFolder(t *testing.T, s *Session, what string, cond func(Folder) bool) Folder {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if snap := s.Snapshot(); len(snap) == 1 && cond(snap[0]) {
			return snap[0]
		}
		select {
		case <-deadline:
			t.Fatalf("timed out waiting for %s: %+v", what, s.Snapshot())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// firstHanded waits for the first file handed over.
func firstHanded(t *testing.T, handed <-chan string) string {
	t.Helper()
	select {
	case path := <-handed:
		return path
	case <-time.After(30 * time.Second):
		t.Fatal("no file handed over")
		return ""
	}
}

// piped is a session whose files go through a real local pipeline.
type piped struct {
	s        *Session
	requests chan engine.Request
	runDone  chan engine.Summary
	mu       sync.Mutex
	events   map[string]int // final events by path
	batched  int            // files counted by OnBatch
}

func startPiped(t *testing.T, rec *record.Record) *piped {
	t.Helper()
	p := &piped{requests: make(chan engine.Request), runDone: make(chan engine.Summary), events: map[string]int{}}
	p.s = New(Config{
		Record: rec,
		Hand: func(ctx context.Context, path string) error {
			select {
			case p.requests <- engine.Request{Path: path, Options: engine.DefaultOptions()}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
		OnBatch: func(files int, _ int64) {
			p.mu.Lock()
			p.batched += files
			p.mu.Unlock()
		},
	}, Options{Quiet: quiet})
	pipeline := engine.New(local.New(1), rec, func(e engine.Event) {
		if e.Status.Final() {
			p.mu.Lock()
			p.events[e.Path]++
			p.mu.Unlock()
		}
		p.s.Finished(e)
	})
	go func() { p.runDone <- pipeline.Run(context.Background(), p.requests) }()
	return p
}

// stop ends the watching, then the pipeline, then the session.
func (p *piped) stop() {
	p.s.Stop()
	close(p.requests)
	<-p.runDone
	p.s.Close()
}

// watchFivePNGs watches a fresh folder through a real pipeline and writes
// five PNGs into it.
func watchFivePNGs(t *testing.T, rec *record.Record) (*piped, []string) {
	t.Helper()
	dir := t.TempDir()
	p := startPiped(t, rec)
	if err := p.s.Add(dir, false); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := range 5 {
		paths = append(paths, testimage.WritePNG(t, filepath.Join(dir, fmt.Sprintf("p%d.png", i)), testimage.Noisy(64, 48)))
	}
	return p, paths
}

// Every settled file goes through a real pipeline once, its outcome lands
// in the record, and the folder's counts and batches add up.
func TestSession_RecordsEachFileOnceAndCounts(t *testing.T) {
	rec, _ := openRecord(t)
	p, paths := watchFivePNGs(t, rec)
	f := waitFolder(t, p.s, "five files done", func(f Folder) bool { return f.Done == 5 && f.Pending == 0 })
	p.stop()

	if f.Queued != 5 || f.Failed != 0 || f.Saved <= 0 {
		t.Errorf("counts %+v", f)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.batched != 5 {
		t.Errorf("batches counted %d files, want 5", p.batched)
	}
	for _, path := range paths {
		if p.events[path] != 1 {
			t.Errorf("%s finished %d times", path, p.events[path])
		}
		got, ok := rec.Get(path)
		if !ok || got.Status != string(engine.StatusDone) || got.Output == "" {
			t.Errorf("%s recorded as %+v, %v", path, got, ok)
		}
	}
}

// While another process holds the record (for longer than the record's
// timeout), watching goes on: files settle, are compressed and finish; what
// they leave to record is committed once the record is free.
func TestSession_RecordHeldElsewhereDoesNotStopWatching(t *testing.T) {
	rec, dbPath := openRecord(t)
	holder := testproc.Start(t, "hold", dbPath)
	p, paths := watchFivePNGs(t, rec)
	waitFolder(t, p.s, "five files done while the record is held", func(f Folder) bool { return f.Done == 5 && f.Pending == 0 })
	holder.Kill()
	p.stop()
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if got, ok := rec.Get(path); !ok || got.Status != string(engine.StatusDone) {
			t.Errorf("%s recorded as %+v, %v", path, got, ok)
		}
	}
}

// A copy that stalls for longer than the settle time (from a network
// share) is one job once it completes, for the window and the watch
// command alike: no failure counted for the parts seen on the way.
func TestSession_StalledCopyIsOneJob(t *testing.T) {
	rec, _ := openRecord(t)
	dir := t.TempDir()
	p := startPiped(t, rec)
	defer p.stop()
	if err := p.s.Add(dir, false); err != nil {
		t.Fatal(err)
	}
	waitFolder(t, p.s, "watching", func(f Folder) bool { return f.Kind == watcher.Watching })
	data := testimage.PNG(t, testimage.Noisy(160, 120))
	path := filepath.Join(dir, "from the share.png")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	written := 0
	for _, upTo := range []int{len(data) / 3, len(data) * 2 / 3} {
		if _, err := file.Write(data[written:upTo]); err != nil {
			t.Fatal(err)
		}
		written = upTo
		time.Sleep(3 * quiet) // the copy stalls: what was written settles
		if f := p.s.Snapshot()[0]; f.Queued != 0 {
			t.Fatalf("handed over with %d of %d bytes: %+v", written, len(data), f)
		}
	}
	if _, err := file.Write(data[written:]); err != nil {
		t.Fatal(err)
	}
	f := waitFolder(t, p.s, "the copy done", func(f Folder) bool { return f.Done == 1 && f.Pending == 0 })
	if f.Queued != 1 || f.Failed != 0 {
		t.Errorf("counts %+v, want one job done", f)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.events[path] != 1 {
		t.Errorf("%d final events for the copy, want 1", p.events[path])
	}
}

// While the pipeline takes nothing, the session hands over one file and
// waits: the watcher's bound on pending files holds all the way.
func TestSession_BusyPipelineHoldsTheWatcherBack(t *testing.T) {
	rec, _ := openRecord(t)
	dir := t.TempDir()
	calls := make(chan string, 100)
	s := New(Config{
		Record: rec,
		Hand: func(ctx context.Context, path string) error {
			calls <- path
			<-ctx.Done() // a pipeline that never takes anything
			return ctx.Err()
		},
	}, Options{Quiet: quiet})
	if err := s.Add(dir, false); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		testimage.WritePNG(t, filepath.Join(dir, fmt.Sprintf("p%d.png", i)), testimage.Noisy(32, 32))
	}
	firstHanded(t, calls)
	// Every other file settles within a few quiet periods; none may be
	// handed over while the first waits.
	select {
	case p := <-calls:
		t.Fatalf("%s handed over while the pipeline was busy", p)
	case <-time.After(10 * quiet):
	}
	if f := s.Snapshot()[0]; f.Queued != 1 || f.Pending != 1 {
		t.Errorf("counts while busy: %+v", f)
	}
	s.Close()
	if f := s.Snapshot()[0]; f.Queued != 0 || f.Pending != 0 || f.Failed != 0 {
		t.Errorf("a hand-over called off still counts: %+v", f)
	}
}

// Finished is called from the pipeline's listener, inside the pipeline's
// lock: it must not wait for a record another process holds. The outcome
// is counted at once, and committed once the record is free.
func TestSession_FinishedDoesNotWaitForTheRecord(t *testing.T) {
	rec, recPath := openRecord(t)
	dir := t.TempDir()
	handed := make(chan string, 1)
	s := New(Config{
		Record: rec,
		Hand: func(ctx context.Context, path string) error {
			handed <- path
			return nil
		},
	}, Options{Quiet: quiet})
	defer s.Close()
	if err := s.Add(dir, false); err != nil {
		t.Fatal(err)
	}
	testimage.WritePNG(t, filepath.Join(dir, "a.png"), testimage.Noisy(32, 32))
	path := firstHanded(t, handed)

	// Another process writing: bbolt's exclusive file lock.
	other, err := bolt.Open(recPath, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	returned := make(chan struct{})
	go func() {
		s.Finished(engine.Event{Status: engine.StatusDone, Path: path, Output: path + ".webp", BytesIn: 100, BytesOut: 60})
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		other.Close()
		t.Fatal("Finished waited for the record")
	}
	// The outcome is counted, and queued for the record, while the record
	// is still held.
	waitFolder(t, s, "the outcome to be counted", func(f Folder) bool { return f.Done == 1 && f.Pending == 0 && f.Saved == 40 })
	if got, ok := rec.Get(path); !ok || got.Output != path+".webp" {
		t.Errorf("queued %+v, %v", got, ok)
	}
	other.Close()
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	again, err := record.Open(recPath, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := again.Get(path); !ok || got.Output != path+".webp" {
		t.Errorf("recorded %+v, %v", got, ok)
	}
}

// A folder inside or around one already watched is refused; without a
// record, a folder is listed in error with the reason.
func TestSession_AddRefusesOverlapAndNeedsTheRecord(t *testing.T) {
	rec, _ := openRecord(t)
	dir := t.TempDir()
	s := New(Config{Record: rec, Hand: func(context.Context, string) error { return nil }}, Options{Quiet: quiet})
	defer s.Close()
	if err := s.Add(dir, true); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, filepath.Join(dir, "sub"), filepath.Dir(dir)} {
		if err := s.Add(p, false); err == nil {
			t.Errorf("%s accepted beside %s", p, dir)
		}
	}

	// A folder that cannot be watched is still shown: the window redraws
	// its folders when told of a change, and a watcher that never starts
	// reports nothing.
	var changes atomic.Int32
	none := New(Config{RecordErr: fmt.Errorf("no record here"), OnChange: func() { changes.Add(1) }}, Options{})
	defer none.Close()
	if err := none.Add(dir, false); err != nil {
		t.Fatal(err)
	}
	if f := none.Snapshot()[0]; f.Kind != watcher.Error || f.Reason != "no record here" {
		t.Errorf("without a record: %+v", f)
	}
	if changes.Load() == 0 {
		t.Error("adding a folder that cannot be watched called no OnChange")
	}
}
