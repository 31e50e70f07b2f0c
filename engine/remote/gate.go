package remote

import (
	"context"
	"errors"
	"sync"
)

// gate hands out the key to send with. Before a key's first upload it asks
// the service for the usage once: a rejected key and a used-up quota are
// remembered, so nothing more is sent with that key.
type gate struct {
	keys     Keys
	client   *Client
	onReject func()

	mu       sync.Mutex
	checked  string // the key whose usage was asked
	verdict  error  // what the usage check said of it
	rejected string // the last key the service rejected
}

// key returns the key to send with. Its errors match ErrNoKey,
// ErrKeyRejected (the rejected key is returned with it), ErrQuota or
// ErrUnreachable, or come from the usage check.
func (g *gate) key(ctx context.Context) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	k, err := g.keys.Current()
	switch {
	case err != nil:
		return "", &noKeyError{err}
	case k == "":
		return "", ErrNoKey
	case k == g.rejected:
		return k, ErrKeyRejected
	case k == g.checked:
		return k, g.verdict
	}
	u, err := g.client.Usage(ctx, k)
	switch {
	case ctx.Err() != nil:
		return "", ctx.Err()
	case errors.Is(err, ErrKeyRejected):
		g.rejectLocked(k)
		return k, ErrKeyRejected
	case err == nil && !u.CanCompress:
		err = &QuotaError{u}
	}
	g.checked, g.verdict = k, err
	return k, err
}

// reject records that the service refused key.
func (g *gate) reject(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rejectLocked(key)
}

func (g *gate) rejectLocked(key string) {
	if g.rejected == key {
		return
	}
	g.rejected = key
	if g.checked == key {
		g.checked, g.verdict = "", nil
	}
	if g.onReject != nil {
		g.onReject()
	}
}

// changedSince reports whether a key other than key is available now.
func (g *gate) changedSince(key string) bool {
	k, err := g.keys.Current()
	return err == nil && k != "" && k != key
}

// noKeyError is the key store's own reason for having no key; it matches
// ErrNoKey.
type noKeyError struct{ err error }

func (e *noKeyError) Error() string { return e.err.Error() }

func (e *noKeyError) Is(target error) bool { return target == ErrNoKey }

func (e *noKeyError) Unwrap() error { return e.err }
