package cli

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fluxdesk/engine/apikey"
)

// Well-formed keys that exist nowhere.
const (
	keyA = "flx_live_a3f90123456789abcdef0123456789abcdefb2c1"
	keyB = "flx_live_0000111122223333444455556666777788889999"
)

// keyRun is what one "fluxdesk key" run printed and returned.
type keyRun struct {
	code           int
	stdout, stderr string
}

// runKeyCLI runs "fluxdesk key ARGS..." in-process with stdin as standard
// input, against store (nil: the real keychain). It fails the test if any
// test key shows up in what was printed.
func runKeyCLI(t *testing.T, store apikey.Store, stdin string, args ...string) keyRun {
	t.Helper()
	if store != nil {
		saved := newKeyStore
		newKeyStore = func() apikey.Store { return store }
		defer func() { newKeyStore = saved }()
	}
	var out, errb bytes.Buffer
	code := Main(append([]string{"key"}, args...), strings.NewReader(stdin), &out, &errb)
	r := keyRun{code, out.String(), errb.String()}
	assertNoRawKey(t, r.stdout+r.stderr)
	return r
}

// assertNoRawKey fails the test if text holds any part of a test key that
// its masked form does not show.
func assertNoRawKey(t *testing.T, text string) {
	t.Helper()
	for _, k := range []string{keyA, keyB} {
		hidden := k[len(apikey.Prefix)+4 : len(k)-4]
		if strings.Contains(text, hidden) {
			t.Fatalf("output reveals a key:\n%s", text)
		}
	}
}

// clearKeyEnv unsets the variables that change what the key commands do.
func clearKeyEnv(t *testing.T) {
	t.Helper()
	t.Setenv(apikey.EnvKey, "")
	t.Setenv(apikey.EnvBaseURL, "")
}

// keyUsageServer is a Fluximage stand-in: GET /api/usage answers status to keyA
// and 401 to anything else.
func keyUsageServer(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/usage" || r.Header.Get("Authorization") != "Bearer "+keyA {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestKeySet(t *testing.T) {
	clearKeyEnv(t)
	store := apikey.NewMemoryStore()
	r := runKeyCLI(t, store, "  "+keyA+"\n")
	if r.code != ExitUsage {
		t.Fatalf("no subcommand: exit %d, want %d", r.code, ExitUsage)
	}
	r = runKeyCLI(t, store, "  "+keyA+"\r\n", "set")
	if r.code != ExitOK || !strings.Contains(r.stdout, "flx_live_a3f9…b2c1") {
		t.Fatalf("set: %+v", r)
	}
	if got, _ := store.Get(); got != keyA {
		t.Fatal("set did not store the key")
	}
	r = runKeyCLI(t, store, keyB, "set")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "key roll") {
		t.Fatalf("set over a stored key: %+v", r)
	}
	if got, _ := store.Get(); got != keyA {
		t.Fatal("set replaced a stored key")
	}
}

func TestKeySet_RefusesBadInput(t *testing.T) {
	clearKeyEnv(t)
	cases := map[string]struct {
		stdin string
		args  []string
	}{
		"key as argument":         {"", []string{"set", keyA}},
		"key as flag":             {"", []string{"set", "--key=" + keyB}},
		"key instead of command":  {"", []string{keyA}},
		"key as roll argument":    {"", []string{"roll", "--offline", keyB}},
		"other argument":          {keyA, []string{"set", "extra"}},
		"malformed":               {"flx_live_1234\n", []string{"set"}},
		"upper case":              {strings.ToUpper(keyA), []string{"set"}},
		"empty input":             {"", []string{"set"}},
		"malformed roll":          {"flx_live_xyz", []string{"roll", "--offline"}},
		"unknown subcommand":      {keyA, []string{"show"}},
		"plain http roll":         {keyA, []string{"roll", "--api-url", "http://fluximage.app"}},
		"key in first line only?": {"\n" + keyA, []string{"set"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			store := apikey.NewMemoryStore()
			r := runKeyCLI(t, store, c.stdin, c.args...)
			if r.code != ExitUsage {
				t.Fatalf("exit %d, want %d; %+v", r.code, ExitUsage, r)
			}
			if _, err := store.Get(); !errors.Is(err, apikey.ErrNoKey) {
				t.Fatal("something was stored")
			}
		})
	}
}

func TestKeySet_MessageSaysWhatAKeyLooksLike(t *testing.T) {
	clearKeyEnv(t)
	r := runKeyCLI(t, apikey.NewMemoryStore(), "flx_live_123\n", "set")
	if !strings.Contains(r.stderr, "flx_live_ followed by exactly 40 lower-case hexadecimal characters") {
		t.Fatalf("stderr: %s", r.stderr)
	}
}

func TestKeyStatus(t *testing.T) {
	clearKeyEnv(t)
	store := apikey.NewMemoryStore()

	r := runKeyCLI(t, store, "", "status")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Key:      none; add one with: fluxdesk key set") ||
		!strings.Contains(r.stdout, "Keychain: reachable, no key stored") {
		t.Fatalf("no key: %+v", r)
	}

	_ = store.Set(keyA)
	r = runKeyCLI(t, store, "", "status")
	if r.code != ExitOK || !strings.Contains(r.stdout, "flx_live_a3f9…b2c1 (from the keychain)") {
		t.Fatalf("keychain key: %+v", r)
	}

	t.Setenv(apikey.EnvKey, keyB)
	r = runKeyCLI(t, store, "", "status")
	if r.code != ExitOK || !strings.Contains(r.stdout, "flx_live_0000…9999 (from the environment variable FLUXIMAGE_API_KEY)") ||
		!strings.Contains(r.stdout, "holds flx_live_a3f9…b2c1 (not in use)") {
		t.Fatalf("environment key: %+v", r)
	}

	store.Fail(keychainDown())
	r = runKeyCLI(t, store, "", "status")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Keychain: the keychain is unavailable") {
		t.Fatalf("environment key, no keychain: %+v", r)
	}

	t.Setenv(apikey.EnvKey, "")
	r = runKeyCLI(t, store, "", "status")
	if r.code != ExitUsage || !strings.Contains(r.stdout, "Keychain: the keychain is unavailable") {
		t.Fatalf("no keychain: %+v", r)
	}

	t.Setenv(apikey.EnvKey, "flx_live_"+strings.Repeat("Z", 40))
	r = runKeyCLI(t, store, "", "status")
	if r.code != ExitUsage || !strings.Contains(r.stdout, "unusable: FLUXIMAGE_API_KEY: not a Fluximage API key") {
		t.Fatalf("malformed environment key: %+v", r)
	}
}

// keychainDown returns an error as the keychain store gives it when there is
// no Secret Service.
func keychainDown() error {
	return errors.Join(apikey.ErrKeychainUnavailable, errors.New("no Secret Service answers on the D-Bus session bus; install and start gnome-keyring"))
}

func TestKeyRoll(t *testing.T) {
	clearKeyEnv(t)
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String()
	}()
	cases := []struct {
		name   string
		newKey string
		args   []string
		code   int
		stored string // afterwards
		says   string
	}{
		{"accepted", keyA, []string{"--api-url", keyUsageServer(t, http.StatusOK)}, ExitOK, keyA, "Rolled: the keychain now holds flx_live_a3f9…b2c1 (checked with http://127.0.0.1"},
		{"refused", keyB, []string{"--api-url", keyUsageServer(t, http.StatusOK)}, ExitFailed, "old", "refused the key"},
		{"server error", keyA, []string{"--api-url", keyUsageServer(t, http.StatusInternalServerError)}, ExitFailed, "old", "could not verify the key"},
		{"unreachable", keyA, []string{"--api-url", closed}, ExitFailed, "old", "--offline"},
		{"offline", keyB, []string{"--offline", "--api-url", closed}, ExitOK, keyB, "not checked: --offline"},
	}
	const old = "flx_live_1111111111111111111111111111111111111111"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := apikey.NewMemoryStore()
			_ = store.Set(old)
			r := runKeyCLI(t, store, c.newKey+"\n", append([]string{"roll"}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.says) {
				t.Fatalf("exit %d, want %d saying %q: %+v", r.code, c.code, c.says, r)
			}
			want := c.stored
			if want == "old" {
				want = old
			}
			if got, _ := store.Get(); got != want {
				t.Fatalf("stored %s, want %s", apikey.Mask(got), apikey.Mask(want))
			}
		})
	}
}

func TestKeyRoll_APIURLFromEnvironment(t *testing.T) {
	clearKeyEnv(t)
	t.Setenv(apikey.EnvBaseURL, keyUsageServer(t, http.StatusOK))
	store := apikey.NewMemoryStore()
	if r := runKeyCLI(t, store, keyA, "roll"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if got, _ := store.Get(); got != keyA {
		t.Fatal("not stored")
	}
}

func TestKeyRoll_KeychainUnavailableBeforeAsking(t *testing.T) {
	clearKeyEnv(t)
	asked := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { asked = true }))
	defer srv.Close()
	store := apikey.NewMemoryStore()
	store.Fail(keychainDown())
	r := runKeyCLI(t, store, keyA, "roll", "--api-url", srv.URL)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "set FLUXIMAGE_API_KEY instead") {
		t.Fatalf("%+v", r)
	}
	if asked {
		t.Error("the service was asked although the key could not be stored")
	}
}

func TestKeyDelete(t *testing.T) {
	clearKeyEnv(t)
	store := apikey.NewMemoryStore()
	_ = store.Set(keyA)
	if r := runKeyCLI(t, store, "", "delete"); r.code != ExitOK || !strings.Contains(r.stdout, "Deleted") {
		t.Fatalf("%+v", r)
	}
	if _, err := store.Get(); !errors.Is(err, apikey.ErrNoKey) {
		t.Fatal("key still stored")
	}
	if r := runKeyCLI(t, store, "", "delete"); r.code != ExitOK || !strings.Contains(r.stdout, "No key is stored") {
		t.Fatalf("%+v", r)
	}
	store.Fail(keychainDown())
	if r := runKeyCLI(t, store, "", "delete"); r.code != ExitUsage {
		t.Fatalf("%+v", r)
	}
}

func TestKeyHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"roll", "-h"}, {"set", "-h"}} {
		if r := runKeyCLI(t, apikey.NewMemoryStore(), "", args...); r.code != ExitOK {
			t.Errorf("key %v: exit %d", args, r.code)
		}
	}
}
