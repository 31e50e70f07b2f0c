package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/watcher"
	"fluxdesk/watcher/session"
)

// folderActions are what the watched-folders panel's buttons do.
type folderActions struct {
	add              func()
	remove           func(path string)
	setPaused        func(path string, paused bool) // "" for every folder
	snapshot         func() []session.Folder
	watchingPossible func() error
}

// foldersView is the watched-folders panel: one row per folder with its
// status and counts, and the buttons to add, remove, pause and resume.
type foldersView struct {
	act         folderActions
	states      []session.Folder
	list        *widget.List
	empty       *widget.Label
	emptyScroll fyne.CanvasObject
	body        *fyne.Container
	pauseAll    *widget.Button
	resumeAll   *widget.Button
	content     fyne.CanvasObject
}

func newFoldersView(act folderActions) *foldersView {
	v := &foldersView{act: act}
	v.list = widget.NewList(func() int { return len(v.states) }, v.createItem, v.updateItem)
	v.list.OnSelected = func(widget.ListItemID) { v.list.UnselectAll() }
	v.empty = widget.NewLabel("No folder is watched. Add one: every image that lands in it, or in a folder inside it, is compressed as soon as it has been written completely.")
	v.empty.Wrapping = fyne.TextWrapWord
	v.emptyScroll = container.NewVScroll(v.empty)
	v.body = container.NewStack(v.emptyScroll)
	v.pauseAll = widget.NewButtonWithIcon("Pause all", theme.MediaPauseIcon(), func() { act.setPaused("", true) })
	v.resumeAll = widget.NewButtonWithIcon("Resume all", theme.MediaPlayIcon(), func() { act.setPaused("", false) })
	toolbar := container.NewHBox(
		widget.NewButtonWithIcon("Add folder…", theme.FolderNewIcon(), act.add),
		layout.NewSpacer(), v.pauseAll, v.resumeAll)
	v.content = container.NewBorder(toolbar, nil, nil, nil, v.body)
	v.refresh()
	return v
}

// folderRow shows one watched folder.
type folderRow struct {
	widget.BaseWidget
	path, status, counts *widget.Label
	pause, remove        *widget.Button
	state                session.Folder
}

func (v *foldersView) createItem() fyne.CanvasObject {
	r := &folderRow{
		path:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		status: widget.NewLabel(""),
		counts: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
	}
	r.pause = widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), func() { v.act.setPaused(r.state.Path, !r.state.Paused) })
	r.remove = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { v.act.remove(r.state.Path) })
	r.path.Truncation = fyne.TextTruncateEllipsis
	r.status.Truncation = fyne.TextTruncateEllipsis
	r.status.SizeName = theme.SizeNameCaptionText
	r.counts.SizeName = theme.SizeNameCaptionText
	r.remove.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the row out.
func (r *folderRow) CreateRenderer() fyne.WidgetRenderer {
	right := container.NewHBox(container.NewCenter(r.counts), container.NewCenter(r.pause), container.NewCenter(r.remove))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil,
		container.NewCenter(widget.NewIcon(theme.FolderIcon())), right, container.NewVBox(r.path, r.status)))
}

func (v *foldersView) updateItem(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(v.states) {
		return
	}
	r := o.(*folderRow)
	s := v.states[id]
	r.state = s
	r.path.SetText(s.Path)
	r.status.SetText(folderStatus(s))
	r.status.Importance = widget.MediumImportance
	if s.Kind == watcher.Error {
		r.status.Importance = widget.DangerImportance
	}
	r.status.Refresh()
	r.counts.SetText(s.Counts())
	if s.Paused {
		r.pause.SetText("Resume")
		r.pause.SetIcon(theme.MediaPlayIcon())
	} else {
		r.pause.SetText("Pause")
		r.pause.SetIcon(theme.MediaPauseIcon())
	}
}

// refresh shows the folders' states now.
func (v *foldersView) refresh() {
	v.states = v.act.snapshot()
	var body fyne.CanvasObject = v.list
	if len(v.states) == 0 {
		body = v.emptyScroll
		if err := v.act.watchingPossible(); err != nil {
			v.empty.SetText(err.Error())
		}
	}
	showOnly(v.body, body)
	v.list.Refresh()
	paused := 0
	for _, s := range v.states {
		if s.Paused {
			paused++
		}
	}
	enable(v.pauseAll, paused < len(v.states))
	enable(v.resumeAll, paused > 0)
}

// folderStatus words a folder's state: "Watching", "Paused", "Error: …".
func folderStatus(s session.Folder) string {
	var word string
	switch {
	case s.Kind == watcher.Error:
		word = "Error"
	case s.Paused:
		word = "Paused: changes are noted and compressed on resume"
	case s.Kind == watcher.Rescanning:
		word = "Rescanning"
	case s.Kind == session.Starting:
		word = "Starting…"
	default:
		word = "Watching"
	}
	if s.Reason != "" {
		return word + ": " + s.Reason
	}
	return word
}

// showOnly makes o the one object of a stack, the folders or what shows
// while there are none, refreshing the stack only when o was not shown yet.
func showOnly(stack *fyne.Container, o fyne.CanvasObject) {
	if len(stack.Objects) == 1 && stack.Objects[0] == o {
		return
	}
	stack.Objects = []fyne.CanvasObject{o}
	stack.Refresh()
}
