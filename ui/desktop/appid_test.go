package desktop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A user of a version with the former ID keeps what Fyne stored for the
// application: the folder moves to the new ID's name.
func TestMigrateAppFolder_MovesTheFormerFolder(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	old := filepath.Join(config, "fyne", "app.fluxdesk.desktop")
	prefs := []byte(`{"window.width": 1100}`)
	writeFile(t, filepath.Join(old, "preferences.json"), prefs)
	writeFile(t, filepath.Join(old, "Documents", "kept.txt"), []byte("a user's file"))

	if err := MigrateAppFolder(); err != nil {
		t.Fatal(err)
	}
	now := filepath.Join(config, "fyne", AppID)
	assertFile(t, filepath.Join(now, "preferences.json"), prefs)
	assertFile(t, filepath.Join(now, "Documents", "kept.txt"), []byte("a user's file"))
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the former folder is still there: %v", err)
	}

	// Run again (every start does): nothing moves, nothing is lost.
	if err := MigrateAppFolder(); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(now, "preferences.json"), prefs)
}

// When both folders exist (the new ID already ran), neither is touched.
func TestMigrateAppFolder_NeverOverwrites(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	old := filepath.Join(config, "fyne", "app.fluxdesk.desktop", "preferences.json")
	now := filepath.Join(config, "fyne", AppID, "preferences.json")
	writeFile(t, old, []byte("old"))
	writeFile(t, now, []byte("new"))
	if err := MigrateAppFolder(); err != nil {
		t.Fatal(err)
	}
	assertFile(t, old, []byte("old"))
	assertFile(t, now, []byte("new"))
}

func TestMigrateAppFolder_NothingToMove(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	if err := MigrateAppFolder(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(config); len(entries) != 0 {
		t.Errorf("made %v", entries)
	}
}

// The ID is reverse-DNS and does not end in ".desktop", so its desktop
// entry is not named "….desktop.desktop".
func TestAppID_Form(t *testing.T) {
	parts := strings.Split(AppID, ".")
	if len(parts) < 3 || strings.HasSuffix(AppID, ".desktop") {
		t.Errorf("AppID %q", AppID)
	}
	for _, former := range formerAppIDs {
		if former == AppID {
			t.Errorf("%q is both the ID and a former one", AppID)
		}
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func assertFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(want) {
		t.Errorf("%s: %q, %v; want %q", path, got, err, want)
	}
}
