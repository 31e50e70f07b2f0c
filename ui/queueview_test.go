package ui

import (
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
