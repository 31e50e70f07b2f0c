//go:build !unix

package watcher

// lockFile cannot lock on this platform: folders are not guarded against
// a second watcher.
func lockFile(path string, wait bool) (unlock func(), err error) {
	return func() {}, nil
}
