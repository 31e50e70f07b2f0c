package ui

import (
	"testing"

	"fluxdesk/engine"
)

func TestQueue_FoldsEventsIntoRowsAndTotals(t *testing.T) {
	q := newQueue()
	q.apply(events(3))
	q.apply([]laneEvent{
		{2, engine.Event{Job: 1, Status: engine.StatusQueued, Path: "/a/other.png", BytesIn: 100}}, // same job number, other lane
		{2, engine.Event{Job: 1, Status: engine.StatusHeld, Path: "/a/other.png", Message: "key rejected"}},
		{1, engine.Event{Job: 0, Status: engine.StatusFailed, Path: "/a/broken", Message: "cannot read"}},
	})
	if len(q.rows) != 5 {
		t.Fatalf("%d rows, want 5", len(q.rows))
	}
	want := Totals{Total: 5, Finished: 4, Done: 3, Failed: 1, Held: 1, BytesIn: 6_000_000, BytesOut: 1_500_000}
	if q.totals != want {
		t.Errorf("totals %+v, want %+v", q.totals, want)
	}
	if r := q.rows[3]; r.Status != engine.StatusHeld || r.BytesIn != 100 || r.Message != "key rejected" {
		t.Errorf("held row %+v", r)
	}
}

func TestQueue_ClearFinishedKeepsTheRestFindable(t *testing.T) {
	q := newQueue()
	q.apply([]laneEvent{
		{1, engine.Event{Job: 1, Status: engine.StatusQueued, Path: "/a/1.jpg"}},
		{1, engine.Event{Job: 2, Status: engine.StatusQueued, Path: "/a/2.jpg"}},
		{1, engine.Event{Job: 1, Status: engine.StatusDone, Path: "/a/1.jpg", Output: "/a/1.webp", BytesIn: 10, BytesOut: 5}},
	})
	q.clearFinished()
	if len(q.rows) != 1 || q.totals != (Totals{Total: 1}) {
		t.Fatalf("after clear: %d rows, totals %+v", len(q.rows), q.totals)
	}
	q.apply([]laneEvent{{1, engine.Event{Job: 2, Status: engine.StatusRunning, Path: "/a/2.jpg"}}})
	if len(q.rows) != 1 || q.rows[0].Status != engine.StatusRunning || q.totals.Running != 1 {
		t.Errorf("job 2 after clear: %d rows, %+v", len(q.rows), q.rows[0])
	}
}
