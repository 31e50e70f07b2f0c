// Package ui builds Fluxdesk's Fyne window. It receives the app and window from
// main, so tests can hand it a test app instead.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Create returns the content of the main window.
func Create(a fyne.App, w fyne.Window) fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Drop images or folders here", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	return container.NewCenter(title)
}
