package apikey

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A keychain call with no session bus must fail fast and say so, whether
// the bus address is stale or missing (then godbus would try dbus-launch,
// which is kept out of reach here).
func TestKeychain_NoSessionBus(t *testing.T) {
	t.Run("stale address", func(t *testing.T) {
		addr := "DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus")
		out, took := runHelper(t, "get", nil, []string{addr})
		checkNoBus(t, out, took)
	})
	t.Run("no address", func(t *testing.T) {
		if u, err := user.Current(); err == nil {
			if _, err := os.Stat("/run/user/" + u.Uid + "/bus"); err == nil {
				t.Skip("this user has a session bus at /run/user/" + u.Uid + "/bus, found without an address")
			}
		}
		out, took := runHelper(t, "get", nil, []string{"PATH=" + t.TempDir()}, "DBUS_SESSION_BUS_ADDRESS")
		checkNoBus(t, out, took)
	})
}

func checkNoBus(t *testing.T, out string, took time.Duration) {
	t.Helper()
	if !strings.Contains(out, "result=unavailable") || !strings.Contains(out, "no D-Bus session bus") {
		t.Errorf("want keychain unavailable for want of a D-Bus session, got:\n%s", out)
	}
	if strings.Contains(out, "panic") {
		t.Errorf("panicked:\n%s", out)
	}
	if took > 5*time.Second {
		t.Errorf("took %v to give up", took)
	}
}

// A session bus with no Secret Service on it (and none it could start).
func TestKeychain_NoSecretService(t *testing.T) {
	if _, err := exec.LookPath("dbus-run-session"); err != nil {
		if os.Getenv("FLUXDESK_REAL_KEYRING") == "1" {
			t.Fatal("dbus-run-session not found (package dbus)")
		}
		t.Skip("dbus-run-session not found (package dbus)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	// A session bus without service directories: nothing can be activated.
	busConf := fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`, dir)
	if err := os.WriteFile(conf, []byte(busConf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, took := runHelper(t, "get", []string{"dbus-run-session", "--config-file=" + conf, "--"}, nil)
	if !strings.Contains(out, "result=unavailable") || !strings.Contains(out, "no Secret Service") ||
		!strings.Contains(out, "gnome-keyring") {
		t.Errorf("want keychain unavailable for want of a Secret Service, got:\n%s", out)
	}
	if took > 5*time.Second {
		t.Errorf("took %v to give up", took)
	}
}
