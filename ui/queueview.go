package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
)

// queueActions are what the queue screen's buttons do.
type queueActions struct {
	addFiles, addFolder, cancel, clearFinished func()
	row                                        rowActions
}

// queueView shows the queue: a drop area while it is empty, then a
// virtualised list of rows, with overall progress below. The list is in the
// window from the start, under the drop area: its first frames are drawn
// while the window is idle, not when the first of a flood of files arrives
// (swapping it in then kept the UI goroutine busy for 200–380 ms).
type queueView struct {
	q      *queue
	thumbs *thumbs
	act    queueActions

	list     *widget.List
	empty    fyne.CanvasObject
	body     *fyne.Container
	progress *widget.ProgressBar
	footer   *fyne.Container // summary and progress
	summary  *widget.Label
	cancel   *widget.Button
	clear    *widget.Button

	content fyne.CanvasObject
}

func newQueueView(q *queue, th *thumbs, act queueActions) *queueView {
	v := &queueView{q: q, thumbs: th, act: act}
	v.list = widget.NewList(v.length, v.createItem, v.updateItem)
	v.list.OnSelected = func(widget.ListItemID) { v.list.UnselectAll() }
	v.empty = v.dropArea()
	v.body = container.NewStack(v.list, v.empty)
	v.progress = widget.NewProgressBar()
	v.progress.TextFormatter = func() string { return "" }
	v.summary = widget.NewLabel("")
	v.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), act.cancel)
	v.clear = widget.NewButtonWithIcon("Clear finished", theme.DeleteIcon(), act.clearFinished)
	toolbar := container.NewHBox(
		widget.NewButtonWithIcon("Add files…", theme.FileImageIcon(), act.addFiles),
		widget.NewButtonWithIcon("Add folder…", theme.FolderNewIcon(), act.addFolder),
		layout.NewSpacer(), v.cancel, v.clear)
	v.footer = container.NewBorder(nil, nil, v.summary, nil, v.progress)
	v.content = container.NewBorder(toolbar, v.footer, nil, nil, v.body)
	v.refresh()
	return v
}

// dropArea is what an empty queue shows: where to drop, and the buttons.
func (v *queueView) dropArea() fyne.CanvasObject {
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	frame.StrokeColor = theme.Color(theme.ColorNameSeparator)
	frame.StrokeWidth = 2
	frame.CornerRadius = theme.InputRadiusSize() * 2
	icon := widget.NewIcon(theme.UploadIcon())
	iconBox := container.NewGridWrap(fyne.NewSquareSize(64), icon)
	title := widget.NewLabelWithStyle("Drop images or folders here", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	hint := widget.NewLabelWithStyle("JPEG, PNG, GIF, WebP, BMP and TIFF; folders are searched for images", fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Importance = widget.LowImportance
	buttons := container.NewHBox(
		widget.NewButtonWithIcon("Add files…", theme.FileImageIcon(), v.act.addFiles),
		widget.NewButtonWithIcon("Add folder…", theme.FolderNewIcon(), v.act.addFolder))
	inner := container.NewVBox(container.NewCenter(iconBox), title, hint, container.NewCenter(buttons))
	return container.NewStack(frame, container.NewCenter(inner))
}

func (v *queueView) length() int { return len(v.q.rows) }

func (v *queueView) createItem() fyne.CanvasObject {
	return newRowWidget(v.act.row)
}

func (v *queueView) updateItem(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(v.q.rows) {
		return
	}
	r := v.q.rows[id]
	o.(*rowWidget).set(r, v.thumbs.get(r.Path))
}

// refresh shows the queue's state after a change.
func (v *queueView) refresh() {
	t := v.q.totals
	if t.Total == 0 {
		v.empty.Show()
	} else {
		v.empty.Hide()
		v.list.Refresh()
	}
	if t.Total > 0 {
		v.progress.SetValue(float64(t.Finished) / float64(t.Total))
		if !v.progress.Visible() {
			v.progress.Show()
			v.footer.Refresh() // lay the bar out again
		}
	} else {
		v.progress.Hide() // an empty track reads as a full bar
	}
	v.summary.SetText(summaryText(t))
	if t.Finished < t.Total {
		v.cancel.Enable()
	} else {
		v.cancel.Disable()
	}
	if t.Finished > 0 {
		v.clear.Enable()
	} else {
		v.clear.Disable()
	}
}

// summaryText words the totals: "12 of 40 files · 3 working · 3.4 MB saved (−61 %)".
func summaryText(t Totals) string {
	if t.Total == 0 {
		return "Nothing queued yet."
	}
	s := fmt.Sprintf("%d of %d files finished", t.Finished, t.Total)
	if t.Running > 0 {
		s += fmt.Sprintf(" · %d working", t.Running)
	}
	if t.Held > 0 {
		s += fmt.Sprintf(" · %d held", t.Held)
	}
	if t.Skipped > 0 {
		s += fmt.Sprintf(" · %d skipped", t.Skipped)
	}
	if t.Failed > 0 {
		s += fmt.Sprintf(" · %d failed", t.Failed)
	}
	if t.Done > 0 {
		s += fmt.Sprintf(" · %s saved (%s)", engine.FormatBytes(t.BytesIn-t.BytesOut), saving(t.BytesIn, t.BytesOut))
	}
	return s
}
