package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"fluxdesk/engine/apikey"
	"fluxdesk/engine/remote/fluxtest"
	"fluxdesk/engine/settings"
)

// keyOp submits a key dialog with key typed in, and waits for op to end.
func keyOp(t *testing.T, d *Desk, open func(), key, op string) error {
	t.Helper()
	var result error
	ended := false
	d.account.after = func(o string, err error) {
		if o == op {
			ended, result = true, err
		}
	}
	open()
	test.Type(d.account.dialog.entry, key)
	d.account.dialog.form.Submit()
	waitFor(t, d, op, 30*time.Second, func() bool { return ended })
	return result
}

// useServer points the window at a fake Fluximage.
func useServer(t *testing.T, d *Desk, srv *fluxtest.Server) {
	t.Helper()
	if err := d.prefs.update(func(s *settings.Settings) { s.APIURL = srv.URL }); err != nil {
		t.Fatal(err)
	}
}

func TestKeyDialogs_SetStoresAndShowsTheMaskedKey(t *testing.T) {
	store := apikey.NewMemoryStore()
	srv := fluxtest.New(oldKey)
	defer srv.Close()
	d, _ := newTestDesk(t, store)
	useServer(t, d, srv)
	if err := keyOp(t, d, d.account.showSet, oldKey, "set"); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Get(); got != oldKey {
		t.Errorf("stored %q", got)
	}
	waitFor(t, d, "the refresh", 10*time.Second, func() bool { return strings.Contains(d.account.usageLabel.Text, "Plan agency") })
	if got := d.account.keyLabel.Text; got != apikey.Mask(oldKey) {
		t.Errorf("key shown as %q", got)
	}
	if !d.account.setBtn.Disabled() || d.account.removeBtn.Disabled() {
		t.Error("with a key stored, Remove should be offered and Set not")
	}
}

func TestKeyDialogs_RollAcceptedSwapsTheKey(t *testing.T) {
	store := apikey.NewMemoryStore()
	store.Set(oldKey)
	srv := fluxtest.New(newKey) // the old key was rolled in the dashboard
	defer srv.Close()
	d, _ := newTestDesk(t, store)
	useServer(t, d, srv)
	d.account.markRejected()
	changed := d.keys.Changed()
	if err := keyOp(t, d, d.account.showRoll, newKey, "roll"); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Get(); got != newKey {
		t.Errorf("stored %q, want the new key", got)
	}
	select {
	case <-changed: // held remote jobs wake on this
	default:
		t.Error("the roll did not signal a key change")
	}
	if d.account.rejected {
		t.Error("the new key is still shown as rejected")
	}
}

func TestKeyDialogs_RollRefusedKeepsTheOldKey(t *testing.T) {
	store := apikey.NewMemoryStore()
	store.Set(oldKey)
	srv := fluxtest.New(oldKey) // the pasted key is not the one the service knows
	defer srv.Close()
	d, _ := newTestDesk(t, store)
	useServer(t, d, srv)
	err := keyOp(t, d, d.account.showRoll, newKey, "roll")
	if !errors.Is(err, apikey.ErrRefused) {
		t.Fatalf("roll: %v, want refused", err)
	}
	if got, _ := store.Get(); got != oldKey {
		t.Errorf("stored %q, want the old key kept", got)
	}
}

func TestKeyDialogs_KeychainUnavailable(t *testing.T) {
	store := apikey.NewMemoryStore()
	store.Fail(fmt.Errorf("%w: no Secret Service answers on the D-Bus session bus", apikey.ErrKeychainUnavailable))
	srv := fluxtest.New(newKey)
	defer srv.Close()
	d, w := newTestDesk(t, store)
	useServer(t, d, srv)
	refreshed := false
	d.account.after = func(string, error) { refreshed = true }
	d.account.refresh()
	waitFor(t, d, "the key status", 10*time.Second, func() bool { return refreshed })
	if got := d.account.keyLabel.Text; got != "Keychain unavailable: no Secret Service answers on the D-Bus session bus" {
		t.Errorf("key status %q", got)
	}
	d.tabs.SelectIndex(3)
	test.AssertRendersToMarkup(t, "account_keychain_unavailable.xml", w.Canvas())

	if err := keyOp(t, d, d.account.showSet, newKey, "set"); !errors.Is(err, apikey.ErrKeychainUnavailable) {
		t.Errorf("set: %v", err)
	}
	// A roll stops before the service is asked: a key it accepted but that
	// cannot be stored would leave the user holding the only copy.
	if err := keyOp(t, d, d.account.showRoll, newKey, "roll"); !errors.Is(err, apikey.ErrKeychainUnavailable) {
		t.Errorf("roll: %v", err)
	}
	if n := srv.Seen().UsageCalls; n != 0 {
		t.Errorf("the service was asked %d times", n)
	}
}

func TestKeyDialogs_RemoveDeletesTheKey(t *testing.T) {
	store := apikey.NewMemoryStore()
	store.Set(oldKey)
	d, _ := newTestDesk(t, store)
	removed := false
	d.account.after = func(op string, err error) { removed = removed || op == "remove" }
	d.account.removeKey()
	waitFor(t, d, "the removal", 10*time.Second, func() bool { return removed })
	if _, err := store.Get(); !errors.Is(err, apikey.ErrNoKey) {
		t.Errorf("after remove: %v", err)
	}
}

func TestKeyEntry_RefusesWhatIsNotAKey(t *testing.T) {
	e := newKeyEntry()
	for _, v := range []string{"", "flx_live_123", "sk_live_" + strings.Repeat("a", 40)} {
		if e.Validator(v) == nil {
			t.Errorf("%q accepted", v)
		}
	}
	if err := e.Validator(" " + newKey + "\n"); err != nil {
		t.Errorf("a pasted key with white space refused: %v", err)
	}
}

// "Roll key…" is offered only when a key could be read: not while the
// keychain is locked (or unreachable), and not when there is no key at all
// ("Set key…" is for that).
func TestAccount_RollKeyOfferedOnlyWithAKeyRead(t *testing.T) {
	locked := apikey.NewMemoryStore()
	locked.Fail(fmt.Errorf("%w: the keychain is locked and was not unlocked", apikey.ErrKeychainUnavailable))
	stored := apikey.NewMemoryStore()
	stored.Set(oldKey)
	srv := fluxtest.New(oldKey)
	defer srv.Close()
	for _, tc := range []struct {
		name  string
		store apikey.Store
		offer bool
	}{
		{"keychain locked", locked, false},
		{"no key", apikey.NewMemoryStore(), false},
		{"key stored", stored, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := newTestDesk(t, tc.store)
			useServer(t, d, srv)
			refreshed := false
			d.account.after = func(op string, _ error) { refreshed = refreshed || op == "refresh" }
			d.account.refresh()
			waitFor(t, d, "the key status", 10*time.Second, func() bool { return refreshed })
			if offered := !d.account.rollBtn.Disabled(); offered != tc.offer {
				t.Errorf("Roll key… offered: %v, want %v (key status %q)", offered, tc.offer, d.account.keyLabel.Text)
			}
		})
	}
}
