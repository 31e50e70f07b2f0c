package record

import (
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxQueued bounds the writes waiting for the bookkeeping goroutine: past
// it, Wrote and Put wait. It bounds the claims kept open too.
const maxQueued = 256

// retryPause is the pause between two attempts to commit a batch.
const retryPause = 100 * time.Millisecond

// write is a value waiting to be put in the record, and the claim it ends
// once it is there.
type write struct {
	bucket []byte
	key    string
	value  []byte // JSON
	claim  *claim
}

// enqueue hands w to the bookkeeping goroutine, starting it if needed. It
// waits while maxQueued writes are waiting.
func (r *Record) enqueue(w write) {
	r.bookMu.Lock()
	defer r.bookMu.Unlock()
	for len(r.queued)+len(r.committing) >= maxQueued {
		r.booked.Wait()
	}
	r.queued = append(r.queued, w)
	if !r.keeping {
		r.keeping = true
		go r.keepBooks()
	}
}

// queuedValue returns the value last queued at key, not yet committed, or
// nil.
func (r *Record) queuedValue(bucket []byte, key string) []byte {
	r.bookMu.Lock()
	defer r.bookMu.Unlock()
	for _, list := range [][]write{r.queued, r.committing} {
		for i := len(list) - 1; i >= 0; i-- {
			if w := list[i]; w.key == key && string(w.bucket) == string(bucket) {
				return w.value
			}
		}
	}
	return nil
}

// keepBooks is the bookkeeping goroutine: it commits everything queued so
// far in one transaction (one sync to disk for the lot), then ends the
// claims of the outputs it recorded, until nothing is queued. A batch the
// record does not take is tried again, until the record has refused writes
// for its timeout (or at once when flushing): the batch is then given up,
// its claims ended and the failure reported.
func (r *Record) keepBooks() {
	var failingSince time.Time
	for {
		r.bookMu.Lock()
		if len(r.queued) == 0 {
			r.keeping = false
			r.booked.Broadcast()
			r.bookMu.Unlock()
			return
		}
		// The transaction reads a copy: takeQueuedClaim may take a claim
		// out of r.committing meanwhile.
		batch := slices.Clone(r.queued)
		r.queued, r.committing = nil, r.queued
		r.bookMu.Unlock()

		start := time.Now()
		err := r.update(func(tx *bolt.Tx) error {
			for _, w := range batch {
				b, err := tx.CreateBucketIfNotExists(w.bucket)
				if err == nil {
					err = b.Put([]byte(w.key), w.value)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			if failingSince.IsZero() {
				failingSince = start
			}
			r.bookMu.Lock()
			retry := r.flushing == 0 && time.Since(failingSince) < r.timeout
			if retry {
				r.queued, r.committing = append(r.committing, r.queued...), nil
			}
			r.bookMu.Unlock()
			if retry {
				time.Sleep(retryPause)
				continue
			}
			r.fail(batch, err)
		}
		failingSince = time.Time{}
		r.bookMu.Lock()
		for _, w := range r.committing {
			if w.claim != nil {
				w.claim.release()
			}
		}
		r.committing = nil
		r.booked.Broadcast()
		r.bookMu.Unlock()
	}
}

// takeQueuedClaim takes the claim of the output at output from its queued
// write, when that write is still current and for source; so that the same
// original written again in this process replaces its output without
// waiting for the record, the name staying claimed throughout.
func (r *Record) takeQueuedClaim(source, output string) *claim {
	r.bookMu.Lock()
	defer r.bookMu.Unlock()
	for _, list := range [][]write{r.queued, r.committing} {
		for i := len(list) - 1; i >= 0; i-- {
			w := &list[i]
			if w.claim == nil || w.key != output || string(w.bucket) != string(outputsBucket) {
				continue
			}
			var e outputEntry
			if !decode(w.value, &e) || !e.current(output) || !sameSource(e.Source, source) {
				return nil
			}
			c := w.claim
			w.claim = nil
			return c
		}
	}
	return nil
}

// lostWrites adds up the batches given up, so that a Flush reports them
// once, however the writes were batched.
type lostWrites struct {
	outputs, sources int
	causes           []error // each distinct cause once
}

// add counts the writes of batch, given up for cause.
func (l *lostWrites) add(batch []write, cause error) {
	for _, w := range batch {
		if string(w.bucket) == string(outputsBucket) {
			l.outputs++
		} else {
			l.sources++
		}
	}
	if !slices.ContainsFunc(l.causes, func(c error) bool { return c.Error() == cause.Error() }) {
		l.causes = append(l.causes, cause)
	}
}

// err returns the writes lost as one error, or nil when none was.
func (l *lostWrites) err() error {
	if len(l.causes) == 0 {
		return nil
	}
	return fmt.Errorf("%w; not recorded: %d outputs (Fluxdesk's mark on each still tells it apart) and %d originals (they may be compressed again)", errors.Join(l.causes...), l.outputs, l.sources)
}

// fail reports a batch given up: to OnFailure's function at once, or else
// to the next Flush.
func (r *Record) fail(batch []write, cause error) {
	r.bookMu.Lock()
	report := r.onFailure
	if report == nil {
		r.lost.add(batch, cause)
	}
	r.bookMu.Unlock()
	if report != nil {
		var lost lostWrites
		lost.add(batch, cause)
		report(lost.err())
	}
}

// OnFailure sets where writes the record did not take are reported, from
// the bookkeeping goroutine, as they are given up. Without it, Flush
// returns them.
func (r *Record) OnFailure(report func(error)) {
	r.bookMu.Lock()
	defer r.bookMu.Unlock()
	r.onFailure = report
}

// Flush commits every write queued so far and waits for it. A write the
// record does not take (after one attempt, which waits up to the record's
// timeout) is given up. Flush returns the failures not reported through
// OnFailure, as one error that counts every write lost since the last
// Flush. The record stays in use.
func (r *Record) Flush() error {
	r.bookMu.Lock()
	defer r.bookMu.Unlock()
	r.flushing++
	for r.keeping {
		r.booked.Wait()
	}
	r.flushing--
	err := r.lost.err()
	r.lost = lostWrites{}
	return err
}
