package ui

import (
	"slices"

	"fluxdesk/engine"
)

// Row is one file in the queue, as the list shows it.
type Row struct {
	// Path of the original; Output of the written file (done rows).
	Path, Output string
	Status       engine.Status
	// BytesIn is the original's size; BytesOut the output's.
	BytesIn, BytesOut int64
	// Message says why a row was skipped, failed or held.
	Message string
	// Encoding says how the output was encoded (done rows).
	Encoding engine.Encoding
	// Backup is where the original went when the output replaced it; such a
	// done row offers to restore it.
	Backup string
	// Restored is set once the original is back in place (the row then
	// counts as skipped: nothing was compressed in the end).
	Restored bool

	key jobKey // the job the row shows; job 0 for a path that never became one
}

// Totals count the queue's rows by state.
type Totals struct {
	// Total is the number of rows; Finished those done, skipped or failed.
	Total, Finished                      int
	Done, Skipped, Failed, Held, Running int
	// BytesIn and BytesOut add up the done rows.
	BytesIn, BytesOut int64
}

// jobKey names a job across pipelines: each lane numbers its jobs from 1.
type jobKey struct{ lane, job int }

// laneEvent is an engine event with the lane it came from.
type laneEvent struct {
	lane  int
	event engine.Event
}

// queue is the model behind the queue list. It is only touched on the UI
// goroutine.
type queue struct {
	rows   []*Row
	index  map[jobKey]int
	totals Totals
}

func newQueue() *queue {
	return &queue{index: map[jobKey]int{}}
}

// apply folds events into the rows, in order.
func (q *queue) apply(events []laneEvent) {
	for _, le := range events {
		q.applyOne(le.lane, le.event)
	}
}

func (q *queue) applyOne(lane int, e engine.Event) {
	key := jobKey{lane, e.Job}
	i, ok := q.index[key]
	if !ok || e.Job == 0 {
		i = len(q.rows)
		q.rows = append(q.rows, &Row{Path: e.Path, key: key})
		q.totals.Total++
		if e.Job != 0 {
			q.index[key] = i
		}
	}
	r := q.rows[i]
	q.count(r, -1)
	r.Status, r.Message = e.Status, e.Message
	if e.Path != "" {
		r.Path = e.Path
	}
	if e.Output != "" {
		r.Output = e.Output
	}
	if e.Backup != "" {
		r.Backup = e.Backup
	}
	if e.BytesIn != 0 {
		r.BytesIn = e.BytesIn
	}
	if e.BytesOut != 0 {
		r.BytesOut = e.BytesOut
	}
	r.Encoding = e.Encoding
	q.count(r, +1)
}

// count adds (sign +1) or removes (-1) a row's part in the totals.
func (q *queue) count(r *Row, sign int) {
	t := &q.totals
	switch r.Status {
	case engine.StatusDone:
		t.Done += sign
		t.BytesIn += int64(sign) * r.BytesIn
		t.BytesOut += int64(sign) * r.BytesOut
	case engine.StatusSkipped:
		t.Skipped += sign
	case engine.StatusFailed:
		t.Failed += sign
	case engine.StatusHeld:
		t.Held += sign
	case engine.StatusRunning:
		t.Running += sign
	}
	if r.Status.Final() {
		t.Finished += sign
	}
}

// restored marks a done row whose original was put back; message says
// what was left alone, if anything.
func (q *queue) restored(r *Row, message string) {
	listed := slices.Contains(q.rows, r) // not when cleared meanwhile
	if listed {
		q.count(r, -1)
	}
	r.Status, r.Restored, r.Message = engine.StatusSkipped, true, message
	if listed {
		q.count(r, +1)
	}
}

// clearFinished removes the rows that are done, skipped or failed.
func (q *queue) clearFinished() {
	kept := q.rows[:0]
	clear(q.index)
	q.totals = Totals{}
	for _, r := range q.rows {
		if r.Status.Final() {
			continue
		}
		if r.key.job != 0 {
			q.index[r.key] = len(kept)
		}
		kept = append(kept, r)
		q.totals.Total++
		q.count(r, +1)
	}
	clear(q.rows[len(kept):])
	q.rows = kept
}
