package desktop

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// AppID is Fluxdesk's application ID, in reverse-DNS form. It names the
// desktop entry (AppID + ".desktop"), the icon, and the folder Fyne keeps
// for the application. FyneApp.toml carries the same ID.
const AppID = "app.fluxdesk.Fluxdesk"

// formerAppIDs are IDs earlier versions used, newest first. The first one
// made the desktop entry "app.fluxdesk.desktop.desktop".
var formerAppIDs = []string{"app.fluxdesk.desktop"}

// MigrateAppFolder moves the folder Fyne keeps for the application (its
// preferences and storage) from a former ID's name to AppID's, so that a
// change of ID loses nothing. It does nothing when there is no former folder
// or AppID's folder exists already: then both are left as they are, and
// nothing is overwritten. Call it before the app is created with AppID
// (creating it makes the new folder).
//
// Fluxdesk's own settings, record and keychain entry do not depend on the
// ID and never move.
func MigrateAppFolder() error {
	root, err := fyneConfigDir()
	if err != nil {
		return err
	}
	return migrateFolder(root, AppID, formerAppIDs)
}

// migrateFolder renames root/old to root/id for the first former ID that has
// a folder, unless root/id exists.
func migrateFolder(root, id string, former []string) error {
	target := filepath.Join(root, id)
	if _, err := os.Lstat(target); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, old := range former {
		from := filepath.Join(root, old)
		info, err := os.Lstat(from)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if !info.IsDir() {
			continue
		}
		// A rename never replaces a folder that has entries, and a racing
		// start that made target meanwhile wins: nothing is lost either way.
		if err := os.Rename(from, target); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		return nil
	}
	return nil
}

// fyneConfigDir is the folder under which Fyne keeps one folder per
// application ID (fyne.io/fyne/v2/internal/app's rootConfigDir, which is
// not exported).
func fyneConfigDir() (string, error) {
	if runtime.GOOS == "darwin" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Preferences", "fyne"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "fyne"), nil
}
