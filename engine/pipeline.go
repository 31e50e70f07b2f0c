package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// jobBuffer is how many queued jobs wait for a compressor. The queue holds
// paths, never pixels, so memory does not grow with the batch.
const jobBuffer = 64

// Request asks for a file or a folder (recursively) to be compressed.
type Request struct {
	Path    string
	Options Options
	// Vetted says the caller has just found the file at Path to be no
	// output of Fluxdesk's: a watched folder's session checks every
	// settled file against the record before it hands it over. The
	// pipeline then does not ask its ledger again, which would open the
	// record once more for each watched file.
	Vetted bool
	// Background says nobody waits for this work at the moment, as for a
	// new file in a folder the window watches (see Job.Background).
	Background bool
}

// Pipeline turns requests into jobs, hands them to a compressor, checks what
// comes back and writes it without ever hurting an original. It reports every
// change through its listener, which is never called concurrently: it runs
// under the pipeline's lock, so every worker waits for it. A listener must
// stay cheap (copy the event, signal another goroutine) and never wait on
// the disk, the network or a screen.
type Pipeline struct {
	compressor Compressor
	ledger     Ledger
	listener   func(Event)
	outputs    *outputs

	mu      sync.Mutex // guards nextID, summary and listener calls
	nextID  int
	summary Summary
}

// New returns a pipeline over a compressor. ledger may be nil (nothing is
// known to be Fluxdesk's own); listener may be nil.
func New(c Compressor, ledger Ledger, listener func(Event)) *Pipeline {
	if ledger == nil {
		ledger = noLedger{}
	}
	if listener == nil {
		listener = func(Event) {}
	}
	return &Pipeline{compressor: c, ledger: ledger, listener: listener, outputs: newOutputs(ledger)}
}

// Run compresses everything asked for on requests, until the channel is
// closed and every job has finished, or until ctx is done. Jobs not finished
// by then are reported as skipped ("cancelled") and leave no file behind.
func (p *Pipeline) Run(ctx context.Context, requests <-chan Request) Summary {
	start := time.Now()
	jobs := make(chan Job, jobBuffer)
	go p.feed(ctx, requests, jobs)
	p.compressor.Compress(ctx, jobs, sink{p, ctx})
	for job := range jobs { // left over after cancellation
		p.jobEvent(job, cancelledEvent())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.summary
	s.Seconds = time.Since(start).Seconds()
	s.Cancelled = ctx.Err() != nil
	return s
}

// feed expands requests into jobs until requests closes or ctx is done.
func (p *Pipeline) feed(ctx context.Context, requests <-chan Request, jobs chan<- Job) {
	defer close(jobs)
	for {
		select {
		case <-ctx.Done():
			return
		case req, ok := <-requests:
			if !ok {
				return
			}
			p.expand(ctx, req, jobs)
		}
	}
}

// expand queues the files of one request.
func (p *Pipeline) expand(ctx context.Context, req Request, jobs chan<- Job) {
	if err := req.Options.Validate(); err != nil {
		p.report(Event{Status: StatusFailed, Path: req.Path, Message: err.Error()})
		return
	}
	x := expander{
		ledger: p.ledger,
		fail: func(path, msg string) {
			p.report(Event{Status: StatusFailed, Path: path, Message: msg})
		},
		skip: func(path, msg string) {
			p.report(Event{Status: StatusSkipped, Path: path, Message: msg})
		},
		add: func(f found) bool {
			job := Job{Path: f.path, Root: f.root, Size: f.size, Options: req.Options, Background: req.Background, queued: f.info}
			job.ID = p.report(Event{Status: StatusQueued, Path: f.path, BytesIn: f.size})
			select {
			case jobs <- job:
				return true
			case <-ctx.Done():
				p.jobEvent(job, cancelledEvent())
				return false
			}
		},
	}
	x.expand(ctx, req)
}

// report numbers a new job, sends its first event and returns the number.
func (p *Pipeline) report(e Event) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nextID++
	e.Job = p.nextID
	p.summary.Add(e)
	p.listener(e)
	return e.Job
}

// emit sends an event about an existing job.
func (p *Pipeline) emit(e Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.summary.Add(e)
	p.listener(e)
}

// jobEvent completes e with the job's identity and sends it.
func (p *Pipeline) jobEvent(job Job, e Event) {
	e.Job, e.Path = job.ID, job.Path
	if e.BytesIn == 0 {
		e.BytesIn = job.Size
	}
	p.emit(e)
}

// finish checks a compressor's result and writes it, then reports the job.
func (p *Pipeline) finish(ctx context.Context, job Job, r Result) {
	e, err := p.store(ctx, job, r)
	if err != nil {
		e = Event{Status: StatusFailed, Message: err.Error()}
		if err == errCancelled {
			e = cancelledEvent()
		}
	}
	p.jobEvent(job, e)
}

// cancelledEvent is the final event of a job the run was cancelled before
// it finished.
func cancelledEvent() Event {
	return Event{Status: StatusSkipped, Message: errCancelled.Error(), Cancelled: true}
}

// store applies the rules that protect the user's files, writes the output
// and returns the job's final event (without identity).
func (p *Pipeline) store(ctx context.Context, job Job, r Result) (Event, error) {
	if ctx.Err() != nil {
		return Event{}, errCancelled // whatever the compressor made of it
	}
	if r.Err != nil {
		return Event{}, r.Err
	}
	if r.Skip != "" {
		return Event{Status: StatusSkipped, Message: r.Skip}, nil
	}
	if err := Verify(r.Data, r.Format, r.Width, r.Height); err != nil {
		return Event{}, fmt.Errorf("the output was refused and nothing was written: %v", err)
	}
	source, err := HashFile(job.Path)
	if err != nil {
		return Event{}, fmt.Errorf("cannot read the original again: %s", DescribePathError(err))
	}
	r.Data = addMark(r.Data, r.Format, source)
	out := int64(len(r.Data))
	if out >= job.Size && !job.Options.KeepLarger {
		return Event{Status: StatusSkipped, BytesOut: out, Encoding: r.Encoding,
			Message: fmt.Sprintf("no gain: the output would be %s, the original is %s", FormatBytes(out), FormatBytes(job.Size))}, nil
	}
	target, overwrite, err := p.outputs.claim(job, r.Format, source)
	if err == errBeingWritten {
		return Event{Status: StatusSkipped, Message: err.Error()}, nil
	}
	if err != nil {
		return Event{}, err
	}
	written := false
	defer func() { p.outputs.release(target, written) }()
	backup, err := p.outputs.write(ctx, job, source, target, overwrite, r.Data)
	if err != nil {
		if mark, ok := ReadMark(target); err == errTargetTaken && ok && mark == source {
			// Another run, which could not claim the name in the ledger
			// either, wrote the same output at the same time.
			return Event{Status: StatusSkipped, Message: errBeingWritten.Error()}, nil
		}
		return Event{}, err
	}
	markAttribute(target, r.Format, source)
	done := Event{Status: StatusDone, Output: target, Backup: backup, BytesOut: out, Encoding: r.Encoding}
	info, err := os.Stat(target)
	if err == nil {
		err = p.ledger.Wrote(Written{Source: job.Path, Output: target, Size: info.Size(), ModTime: info.ModTime()})
	}
	written = err == nil
	if err != nil {
		if !HasMark(target) {
			return Event{}, fmt.Errorf("the output was written to %s but could not be recorded: %v", filepath.Base(target), err)
		}
		done.Message = fmt.Sprintf("written, but not recorded (%v); Fluxdesk's mark on the file still tells it apart", err)
	}
	return done, nil
}

// sink passes a compressor's progress to the pipeline.
type sink struct {
	p   *Pipeline
	ctx context.Context
}

func (s sink) Started(job Job) {
	s.p.jobEvent(job, Event{Status: StatusRunning})
}

func (s sink) Held(job Job, reason string) {
	s.p.jobEvent(job, Event{Status: StatusHeld, Message: reason})
}

func (s sink) Finished(job Job, r Result) {
	s.p.finish(s.ctx, job, r)
}
