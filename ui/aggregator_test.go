package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
)

func TestAggregator_OneBatchAtATime(t *testing.T) {
	var q uiQueue
	var batches [][]laneEvent
	a := newAggregator(q.do, func(b []laneEvent) { batches = append(batches, b) })
	for _, e := range events(100) {
		a.add(e.lane, e.event)
	}
	a.flush()
	a.add(1, engine.Event{Job: 101, Status: engine.StatusQueued})
	a.flush() // the first batch is not applied yet: this one waits
	q.pump()
	if len(batches) != 1 || len(batches[0]) != 300 {
		t.Fatalf("batches %d, first of %d events", len(batches), len(batches[0]))
	}
	a.flush()
	q.pump()
	if len(batches) != 2 || len(batches[1]) != 1 {
		t.Errorf("second batch: %d batches", len(batches))
	}
	a.flush()
	q.pump()
	if len(batches) != 2 {
		t.Error("nothing pending, yet a batch was sent")
	}
	a.poke()
	a.flush()
	q.pump()
	if len(batches) != 3 || len(batches[2]) != 0 {
		t.Error("a poke should bring a refresh without events")
	}
}

func TestQueueScreen_TenThousandRowsScroll(t *testing.T) {
	d, w := newTestDesk(t, nil)
	d.applyEvents(events(10_000))
	if d.queueV.summary.Text != "10000 of 10000 files finished · 15.0 GB saved (−75 %)" {
		t.Errorf("summary %q", d.queueV.summary.Text)
	}
	list := d.queueV.list
	for _, step := range []struct {
		scroll     func()
		shown, not string
	}{
		{func() {}, "img00001.jpg", "img10000.jpg"},
		{list.ScrollToBottom, "img10000.jpg", "img00001.jpg"},
		{func() { list.ScrollTo(4_999) }, "img05000.jpg", "img10000.jpg"},
		{list.ScrollToTop, "img00001.jpg", "img05000.jpg"},
	} {
		step.scroll()
		names := shownNames(w)
		if !slices.Contains(names, step.shown) || slices.Contains(names, step.not) {
			t.Errorf("rows shown %v: want %s, not %s", names, step.shown, step.not)
		}
		if len(names) > 50 {
			t.Errorf("%d rows bound at once: the list should bind only what is in view", len(names))
		}
	}
}

// shownNames returns the file names the queue's rows show on w.
func shownNames(w fyne.Window) []string {
	var names []string
	for _, o := range test.LaidOutObjects(w.Canvas().Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && strings.HasPrefix(l.Text, "img") {
			names = append(names, l.Text)
		}
	}
	return names
}

// BenchmarkQueue_TenThousandFiles feeds the events of 10 000 files (queued,
// running, done: 30 000 events) through the aggregator's UI side in the
// batches a 100 ms flush makes when the engine finishes ~1 000 files a
// second, refreshing the virtualised list after each, as the app does.
func BenchmarkQueue_TenThousandFiles(b *testing.B) {
	all := events(10_000)
	const perBatch = 300 // ~1 000 files/s × 3 events × 100 ms
	for b.Loop() {
		b.StopTimer()
		d, _ := newTestDesk(b, nil)
		b.StartTimer()
		for i := 0; i < len(all); i += perBatch {
			d.applyEvents(all[i:min(i+perBatch, len(all))])
		}
	}
}

// BenchmarkQueue_ScrollTenThousandRows scrolls from top to bottom of 10 000
// rows in wheel steps of 40 units, as a mouse wheel does; rows coming into
// view are bound as they appear.
func BenchmarkQueue_ScrollTenThousandRows(b *testing.B) {
	d, _ := newTestDesk(b, nil)
	d.applyEvents(events(10_000))
	list := d.queueV.list
	list.ScrollToBottom()
	end := list.GetScrollOffset()
	steps := 0
	for b.Loop() {
		for off := float32(0); off < end; off += 40 {
			list.ScrollToOffset(off)
			steps++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(steps), "µs/step")
}

// A watched folder's change reaches the folder panel with the queue's next
// flush: the watch session only marks it changed.
func TestDesk_FolderChangesComeWithTheFlush(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	dir := t.TempDir()
	if err := d.watch.Add(dir, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, d, "the folder panel to show the folder", 10*time.Second, func() bool {
		return len(d.foldersV.states) == 1 && d.foldersV.states[0].Path == dir
	})
}

// While a file is worked on, every flush asks for the next one, events or
// not, so that the working rows' pulses move; with nothing worked on, a
// flush without events does nothing.
func TestDesk_FlushesGoOnWhileAFileIsWorkedOn(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	d.stopBg() // no ticker: the test flushes
	d.bg.Wait()
	running := engine.Event{Job: 1, Status: engine.StatusRunning, Path: "/a/1.jpg", BytesIn: 10}
	d.applyEvents([]laneEvent{{1, running}})
	if _, ok := d.agg.take(); !ok {
		t.Fatal("no flush asked for while a file is worked on")
	}
	d.applyEvents(nil)
	if _, ok := d.agg.take(); !ok {
		t.Fatal("a flush without events did not ask for the next one while a file is worked on")
	}
	done := running
	done.Status, done.Output, done.BytesOut = engine.StatusDone, "/a/1.webp", 5
	d.applyEvents([]laneEvent{{1, done}})
	if _, ok := d.agg.take(); ok {
		t.Error("a flush was asked for with nothing worked on")
	}
}
