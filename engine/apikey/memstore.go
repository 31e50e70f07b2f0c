package apikey

import "sync"

var _ Store = (*MemoryStore)(nil)

// MemoryStore is a Store in memory, for tests of code that uses a Store.
type MemoryStore struct {
	mu  sync.Mutex
	key string
	err error
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Fail makes every later call return err (nil restores normal working), e.g.
// an error matching ErrKeychainUnavailable.
func (m *MemoryStore) Fail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.err = err
}

// Get returns the stored key, or ErrNoKey.
func (m *MemoryStore) Get() (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return "", m.err
	}
	if m.key == "" {
		return "", ErrNoKey
	}
	return m.key, nil
}

// Set stores key, replacing any stored key.
func (m *MemoryStore) Set(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.key = key
	return nil
}

// Delete removes the stored key, or returns ErrNoKey.
func (m *MemoryStore) Delete() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	if m.key == "" {
		return ErrNoKey
	}
	m.key = ""
	return nil
}
