package ui

import "fyne.io/fyne/v2"

// onUI wraps a callback that other goroutines call so that it runs on the
// UI goroutine. Use it where a subscription is made.
func onUI(f func()) func() {
	return func() { fyne.Do(f) }
}
