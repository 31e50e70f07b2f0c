package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileName is the settings file's name inside its folder.
const FileName = "settings.json"

// DefaultPath returns where the settings live:
// os.UserConfigDir()/fluxdesk/settings.json.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a place for the settings: %w", err)
	}
	return filepath.Join(dir, "fluxdesk", FileName), nil
}

// Load reads the settings at path. A missing file gives Default; settings
// missing from the file keep their default value. A file that cannot be
// read or makes no sense gives Default and an error saying why.
func Load(path string) (Settings, error) {
	s := Default()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("settings: %w", err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return Default(), fmt.Errorf("settings in %s are not valid JSON (%v); the defaults are used", path, err)
	}
	if err := s.Validate(); err != nil {
		return Default(), fmt.Errorf("settings in %s: %v; the defaults are used", path, err)
	}
	return s, nil
}

// Save writes s to path atomically: to a temp file in the same folder,
// synced, then renamed into place, so that a crash leaves the old settings
// or the new ones, never a mix.
func Save(path string, s Settings) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".settings-*.tmp")
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("settings could not be saved: %w", err)
	}
	return nil
}
