// Package ui builds Fluxdesk's Fyne window and tray menu on top of the
// engine and the folder watcher. It receives the app and window from main,
// so tests can hand it a test app instead.
package ui

import (
	"os"

	"fyne.io/fyne/v2"

	"fluxdesk/engine/apikey"
	"fluxdesk/engine/record"
	"fluxdesk/engine/settings"
	"fluxdesk/ui/desktop"
)

// Options are what the window depends on outside the process. Create fills
// them for a real run; tests pass fakes.
type Options struct {
	// Paths are files and folders queued at start, as if dropped.
	Paths []string
	// Store holds the API key (the OS keychain in a real run).
	Store apikey.Store
	// SettingsPath is the settings file; "" keeps settings in memory.
	SettingsPath string
	// RecordPath is the record of processed files; "" runs without one
	// (then folders cannot be watched).
	RecordPath string
	// Tray sets a tray menu. Only true when a D-Bus session bus exists:
	// the tray library panics on quit without one.
	Tray bool
	// Launches, when not nil, hands the window the files of later launches
	// of Fluxdesk, which then end instead of opening a window of their own.
	Launches *desktop.Instance
}

// Create builds the main window's content for a real run: the keychain,
// the user's settings and record, a tray when the session has a bus, and
// paths (from the command line) queued at start; later launches hand their
// files over through launches (nil: none do).
func Create(a fyne.App, w fyne.Window, paths []string, launches *desktop.Instance) fyne.CanvasObject {
	o := Options{Paths: desktop.Absolute(paths), Store: apikey.NewKeychain(), Tray: os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "", Launches: launches}
	if p, err := settings.DefaultPath(); err == nil {
		o.SettingsPath = p
	}
	if p, err := record.DefaultPath(); err == nil {
		o.RecordPath = p
	}
	return New(a, w, o).Content()
}
