package ui

import (
	"context"
	"slices"
	"sync"
	"time"

	"fluxdesk/engine"
)

// lane is one long-running pipeline, fed in order by the lane's one sender
// from a queue of requests.
type lane struct {
	id       int
	requests chan engine.Request
	cancel   context.CancelFunc
	ctx      context.Context

	mu      sync.Mutex
	queue   []*queued
	retired bool          // finish the queue, then let the pipeline end
	wake    chan struct{} // something was queued, or the lane retired
}

// queued is a request waiting for the lane's sender. A request handed
// over by a caller that waits has the caller's ctx, and learns on result
// whether the pipeline took it (nil) or the caller gave up first.
type queued struct {
	req    engine.Request
	ctx    context.Context
	result chan error
}

// gaveUp returns a channel closed when the waiting caller gave up; nil
// (never) for a request nobody waits for.
func (q *queued) gaveUp() <-chan struct{} {
	if q.ctx == nil {
		return nil
	}
	return q.ctx.Done()
}

// lanes runs one pipeline per engine, built on first use. New settings for
// an engine retire its lane: it finishes what it has, and the next files go
// to a new one. Cancel stops every lane at once. Safe for concurrent use.
type lanes struct {
	build    func(engineName string) (engine.Compressor, error)
	ledger   engine.Ledger
	listener func(lane int, e engine.Event)

	mu      sync.Mutex
	nextID  int
	current map[string]*lane // the lanes new files go to
	live    map[int]*lane    // every lane whose pipeline runs, retired ones too
	running sync.WaitGroup
}

func newLanes(build func(string) (engine.Compressor, error), ledger engine.Ledger, listener func(int, engine.Event)) *lanes {
	return &lanes{build: build, ledger: ledger, listener: listener, current: map[string]*lane{}, live: map[int]*lane{}}
}

// submit queues paths (files or folders) on the engine's lane with opts.
// It never blocks: the lane's sender hands them over in order.
func (l *lanes) submit(engineName string, paths []string, opts engine.Options) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln, err := l.laneFor(engineName)
	if err != nil {
		return err
	}
	for _, p := range paths {
		ln.enqueue(&queued{req: engine.Request{Path: p, Options: opts}})
	}
	return nil
}

// handOver queues req on the engine's lane and returns once its pipeline
// took it, so that a busy pipeline holds the caller back. It returns
// ctx's error when ctx ends first (the request is then withdrawn, unless
// it was taken meanwhile), and context.Canceled when the lane is cancelled.
func (l *lanes) handOver(ctx context.Context, engineName string, req engine.Request) error {
	l.mu.Lock()
	ln, err := l.laneFor(engineName)
	if err != nil {
		l.mu.Unlock()
		return err
	}
	q := &queued{req: req, ctx: ctx, result: make(chan error, 1)}
	ln.enqueue(q)
	l.mu.Unlock()
	select {
	case err := <-q.result:
		return err
	case <-ln.ctx.Done():
		return context.Canceled
	case <-ctx.Done():
		if ln.withdraw(q) {
			return ctx.Err()
		}
		select { // the sender has it, and sees the same ctx
		case err := <-q.result:
			return err
		case <-ln.ctx.Done():
			return context.Canceled
		}
	}
}

// laneFor returns the engine's lane, starting one when there is none.
// l.mu is held.
func (l *lanes) laneFor(engineName string) (*lane, error) {
	if ln, ok := l.current[engineName]; ok {
		return ln, nil
	}
	comp, err := l.build(engineName)
	if err != nil {
		return nil, err
	}
	l.nextID++
	ctx, cancel := context.WithCancel(context.Background())
	ln := &lane{id: l.nextID, requests: make(chan engine.Request), cancel: cancel, ctx: ctx, wake: make(chan struct{}, 1)}
	id := ln.id
	p := engine.New(comp, l.ledger, func(e engine.Event) { l.listener(id, e) })
	go ln.send()
	l.running.Go(func() {
		p.Run(ctx, ln.requests)
		cancel()
		l.mu.Lock()
		delete(l.live, id)
		l.mu.Unlock()
	})
	l.current[engineName] = ln
	l.live[id] = ln
	return ln, nil
}

// enqueue adds q at the end of the lane's queue.
func (ln *lane) enqueue(q *queued) {
	ln.mu.Lock()
	ln.queue = append(ln.queue, q)
	ln.mu.Unlock()
	ln.poke()
}

// withdraw takes q out of the queue and reports whether it was still there.
func (ln *lane) withdraw(q *queued) bool {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	i := slices.Index(ln.queue, q)
	if i >= 0 {
		ln.queue = slices.Delete(ln.queue, i, i+1)
	}
	return i >= 0
}

func (ln *lane) poke() {
	select {
	case ln.wake <- struct{}{}:
	default:
	}
}

// send is the lane's one sender: it hands the queue to the pipeline in
// order, and closes the requests (which lets the pipeline finish) once the
// lane is retired and its queue empty, or cancelled.
func (ln *lane) send() {
	defer close(ln.requests)
	for {
		q, ok := ln.next()
		if !ok {
			return
		}
		select {
		case ln.requests <- q.req:
			q.report(nil)
		case <-q.gaveUp():
			q.report(q.ctx.Err())
		case <-ln.ctx.Done():
			return
		}
	}
}

// report tells a waiting caller what became of its request.
func (q *queued) report(err error) {
	if q.result != nil {
		q.result <- err
	}
}

// next waits for the head of the queue; ok is false once the lane is
// retired with nothing queued, or cancelled.
func (ln *lane) next() (q *queued, ok bool) {
	for {
		ln.mu.Lock()
		if len(ln.queue) > 0 {
			q = ln.queue[0]
			ln.queue = slices.Delete(ln.queue, 0, 1)
			ln.mu.Unlock()
			return q, true
		}
		retired := ln.retired
		ln.mu.Unlock()
		if retired {
			return nil, false
		}
		select {
		case <-ln.wake:
		case <-ln.ctx.Done():
			return nil, false
		}
	}
}

// retire lets the engine's lane finish the files it has and sends new ones
// to a fresh lane built with the settings then in force.
func (l *lanes) retire(engineName string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ln, ok := l.current[engineName]; ok {
		delete(l.current, engineName)
		ln.mu.Lock()
		ln.retired = true
		ln.mu.Unlock()
		ln.poke()
	}
}

// cancelAll stops every lane, retired ones included: jobs not finished are
// reported as skipped (cancelled) and leave no file behind.
func (l *lanes) cancelAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.current)
	for _, ln := range l.live {
		ln.cancel()
	}
}

// stop cancels every lane, retired ones included, and waits up to wait for
// their pipelines to return (cancelled jobs leave no file behind).
func (l *lanes) stop(wait time.Duration) {
	l.cancelAll()
	done := make(chan struct{})
	go func() {
		l.running.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
	}
}
