package record

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"fluxdesk/engine"
)

// DefaultTimeout is how long an operation waits for another process to
// finish with the record when the caller gives no timeout.
const DefaultTimeout = 5 * time.Second

// ErrLocked is wrapped by the error an operation returns when another
// process kept the record busy for longer than the timeout.
var ErrLocked = errors.New("the record is busy in another Fluxdesk process")

var (
	outputsBucket = []byte("outputs")
	sourcesBucket = []byte("sources")
)

var _ engine.Ledger = (*Record)(nil)

// Record is the persistent record of outputs written and sources processed.
// It opens the database file for each operation and closes it right after,
// so that every Fluxdesk process (the window, "watch", "compress") can use
// it at the same time: a reader takes a shared lock, a writer an exclusive
// one, each for a moment only.
type Record struct {
	path    string
	timeout time.Duration
	// mu keeps this process's writers apart from its own readers: the file
	// locks are per open file, so they would otherwise wait for each other.
	mu sync.RWMutex
}

// Open checks the record at path, creating it and its folder if needed,
// and returns it. Each later operation waits up to timeout (DefaultTimeout
// when zero) for other processes, then fails with an error wrapping
// ErrLocked.
func Open(path string, timeout time.Duration) (*Record, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the record's folder: %w", err)
	}
	r := &Record{path: path, timeout: timeout}
	err := r.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{outputsBucket, sourcesBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// open opens the database for one operation.
func (r *Record) open(readOnly bool) (*bolt.DB, error) {
	db, err := bolt.Open(r.path, 0o600, &bolt.Options{Timeout: r.timeout, ReadOnly: readOnly})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w (%s)", ErrLocked, r.path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open the record %s: %w", r.path, err)
	}
	return db, nil
}

// update runs fn in a write transaction.
func (r *Record) update(fn func(*bolt.Tx) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	db, err := r.open(false)
	if err != nil {
		return err
	}
	if err := db.Update(fn); err != nil {
		db.Close()
		return fmt.Errorf("cannot write the record %s: %w", r.path, err)
	}
	return db.Close()
}

// view runs fn in a read transaction.
func (r *Record) view(fn func(*bolt.Tx) error) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	db, err := r.open(true)
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
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime"`
	Hash    Hash   `json:"hash"`
	Output  string `json:"output,omitempty"`
	Status  string `json:"status"`
}

// Wrote records an output that was just written. It implements
// engine.Ledger.
func (r *Record) Wrote(w engine.Written) error {
	e := outputEntry{Source: w.Source, Size: w.Size, ModTime: w.ModTime.UnixNano()}
	return r.put(outputsBucket, w.Output, e)
}

// SourceOf returns the original an output was written for; ok is false when
// Fluxdesk did not write the file at output, or it changed since (its size or
// modification time differ). It implements engine.Ledger.
func (r *Record) SourceOf(output string) (source string, ok bool) {
	var e outputEntry
	if !r.get(outputsBucket, output, &e) {
		return "", false
	}
	info, err := os.Stat(output)
	if err != nil || info.Size() != e.Size || info.ModTime().UnixNano() != e.ModTime {
		return "", false
	}
	return e.Source, true
}

// Put records a processed original.
func (r *Record) Put(s Source) error {
	e := sourceEntry{Size: s.Size, ModTime: s.ModTime.UnixNano(), Hash: s.Hash, Output: s.Output, Status: s.Status}
	return r.put(sourcesBucket, s.Path, e)
}

// Get returns what the record knows of the original at path.
func (r *Record) Get(path string) (Source, bool) {
	var e sourceEntry
	if !r.get(sourcesBucket, path, &e) {
		return Source{}, false
	}
	return Source{Path: path, Size: e.Size, ModTime: time.Unix(0, e.ModTime), Hash: e.Hash, Output: e.Output, Status: e.Status}, true
}

// Known reports whether the original at path, now of the given size and
// modification time, was already processed with the same content. Equal size
// and time answer at once; when only the time differs the file is hashed, and
// a match is remembered with the new time, so it is hashed once.
func (r *Record) Known(path string, size int64, modTime time.Time) bool {
	s, ok := r.Get(path)
	if !ok || s.Size != size {
		return false
	}
	if s.ModTime.Equal(modTime) {
		return true
	}
	now, err := ReadSource(path)
	if err != nil || now.Hash != s.Hash {
		return false
	}
	now.Output, now.Status = s.Output, s.Status
	r.Put(now) // a failure here only costs hashing the file again next time
	return true
}

func (r *Record) put(bucket []byte, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return r.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).Put([]byte(key), data)
	})
}

// get decodes the value at key into v and reports whether there was one.
// A record it cannot read counts as knowing nothing: the caller then treats
// the file as new, which is safe (an output is never overwritten by mistake).
func (r *Record) get(bucket []byte, key string, v any) bool {
	found := false
	r.view(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucket).Get([]byte(key))
		if data != nil {
			found = json.Unmarshal(data, v) == nil
		}
		return nil
	})
	return found
}
