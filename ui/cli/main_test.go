package cli

import (
	"os"
	"strings"
	"testing"
)

// TestMain keeps the tests' record of written outputs and settings away
// from the user's.
// With keyHelperEnv set, the binary is instead a child process of the key
// command tests: it runs those arguments and exits with their status.
func TestMain(m *testing.M) {
	if args := os.Getenv(keyHelperEnv); args != "" {
		os.Exit(Main(strings.Fields(args), os.Stdin, os.Stdout, os.Stderr))
	}
	state, err := os.MkdirTemp("", "fluxdesk-cli-state-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_STATE_HOME", state)
	os.Setenv("XDG_CONFIG_HOME", state) // the settings too
	code := m.Run()
	os.RemoveAll(state)
	os.Exit(code)
}
