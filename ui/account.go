package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine/apikey"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/settings"
)

// usageTimeout bounds the plan and usage check.
const usageTimeout = 20 * time.Second

// keyStatus is what the account panel knows about the key: read off the UI
// goroutine, shown on it.
type keyStatus struct {
	key    string // masked
	source apikey.Source
	err    error // ErrNoKey, ErrKeychainUnavailable or another keychain error
	usage  *remote.Usage
	// usageErr says why the plan and usage could not be read.
	usageErr error
}

// accountPanel is the Account tab: the key's status, the plan and usage,
// and the buttons to set, roll and remove the key.
type accountPanel struct {
	keys     *apikey.Keys
	do       uiRunner
	win      fyne.Window
	settings func() settings.Settings
	openURL  func(*url.URL) error

	keyLabel   *widget.Label
	sourceNote *widget.Label
	usageLabel *widget.Label
	setBtn     *widget.Button
	rollBtn    *widget.Button
	removeBtn  *widget.Button
	refreshBtn *widget.Button

	status   keyStatus
	rejected bool // the service rejected the key in force
	gen      int  // numbers refreshes, so that a late answer is dropped

	// dialog and entry are the key dialog shown last, for tests.
	dialog *keyDialog
	// after, when set, is called on the UI goroutine when a key operation
	// ("set", "roll", "remove") or a refresh ("refresh") has finished.
	after func(op string, err error)

	content fyne.CanvasObject
}

func newAccountPanel(keys *apikey.Keys, do uiRunner, win fyne.Window, cfg func() settings.Settings, openURL func(*url.URL) error) *accountPanel {
	p := &accountPanel{keys: keys, do: do, win: win, settings: cfg, openURL: openURL}
	p.keyLabel = widget.NewLabel("")
	p.keyLabel.Wrapping = fyne.TextWrapWord
	p.sourceNote = widget.NewLabel("")
	p.sourceNote.Wrapping = fyne.TextWrapWord
	p.sourceNote.Importance = widget.LowImportance
	p.usageLabel = widget.NewLabel("")
	p.usageLabel.Wrapping = fyne.TextWrapWord
	p.setBtn = widget.NewButtonWithIcon("Set key…", theme.ContentAddIcon(), p.showSet)
	p.rollBtn = widget.NewButtonWithIcon("Roll key…", theme.ViewRefreshIcon(), p.showRoll)
	p.removeBtn = widget.NewButtonWithIcon("Remove key", theme.DeleteIcon(), p.confirmRemove)
	p.refreshBtn = widget.NewButtonWithIcon("Check again", theme.SearchReplaceIcon(), p.refresh)
	p.rollBtn.Importance = widget.HighImportance
	intro := widget.NewLabel("Fluxdesk sends images to Fluximage with your API key, kept in the system keychain only. " +
		"API access needs the Agency plan.")
	intro.Wrapping = fyne.TextWrapWord
	p.content = container.NewVScroll(container.NewVBox(
		heading("Fluximage account"),
		intro,
		widget.NewForm(
			widget.NewFormItem("API key", p.keyLabel),
			widget.NewFormItem("Plan and usage", p.usageLabel),
		),
		p.sourceNote,
		container.NewHBox(p.setBtn, p.rollBtn, p.removeBtn, layout.NewSpacer(), p.refreshBtn),
	))
	p.show()
	return p
}

// refresh reads the key and asks the service for the plan and usage, off
// the UI goroutine (the keychain may ask the user to unlock it).
func (p *accountPanel) refresh() {
	p.gen++
	gen := p.gen
	p.usageLabel.SetText("Checking…")
	p.refreshBtn.Disable()
	base := p.settings().APIURL
	go func() {
		st := readKeyStatus(p.keys, base)
		p.do(func() {
			if gen != p.gen {
				return
			}
			p.status = st
			if errors.Is(st.usageErr, remote.ErrKeyRejected) {
				p.rejected = true
			} else if st.usage != nil {
				p.rejected = false
			}
			p.show()
			p.done("refresh", st.err)
		})
	}()
}

// readKeyStatus reads the key and, when there is one, the plan and usage.
// It blocks: never call it on the UI goroutine.
func readKeyStatus(keys *apikey.Keys, apiURL string) keyStatus {
	key, src, err := keys.Current()
	st := keyStatus{source: src, err: err}
	if err != nil {
		return st
	}
	st.key = apikey.Mask(key)
	base, err := apikey.ResolveBaseURL(apiURL)
	var client *remote.Client
	if err == nil {
		client, err = remote.NewClient(base, remote.ClientOptions{})
	}
	if err != nil {
		st.usageErr = err
		return st
	}
	ctx, cancel := context.WithTimeout(context.Background(), usageTimeout)
	defer cancel()
	u, err := client.Usage(ctx, key)
	if err != nil {
		st.usageErr = err
		return st
	}
	st.usage = &u
	return st
}

// markRejected shows that the service rejected the key in force.
func (p *accountPanel) markRejected() {
	p.rejected = true
	p.show()
}

// show puts the status into the widgets.
func (p *accountPanel) show() {
	st := p.status
	p.keyLabel.Importance = widget.MediumImportance
	p.sourceNote.SetText("")
	switch {
	case errors.Is(st.err, apikey.ErrNoKey):
		p.keyLabel.SetText("No key stored")
	case errors.Is(st.err, apikey.ErrKeychainUnavailable):
		p.keyLabel.Importance = widget.DangerImportance
		p.keyLabel.SetText("Keychain unavailable: " + keychainReason(st.err))
	case st.err != nil:
		p.keyLabel.Importance = widget.DangerImportance
		p.keyLabel.SetText(st.err.Error())
	case p.rejected:
		p.keyLabel.Importance = widget.DangerImportance
		p.keyLabel.SetText(cmp.Or(st.key, "The key") + " was rejected by Fluximage. Was it rolled? Roll key… stores the new one; held files then resume.")
	case st.key == "":
		p.keyLabel.SetText("Not read yet")
	default:
		p.keyLabel.SetText(st.key)
	}
	p.sourceNote.Hide()
	if st.source == apikey.SourceEnv {
		p.sourceNote.SetText("From the " + apikey.EnvKey + " environment variable: the keychain is not used while it is set.")
	} else if st.source == apikey.SourceKeychain && st.err == nil {
		p.sourceNote.SetText("Stored in the system keychain.")
	}
	if p.sourceNote.Text != "" {
		p.sourceNote.Show()
	}
	p.keyLabel.Refresh()
	p.usageLabel.SetText(usageText(st))
	stored := st.err == nil && st.source == apikey.SourceKeychain
	enable(p.setBtn, errors.Is(st.err, apikey.ErrNoKey))
	// Rolling replaces a key that was read; while the keychain is locked or
	// unreachable, it could not store the new one.
	enable(p.rollBtn, st.err == nil && st.key != "")
	enable(p.removeBtn, stored)
	p.refreshBtn.Enable()
}

// usageText words the plan and usage, or why they are not known.
func usageText(st keyStatus) string {
	switch {
	case st.err != nil || st.key == "":
		return "—"
	case st.usageErr != nil:
		return "Not available: " + st.usageErr.Error()
	case st.usage == nil:
		return "Checking…"
	}
	u := st.usage
	s := "Plan " + u.Plan
	if u.CompressorLimit > 0 {
		s += fmt.Sprintf(" · %d of %d compressions used this month", u.CompressorUsed, u.CompressorLimit)
	} else {
		s += fmt.Sprintf(" · %d compressions this month", u.CompressorUsed)
	}
	if !u.CanCompress {
		s += " · the monthly quota is used up"
	}
	return s
}

// keychainReason is the part of a keychain error that says why.
func keychainReason(err error) string {
	msg := err.Error()
	prefix := apikey.ErrKeychainUnavailable.Error() + ": "
	if len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
		return msg[len(prefix):]
	}
	return msg
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// done ends a key operation: the test hook hears of it.
func (p *accountPanel) done(op string, err error) {
	if p.after != nil {
		p.after(op, err)
	}
}
