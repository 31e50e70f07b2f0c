//go:build unix

package desktop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// tryLock takes an exclusive lock on f without waiting; held is false when
// another process has it.
func tryLock(f *os.File) (held bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

// runtimeDir returns a folder only this user can enter, for the hand-off:
// $XDG_RUNTIME_DIR/fluxdesk (the desktop's per-session folder), or, without
// one, fluxdesk-UID in the temp folder. A folder that another user owns or
// could write to is refused.
func runtimeDir() (string, error) {
	base := os.Getenv("XDG_RUNTIME_DIR")
	name := "fluxdesk"
	if !filepath.IsAbs(base) {
		base = os.TempDir()
		name = fmt.Sprintf("fluxdesk-%d", os.Getuid())
	}
	dir := filepath.Join(base, name)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("cannot create %s: %w", dir, err)
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !info.IsDir() || !ok || int(st.Uid) != os.Getuid() || info.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s is not a private folder of this user: it is not used", dir)
	}
	return dir, nil
}
