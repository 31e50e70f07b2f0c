package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"fluxdesk/engine"
)

// imageFilter offers in the file picker the images the engine takes from
// folders.
type imageFilter struct{}

var _ storage.FileFilter = imageFilter{}

// Matches reports whether u names an image.
func (imageFilter) Matches(u fyne.URI) bool { return engine.IsImageName(u.Name()) }

// pickerSize is the size of the file and folder pickers: the toolkit's
// default is cramped for folders of photos.
var pickerSize = fyne.NewSize(820, 560)

// showAddFiles lets the user pick an image to queue.
func (d *Desk) showAddFiles() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			d.report(err)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		d.addPaths([]string{r.URI().Path()})
	}, d.win)
	fd.SetFilter(imageFilter{})
	fd.Resize(pickerSize)
	fd.Show()
}

// showAddFolder lets the user pick a folder whose images are queued.
func (d *Desk) showAddFolder() {
	d.pickFolder(func(path string) { d.addPaths([]string{path}) })
}

// pickFolder shows the folder picker and gives the chosen folder to use.
func (d *Desk) pickFolder(use func(path string)) {
	fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			d.report(err)
			return
		}
		if u != nil {
			use(u.Path())
		}
	}, d.win)
	fd.Resize(pickerSize)
	fd.Show()
}
