// Package exiftooltest lets tests read and write image metadata with
// exiftool (Debian's libimage-exiftool-perl), a reader independent of
// Fluxdesk's own code.
package exiftooltest

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Path returns the path of exiftool. Without it the test skips, or fails
// when CI is set.
func Path(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("exiftool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("exiftool is needed (scripts/setup.sh test installs libimage-exiftool-perl)")
		}
		t.Skip("exiftool not installed (scripts/setup.sh test installs it)")
	}
	return path
}

// Tags reads every tag of each file with one run of exiftool, as numbers,
// keyed by group and name ("GPS:GPSLatitude", "XMP-dc:Creator").
func Tags(t testing.TB, files ...string) []map[string]any {
	t.Helper()
	args := append([]string{"-json", "-a", "-u", "-n", "-G1"}, files...)
	out, err := exec.Command(Path(t), args...).Output()
	if err != nil {
		t.Fatalf("exiftool %s: %v", files, err)
	}
	var tags []map[string]any
	if err := json.Unmarshal(out, &tags); err != nil || len(tags) != len(files) {
		t.Fatalf("exiftool output %s: %v", out, err)
	}
	for i, f := range files {
		if tags[i]["SourceFile"] != f {
			t.Fatalf("exiftool read %v, then %s", tags[i]["SourceFile"], f)
		}
	}
	return tags
}

// Write has exiftool write tags into file in place; each argument is an
// exiftool assignment such as "-Artist=Ada".
func Write(t testing.TB, file string, assignments ...string) {
	t.Helper()
	args := append([]string{"-q", "-overwrite_original"}, assignments...)
	if out, err := exec.Command(Path(t), append(args, file)...).CombinedOutput(); err != nil {
		t.Fatalf("exiftool: %v: %s", err, out)
	}
}

// Like returns the names of the tags whose name contains any of words, in
// any case.
func Like(tags map[string]any, words ...string) []string {
	var found []string
	for k := range tags {
		for _, w := range words {
			if strings.Contains(strings.ToLower(k), strings.ToLower(w)) {
				found = append(found, k)
				break
			}
		}
	}
	return found
}
