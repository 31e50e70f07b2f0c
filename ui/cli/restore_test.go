package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fluxdesk/engine"
	"fluxdesk/internal/testimage"
)

// compress --replace, then restore --json: the originals come back byte
// for byte, each with a JSON line, then a summary.
func TestRestore_JSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WriteJPEG(t, filepath.Join(dir, "shot.jpg"), testimage.Noisy(320, 240))
	original, _ := os.ReadFile(src)
	if code, _, errOut := runMain("compress", "--replace", dir); code != ExitOK {
		t.Fatalf("compress: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Fatalf("the original was not replaced: %v", err)
	}
	code, out, errOut := runMain("restore", dir, "--json")
	if code != ExitOK {
		t.Fatalf("restore: exit %d: %s", code, errOut)
	}
	objs := jsonLines(t, out)
	if len(objs) != 2 {
		t.Fatalf("got %d lines: %s", len(objs), out)
	}
	assertKeys(t, objs[0], "backup", "message", "output", "output_removed", "path", "status")
	f := objs[0]
	if f["status"] != "done" || f["path"] != src || f["output"] != filepath.Join(dir, "shot.webp") ||
		f["backup"] != filepath.Join(dir, engine.BackupDirName, "shot.jpg") || f["output_removed"] != true || f["message"] != "" {
		t.Errorf("line %v", f)
	}
	sum, ok := objs[1]["summary"].(map[string]any)
	if !ok || sum["done"] != float64(1) || sum["skipped"] != float64(0) || sum["failed"] != float64(0) {
		t.Errorf("summary %v", objs[1])
	}
	if got, _ := os.ReadFile(src); !bytes.Equal(got, original) {
		t.Error("the restored original differs from the one replaced")
	}
	if _, err := os.Stat(filepath.Join(dir, "shot.webp")); !os.IsNotExist(err) {
		t.Errorf("the output is still there: %v", err)
	}
}

// The exit statuses are compress's: 1 when any original failed, 2 for a
// usage error; a file changed since is skipped, not failed.
func TestRestore_ExitStatus(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WritePNG(t, filepath.Join(dir, "a.png"), testimage.Noisy(200, 150))
	if code, _, errOut := runMain("compress", "--replace", src); code != ExitOK {
		t.Fatalf("compress: exit %d: %s", code, errOut)
	}
	testimage.Write(t, src, []byte("a new file in its place"))
	code, out, errOut := runMain("restore", src)
	if code != ExitOK || !strings.Contains(out, "skipped  ") || !strings.Contains(out, "another file is now at a.png") {
		t.Errorf("restore over a new file: exit %d, %q %q", code, out, errOut)
	}
	code, _, errOut = runMain("restore", filepath.Join(dir, "never.png"))
	if code != ExitFailed || !strings.Contains(errOut, "no backup of it") {
		t.Errorf("restore of a file never replaced: exit %d, %q", code, errOut)
	}
	if code, _, errOut = runMain("restore"); code != ExitUsage || !strings.Contains(errOut, "no files or folders given") {
		t.Errorf("restore without paths: exit %d, %q", code, errOut)
	}
	if code, _, _ = runMain("restore", "--bogus", dir); code != ExitUsage {
		t.Errorf("restore with an unknown flag: exit %d", code)
	}
}

// With --json, a record that cannot be opened is a warning object of the
// restore command on stdout, like compress's, and the restore goes on.
func TestRestore_JSONWarningWithoutRecord(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WritePNG(t, filepath.Join(dir, "a.png"), testimage.Noisy(200, 150))
	original, _ := os.ReadFile(src)
	if code, _, errOut := runMain("compress", "--replace", src); code != ExitOK {
		t.Fatalf("compress: exit %d: %s", code, errOut)
	}
	t.Setenv("XDG_STATE_HOME", testimage.Write(t, filepath.Join(t.TempDir(), "a file"), nil))
	code, out, errOut := runMain("restore", "--json", dir)
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	objs := jsonLines(t, out)
	if len(objs) != 3 || objs[0]["command"] != "restore" || objs[0]["warning"] == nil || objs[1]["status"] != "done" {
		t.Errorf("objects %v", objs)
	}
	if got, _ := os.ReadFile(src); !bytes.Equal(got, original) {
		t.Error("the original was not restored")
	}
}
