package apikey

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// needRealKeychain skips the test unless scripts/with-keyring.sh provides a
// throw-away keychain (it sets FLUXDESK_REAL_KEYRING=1). In CI, where
// make test always provides one, a missing keychain fails the test instead.
func needRealKeychain(t *testing.T) {
	t.Helper()
	if os.Getenv("FLUXDESK_REAL_KEYRING") != "1" {
		const why = "needs a real keychain: run under scripts/with-keyring.sh"
		if os.Getenv("CI") != "" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
}

// secretTool returns what secret-tool says is stored for the test service:
// the secret of the Fluxdesk account (lookup; go-keyring files the account
// under the attribute "username") and how many items the service has in all
// (search --all).
func secretTool(t *testing.T) (secret string, items int) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", realTestService, "username", KeychainAccount).Output()
	if err != nil && len(out) > 0 {
		t.Fatalf("secret-tool lookup: %v", err)
	}
	all, err := exec.Command("secret-tool", "search", "--all", "service", realTestService).CombinedOutput()
	if err != nil {
		t.Fatalf("secret-tool search: %v", err)
	}
	for _, line := range strings.Split(string(all), "\n") {
		if strings.HasPrefix(line, "[/") {
			items++
		}
	}
	return string(out), items
}

func TestRealKeychain_SetReplaceDelete(t *testing.T) {
	needRealKeychain(t)
	k := newRealKeychain()
	t.Cleanup(func() { _ = k.Delete() })

	if _, err := k.Get(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Get on an empty keychain = %v, want ErrNoKey", err)
	}
	if err := k.Delete(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Delete on an empty keychain = %v, want ErrNoKey", err)
	}
	for _, key := range []string{testKey, otherKey} {
		if err := k.Set(key); err != nil {
			t.Fatalf("Set: %v", err)
		}
		if secret, items := secretTool(t); secret != key || items != 1 {
			t.Fatalf("after Set: secret-tool finds %s in %d items, want %s in 1", Mask(secret), items, Mask(key))
		}
		if got, err := k.Get(); err != nil || got != key {
			t.Fatalf("Get = %s, %v; want %s", Mask(got), err, Mask(key))
		}
	}
	if err := k.Delete(); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if secret, items := secretTool(t); secret != "" || items != 0 {
		t.Fatalf("after Delete: secret-tool finds %d items", items)
	}
	if _, err := k.Get(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Get after Delete = %v, want ErrNoKey", err)
	}
}

func TestRealKeychain_ConcurrentUse(t *testing.T) {
	needRealKeychain(t)
	k := newRealKeychain()
	t.Cleanup(func() { _ = k.Delete() })
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{testKey, otherKey}[i%2]
			for range 10 {
				if err := k.Set(key); err != nil {
					t.Error(err)
					return
				}
				if got, err := k.Get(); err != nil || (got != testKey && got != otherKey) {
					t.Errorf("Get = %s, %v", Mask(got), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if _, items := secretTool(t); items != 1 {
		t.Fatalf("after concurrent Sets: %d items, want 1", items)
	}
}

// A locked keychain whose unlock prompt cannot be shown (no display) is
// reported as unavailable at once. It runs in a keychain of its own, so the
// lock does not disturb tests running beside it.
func TestRealKeychain_Locked(t *testing.T) {
	needRealKeychain(t)
	script, err := filepath.Abs("../../scripts/with-keyring.sh")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := runHelper(t, "lock-get", []string{script}, nil, "DISPLAY", "WAYLAND_DISPLAY")
	if !strings.Contains(out, "result=unavailable") || !strings.Contains(out, "locked") {
		t.Errorf("want keychain unavailable because locked, got:\n%s", out)
	}
}

// BenchmarkRealKeychain_Get measures what Keys.Current costs per call when
// the key comes from the keychain.
func BenchmarkRealKeychain_Get(b *testing.B) {
	if os.Getenv("FLUXDESK_REAL_KEYRING") != "1" {
		b.Skip("needs a real keychain: run under scripts/with-keyring.sh")
	}
	k := newRealKeychain()
	if err := k.Set(testKey); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = k.Delete() })
	for b.Loop() {
		if _, err := k.Get(); err != nil {
			b.Fatal(err)
		}
	}
}
