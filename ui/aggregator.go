package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fluxdesk/engine"
)

// flushInterval is how often aggregated progress reaches the widgets:
// about ten times a second, never once per file.
const flushInterval = 100 * time.Millisecond

// aggregator collects engine events from any goroutine and hands them to
// the UI goroutine in batches, at most once per flushInterval.
type aggregator struct {
	apply func([]laneEvent) // runs on the UI goroutine
	do    uiRunner

	mu      sync.Mutex
	pending []laneEvent
	poked   bool

	busy atomic.Bool // a batch is on its way to the UI goroutine
}

func newAggregator(do uiRunner, apply func([]laneEvent)) *aggregator {
	return &aggregator{do: do, apply: apply}
}

// add queues an event from a lane's pipeline. It never blocks on the UI.
func (a *aggregator) add(lane int, e engine.Event) {
	a.mu.Lock()
	a.pending = append(a.pending, laneEvent{lane, e})
	a.mu.Unlock()
}

// poke asks for a refresh at the next flush even without events (a
// thumbnail became ready).
func (a *aggregator) poke() {
	a.mu.Lock()
	a.poked = true
	a.mu.Unlock()
}

// run flushes every flushInterval until ctx is done.
func (a *aggregator) run(ctx context.Context) {
	tick := time.NewTicker(flushInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			a.flush()
		}
	}
}

// flush sends what is pending to the UI goroutine, unless the previous
// batch has not been applied yet: then it waits for the next tick, and the
// events pile up into one larger batch instead of a backlog of small ones.
func (a *aggregator) flush() {
	if a.busy.Load() {
		return
	}
	batch, ok := a.take()
	if !ok {
		return
	}
	a.busy.Store(true)
	a.do(func() {
		a.apply(batch)
		a.busy.Store(false)
	})
}

// take returns the pending events, and whether there is anything to do.
func (a *aggregator) take() ([]laneEvent, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	batch, poked := a.pending, a.poked
	a.pending, a.poked = nil, false
	return batch, len(batch) > 0 || poked
}
