package record

import (
	"errors"
	"os"
	"path/filepath"
)

// FileName is the name of the record file inside its folder.
const FileName = "record.db"

// DefaultPath returns where the record lives: $XDG_STATE_HOME/fluxdesk, or
// ~/.local/state/fluxdesk when XDG_STATE_HOME is not set to an absolute path
// (as the XDG base directory specification asks).
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New("cannot find a place for the record: neither XDG_STATE_HOME nor the home folder is set")
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "fluxdesk", FileName), nil
}

// WatchLockDir returns the folder beside the record at recordPath that
// holds the locks of watched folders, which every Fluxdesk process shares.
func WatchLockDir(recordPath string) string {
	return filepath.Join(filepath.Dir(recordPath), "watching")
}
