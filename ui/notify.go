package ui

import (
	"fmt"

	"fyne.io/fyne/v2"

	"fluxdesk/engine"
)

// batchNotification words a finished batch of watched files.
func batchNotification(files int, saved int64) *fyne.Notification {
	noun := "files"
	if files == 1 {
		noun = "file"
	}
	return fyne.NewNotification("Fluxdesk: watched folders",
		fmt.Sprintf("%d %s compressed, %s saved.", files, noun, engine.FormatBytes(saved)))
}

// keyRejectedNotification tells the user the service rejected the key.
func keyRejectedNotification() *fyne.Notification {
	return fyne.NewNotification("Fluxdesk: API key rejected",
		"Fluximage rejected the API key; was it rolled? Files for Fluximage are held until a new key is stored (Roll API key…).")
}

// notifyBatch tells the user a watched batch finished, when notifications
// are on; called from an engine goroutine.
func (d *Desk) notifyBatch(files int, saved int64) {
	if d.prefs.get().Notifications {
		d.app.SendNotification(batchNotification(files, saved))
	}
}

// onKeyRejected shows that the service rejected the key: in the account
// panel, and as a notification.
func (d *Desk) onKeyRejected() {
	d.account.markRejected()
	if d.prefs.get().Notifications {
		d.app.SendNotification(keyRejectedNotification())
	}
}
