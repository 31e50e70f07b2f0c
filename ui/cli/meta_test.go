package cli

import (
	"fluxdesk/internal/testimage"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fluxdesk/engine/settings"
)

// TestCompress_KeepsModTime checks that outputs, local and remote, get
// their original's modification time unless --keep-mtime=false or the
// setting turns it off.
func TestCompress_KeepsModTime(t *testing.T) {
	taken := time.Date(2018, 7, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name    string
		remote  bool
		setting bool
		flags   []string
		keep    bool
	}{
		{"local, by default", false, true, nil, true},
		{"local, --keep-mtime=false", false, true, []string{"--keep-mtime=false"}, false},
		{"local, setting off", false, false, nil, false},
		{"local, setting off, --keep-mtime", false, false, []string{"--keep-mtime"}, true},
		{"remote, by default", true, true, nil, true},
		{"remote, --keep-mtime=false", true, true, []string{"--keep-mtime=false"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings.Default()
			s.KeepModTime = tc.setting
			writeSettings(t, s)
			var dir string
			args := []string{"compress"}
			if tc.remote {
				srv, d := remoteSetup(t, keyA)
				dir = d
				args = append(args, "--engine", "remote", "--api-url", srv.URL)
			} else {
				dir = t.TempDir()
				testimage.WritePNG(t, filepath.Join(dir, "a.png"), testimage.Noisy(200, 150))
			}
			src := filepath.Join(dir, "a.png")
			if err := os.Chtimes(src, taken, taken); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			if code, _, errOut := runMain(append(append(args, tc.flags...), src)...); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			info, err := os.Stat(filepath.Join(dir, "a.webp"))
			if err != nil {
				t.Fatal(err)
			}
			if got := info.ModTime(); tc.keep != got.Equal(taken) || !tc.keep && got.Before(start.Add(-2*time.Second)) {
				t.Errorf("output modified %v; original %v, run started %v", got, taken, start)
			}
		})
	}
}
