package remote_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/remote/fluxtest"
)

const (
	keyA = "flx_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	keyB = "flx_live_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// sleeps records the waits the retry policy asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// fixture is a fake server, a client on it and the recorded waits.
type fixture struct {
	srv    *fluxtest.Server
	client *remote.Client
	sleeps *sleeps
}

func newFixture(t *testing.T, co remote.ClientOptions) *fixture {
	t.Helper()
	f := &fixture{srv: fluxtest.New(keyA), sleeps: &sleeps{}}
	t.Cleanup(f.srv.Close)
	co.Retry.Sleep = f.sleeps.sleep
	c, err := remote.NewClient(f.srv.URL, co)
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	return f
}

// images writes n small PNGs, each of a different width (16+i), so that a
// result shows which file it came from.
func images(t testing.TB, n int) []string {
	t.Helper()
	dir := t.TempDir()
	paths := make([]string, n)
	for i := range n {
		img := image.NewRGBA(image.Rect(0, 0, 16+i, 12))
		for x := range 16 + i {
			img.Set(x, x%12, color.RGBA{uint8(i * 5), 90, 200, 255})
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		paths[i] = filepath.Join(dir, fmt.Sprintf("img%03d.png", i))
		if err := os.WriteFile(paths[i], b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// jobsFor makes jobs for paths with the given options.
func jobsFor(t testing.TB, paths []string, o engine.Options) []engine.Job {
	t.Helper()
	jobs := make([]engine.Job, len(paths))
	for i, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		jobs[i] = engine.Job{ID: i + 1, Path: p, Size: fi.Size(), Options: o}
	}
	return jobs
}

func webpOptions() engine.Options {
	o := engine.DefaultOptions()
	o.Format = "webp"
	return o
}

// recorder is an engine.Sink that keeps everything and checks that every
// job is finished once.
type recorder struct {
	t       testing.TB
	mu      sync.Mutex
	started map[int]int
	held    map[int]string
	results map[int]engine.Result
	heldCh  chan int
}

func newRecorder(t testing.TB) *recorder {
	return &recorder{t: t, started: map[int]int{}, held: map[int]string{}, results: map[int]engine.Result{}, heldCh: make(chan int, 1000)}
}

func (r *recorder) Started(job engine.Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started[job.ID]++
}

func (r *recorder) Held(job engine.Job, reason string) {
	r.mu.Lock()
	r.held[job.ID] = reason
	r.mu.Unlock()
	r.heldCh <- job.ID
}

func (r *recorder) Finished(job engine.Job, res engine.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.results[job.ID]; dup {
		r.t.Errorf("job %d finished twice", job.ID)
	}
	r.results[job.ID] = res
}

// run feeds jobs to c and returns what the sink got.
func run(t testing.TB, ctx context.Context, c engine.Compressor, jobs []engine.Job) *recorder {
	t.Helper()
	rec := newRecorder(t)
	feed(ctx, c, jobs, rec)
	if n := rec.finishedCount(); n != len(jobs) {
		t.Fatalf("%d of %d jobs finished", n, len(jobs))
	}
	return rec
}

// feed gives c all jobs at once and waits until it returns.
func feed(ctx context.Context, c engine.Compressor, jobs []engine.Job, rec *recorder) {
	ch := make(chan engine.Job, len(jobs))
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	c.Compress(ctx, ch, rec)
}

func (r *recorder) finishedCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.results)
}

func (r *recorder) heldReason(id int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.held[id]
}

// failures returns the error text of each failed job by ID.
func (r *recorder) failures() map[int]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := map[int]string{}
	for id, res := range r.results {
		if res.Err != nil {
			f[id] = res.Err.Error()
		}
	}
	return f
}

// filesPerRequest lists how many files each compress request carried.
func filesPerRequest(srv *fluxtest.Server) []int {
	var n []int
	for _, r := range srv.Seen().Compress {
		n = append(n, len(r.Files))
	}
	return n
}

// keyBox is a key store whose key can be replaced, as the keychain's is.
type keyBox struct {
	mu      sync.Mutex
	key     string
	changed chan struct{}
}

func newKeyBox(k string) *keyBox { return &keyBox{key: k, changed: make(chan struct{})} }

func (b *keyBox) Current() (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.key, nil
}

func (b *keyBox) KeyChanged() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.changed
}

func (b *keyBox) set(k string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.key = k
	close(b.changed)
	b.changed = make(chan struct{})
}

// fakeLocal stands in for the local engine as a fallback.
type fakeLocal struct {
	mu   sync.Mutex
	jobs []int
}

func (f *fakeLocal) Compress(ctx context.Context, jobs <-chan engine.Job, sink engine.Sink) {
	for j := range jobs {
		f.mu.Lock()
		f.jobs = append(f.jobs, j.ID)
		f.mu.Unlock()
		sink.Finished(j, engine.Result{Data: []byte("local"), Format: "webp"})
	}
}

func (f *fakeLocal) took() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.jobs)
}
