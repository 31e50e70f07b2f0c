package ui

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"fluxdesk/engine"
	"fluxdesk/engine/apikey"
)

// Keys the fake server and store use.
const (
	oldKey = "flx_live_" + "1111111111111111111111111111111111111111"
	newKey = "flx_live_" + "2222222222222222222222222222222222222222"
)

// newTestDesk builds the window on a test app, with settings and record in
// a temporary folder and the key in a memory store.
func newTestDesk(t testing.TB, store apikey.Store) (*Desk, fyne.Window) {
	t.Helper()
	t.Setenv(apikey.EnvKey, "")
	t.Setenv(apikey.EnvBaseURL, "")
	dir := t.TempDir()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	if store == nil {
		store = apikey.NewMemoryStore()
	}
	ui := &uiQueue{}
	d := newDesk(a, w, Options{
		Store:        store,
		SettingsPath: filepath.Join(dir, "settings.json"),
		RecordPath:   filepath.Join(dir, "record.db"),
	}, ui.do)
	testUI[d] = ui
	t.Cleanup(func() {
		d.shutdown()
		delete(testUI, d)
	})
	w.SetContent(d.Content())
	w.Resize(fyne.NewSize(860, 620))
	return d, w
}

// uiQueue stands in for the UI goroutine: functions queued from other
// goroutines run when the test pumps them, on the test's goroutine.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) do(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

// pump runs what is queued, and what that queues, until nothing is left.
func (q *uiQueue) pump() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, f := range fns {
			f()
		}
	}
}

// testUI maps each test window to its UI queue.
var testUI = map[*Desk]*uiQueue{}

// pump runs the UI work other goroutines queued for d.
func pump(d *Desk) { testUI[d].pump() }

// waitFor pumps d's UI work and checks cond until it holds or the
// deadline passes.
func waitFor(t *testing.T, d *Desk, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	for pump(d); !cond(); pump(d) {
		select {
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// events returns the events of n files going through queued, running and
// done, in the order a pipeline sends them, as lane 1.
func events(n int) []laneEvent {
	var out []laneEvent
	for i := 1; i <= n; i++ {
		path := filepath.Join("/photos", "shoot", fmt.Sprintf("img%05d.jpg", i))
		out = append(out, laneEvent{1, engine.Event{Job: i, Status: engine.StatusQueued, Path: path, BytesIn: 2_000_000}})
	}
	for i := 1; i <= n; i++ {
		path := filepath.Join("/photos", "shoot", fmt.Sprintf("img%05d.jpg", i))
		out = append(out,
			laneEvent{1, engine.Event{Job: i, Status: engine.StatusRunning, Path: path, BytesIn: 2_000_000}},
			laneEvent{1, engine.Event{Job: i, Status: engine.StatusDone, Path: path, Output: path[:len(path)-4] + ".webp", BytesIn: 2_000_000, BytesOut: 500_000}})
	}
	return out
}
