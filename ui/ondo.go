package ui

// uiRunner runs a function on the UI goroutine, later: fyne.Do in the app.
// Tests give a queue that they drain on the test's goroutine instead: the
// test driver would run it at once on the calling goroutine, concurrently
// with the test.
type uiRunner func(func())

// wrap returns a callback that other goroutines may call: it runs f on the
// UI goroutine. Use it where a subscription is made.
func (do uiRunner) wrap(f func()) func() {
	return func() { do(f) }
}
