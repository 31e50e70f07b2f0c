package cli

import (
	"os"
	"testing"
)

// TestMain keeps the tests' record of written outputs away from the user's.
func TestMain(m *testing.M) {
	state, err := os.MkdirTemp("", "fluxdesk-cli-state-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_STATE_HOME", state)
	code := m.Run()
	os.RemoveAll(state)
	os.Exit(code)
}
