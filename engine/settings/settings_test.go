package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad_MissingFileGivesDefaults(t *testing.T) {
	s, err := Load(filepath.Join(t.TempDir(), "none", FileName))
	if err != nil || s.Engine != EngineLocal || !s.SkipLarger || !s.Notifications || s.CloseToTray {
		t.Fatalf("Load = %+v, %v", s, err)
	}
}

func TestSave_RoundTripsAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fluxdesk", FileName)
	s := Default()
	s.Engine, s.Format, s.Quality = EngineRemote, "avif", 70
	s.Watched = []Folder{{Path: "/photos", Paused: true}}
	s.Window = Size{Width: 1000, Height: 700}
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != "avif" || got.Quality != 70 || len(got.Watched) != 1 || !got.Watched[0].Paused || got.Window.Width != 1000 {
		t.Errorf("round trip: %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left in the folder: %v", entries)
	}
	if info, _ := os.Stat(path); info.Mode().Perm()&0o077 != 0 {
		t.Errorf("settings file mode %v is readable by others", info.Mode())
	}
}

func TestLoad_KeepsDefaultsForMissingFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, []byte(`{"quality": 60}`), 0o600)
	s, err := Load(path)
	if err != nil || s.Quality != 60 || !s.Notifications || s.Engine != EngineLocal || !s.KeepModTime {
		t.Fatalf("Load = %+v, %v", s, err)
	}
}

func TestLoad_BadFileGivesDefaultsAndWhy(t *testing.T) {
	for name, body := range map[string]string{
		"not json":      `{quality`,
		"local as avif": `{"engine":"local","format":"avif"}`,
		"bad quality":   `{"quality": 120}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			os.WriteFile(path, []byte(body), 0o600)
			s, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), "defaults") || s.Quality != Default().Quality {
				t.Errorf("Load = %+v, %v", s, err)
			}
		})
	}
}

func TestOptions_OutputPlaces(t *testing.T) {
	s := Default()
	s.Output, s.OutDir = OutputFolder, "/out"
	o, err := s.Options()
	if err != nil || o.OutDir != "/out" || o.Replace {
		t.Errorf("folder: %+v, %v", o, err)
	}
	s.Output = OutputReplace
	if o, err = s.Options(); err != nil || !o.Replace || o.OutDir != "" {
		t.Errorf("replace: %+v, %v", o, err)
	}
	s.SkipLarger = false
	if o, _ = s.Options(); !o.KeepLarger {
		t.Error("SkipLarger off should keep larger outputs")
	}
}

func TestOptions_ModTime(t *testing.T) {
	s := Default()
	if o, _ := s.Options(); !o.KeepModTime {
		t.Error("outputs should keep their original's modification time by default")
	}
	s.KeepModTime = false
	if o, _ := s.Options(); o.KeepModTime {
		t.Error("KeepModTime off should give outputs the time of writing")
	}
}

func TestOptions_Metadata(t *testing.T) {
	s := Default()
	if o, _ := s.Options(); o.KeepMetadata || o.KeepGPS {
		t.Error("outputs should carry no EXIF or XMP by default")
	}
	s.KeepMetadata = true
	if o, _ := s.Options(); !o.KeepMetadata || o.KeepGPS {
		t.Errorf("KeepMetadata on: %+v; the GPS position is never kept from the settings", o)
	}
}

func TestDefaultPath_UnderUserConfigDir(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/cfg")
	p, err := DefaultPath()
	if err != nil || p != "/tmp/cfg/fluxdesk/settings.json" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}
