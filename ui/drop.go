package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// droppedPaths returns the local paths of dropped items, files and folders
// alike, in order; anything that is not a local file (a web link) is left
// out.
func droppedPaths(uris []fyne.URI) []string {
	var paths []string
	for _, u := range uris {
		if u != nil && u.Scheme() == storage.NewFileURI("/").Scheme() && u.Path() != "" {
			paths = append(paths, u.Path())
		}
	}
	return paths
}

// dropHandler returns the window's drop callback: whatever is dropped
// anywhere on the window goes to add (folders are expanded later, off the
// UI goroutine, by the engine).
func dropHandler(add func(paths []string)) func(fyne.Position, []fyne.URI) {
	return func(_ fyne.Position, uris []fyne.URI) {
		if paths := droppedPaths(uris); len(paths) > 0 {
			add(paths)
		}
	}
}
