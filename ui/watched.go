package ui

import (
	"fluxdesk/engine/settings"
)

// showAddWatched lets the user pick a folder to watch.
func (d *Desk) showAddWatched() {
	d.pickFolder(d.addWatched)
}

// addWatched starts watching path and remembers it.
func (d *Desk) addWatched(path string) {
	if err := d.watch.Add(path, false); err != nil {
		d.report(err)
		return
	}
	d.saveWatched()
}

// removeWatched stops watching path and forgets it.
func (d *Desk) removeWatched(path string) {
	d.watch.Remove(path)
	d.saveWatched()
}

// setWatchPaused pauses or resumes one folder, or all of them ("").
func (d *Desk) setWatchPaused(path string, paused bool) {
	d.watch.SetPaused(path, paused)
	d.saveWatched()
}

// toggleWatching pauses every folder when one is active, else resumes all.
func (d *Desk) toggleWatching() {
	d.setWatchPaused("", d.watch.AnyActive())
}

// saveWatched puts the watched folders into the settings.
func (d *Desk) saveWatched() {
	var list []settings.Folder
	for _, f := range d.watch.Snapshot() {
		list = append(list, settings.Folder{Path: f.Path, Paused: f.Paused})
	}
	d.report(d.prefs.update(func(s *settings.Settings) { s.Watched = list }))
}

// refreshFolders shows the folders' states, and the tray's pause item.
func (d *Desk) refreshFolders() {
	d.foldersV.refresh()
	d.refreshTray()
}
