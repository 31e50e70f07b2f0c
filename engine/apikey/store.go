package apikey

import (
	"fmt"
	"sync"

	"github.com/zalando/go-keyring"
)

// Store holds one API key. Get and Delete return ErrNoKey when none is
// stored; errors that mean the store cannot be reached match
// ErrKeychainUnavailable. Implementations are safe for concurrent use, and
// their calls may block (a keychain may ask the user to unlock it), so a
// GUI calls them off its UI goroutine.
type Store interface {
	// Get returns the stored key.
	Get() (string, error)
	// Set stores key, replacing any stored key.
	Set(key string) error
	// Delete removes the stored key.
	Delete() error
}

// The keychain entry that holds the key: one service, one account.
const (
	KeychainService = "Fluxdesk"
	KeychainAccount = "fluximage-api-key"
)

var (
	_ Store = (*Keychain)(nil)
	_ ring  = systemKeyring{}
)

// ring is the part of go-keyring that Keychain uses, so that tests can put
// a fake in its place without replacing go-keyring's global provider.
type ring interface {
	Get(service, user string) (string, error)
	Set(service, user, pass string) error
	Delete(service, user string) error
}

// Keychain is the Store in the OS keychain (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows), entry KeychainService /
// KeychainAccount. Setting replaces the entry, so at most one key is kept.
type Keychain struct {
	mu               sync.Mutex // one keychain conversation at a time
	ring             ring
	service, account string
}

// NewKeychain returns the Store in the OS keychain.
func NewKeychain() *Keychain {
	return &Keychain{ring: systemKeyring{}, service: KeychainService, account: KeychainAccount}
}

// Get returns the stored key.
func (k *Keychain) Get() (key string, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	defer recoverInto(&err)
	key, err = k.ring.Get(k.service, k.account)
	return key, classify("read", err)
}

// Set stores key, replacing any stored key.
func (k *Keychain) Set(key string) (err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	defer recoverInto(&err)
	return classify("store", k.ring.Set(k.service, k.account, key))
}

// Delete removes the stored key.
func (k *Keychain) Delete() (err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	defer recoverInto(&err)
	return classify("delete", k.ring.Delete(k.service, k.account))
}

// recoverInto turns a panic into an error: go-keyring asserts the types of
// D-Bus replies without checking them, and a Secret Service that answers
// oddly must not crash the app. The panic value never holds the key.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("keychain: unexpected answer from the keychain service: %v", r)
	}
}

// systemKeyring is go-keyring's provider for this OS.
type systemKeyring struct{}

func (systemKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (systemKeyring) Set(service, user, pass string) error     { return keyring.Set(service, user, pass) }
func (systemKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }
