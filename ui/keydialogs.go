package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine/apikey"
)

// rollTimeout bounds checking a new key with the service.
const rollTimeout = 30 * time.Second

// keyTextWidth is the width of the key dialogs' explanations.
const keyTextWidth = 440

// keyDialog is a dialog that asks for a key.
type keyDialog struct {
	form  *dialog.FormDialog
	entry *widget.Entry
}

// newKeyEntry returns a password entry that accepts only a Fluximage key.
func newKeyEntry() *widget.Entry {
	e := widget.NewPasswordEntry()
	e.SetPlaceHolder(apikey.Prefix + "…")
	e.Validator = func(v string) error {
		_, err := apikey.Parse(v)
		if err != nil {
			return errors.New("not a Fluximage API key: it starts with " + apikey.Prefix + " and has 40 characters 0-9, a-f after it")
		}
		return nil
	}
	return e
}

// showSet asks for a key to store when none is stored.
func (p *accountPanel) showSet() {
	entry := newKeyEntry()
	intro := paragraph("Paste the API key from the Fluximage dashboard (Settings → API Key). It is stored in the system keychain, never in a file.", keyTextWidth)
	form := dialog.NewForm("Set API key", "Store", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", intro),
		widget.NewFormItem("API key", entry),
	}, func(ok bool) {
		if ok {
			p.setKey(entry.Text)
		}
	}, p.win)
	p.showKeyDialog(&keyDialog{form, entry})
}

// setKey stores raw off the UI goroutine, then shows the outcome.
func (p *accountPanel) setKey(raw string) {
	go func() {
		err := p.keys.Set(raw)
		p.do(func() { p.afterSet(err) })
	}()
}

func (p *accountPanel) afterSet(err error) {
	switch {
	case errors.Is(err, apikey.ErrKeyStored):
		dialog.ShowInformation("A key is already stored", "The keychain already holds a key. To replace it, use Roll key….", p.win)
	case err != nil:
		dialog.ShowError(keyError("stored", err), p.win)
	default:
		p.rejected = false
	}
	p.refresh()
	p.done("set", err)
}

// showRoll explains the roll, offers to open the dashboard, takes the new
// key, checks it with the service and swaps it in.
func (p *accountPanel) showRoll() {
	entry := newKeyEntry()
	intro := paragraph("A key is rolled in the Fluximage dashboard: sign in, open Settings → API Key and press Roll Key. "+
		"The old key stops working at once. Paste the new key here: Fluxdesk checks it with Fluximage, stores it in the keychain "+
		"in place of the old one, and resumes the files held for the old key.", keyTextWidth)
	open := widget.NewButtonWithIcon("Open the Fluximage dashboard", theme.ComputerIcon(), p.openDashboard)
	form := dialog.NewForm("Roll API key", "Check and store", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", intro),
		widget.NewFormItem("", open),
		widget.NewFormItem("New key", entry),
	}, func(ok bool) {
		if ok {
			p.rollKey(entry.Text)
		}
	}, p.win)
	p.showKeyDialog(&keyDialog{form, entry})
}

func (p *accountPanel) showKeyDialog(d *keyDialog) {
	p.dialog = d
	d.form.Show()
	p.win.Canvas().Focus(d.entry)
}

// openDashboard opens the Fluximage site, where the dashboard is.
func (p *accountPanel) openDashboard() {
	base, err := apikey.ResolveBaseURL(p.settings().APIURL)
	var u *url.URL
	if err == nil {
		u, err = url.Parse(base)
	}
	if err == nil {
		err = p.openURL(u)
	}
	if err != nil {
		dialog.ShowError(err, p.win)
	}
}

// rollKey checks raw with the service and stores it, off the UI goroutine.
// The keychain is reached first: a key the service accepted but that
// cannot be stored would leave the user holding the only copy.
func (p *accountPanel) rollKey(raw string) {
	apiURL := p.settings().APIURL
	go func() {
		err := roll(p.keys, raw, apiURL)
		p.do(func() { p.afterRoll(raw, err) })
	}()
}

// roll does the blocking part of a roll.
func roll(keys *apikey.Keys, raw, apiURL string) error {
	if _, _, err := keys.Current(); errors.Is(err, apikey.ErrKeychainUnavailable) {
		return err
	}
	base, err := apikey.ResolveBaseURL(apiURL)
	if err != nil {
		return err
	}
	v, err := apikey.NewVerifier(base)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), rollTimeout)
	defer cancel()
	return keys.Roll(ctx, raw, v)
}

func (p *accountPanel) afterRoll(raw string, err error) {
	switch {
	case errors.Is(err, apikey.ErrRefused):
		//lint:ignore ST1005 a dialog shows it as a sentence
		dialog.ShowError(errors.New("Fluximage refused this key: it is mistyped, or an older one. "+
			"The stored key is unchanged. Copy the newest key from the dashboard (Settings → API Key) and try again."), p.win)
	case errors.Is(err, apikey.ErrUnverified):
		dialog.ShowError(fmt.Errorf("%v. The stored key is unchanged; try again when Fluximage can be reached", err), p.win)
	case err != nil:
		dialog.ShowError(keyError("stored", err), p.win)
	default:
		key, _ := apikey.Parse(raw)
		p.rejected = false
		dialog.ShowInformation("Key rolled", "The keychain now holds "+apikey.Mask(key)+". Files held for the old key resume.", p.win)
	}
	p.refresh()
	p.done("roll", err)
}

// confirmRemove asks before removing the stored key.
func (p *accountPanel) confirmRemove() {
	msg := "Remove " + p.status.key + " from the keychain? Files for Fluximage are then held until a key is stored."
	dialog.ShowConfirm("Remove API key", msg, func(ok bool) {
		if ok {
			p.removeKey()
		}
	}, p.win)
}

// removeKey deletes the stored key off the UI goroutine.
func (p *accountPanel) removeKey() {
	go func() {
		err := p.keys.Delete()
		p.do(func() {
			if err != nil && !errors.Is(err, apikey.ErrNoKey) {
				dialog.ShowError(keyError("removed", err), p.win)
			}
			p.refresh()
			p.done("remove", err)
		})
	}()
}

// keyError words a keychain failure; the key itself never appears in it.
func keyError(what string, err error) error {
	if errors.Is(err, apikey.ErrKeychainUnavailable) {
		//lint:ignore ST1005 a dialog shows it as a sentence
		return fmt.Errorf("The key could not be %s. %s: %s", what, "The keychain is unavailable", keychainReason(err))
	}
	//lint:ignore ST1005 a dialog shows it as a sentence
	return fmt.Errorf("The key could not be %s: %v", what, err)
}
