package ui

import (
	"context"
	"sync"
	"time"

	"fluxdesk/engine"
)

// lane is one long-running pipeline and the channel that feeds it.
type lane struct {
	id       int
	requests chan engine.Request
	cancel   context.CancelFunc
	ctx      context.Context
	senders  sync.WaitGroup // goroutines handing requests over
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
// It never blocks: the requests are handed over from a goroutine.
func (l *lanes) submit(engineName string, paths []string, opts engine.Options) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln, err := l.laneFor(engineName)
	if err != nil {
		return err
	}
	ln.senders.Go(func() {
		for _, p := range paths {
			select {
			case ln.requests <- engine.Request{Path: p, Options: opts}:
			case <-ln.ctx.Done():
				return
			}
		}
	})
	return nil
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
	ln := &lane{id: l.nextID, requests: make(chan engine.Request), cancel: cancel, ctx: ctx}
	id := ln.id
	p := engine.New(comp, l.ledger, func(e engine.Event) { l.listener(id, e) })
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

// retire lets the engine's lane finish the files it has and sends new ones
// to a fresh lane built with the settings then in force.
func (l *lanes) retire(engineName string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ln, ok := l.current[engineName]; ok {
		delete(l.current, engineName)
		go closeWhenHandedOver(ln)
	}
}

// closeWhenHandedOver closes a lane's requests once every request has been
// handed over, which lets its pipeline finish.
func closeWhenHandedOver(ln *lane) {
	ln.senders.Wait()
	close(ln.requests)
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
