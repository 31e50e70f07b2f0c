package remote

// Keys gives the compressor the API key to use. It is satisfied by a thin
// adapter over the key store, so this package knows nothing of keychains.
type Keys interface {
	// Current returns the key to use now. An error means no key is
	// available; its text is shown to the user.
	Current() (string, error)
	// KeyChanged returns a channel that is closed the next time a new key
	// is stored. Each call may return a fresh channel. nil means the key
	// never changes while the program runs (a command-line run).
	KeyChanged() <-chan struct{}
}

// StaticKey is a key that never changes, such as one read from the
// environment by the command line.
type StaticKey string

// Current returns the key, or ErrNoKey when it is empty.
func (k StaticKey) Current() (string, error) {
	if k == "" {
		return "", ErrNoKey
	}
	return string(k), nil
}

// KeyChanged returns nil: a static key is never replaced.
func (k StaticKey) KeyChanged() <-chan struct{} { return nil }

var _ Keys = StaticKey("")
