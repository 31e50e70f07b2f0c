package cli

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fluxdesk/engine/settings"
	"fluxdesk/internal/exiftooltest"
	"fluxdesk/internal/testimage"
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

// taggedPhoto writes a JPEG at path whose EXIF and XMP, written by exiftool,
// carry an author, a capture date and a GPS position.
func taggedPhoto(t *testing.T, path string) string {
	t.Helper()
	testimage.WriteJPEG(t, path, testimage.Noisy(120, 80))
	exiftooltest.Write(t, path, "-Artist=Ada Lovelace", "-DateTimeOriginal=2026:05:04 13:14:15",
		"-GPSLatitude=48.857", "-GPSLatitudeRef=N", "-GPSLongitude=2.352", "-GPSLongitudeRef=E",
		"-XMP-dc:Creator=Ada Lovelace", "-XMP-exif:GPSLatitude=48.857")
	return path
}

// checkTags checks, with exiftool, whether an output kept the author and
// the GPS position.
func checkTags(t *testing.T, output string, wantAuthor, wantGPS bool) {
	t.Helper()
	tags := exiftooltest.Tags(t, output)[0]
	if author := tags["IFD0:Artist"] == "Ada Lovelace" && tags["XMP-dc:Creator"] == "Ada Lovelace"; author != wantAuthor {
		t.Errorf("author kept: %v, want %v (%v)", author, wantAuthor, tags)
	}
	if gps := exiftooltest.Like(tags, "GPS"); (len(gps) > 0) != wantGPS {
		t.Errorf("GPS tags %v, want them: %v", gps, wantGPS)
	}
}

// TestCompress_MetadataFlags checks --keep-metadata, --keep-gps and the
// setting, reading the outputs with exiftool.
func TestCompress_MetadataFlags(t *testing.T) {
	exiftooltest.Path(t)
	tests := []struct {
		name              string
		setting           bool
		flags             []string
		wantMeta, wantGPS bool
	}{
		{"default", false, nil, false, false},
		{"--keep-metadata", false, []string{"--keep-metadata"}, true, false},
		{"--keep-metadata --keep-gps", false, []string{"--keep-metadata", "--keep-gps"}, true, true},
		{"setting", true, nil, true, false},
		{"setting, --keep-metadata=false", true, []string{"--keep-metadata=false"}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings.Default()
			s.KeepMetadata = tc.setting
			writeSettings(t, s)
			src := taggedPhoto(t, filepath.Join(t.TempDir(), "photo.jpg"))
			if code, _, errOut := runMain(append(append([]string{"compress"}, tc.flags...), src)...); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkTags(t, filepath.Join(filepath.Dir(src), "photo.webp"), tc.wantMeta, tc.wantGPS)
		})
	}
	// The GPS position is never kept alone.
	src := taggedPhoto(t, filepath.Join(t.TempDir(), "photo.jpg"))
	if code, _, _ := runMain("compress", "--keep-gps", src); code != ExitUsage {
		t.Errorf("--keep-gps alone: exit %d, want %d", code, ExitUsage)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(src), "photo.webp")); err == nil {
		t.Error("--keep-gps alone wrote an output")
	}
}

// TestCompressRemote_SendsOriginalAsIs checks that the remote engine
// uploads the original byte for byte, its metadata and GPS position
// included, even with --keep-metadata, which applies to local outputs only.
func TestCompressRemote_SendsOriginalAsIs(t *testing.T) {
	exiftooltest.Path(t)
	srv, dir := remoteSetup(t, keyA)
	src := taggedPhoto(t, filepath.Join(dir, "photo.jpg"))
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runMain("compress", "--engine", "remote", "--api-url", srv.URL, "--keep-metadata", src); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	seen := srv.Seen().Compress
	if len(seen) != 1 || len(seen[0].Digests) != 1 {
		t.Fatalf("the server saw %+v, want one request with the photo", seen)
	}
	if want := fmt.Sprintf("%x", sha256.Sum256(data)); seen[0].Digests[0] != want {
		t.Errorf("uploaded SHA-256 %s, want the original's %s", seen[0].Digests[0], want)
	}
}

// TestWatch_KeepsMetadataAndModTime checks that watch takes the metadata
// and modification time options too.
func TestWatch_KeepsMetadataAndModTime(t *testing.T) {
	exiftooltest.Path(t)
	taken := time.Date(2018, 7, 1, 9, 30, 0, 0, time.UTC)
	dir := t.TempDir()
	src := taggedPhoto(t, filepath.Join(t.TempDir(), "photo.jpg"))
	if err := os.Chtimes(src, taken, taken); err != nil {
		t.Fatal(err)
	}
	r := startWatch(t, "--keep-metadata", dir)
	arrived := filepath.Join(dir, "photo.jpg")
	if err := os.Rename(src, arrived); err != nil {
		t.Fatal(err)
	}
	got := r.collect(1)
	r.stop()
	checkDone(t, got, []string{arrived}, 120, 80)
	out := got[arrived].Output
	checkTags(t, out, true, false)
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if !info.ModTime().Equal(taken) {
		t.Errorf("output modified %v, want the original's %v", info.ModTime(), taken)
	}
}
