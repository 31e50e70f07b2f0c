// Package pathid tells when two paths name the same file or folder. A path
// can reach one place several ways: symbolic links, "..", bind mounts and
// hard links. Fluxdesk resolves a path to its real location before it is
// recorded, looked up, claimed or locked, and compares device and inode
// where a second name for the same place cannot be seen in the path.
package pathid

import (
	"os"
	"path/filepath"
)

// Real returns the absolute path of the place path names, with every
// symbolic link and ".." resolved. A path that does not exist yet (an output
// about to be written) is resolved as far as it exists, the rest kept as
// given. Real never fails: at worst it returns the cleaned absolute path.
func Real(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	dir, name := filepath.Split(abs)
	if dir = filepath.Clean(dir); dir == abs {
		return abs // the root itself
	}
	return filepath.Join(Real(dir), name)
}

// Same reports whether a and b name the same existing file or folder,
// however they reach it (same device and inode).
func Same(a, b string) bool {
	if a == b {
		return true
	}
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

// Within reports whether the folder or file inner is the folder outer or
// lies somewhere below it. Both are resolved with Real first; then each
// folder above inner is compared with outer by device and inode, which also
// sees through bind mounts.
func Within(inner, outer string) bool {
	inner, outer = Real(inner), Real(outer)
	o, err := os.Stat(outer)
	if err != nil {
		return false
	}
	for p := inner; ; p = filepath.Dir(p) {
		if p == outer {
			return true
		}
		if i, err := os.Stat(p); err == nil && os.SameFile(i, o) {
			return true
		}
		if filepath.Dir(p) == p {
			return false
		}
	}
}
