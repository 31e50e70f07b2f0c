package apikey

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// helperEnv names the variable that turns the test binary into a child
// process that talks to whatever keychain its environment gives it.
const helperEnv = "FLUXDESK_APIKEY_HELPER"

// realTestService keeps these tests' secrets apart from the app's own entry
// (which the command-line tests use at the same time).
const realTestService = "Fluxdesk apikey test"

func newRealKeychain() *Keychain {
	return &Keychain{ring: systemKeyring{}, service: realTestService, account: KeychainAccount}
}

// TestMain runs the helper process instead of the tests when helperEnv is
// set (see runHelper).
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		helperProcess(mode)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helperProcess reads the key from the keychain in its environment (after
// locking the login collection, for "lock-get") and prints how the outcome
// was classified.
func helperProcess(mode string) {
	if mode == "lock-get" {
		if err := lockLoginCollection(); err != nil {
			fmt.Printf("result=setup-failed\nmsg=%v\n", err)
			return
		}
	}
	_, err := newRealKeychain().Get()
	switch {
	case errors.Is(err, ErrNoKey):
		fmt.Println("result=nokey")
	case errors.Is(err, ErrKeychainUnavailable):
		fmt.Println("result=unavailable")
	case err != nil:
		fmt.Println("result=other")
	default:
		fmt.Println("result=ok")
	}
	fmt.Printf("msg=%v\n", err)
}

// runHelper runs helperProcess in a child process, the command line
// given by prefix (if any) in front of it, with env added to this process's
// environment minus the names in unset. It fails the test if the child takes
// more than 20 seconds, and returns its output and how long it took.
func runHelper(t *testing.T, mode string, prefix []string, env []string, unset ...string) (string, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	args := append(append([]string{}, prefix...), os.Args[0])
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(withoutEnv(os.Environ(), unset...), helperEnv+"="+mode)
	cmd.Env = append(cmd.Env, env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("child process hung for %v:\n%s", took, out)
	}
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	return string(out), took
}

func withoutEnv(env []string, names ...string) []string {
	var kept []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || name == n
		}
		if !drop {
			kept = append(kept, kv)
		}
	}
	return kept
}

// lockLoginCollection locks the Secret Service's login keyring.
func lockLoginCollection() error {
	out, err := exec.Command("dbus-send", "--session", "--print-reply",
		"--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
		"org.freedesktop.Secret.Service.Lock",
		"array:objpath:/org/freedesktop/secrets/collection/login").CombinedOutput()
	if err != nil {
		return fmt.Errorf("dbus-send Lock: %v: %s", err, out)
	}
	return nil
}
