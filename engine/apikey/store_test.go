package apikey

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// fakeRing is go-keyring's interface over a map, failing with err when set.
type fakeRing struct {
	mu      sync.Mutex
	secrets map[string]string
	err     error
	panics  bool
}

func (f *fakeRing) Get(service, user string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panics {
		var v any = "reply"
		_ = v.(bool) // the kind of unchecked assertion go-keyring makes
	}
	if f.err != nil {
		return "", f.err
	}
	s, ok := f.secrets[service+"/"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return s, nil
}

func (f *fakeRing) Set(service, user, pass string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.secrets[service+"/"+user] = pass
	return nil
}

func (f *fakeRing) Delete(service, user string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if _, ok := f.secrets[service+"/"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.secrets, service+"/"+user)
	return nil
}

func newFakeKeychain() (*Keychain, *fakeRing) {
	f := &fakeRing{secrets: map[string]string{}}
	return &Keychain{ring: f, service: KeychainService, account: KeychainAccount}, f
}

func TestKeychain_SetGetDelete(t *testing.T) {
	k, f := newFakeKeychain()
	if _, err := k.Get(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Get on empty = %v, want ErrNoKey", err)
	}
	if err := k.Delete(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Delete on empty = %v, want ErrNoKey", err)
	}
	if err := k.Set(testKey); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(otherKey); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(); err != nil || got != otherKey {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if len(f.secrets) != 1 || f.secrets["Fluxdesk/fluximage-api-key"] != otherKey {
		t.Fatalf("secrets = %v, want one entry Fluxdesk/fluximage-api-key", f.secrets)
	}
	if err := k.Delete(); err != nil {
		t.Fatal(err)
	}
	if len(f.secrets) != 0 {
		t.Fatalf("after Delete: %d secrets left", len(f.secrets))
	}
}

func TestKeychain_ClassifiesErrors(t *testing.T) {
	cases := []struct {
		name        string
		err         error
		unavailable bool
		says        string // part of the message a person acts on
	}{
		{"no bus address", errors.New("dbus: couldn't determine address of session bus"), true, "D-Bus session"},
		{"no dbus-launch", &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}, true, "D-Bus session"},
		{"stale bus socket", &net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: no such file or directory")}, true, "D-Bus session"},
		{"auth failed", errors.New("dbus: authentication failed"), true, "D-Bus session"},
		{"no secret service", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown"}, true, "gnome-keyring"},
		{"no secret service (pointer)", &dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown"}, true, "gnome-keyring"},
		{"activation failed", dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ChildExited"}, true, "gnome-keyring"},
		{"locked", dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, true, "unlock"},
		{"prompt dismissed", fmt.Errorf("failed to unlock correct collection '%v'", "/org/freedesktop/secrets/aliases/default"), true, "unlock"},
		{"no default keyring", dbus.Error{Name: "org.freedesktop.Secret.Error.NoSuchObject"}, true, "default keyring"},
		{"no reply", dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply"}, true, "did not answer"},
		{"unsupported OS", keyring.ErrUnsupportedPlatform, true, "no keychain"},
		{"access denied", dbus.Error{Name: "org.freedesktop.DBus.Error.AccessDenied"}, false, "could not read"},
		{"too big", keyring.ErrSetDataTooBig, false, "could not read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, f := newFakeKeychain()
			f.err = c.err
			_, err := k.Get()
			if got := errors.Is(err, ErrKeychainUnavailable); got != c.unavailable {
				t.Errorf("unavailable = %v, want %v (%v)", got, c.unavailable, err)
			}
			if errors.Is(err, ErrNoKey) {
				t.Errorf("%v classified as no key", err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("message %q does not say %q", err, c.says)
			}
		})
	}
}

func TestKeychain_PanicInKeyringBecomesError(t *testing.T) {
	k, f := newFakeKeychain()
	f.panics = true
	if _, err := k.Get(); err == nil || errors.Is(err, ErrNoKey) {
		t.Fatalf("Get = %v, want an error", err)
	}
	f.panics = false
	if err := k.Set(testKey); err != nil {
		t.Fatalf("Keychain unusable after a panic: %v", err)
	}
}

func TestKeychain_ConcurrentUse(t *testing.T) {
	k, _ := newFakeKeychain()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := testKey
			if i%2 == 1 {
				key = otherKey
			}
			for range 50 {
				if err := k.Set(key); err != nil {
					t.Error(err)
				}
				if got, err := k.Get(); err != nil || (got != testKey && got != otherKey) {
					t.Errorf("Get = %q, %v", got, err)
				}
			}
		}()
	}
	wg.Wait()
}
