package apikey

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func newTestKeys(t *testing.T) (*Keys, *MemoryStore) {
	t.Helper()
	t.Setenv(EnvKey, "")
	store := NewMemoryStore()
	return NewKeys(store), store
}

// changes runs f and reports whether it told of a change (closed the
// channel Changed gave before it).
func changes(keys *Keys, f func()) bool {
	ch := keys.Changed()
	f()
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestKeys_CurrentFromKeychain(t *testing.T) {
	keys, store := newTestKeys(t)
	if _, src, err := keys.Current(); !errors.Is(err, ErrNoKey) || src != SourceNone {
		t.Fatalf("Current = %v, %v; want ErrNoKey, none", src, err)
	}
	_ = store.Set(testKey)
	if key, src, err := keys.Current(); err != nil || key != testKey || src != SourceKeychain {
		t.Fatalf("Current = %q, %v, %v", key, src, err)
	}
}

func TestKeys_EnvironmentOverridesKeychain(t *testing.T) {
	keys, store := newTestKeys(t)
	_ = store.Set(testKey)
	t.Setenv(EnvKey, " "+otherKey+"\n")
	if key, src, err := keys.Current(); err != nil || key != otherKey || src != SourceEnv {
		t.Fatalf("Current = %q, %v, %v; want the environment's key", key, src, err)
	}
	store.Fail(errors.New("must not be asked"))
	if _, _, err := keys.Current(); err != nil {
		t.Fatalf("the keychain was asked although %s is set: %v", EnvKey, err)
	}
	t.Setenv(EnvKey, "not-a-key")
	_, src, err := keys.Current()
	if !errors.Is(err, ErrFormat) || src != SourceEnv {
		t.Fatalf("Current with a bad %s = %v, %v; want ErrFormat, env", EnvKey, src, err)
	}
}

func TestKeys_SetStoresFirstKeyOnly(t *testing.T) {
	keys, store := newTestKeys(t)
	var err error
	if changes(keys, func() { err = keys.Set("nope") }) || !errors.Is(err, ErrFormat) {
		t.Fatalf("Set(bad) = %v, or told of a change", err)
	}
	if !changes(keys, func() { err = keys.Set(" " + testKey + "\n") }) || err != nil {
		t.Fatalf("first Set = %v, or told of no change", err)
	}
	if changes(keys, func() { err = keys.Set(testKey) }) || err != nil {
		t.Fatalf("Set of the same key again = %v, or told of a change", err)
	}
	if changes(keys, func() { err = keys.Set(otherKey) }) || !errors.Is(err, ErrKeyStored) {
		t.Fatalf("Set over another key = %v (want ErrKeyStored), or told of a change", err)
	}
	if got, _ := store.Get(); got != testKey {
		t.Fatalf("stored %q", got)
	}
}

func TestKeys_SetWhenKeychainUnavailable(t *testing.T) {
	keys, store := newTestKeys(t)
	store.Fail(ErrKeychainUnavailable)
	var err error
	if changes(keys, func() { err = keys.Set(testKey) }) {
		t.Fatal("told of a change without a change")
	}
	if !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("Set = %v", err)
	}
}

func TestKeys_Roll(t *testing.T) {
	cases := []struct {
		name   string
		status int
		newKey string
		want   error
		stored string // key stored afterwards
	}{
		{"accepted", http.StatusOK, testKey, nil, testKey},
		{"refused keeps old key", http.StatusOK, otherKey, ErrRefused, "old"},
		{"server error keeps old key", http.StatusInternalServerError, testKey, ErrUnverified, "old"},
	}
	const old = "flx_live_1111111111111111111111111111111111111111"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keys, store := newTestKeys(t)
			_ = store.Set(old)
			srv, _ := usageServer(t, c.status)
			v, _ := NewVerifier(srv.URL)
			var err error
			told := changes(keys, func() { err = keys.Roll(context.Background(), c.newKey, v) })
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Roll = %v, want %v", err, c.want)
			}
			want := c.stored
			if want == "old" {
				want = old
			}
			if got, _ := store.Get(); got != want {
				t.Fatalf("stored %s, want %s", Mask(got), Mask(want))
			}
			if told != (c.want == nil) {
				t.Fatalf("told of a change: %v, want %v", told, c.want == nil)
			}
		})
	}
}

func TestKeys_RollOfflineAndDelete(t *testing.T) {
	keys, store := newTestKeys(t)
	var err error
	if !changes(keys, func() { err = keys.Roll(context.Background(), otherKey, nil) }) || err != nil {
		t.Fatalf("offline Roll = %v, or told of no change", err)
	}
	if got, _ := store.Get(); got != otherKey {
		t.Fatal("offline roll did not store the key")
	}
	if !changes(keys, func() { err = keys.Delete() }) || err != nil {
		t.Fatalf("Delete = %v, or told of no change", err)
	}
	if changes(keys, func() { err = keys.Delete() }) || !errors.Is(err, ErrNoKey) {
		t.Fatalf("second Delete = %v (want ErrNoKey), or told of a change", err)
	}
}

func TestKeys_ChangedIsClosedAtEachChange(t *testing.T) {
	keys, _ := newTestKeys(t)
	first := keys.Changed()
	select {
	case <-first:
		t.Fatal("closed before any change")
	default:
	}
	if err := keys.Roll(context.Background(), testKey, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-first:
	case <-time.After(time.Second):
		t.Fatal("not closed by Roll")
	}
	second := keys.Changed()
	if second == first {
		t.Fatal("no fresh channel after a change")
	}
	if err := keys.Roll(context.Background(), otherKey, refusingVerifier(t)); err == nil {
		t.Fatal("refused roll succeeded")
	}
	select {
	case <-second:
		t.Fatal("closed by a roll that changed nothing")
	default:
	}
	go func() { _ = keys.Delete() }()
	select {
	case <-second:
	case <-time.After(5 * time.Second):
		t.Fatal("not closed by Delete")
	}
}

// refusingVerifier returns a Verifier whose server refuses every key but
// testKey.
func refusingVerifier(t *testing.T) *Verifier {
	t.Helper()
	srv, _ := usageServer(t, http.StatusOK)
	v, _ := NewVerifier(srv.URL)
	return v
}
