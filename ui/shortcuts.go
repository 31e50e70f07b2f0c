package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Keyboard shortcuts: Ctrl+O adds files, Ctrl+Q quits (Cmd on macOS).
var (
	addFilesShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	quitShortcut     = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
)

// addShortcuts registers the window's keyboard shortcuts.
func (d *Desk) addShortcuts() {
	c := d.win.Canvas()
	c.AddShortcut(addFilesShortcut, func(fyne.Shortcut) { d.showAddFiles() })
	c.AddShortcut(quitShortcut, func(fyne.Shortcut) { d.quit() })
}
