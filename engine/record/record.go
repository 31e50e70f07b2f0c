package record

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"fluxdesk/engine"
	"fluxdesk/engine/pathid"
)

// DefaultTimeout is how long a write waits for another process to finish
// with the record when the caller gives no timeout.
const DefaultTimeout = 5 * time.Second

// readWait is how long a lookup waits for another process to finish
// writing the record: long enough for a commit, short enough that a record
// held for long does not stop the work. A lookup that cannot read the
// record knows nothing, which is safe (see lookup).
const readWait = 250 * time.Millisecond

// lockPoll is the pause between two tries to take the record for writing.
const lockPoll = 20 * time.Millisecond

// ErrLocked is wrapped by the error an operation returns when another
// process kept the record busy for longer than the timeout.
var ErrLocked = errors.New("the record is busy in another Fluxdesk process")

// errCorrupt is wrapped by the error of a record whose file cannot be read
// as a database.
var errCorrupt = errors.New("the record is damaged")

var (
	outputsBucket = []byte("outputs")
	sourcesBucket = []byte("sources")
)

var _ engine.Ledger = (*Record)(nil)

// Record is the persistent record of outputs written and sources processed.
// It opens the database file for each operation and closes it right after,
// so that every Fluxdesk process (the window, "watch", "compress") can use
// it at the same time: a reader takes a shared lock, a writer an exclusive
// one, each for a moment only. Writes (Wrote, Put) are queued and committed
// by one bookkeeping goroutine, many in one transaction; lookups see them
// at once, other processes once committed. Flush commits them and waits. Claims of output names are not in the
// database: each is a lock on a file of its own (see Claim), which the
// system ends with its process. Every path is resolved to its real location
// (pathid.Real) before it is recorded, looked up or claimed.
type Record struct {
	path     string
	claimDir string
	timeout  time.Duration
	aside    string
	// claims are the output names this process holds, by real path.
	claimMu sync.Mutex
	claims  map[string]*claim

	// Writes on their way to the database (see keepBooks).
	bookMu     sync.Mutex
	booked     *sync.Cond // signalled when a batch is done
	queued     []write    // waiting for the next batch
	committing []write    // in the batch under way
	keeping    bool       // the bookkeeping goroutine runs
	flushing   int        // Flush calls waiting
	onFailure  func(error)
	lost       lostWrites // failures for Flush to return
	// mu keeps this process's writers apart from its own readers: the file
	// locks are per open file, so they would otherwise wait for each other.
	mu sync.RWMutex
	// held is set when the last lookup found the record held by another
	// process.
	held atomic.Bool
}

// Open checks the record at path, creating it and its folder if needed,
// and returns it. A record file that is damaged is moved aside, kept for
// inspection (see MovedAside), and a fresh one started. Each later operation
// waits up to timeout (DefaultTimeout when zero) for other processes, then
// fails with an error wrapping ErrLocked.
func Open(path string, timeout time.Duration) (*Record, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	claimDir := filepath.Join(filepath.Dir(path), ClaimDirName)
	if err := os.MkdirAll(claimDir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the record's folder: %w", err)
	}
	r := &Record{path: path, claimDir: claimDir, timeout: timeout, claims: map[string]*claim{}}
	r.booked = sync.NewCond(&r.bookMu)
	removeLeftClaims(claimDir)
	err := r.check()
	if errors.Is(err, errCorrupt) {
		aside := fmt.Sprintf("%s.corrupt-%s", path, time.Now().Format("20060102-150405"))
		if rerr := os.Rename(path, aside); rerr != nil {
			return nil, fmt.Errorf("%w; it could not be moved aside: %v", err, rerr)
		}
		r.aside = aside
		err = r.check()
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// MovedAside returns where Open moved a damaged record file, or "" when the
// record was sound.
func (r *Record) MovedAside() string {
	return r.aside
}

// check creates the buckets and checks every page of the database. Damage
// is reported as errCorrupt, whether bbolt finds it or faults on it.
func (r *Record) check() (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w (%s: %v)", errCorrupt, r.path, p)
		}
	}()
	err = r.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{outputsBucket, sourcesBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		for err := range tx.Check() {
			return fmt.Errorf("%w: %v", errCorrupt, err)
		}
		return nil
	})
	for _, damage := range []error{berrors.ErrInvalid, berrors.ErrVersionMismatch, berrors.ErrChecksum} {
		if errors.Is(err, damage) {
			return fmt.Errorf("%w (%s: %v)", errCorrupt, r.path, err)
		}
	}
	return err
}

// open opens the database for one operation, waiting up to wait for
// another process to let go of it (trying once when wait is 0).
func (r *Record) open(readOnly bool, wait time.Duration) (*bolt.DB, error) {
	db, err := bolt.Open(r.path, 0o600, &bolt.Options{Timeout: max(wait, time.Nanosecond), ReadOnly: readOnly})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w (%s)", ErrLocked, r.path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open the record %s: %w", r.path, err)
	}
	return db, nil
}

// update runs fn in a write transaction, waiting up to the record's
// timeout for other processes to let go of it. It keeps this process's
// lookups out only while it has the file: while it waits they go on.
func (r *Record) update(fn func(*bolt.Tx) error) error {
	deadline := time.Now().Add(r.timeout)
	for {
		err := r.tryUpdate(fn)
		if !errors.Is(err, ErrLocked) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(lockPoll)
	}
}

// tryUpdate runs fn in a write transaction if no other process has the
// record (else it fails with ErrLocked).
func (r *Record) tryUpdate(fn func(*bolt.Tx) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	db, err := r.open(false, 0)
	if err != nil {
		return err
	}
	if err := db.Update(fn); err != nil {
		db.Close()
		return fmt.Errorf("cannot write the record %s: %w", r.path, err)
	}
	return db.Close()
}

// view runs fn in a read transaction. It waits up to readWait for another
// process writing the record; once a lookup has found the record held, the
// next ones try once without waiting, until one reads it again.
func (r *Record) view(fn func(*bolt.Tx) error) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	wait := readWait
	if r.held.Load() {
		wait = 0
	}
	db, err := r.open(true, wait)
	r.held.Store(errors.Is(err, ErrLocked))
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(fn)
}

// outputEntry is what the record keeps about an output.
type outputEntry struct {
	Source  string `json:"source"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime"`
}

// sourceEntry is what the record keeps about a processed original.
type sourceEntry struct {
	Size    int64             `json:"size"`
	ModTime int64             `json:"mtime"`
	Hash    engine.SourceHash `json:"hash"`
	Output  string            `json:"output,omitempty"`
	Status  string            `json:"status"`
}

// sameSource reports whether two paths are the same original: equal real
// paths, or the same file reached another way.
func sameSource(recorded, realSource string) bool {
	return recorded == realSource || pathid.Same(recorded, realSource)
}

// current reports whether e still describes the file at output.
func (e outputEntry) current(output string) bool {
	info, err := os.Stat(output)
	return err == nil && info.Size() == e.Size && info.ModTime().UnixNano() == e.ModTime
}

// Claim claims an output name for source. The claim is a lock on the
// name's claim file, which every Fluxdesk process sharing the record asks
// for; the record itself is read only when a file is already at output. It
// implements engine.Ledger.
func (r *Record) Claim(source, output string) (engine.Hold, error) {
	source, output = pathid.Real(source), pathid.Real(output)
	if c := r.takeQueuedClaim(source, output); c != nil {
		r.keepClaim(output, c)
		return engine.Earlier, nil
	}
	c, holder, err := lockClaim(r.claimPath(output), source)
	if err != nil {
		return engine.Free, err
	}
	if c == nil {
		if holder != "" && !sameSource(holder, source) {
			return engine.Taken, nil
		}
		return engine.Busy, nil
	}
	hold := engine.Free
	if _, err := os.Lstat(output); err == nil {
		var e outputEntry
		if r.get(outputsBucket, output, &e) && e.current(output) {
			if !sameSource(e.Source, source) {
				c.release()
				return engine.Taken, nil
			}
			hold = engine.Earlier
		}
	}
	r.keepClaim(output, c)
	return hold, nil
}

// keepClaim adds a claim to those this process holds.
func (r *Record) keepClaim(output string, c *claim) {
	r.claimMu.Lock()
	defer r.claimMu.Unlock()
	r.claims[output] = c
}

// takeClaim removes this process's claim on output from those it holds,
// and returns it (nil when there is none).
func (r *Record) takeClaim(output string) *claim {
	r.claimMu.Lock()
	defer r.claimMu.Unlock()
	c := r.claims[output]
	delete(r.claims, output)
	return c
}

// Release ends this process's claim on an output name whose output was not
// written. It implements engine.Ledger.
func (r *Record) Release(output string) {
	if c := r.takeClaim(pathid.Real(output)); c != nil {
		c.release()
	}
}

// Wrote queues the record of an output that was just written, for the
// bookkeeping goroutine, which ends the output's claim once the record has
// it (or has given it up). Lookups see it at once. It never fails (a write
// the record does not take is reported through OnFailure or Flush), but
// waits while too many writes are queued. It implements engine.Ledger.
func (r *Record) Wrote(w engine.Written) error {
	output := pathid.Real(w.Output)
	e := outputEntry{Source: pathid.Real(w.Source), Size: w.Size, ModTime: w.ModTime.UnixNano()}
	return r.queue(outputsBucket, output, e, r.takeClaim(output))
}

// SourceOf returns the original an output was written for; ok is false when
// Fluxdesk did not write the file at output, or it changed since (its size or
// modification time differ). An output the record does not know, but that
// carries Fluxdesk's mark, is Fluxdesk's too (source is then ""). It
// implements engine.Ledger.
func (r *Record) SourceOf(output string) (source string, ok bool) {
	var e outputEntry
	if r.get(outputsBucket, pathid.Real(output), &e) && e.current(output) {
		return e.Source, true
	}
	return "", engine.HasMark(output)
}

// Put queues the record of a processed original, as Wrote does.
func (r *Record) Put(s Source) error {
	e := sourceEntry{Size: s.Size, ModTime: s.ModTime.UnixNano(), Hash: s.Hash, Output: s.Output, Status: s.Status}
	return r.queue(sourcesBucket, pathid.Real(s.Path), e, nil)
}

// Get returns what the record knows of the original at path.
func (r *Record) Get(path string) (Source, bool) {
	var e sourceEntry
	if !r.get(sourcesBucket, pathid.Real(path), &e) {
		return Source{}, false
	}
	return Source{Path: path, Size: e.Size, ModTime: time.Unix(0, e.ModTime), Hash: e.Hash, Output: e.Output, Status: e.Status}, true
}

// same reports whether the original at path, now of the given size and
// modification time, has the content e was recorded with. Equal size and
// time answer at once; when only the time differs the file is hashed, and a
// match is remembered with the new time, so it is hashed once.
func (r *Record) same(path string, e sourceEntry, size int64, modTime time.Time) bool {
	if e.Size != size {
		return false
	}
	if e.ModTime == modTime.UnixNano() {
		return true
	}
	now, err := ReadSource(path)
	if err != nil || now.Hash != e.Hash {
		return false
	}
	now.Output, now.Status = e.Output, e.Status
	r.Put(now) // a failure here only costs hashing the file again next time
	return true
}

// Ours reports whether the file at path, now of the given size and
// modification time, is Fluxdesk's: an output (by its mark, without reading
// the record, or as the record knows it, unchanged since), or an original
// already processed with the same content (see same). It reads the record
// once, for both. It implements watcher.Record.
func (r *Record) Ours(path string, size int64, modTime time.Time) bool {
	if engine.HasMark(path) {
		return true
	}
	key := pathid.Real(path)
	var out outputEntry
	var src sourceEntry
	found := r.lookup(item{outputsBucket, key, &out}, item{sourcesBucket, key, &src})
	return (found[0] && out.current(path)) || (found[1] && r.same(path, src, size, modTime))
}

// queue queues v, in JSON, for key, and the claim it ends.
func (r *Record) queue(bucket []byte, key string, v any, c *claim) error {
	data, err := json.Marshal(v)
	if err != nil {
		if c != nil {
			c.release()
		}
		return err
	}
	r.enqueue(write{bucket: bucket, key: key, value: data, claim: c})
	return nil
}

// decode decodes data into v and reports whether there was a value.
func decode(data []byte, v any) bool {
	return data != nil && json.Unmarshal(data, v) == nil
}

// item is a value to look up: the one at key in bucket, decoded into v.
type item struct {
	bucket []byte
	key    string
	v      any
}

// lookup decodes the value of each item into its v, from the writes
// queued or else from the database (all in one read transaction), and
// reports which were found. A record it cannot read counts as knowing
// nothing: the caller then treats the file as new, which is safe (it may be
// compressed again, but an output is never taken for an original, nor
// overwritten by mistake, thanks to Fluxdesk's mark).
func (r *Record) lookup(items ...item) []bool {
	found := make([]bool, len(items))
	var rest []int
	for i, it := range items {
		if data := r.queuedValue(it.bucket, it.key); data != nil {
			found[i] = decode(data, it.v)
		} else {
			rest = append(rest, i)
		}
	}
	if len(rest) == 0 {
		return found
	}
	r.view(func(tx *bolt.Tx) error {
		for _, i := range rest {
			if b := tx.Bucket(items[i].bucket); b != nil {
				found[i] = decode(b.Get([]byte(items[i].key)), items[i].v)
			}
		}
		return nil
	})
	return found
}

// get decodes the value at key into v and reports whether there was one
// (see lookup).
func (r *Record) get(bucket []byte, key string, v any) bool {
	return r.lookup(item{bucket, key, v})[0]
}
