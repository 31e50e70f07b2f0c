package cli

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fluxdesk/engine/apikey"
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

// keychainHolds returns, as secret-tool sees it, the secret in Fluxdesk's
// keychain entry (go-keyring files the account under "username") and the
// number of items under Fluxdesk's service name.
func keychainHolds(t *testing.T) (secret string, items int) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup",
		"service", apikey.KeychainService, "username", apikey.KeychainAccount).Output()
	if err != nil && len(out) > 0 {
		t.Fatalf("secret-tool lookup: %v", err)
	}
	all, err := exec.Command("secret-tool", "search", "--all", "service", apikey.KeychainService).CombinedOutput()
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

func TestKeyRealKeychain_SetRollDelete(t *testing.T) {
	needRealKeychain(t)
	clearKeyEnv(t)
	t.Cleanup(func() { runKeyCLI(t, nil, "", "delete") })
	server := keyUsageServer(t, http.StatusOK) // accepts keyA only

	steps := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		holds  string // the secret afterwards; "" for none
		output string
	}{
		{"start empty", "", []string{"delete"}, ExitOK, "", ""},
		{"status without key", "", []string{"status"}, ExitOK, "", "Keychain: reachable, no key stored"},
		{"set", keyB + "\n", []string{"set"}, ExitOK, keyB, "Stored flx_live_0000…9999"},
		{"set over a key", keyA, []string{"set"}, ExitUsage, keyB, "key roll"},
		{"status", "", []string{"status"}, ExitOK, keyB, "flx_live_0000…9999 (from the keychain)"},
		{"roll accepted", keyA, []string{"roll", "--api-url", server}, ExitOK, keyA, "Rolled"},
		{"roll refused", keyB, []string{"roll", "--api-url", server}, ExitFailed, keyA, "unchanged"},
		{"roll offline", keyB, []string{"roll", "--offline"}, ExitOK, keyB, "not checked"},
		{"delete", "", []string{"delete"}, ExitOK, "", "Deleted"},
		{"delete again", "", []string{"delete"}, ExitOK, "", "No key is stored"},
	}
	for _, s := range steps {
		r := runKeyCLI(t, nil, s.stdin, s.args...)
		if r.code != s.code || !strings.Contains(r.stdout+r.stderr, s.output) {
			t.Fatalf("%s: exit %d, want %d saying %q; %+v", s.name, r.code, s.code, s.output, r)
		}
		secret, items := keychainHolds(t)
		wantItems := 1
		if s.holds == "" {
			wantItems = 0
		}
		if secret != s.holds || items != wantItems {
			t.Fatalf("%s: keychain holds %s in %d items, want %s in %d",
				s.name, apikey.Mask(secret), items, apikey.Mask(s.holds), wantItems)
		}
	}
}

// keyHelperEnv names the variable that turns the test binary into a child
// process running "fluxdesk" with the arguments it holds (see TestMain).
const keyHelperEnv = "FLUXDESK_KEY_CLI_HELPER"

// With no session bus at all, every key command stops at once with exit
// status 2 and says what is missing; none panics or waits.
func TestKey_NoKeychainAtAll(t *testing.T) {
	buses := map[string][]string{
		"stale bus address": {"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus")},
		// Unset, godbus would try dbus-launch: keep it out of reach.
		"no bus address": {"DBUS_SESSION_BUS_ADDRESS=", "PATH=" + t.TempDir()},
	}
	for name, env := range buses {
		for _, c := range []struct{ args, stdin string }{
			{"key status", ""},
			{"key set", keyA + "\n"},
			{"key roll --offline", keyA + "\n"},
			{"key delete", ""},
		} {
			t.Run(name+"/"+c.args, func(t *testing.T) {
				code, out, took := runKeyChild(t, c.args, c.stdin, env)
				if code != ExitUsage {
					t.Errorf("exit %d, want %d:\n%s", code, ExitUsage, out)
				}
				if !strings.Contains(out, "no D-Bus session bus") || !strings.Contains(out, "set FLUXIMAGE_API_KEY instead") {
					t.Errorf("message does not say what is missing:\n%s", out)
				}
				if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
					t.Errorf("panicked:\n%s", out)
				}
				if took > 5*time.Second {
					t.Errorf("took %v", took)
				}
				assertNoRawKey(t, out)
			})
		}
	}
}

// runKeyChild runs "fluxdesk ARGS" in a child process with stdin and env
// added to this process's environment (without the FLUXIMAGE_API_KEY and
// FLUXDESK_API_URL of the machine). It fails the test if the child runs
// for more than 20 seconds.
func runKeyChild(t *testing.T, args, stdin string, env []string) (code int, output string, took time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0])
	cmd.Env = append(os.Environ(), keyHelperEnv+"="+args, apikey.EnvKey+"=", apikey.EnvBaseURL+"=")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took = time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("hung for %v:\n%s", took, out)
	}
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	return code, string(out), took
}
