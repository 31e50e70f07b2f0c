package apikey

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
)

// EnvKey names the environment variable whose key, when set, is used
// instead of the keychain (headless machines, CI).
const EnvKey = "FLUXIMAGE_API_KEY"

// Source says where the key in force comes from.
type Source int

// The places a key can come from.
const (
	SourceNone     Source = iota // no key anywhere
	SourceEnv                    // the FLUXIMAGE_API_KEY environment variable
	SourceKeychain               // the Store
)

// String names the source for people.
func (s Source) String() string {
	switch s {
	case SourceEnv:
		return "environment variable " + EnvKey
	case SourceKeychain:
		return "keychain"
	}
	return "none"
}

// ErrKeyStored is returned by Keys.Set when a different key is already
// stored: replacing the only copy of a working key is what Roll is for.
var ErrKeyStored = errors.New("a key is already stored; roll it to replace it")

// Keys hands out the key in force and tells waiting work when the stored
// key changes (Changed). It is safe for concurrent use; like its Store, its
// calls may block, so a GUI calls them off its UI goroutine.
type Keys struct {
	store Store
	mu    sync.Mutex // serialises changes to the stored key

	changedMu sync.Mutex
	changed   chan struct{} // closed and replaced at each change
}

// NewKeys returns Keys over store.
func NewKeys(store Store) *Keys {
	return &Keys{store: store, changed: make(chan struct{})}
}

// Current returns the key in force and its source: FLUXIMAGE_API_KEY when it
// is set, else the stored key. It asks every time and caches nothing, so
// call it before each request: a key rolled meanwhile (even by another
// Fluxdesk process) is used at once. With no key anywhere it returns
// ErrNoKey and SourceNone; a malformed FLUXIMAGE_API_KEY is an ErrFormat
// error with SourceEnv.
func (k *Keys) Current() (string, Source, error) {
	if v, ok := os.LookupEnv(EnvKey); ok && v != "" {
		key, err := Parse(v)
		if err != nil {
			return "", SourceEnv, fmt.Errorf("%s: %w", EnvKey, err)
		}
		return key, SourceEnv, nil
	}
	key, err := k.store.Get()
	if err != nil {
		if errors.Is(err, ErrNoKey) {
			return "", SourceNone, err
		}
		return "", SourceKeychain, err
	}
	return key, SourceKeychain, nil
}

// Set checks the format of raw and stores it as the first key. If a
// different key is stored already it returns ErrKeyStored and changes
// nothing; storing the same key again does nothing.
func (k *Keys) Set(raw string) error {
	key, err := Parse(raw)
	if err != nil {
		return err
	}
	k.mu.Lock()
	old, err := k.store.Get()
	switch {
	case err == nil && old == key:
		k.mu.Unlock()
		return nil
	case err == nil:
		err = ErrKeyStored
	case errors.Is(err, ErrNoKey):
		err = k.store.Set(key)
	}
	k.mu.Unlock()
	if err != nil {
		return err
	}
	k.notify()
	return nil
}

// Roll replaces the stored key (if any) with raw after checking its format
// and, unless v is nil, checking it with the service. When the check fails
// (ErrRefused, ErrUnverified) the stored key is kept. Waiting work is told
// once the new key is stored (Changed).
func (k *Keys) Roll(ctx context.Context, raw string, v *Verifier) error {
	key, err := Parse(raw)
	if err != nil {
		return err
	}
	if v != nil {
		if err := v.Verify(ctx, key); err != nil {
			return err
		}
	}
	k.mu.Lock()
	err = k.store.Set(key)
	k.mu.Unlock()
	if err != nil {
		return err
	}
	k.notify()
	return nil
}

// Delete removes the stored key, or returns ErrNoKey when there is none.
func (k *Keys) Delete() error {
	k.mu.Lock()
	err := k.store.Delete()
	k.mu.Unlock()
	if err != nil {
		return err
	}
	k.notify()
	return nil
}

// Changed returns a channel that is closed at the next change to the stored
// key made through these Keys (Set, Roll, Delete); each change brings a
// fresh channel. Work held for want of a valid key waits on it, then asks
// Current again:
//
//	ch := keys.Changed() // before asking, so no change is missed
//	key, _, err := keys.Current()
//	… on a 401: <-ch, then Current again.
func (k *Keys) Changed() <-chan struct{} {
	k.changedMu.Lock()
	defer k.changedMu.Unlock()
	return k.changed
}

func (k *Keys) notify() {
	k.changedMu.Lock()
	defer k.changedMu.Unlock()
	close(k.changed)
	k.changed = make(chan struct{})
}
