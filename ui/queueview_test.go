package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"

	"fluxdesk/engine"
)

// shownIn reports whether o is in the tree of containers under root, with
// it and every container above it visible.
func shownIn(root, o fyne.CanvasObject) bool {
	if !root.Visible() {
		return false
	}
	if root == o {
		return true
	}
	c, ok := root.(*fyne.Container)
	if !ok {
		return false
	}
	for _, child := range c.Objects {
		if shownIn(child, o) {
			return true
		}
	}
	return false
}

// The queue list is laid out in the window from the start, under the drop
// area, so that its first frames are not drawn when a flood of files
// arrives; the drop area covers it only while the queue is empty.
func TestQueueView_ListLaidOutBeforeTheFirstFile(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	v := d.queueV
	if !shownIn(v.content, v.empty) {
		t.Error("the drop area is not shown with an empty queue")
	}
	if !shownIn(v.content, v.list) || v.list.Size().IsZero() {
		t.Errorf("the list is not laid out before the first file (shown %v, size %v)", shownIn(v.content, v.list), v.list.Size())
	}

	d.applyEvents([]laneEvent{{1, engine.Event{Job: 1, Status: engine.StatusQueued, Path: "/a/1.jpg"}}})
	if v.empty.Visible() {
		t.Error("the drop area still covers the list with a file queued")
	}
	if !shownIn(v.content, v.list) || v.list.Length() != 1 {
		t.Errorf("the list with a file queued: shown %v, %d rows", shownIn(v.content, v.list), v.list.Length())
	}

	done := engine.Event{Job: 1, Status: engine.StatusDone, Path: "/a/1.jpg", Output: "/a/1.webp", BytesIn: 10, BytesOut: 5}
	d.applyEvents([]laneEvent{{1, done}})
	d.queue.clearFinished()
	d.queueV.refresh()
	if !v.empty.Visible() {
		t.Error("the drop area is not back once the queue is empty again")
	}
}

// BenchmarkQueueView_FirstFiles measures the refresh that shows the first
// files of a flood: 500 queued, 2 running, in a large window, where every
// visible row is made and filled.
func BenchmarkQueueView_FirstFiles(b *testing.B) {
	var events []laneEvent
	for i := 1; i <= 500; i++ {
		events = append(events, laneEvent{1, engine.Event{Job: i, Status: engine.StatusQueued, Path: fmt.Sprintf("/a/img%05d.png", i)}})
	}
	for i := 1; i <= 2; i++ {
		events = append(events, laneEvent{1, engine.Event{Job: i, Status: engine.StatusRunning, Path: fmt.Sprintf("/a/img%05d.png", i)}})
	}
	for b.Loop() {
		b.StopTimer()
		d, w := newTestDesk(b, nil)
		w.Resize(fyne.NewSize(1280, 1000))
		b.StartTimer()
		d.applyEvents(events)
	}
}
