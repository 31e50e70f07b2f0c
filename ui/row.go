package ui

import (
	"fmt"
	"image"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
)

// thumbSide is the size of a row's thumbnail on screen.
const thumbSide = 44

// sizesWidth is the width of the sizes column: "999.9 MB → 999.9 MB  −99 %".
const sizesWidth = 230

// pulseSide is the width of the column of a working row's pulse.
const pulseSide = 24

// rowWidget shows one queue row: thumbnail, name, state and reason, sizes,
// and for a done row the buttons to compare, to open its folder and, when
// the output replaced the original, to restore the original. The buttons
// are made when the row first shows a done file: making a button parses
// and colours its icon, and three buttons for each of a screenful of rows,
// all made in the one refresh that shows the first files of a flood, were
// most of that refresh's work.
type rowWidget struct {
	widget.BaseWidget

	thumb  *canvas.Image     // the thumbnail, hidden until one is ready
	tile   *canvas.Rectangle // behind it, and in its place until then
	name   *widget.Label
	detail *widget.Label
	sizes  *widget.Label
	state  *widget.Label
	pulse  *pulse // shown while the row's file is worked on
	act    rowActions

	// compare, folder and restore are nil until the row shows a done file.
	compare, folder, restore *widget.Button
	buttons                  *fyne.Container // holds them once made

	row        *Row
	shownThumb image.Image
}

// rowActions are what a row's buttons do with the row they show.
type rowActions struct {
	compare, openFolder, restore func(*Row)
}

// newRowWidget returns an empty row whose buttons call act.
func newRowWidget(act rowActions) *rowWidget {
	w := &rowWidget{
		thumb:   canvas.NewImageFromImage(nil),
		tile:    canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		name:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		detail:  widget.NewLabel(""),
		sizes:   widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true}),
		state:   widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		pulse:   newPulse(),
		act:     act,
		buttons: container.NewHBox(),
	}
	w.thumb.FillMode = canvas.ImageFillContain
	w.thumb.Hide()
	w.tile.CornerRadius = theme.InputRadiusSize()
	w.tile.SetMinSize(fyne.NewSquareSize(thumbSide))
	w.name.Truncation = fyne.TextTruncateEllipsis
	w.detail.Truncation = fyne.TextTruncateEllipsis
	w.detail.SizeName = theme.SizeNameCaptionText
	w.state.SizeName = theme.SizeNameCaptionText
	w.pulse.Hide()
	w.ExtendBaseWidget(w)
	return w
}

// CreateRenderer lays the row out. Everything right of the name has a
// fixed width: the columns line up from row to row, and a row never needs
// laying out again when its texts change, which keeps scrolling cheap.
func (w *rowWidget) CreateRenderer() fyne.WidgetRenderer {
	text := container.NewVBox(w.name, w.detail)
	status := container.NewVBox(w.sizes, w.state)
	h := status.MinSize().Height
	side := iconButtonSide()
	buttons := container.NewGridWrap(fyne.NewSize(3*side+2*theme.Padding(), side), w.buttons)
	right := container.NewHBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(pulseSide), w.pulse)),
		container.NewGridWrap(fyne.NewSize(sizesWidth, h), status),
		container.NewCenter(buttons))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(container.NewStack(w.tile, w.thumb)), right, text))
}

// Refresh picks up the theme's colours: the tile is a plain rectangle.
func (w *rowWidget) Refresh() {
	w.tile.FillColor = theme.Color(theme.ColorNameInputBackground)
	w.BaseWidget.Refresh()
}

// set shows r, with its thumbnail when one is ready. Only what changed is
// refreshed: rows are set again at every flush and on every scroll.
func (w *rowWidget) set(r *Row, thumb image.Image) {
	w.row = r
	if thumb != w.shownThumb {
		w.shownThumb, w.thumb.Image = thumb, thumb
		if thumb != nil {
			w.thumb.Show()
			w.thumb.Refresh()
		} else {
			w.thumb.Hide()
		}
	}
	setText(w.name, filepath.Base(r.Path))
	setLabel(w.detail, rowDetail(r), detailImportance(r.Status))
	setText(w.sizes, rowSizes(r))
	setLabel(w.state, rowState(r), stateImportance(r.Status))
	if r.Status == engine.StatusRunning {
		w.pulse.show(pulsePhase(time.Now()))
		w.pulse.Show()
	} else {
		w.pulse.Hide()
	}
	w.showButtons(r)
}

// showButtons shows the buttons that r's row offers, making them when the
// row first shows a done file.
func (w *rowWidget) showButtons(r *Row) {
	done := r.Status == engine.StatusDone
	if w.compare == nil {
		if !done {
			return
		}
		w.makeButtons()
	}
	changed := setVisible(w.compare, done)
	changed = setVisible(w.folder, done) || changed
	changed = setVisible(w.restore, done && r.Backup != "") || changed
	if changed {
		w.buttons.Refresh() // lays the buttons out again
	}
}

// makeButtons makes the row's buttons, all hidden, into w.buttons.
func (w *rowWidget) makeButtons() {
	w.compare = widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() { w.act.compare(w.row) })
	w.folder = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { w.act.openFolder(w.row) })
	w.restore = widget.NewButtonWithIcon("", theme.ContentUndoIcon(), func() { w.act.restore(w.row) })
	for _, b := range []*widget.Button{w.compare, w.folder, w.restore} {
		b.Importance = widget.LowImportance
		b.Hide()
		w.buttons.Add(b)
	}
}

// iconButtonSide is the side of an icon-only button, measured once: every
// row keeps room for three before it has any.
var iconButtonSide = sync.OnceValue(func() float32 {
	return widget.NewButtonWithIcon("", theme.VisibilityIcon(), nil).MinSize().Height
})

// setVisible shows or hides o, and reports whether that changed anything.
func setVisible(o fyne.CanvasObject, visible bool) bool {
	if o.Visible() == visible {
		return false
	}
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
	return true
}

// setText changes a label's text only when it differs: setting it measures
// and shapes the text again.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// setLabel changes a label's text and importance when they differ.
func setLabel(l *widget.Label, text string, imp widget.Importance) {
	if l.Importance != imp {
		l.Importance = imp
		l.Text = text
		l.Refresh()
		return
	}
	setText(l, text)
}

// stateWords names each state as the row shows it.
var stateWords = map[engine.Status]string{
	engine.StatusQueued:  "Queued",
	engine.StatusRunning: "Working",
	engine.StatusHeld:    "Held",
	engine.StatusDone:    "Done",
	engine.StatusSkipped: "Skipped",
	engine.StatusFailed:  "Failed",
}

// restoredWords is the state of a row whose original was put back.
const restoredWords = "Restored"

// rowDetail is the line under the name: where the file is, where its
// output went, or why it did not.
func rowDetail(r *Row) string {
	switch r.Status {
	case engine.StatusDone:
		return "→ " + filepath.Base(r.Output) + " in " + filepath.Dir(r.Output)
	case engine.StatusSkipped, engine.StatusFailed, engine.StatusHeld:
		if r.Restored && r.Message == "" {
			return "the original is back in " + filepath.Dir(r.Path)
		}
		if r.Message != "" {
			return r.Message
		}
	}
	return filepath.Dir(r.Path)
}

// rowSizes is "1.2 MB → 340.0 KB  −72 %" for a done row, the original's
// size otherwise.
func rowSizes(r *Row) string {
	if r.Status != engine.StatusDone {
		if r.BytesIn == 0 {
			return ""
		}
		return engine.FormatBytes(r.BytesIn)
	}
	return fmt.Sprintf("%s → %s  %s", engine.FormatBytes(r.BytesIn), engine.FormatBytes(r.BytesOut), saving(r.BytesIn, r.BytesOut))
}

// rowState is the row's state in a word, followed for a done row by the
// quality auto chose: "Done · auto → q74".
func rowState(r *Row) string {
	if r.Restored {
		return restoredWords
	}
	if r.Status == engine.StatusDone && r.Encoding.Auto {
		return stateWords[r.Status] + " · " + r.Encoding.String()
	}
	return stateWords[r.Status]
}

// saving words how much smaller out is than in: "−72 %"; an output kept
// although larger reads "+10 %".
func saving(in, out int64) string {
	if in <= 0 {
		return ""
	}
	if out > in {
		return fmt.Sprintf("+%.0f %%", 100*float64(out-in)/float64(in))
	}
	return fmt.Sprintf("−%.0f %%", 100*float64(in-out)/float64(in))
}

func detailImportance(s engine.Status) widget.Importance {
	switch s {
	case engine.StatusFailed:
		return widget.DangerImportance
	case engine.StatusHeld, engine.StatusSkipped:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

func stateImportance(s engine.Status) widget.Importance {
	switch s {
	case engine.StatusDone:
		return widget.SuccessImportance
	case engine.StatusFailed:
		return widget.DangerImportance
	case engine.StatusHeld, engine.StatusSkipped:
		return widget.WarningImportance
	case engine.StatusRunning:
		return widget.HighImportance
	}
	return widget.MediumImportance
}
