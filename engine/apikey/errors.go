package apikey

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// ErrNoKey means that no key is stored (and, from Keys.Current, that
// FLUXIMAGE_API_KEY is not set either).
var ErrNoKey = errors.New("no key stored")

// ErrKeychainUnavailable is matched (errors.Is) by errors that mean the
// keychain cannot be reached at all: no D-Bus session, no Secret Service, a
// keychain that stays locked. The full message says what to install or start.
var ErrKeychainUnavailable = errors.New("the keychain is unavailable")

// Why the keychain is unavailable, in words a person can act on.
const (
	reasonNoBus = "no D-Bus session bus was found; log in to a desktop session, " +
		"or start one (e.g. dbus-run-session) with a Secret Service such as gnome-keyring in it"
	reasonNoService = "no Secret Service answers on the D-Bus session bus; " +
		"install and start gnome-keyring (Debian/Ubuntu: apt install gnome-keyring) or another Secret Service such as KeePassXC"
	reasonLocked = "the keychain is locked and was not unlocked; " +
		"unlock it (log in to the desktop, or run gnome-keyring-daemon --unlock) and try again"
	reasonNoCollection = "the Secret Service has no default keyring; create one (e.g. with Seahorse) and try again"
	reasonNoAnswer     = "the Secret Service did not answer; restart it (e.g. gnome-keyring-daemon) and try again"
	reasonUnsupported  = "this system has no keychain Fluxdesk can use"
)

// classify turns an error from go-keyring into ErrNoKey, an
// ErrKeychainUnavailable error with a reason, or a plain failure of op.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNoKey
	}
	if reason := unavailableReason(err); reason != "" {
		return fmt.Errorf("%w: %s (%w)", ErrKeychainUnavailable, reason, err)
	}
	return fmt.Errorf("keychain: could not %s the key: %w", op, err)
}

// unavailableReason says why err means the keychain cannot be reached, or
// returns "" when it means something else.
func unavailableReason(err error) string {
	if name, ok := dbusErrorName(err); ok {
		switch {
		case name == "org.freedesktop.DBus.Error.ServiceUnknown",
			name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn."):
			return reasonNoService
		case name == "org.freedesktop.Secret.Error.IsLocked":
			return reasonLocked
		case name == "org.freedesktop.Secret.Error.NoSuchObject":
			return reasonNoCollection
		case name == "org.freedesktop.DBus.Error.NoReply",
			name == "org.freedesktop.DBus.Error.Timeout",
			name == "org.freedesktop.DBus.Error.Disconnected":
			return reasonNoAnswer
		}
		return ""
	}
	var execErr *exec.Error // dbus-launch, tried when no bus address is known
	var netErr *net.OpError
	switch {
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return reasonUnsupported
	// go-keyring's own error when an unlock prompt is dismissed or fails.
	case strings.Contains(err.Error(), "failed to unlock"):
		return reasonLocked
	case errors.As(err, &execErr), errors.As(err, &netErr),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, dbus.ErrClosed),
		// godbus's errors while finding, dialling or authenticating
		// to the bus are plain errors with this prefix.
		strings.HasPrefix(err.Error(), "dbus: "):
		return reasonNoBus
	}
	return ""
}

// dbusErrorName returns the name of a D-Bus error reply in err's chain.
func dbusErrorName(err error) (string, bool) {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name, true
	}
	var p *dbus.Error
	if errors.As(err, &p) && p != nil {
		return p.Name, true
	}
	return "", false
}
