package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"fluxdesk/engine"
	"fluxdesk/engine/settings"
)

// trayView is what the tray menu shows; the menu is rebuilt only when it
// changes.
type trayView struct {
	// folders is true when at least one folder is watched; watching when
	// one of them is not paused.
	folders, watching bool
	// engine is settings.EngineLocal or settings.EngineRemote.
	engine string
	// auto is true when auto quality is chosen.
	auto bool
}

// trayState is what the tray menu shows and does.
type trayState struct {
	trayView

	show           func()
	toggleWatching func()
	setEngine      func(engine string)
	toggleAuto     func()
	rollKey        func()
}

// trayMenu builds the tray menu. The toolkit adds Quit at the end.
func trayMenu(t trayState) *fyne.Menu {
	pause := fyne.NewMenuItem("Pause watching", t.toggleWatching)
	if !t.watching {
		pause.Label = "Resume watching"
	}
	pause.Disabled = !t.folders
	localItem := fyne.NewMenuItem("Engine: "+engineLocalLabel, func() { t.setEngine(settings.EngineLocal) })
	localItem.Checked = t.engine == settings.EngineLocal
	remoteItem := fyne.NewMenuItem("Engine: "+engineRemoteLabel, func() { t.setEngine(settings.EngineRemote) })
	remoteItem.Checked = t.engine == settings.EngineRemote
	remote := t.engine == settings.EngineRemote
	autoItem := fyne.NewMenuItem("Auto quality", t.toggleAuto)
	if remote {
		autoItem.Label += " (local engine only)"
	}
	autoItem.Checked = t.auto && !remote
	autoItem.Disabled = remote
	return fyne.NewMenu("Fluxdesk",
		fyne.NewMenuItem("Show Fluxdesk", t.show),
		fyne.NewMenuItemSeparator(),
		pause,
		fyne.NewMenuItemSeparator(),
		localItem, remoteItem, autoItem,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Roll API key…", t.rollKey),
	)
}

// trayState returns the tray's state now.
func (d *Desk) trayState() trayState {
	s := d.prefs.get()
	return trayState{
		trayView: trayView{folders: len(d.watch.Snapshot()) > 0, watching: d.watch.AnyActive(),
			engine: s.Engine, auto: s.AutoQuality},
		show:           d.showWindow,
		toggleWatching: d.toggleWatching,
		setEngine:      d.setEngine,
		toggleAuto:     d.toggleAuto,
		rollKey:        func() { d.showWindow(); d.account.showRoll() },
	}
}

// installTray sets the tray menu, when the app has a tray.
func (d *Desk) installTray() {
	if _, ok := d.app.(desktop.App); !ok {
		return
	}
	d.tray = true
	d.refreshTray()
}

// refreshTray shows the current state in the tray menu, when it changed.
func (d *Desk) refreshTray() {
	if !d.tray {
		return
	}
	t := d.trayState()
	if t.trayView == d.trayShown {
		return
	}
	d.trayShown = t.trayView
	d.app.(desktop.App).SetSystemTrayMenu(trayMenu(t))
}

// showWindow brings the window back (from the tray).
func (d *Desk) showWindow() {
	d.win.Show()
	d.win.RequestFocus()
}

// setEngine switches the engine for the files queued from now on.
func (d *Desk) setEngine(name string) {
	d.report(d.prefs.update(func(s *settings.Settings) { chooseEngine(s, name) }))
}

// toggleAuto turns auto quality on or off for the files queued from now on.
func (d *Desk) toggleAuto() {
	d.report(d.prefs.update(func(s *settings.Settings) { chooseAuto(s, !s.AutoQuality) }))
}

// chooseEngine sets the engine, and WebP when it is the local one (the
// only format it makes).
func chooseEngine(s *settings.Settings, name string) {
	s.Engine = name
	if name == settings.EngineLocal {
		s.Format = engine.FormatWebP
	}
}
