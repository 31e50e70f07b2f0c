package ui

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
	"fluxdesk/engine/restore"
)

// askRestore offers to put back the original that a done row's output
// replaced.
func (d *Desk) askRestore(r *Row) {
	if r == nil || r.Status != engine.StatusDone || r.Backup == "" {
		return
	}
	text := widget.NewLabel(fmt.Sprintf("Put %s back in %s, and remove %s?\n%s is removed only if it is unchanged since Fluxdesk wrote it.",
		filepath.Base(r.Path), filepath.Dir(r.Path), filepath.Base(r.Output), filepath.Base(r.Output)))
	text.Wrapping = fyne.TextWrapWord
	dialog.NewCustomConfirm("Restore original", "Restore original", "Cancel", text, func(ok bool) {
		if ok {
			d.restoreOriginal(r)
		}
	}, d.win).Show()
}

// restoreOriginal puts the row's original back, off the UI goroutine, then
// shows the outcome on the row (or, when it could not be done, why).
func (d *Desk) restoreOriginal(r *Row) {
	original, output := r.Path, r.Output
	restorer := restore.Restorer{Ledger: d.ledger()}
	d.bg.Go(func() {
		res := restorer.Replaced(original, output)
		d.do(func() { d.restoreDone(r, res) })
	})
}

// restoreDone shows a restore's result; on the UI goroutine.
func (d *Desk) restoreDone(r *Row, res restore.Result) {
	if res.Status != engine.StatusDone {
		d.report(fmt.Errorf("%s was not restored: %s", filepath.Base(r.Path), res.Message))
		return
	}
	d.queue.restored(r, res.Message)
	d.queueV.refresh()
}
