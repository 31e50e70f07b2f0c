package ui

import (
	"fluxdesk/engine/apikey"
	"fluxdesk/engine/remote"
)

// remoteKeys lets the remote engine read the key from the key store, and
// wakes its held jobs when a new key is stored.
type remoteKeys struct{ keys *apikey.Keys }

var _ remote.Keys = remoteKeys{}

// Current returns the key in force; the remote engine calls it off the UI
// goroutine.
func (k remoteKeys) Current() (string, error) {
	key, _, err := k.keys.Current()
	return key, err
}

// KeyChanged is closed when a new key is stored. The remote engine takes it
// before it reads the key, so a change in between is not missed.
func (k remoteKeys) KeyChanged() <-chan struct{} { return k.keys.Changed() }
