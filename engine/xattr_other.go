//go:build !linux

package engine

// setAttr does nothing: extended attributes are used on Linux only.
func setAttr(path, name string, value []byte) {}

// getAttr finds nothing: extended attributes are used on Linux only.
func getAttr(path, name string, limit int) ([]byte, bool) { return nil, false }
