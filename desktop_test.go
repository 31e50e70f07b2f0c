package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fluxdesk/ui/desktop"
)

// TestDesktopEntry_Validates builds the Linux bundle as "make package" does
// (scripts/package.sh, given a stand-in for the binary instead of building
// one: the bundle only copies it),
// installs it as its README says, and checks the desktop entry: named after
// the app ID, declaring the image types for "Open with", passing
// desktop-file-validate.
func TestDesktopEntry_Validates(t *testing.T) {
	validate, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		skipOutsideCI(t, "needs desktop-file-validate (Debian desktop-file-utils): make test installs it")
	}
	if testing.Short() {
		t.Skip("builds fyne's packaging tool")
	}
	work := t.TempDir()
	stub := filepath.Join(work, "stub")
	if err := os.WriteFile(stub, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	pkg := exec.Command("scripts/package.sh", work)
	pkg.Env = append(os.Environ(), "FLUXDESK_BINARY="+stub)
	if out, err := pkg.CombinedOutput(); err != nil {
		t.Fatalf("scripts/package.sh: %v\n%s", err, out)
	}
	if out, err := exec.Command("tar", "xJf", filepath.Join(work, "Fluxdesk.tar.xz"), "-C", work).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	root := filepath.Join(work, "root")
	install := exec.Command("make", "-C", filepath.Join(work, "fluxdesk"), "install", "DESTDIR="+root, "PREFIX=/usr")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}

	entry := filepath.Join(root, "usr", "share", "applications", desktop.AppID+".desktop")
	if out, err := exec.Command(validate, entry).CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("desktop-file-validate %s: %v\n%s", filepath.Base(entry), err, out)
	}
	data, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			keys[k] = v
		}
	}
	mimes := map[string]bool{}
	for _, m := range strings.Split(keys["MimeType"], ";") {
		mimes[m] = true
	}
	for _, m := range []string{"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff"} {
		if !mimes[m] {
			t.Errorf("MimeType %q lacks %s", keys["MimeType"], m)
		}
	}
	if keys["Exec"] != "fluxdesk %F" || keys["Icon"] != desktop.AppID || keys["Name"] != "Fluxdesk" {
		t.Errorf("entry:\n%s", data)
	}
	if info, err := os.Stat(filepath.Join(root, "usr", "bin", "fluxdesk")); err != nil || info.Mode().Perm()&0o111 == 0 {
		t.Errorf("installed binary: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "usr", "share", "pixmaps", desktop.AppID+".png")); err != nil {
		t.Errorf("installed icon: %v", err)
	}
}

// FyneApp.toml, from which the bundle is made, carries the ID the window
// runs with.
func TestAppID_MatchesFyneAppToml(t *testing.T) {
	toml, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(toml), `ID = "`+desktop.AppID+`"`) {
		t.Errorf("FyneApp.toml does not carry the ID %s", desktop.AppID)
	}
}
