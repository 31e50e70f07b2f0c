package ui

import (
	"fyne.io/fyne/v2"

	"fluxdesk/engine/settings"
)

// minWindow is the smallest size the window is restored to.
var minWindow = fyne.NewSize(640, 420)

// restoreWindow gives the window the size it had when last closed. Its
// position cannot be restored: Fyne has no window position API (the window
// manager places it), so the window is centred instead.
func (d *Desk) restoreWindow() {
	s := d.prefs.get().Window
	d.win.Resize(fyne.NewSize(max(s.Width, minWindow.Width), max(s.Height, minWindow.Height)))
	d.win.CenterOnScreen()
}

// saveWindowSize remembers the window's size in the settings.
func (d *Desk) saveWindowSize() {
	size := d.win.Canvas().Size()
	if size.Width < minWindow.Width || size.Height < minWindow.Height {
		return // not laid out (yet), or minimised
	}
	d.prefs.update(func(s *settings.Settings) {
		s.Window = settings.Size{Width: size.Width, Height: size.Height}
	})
}

// setUpClose makes closing the window quit, or hide it to the tray when the
// user chose close-to-tray and a tray exists.
func (d *Desk) setUpClose() {
	d.win.SetMaster()
	d.win.SetCloseIntercept(func() {
		d.saveWindowSize()
		if d.tray && d.prefs.get().CloseToTray {
			d.win.Hide()
			return
		}
		d.quit()
	})
}

// quit ends the app. It stops the driver's loop rather than calling
// App.Quit, which marks the windows closing first: a pointer event the loop
// handles before it stops then crashes Fyne's GLFW driver (a nil window when
// the cursor shape changes). The process ends right after either way.
func (d *Desk) quit() {
	d.app.Driver().Quit()
}
