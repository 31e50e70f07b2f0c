// Package ui builds Fluxdesk's Fyne window. It receives the app and window from
// main, so tests can hand it a test app instead.
package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Create returns the content of the main window. Paths given on the command
// line are shown as waiting to be queued.
func Create(a fyne.App, w fyne.Window, paths []string) fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Drop images or folders here", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	status := widget.NewLabel("")
	if len(paths) > 0 {
		status.SetText(pluralFiles(len(paths)) + " from the command line")
	}
	return container.NewCenter(container.NewVBox(title, status))
}

func pluralFiles(n int) string {
	if n == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", n)
}
