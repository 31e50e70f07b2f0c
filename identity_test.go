package main

import (
	"bufio"
	"bytes"
	"context"
	"fluxdesk/internal/testimage"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests hold Fluxdesk to its promise that its own outputs are never
// taken for originals: not by runs at the same time, not through another
// path to the same folder, not after the record was lost.

// fluxdesk runs the binary with extra environment and returns its exit
// status and combined output. A run that does not end within a minute is
// killed.
func fluxdesk(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	return fluxdeskWithin(t, time.Minute, env, args...)
}

// fluxdeskWithin is fluxdesk with another limit.
func fluxdeskWithin(t *testing.T, limit time.Duration, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(headless(), env...)
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// names lists the files of dir (not folders), sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// checkOneOutputEach asserts that dir holds the n originals sNNN.png and
// exactly one output sNNN.webp for each, nothing else.
func checkOneOutputEach(t *testing.T, dir string, n int) {
	t.Helper()
	got := names(t, dir)
	var extra []string
	for _, name := range got {
		stem := strings.TrimSuffix(name, filepath.Ext(name))
		if strings.Contains(stem, "-min") || (filepath.Ext(name) != ".png" && filepath.Ext(name) != ".webp") {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		t.Errorf("%d extra files, such as %s", len(extra), strings.Join(extra[:min(len(extra), 5)], ", "))
	}
	for i := range n {
		for _, ext := range []string{".png", ".webp"} {
			if name := fmt.Sprintf("s%03d%s", i, ext); !fileExists(filepath.Join(dir, name)) {
				t.Errorf("%s is missing", name)
			}
		}
	}
}

func writeSmallImages(t *testing.T, dir string, n int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		testimage.WritePNG(t, filepath.Join(dir, fmt.Sprintf("s%03d.png", i)), testimage.Noisy(48, 32))
	}
}

func TestCompress_ConcurrentRunsMakeNoDuplicates(t *testing.T) {
	dir := t.TempDir()
	const n = 200
	writeSmallImages(t, dir, n)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			if code, out := fluxdesk(t, nil, "compress", "--workers", "2", dir); code != 0 {
				t.Errorf("run %d: exit %d\n%s", i, code, out)
			}
		})
	}
	wg.Wait()
	checkOneOutputEach(t, dir, n)
	if code, out := fluxdesk(t, nil, "compress", dir); code != 0 {
		t.Errorf("a later run: exit %d\n%s", code, out)
	}
	checkOneOutputEach(t, dir, n)
}

// A folder reached through a symbolic link, or through "..", is the same
// folder: its outputs are recognised and never backed up as originals.
func TestCompress_OtherPathToTheSameFolder(t *testing.T) {
	x := t.TempDir()
	real := filepath.Join(x, "real")
	writeSmallImages(t, real, 3)
	if err := os.Symlink("real", filepath.Join(x, "link")); err != nil {
		t.Fatal(err)
	}
	if code, out := fluxdesk(t, nil, "compress", real); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, out)
	}
	before := names(t, real)
	for _, path := range []string{filepath.Join(x, "link"), filepath.Join(x, "link", "..", "real")} {
		if code, out := fluxdesk(t, nil, "compress", path); code != 0 {
			t.Fatalf("run through %s: exit %d\n%s", path, code, out)
		}
		if got := names(t, real); !slices.Equal(got, before) {
			t.Fatalf("after a run through %s the folder holds %v, want %v", path, got, before)
		}
	}
	if code, out := fluxdesk(t, nil, "compress", "--replace", filepath.Join(x, "link")); code != 0 {
		t.Fatalf("replacing through the link: exit %d\n%s", code, out)
	}
	backups, _ := os.ReadDir(filepath.Join(real, ".fluxdesk-originals"))
	for _, b := range backups {
		if filepath.Ext(b.Name()) == ".webp" {
			t.Errorf("Fluxdesk's own output %s was backed up as an original", b.Name())
		}
	}
	for _, name := range names(t, real) {
		if strings.Contains(name, "-min") {
			t.Errorf("replacing through the link wrote %s", name)
		}
	}
}

// A folder known by its output being recognised while the record is lost:
// either corrupt (moved aside once, with a warning) or impossible to write.
func TestCompress_LostRecordMakesNoDuplicates(t *testing.T) {
	t.Run("corrupt", func(t *testing.T) {
		state := t.TempDir()
		db := filepath.Join(state, "fluxdesk", "record.db")
		os.MkdirAll(filepath.Dir(db), 0o700)
		if err := os.WriteFile(db, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeSmallImages(t, dir, 3)
		env := []string{"XDG_STATE_HOME=" + state}
		code, out := fluxdesk(t, env, "compress", dir)
		if code != 0 || !strings.Contains(out, "warning") || !strings.Contains(out, "moved aside") {
			t.Errorf("first run: exit %d, want 0 and a warning that the record was moved aside\n%s", code, out)
		}
		kept, _ := filepath.Glob(filepath.Join(state, "fluxdesk", "record.db.corrupt*"))
		if len(kept) != 1 {
			t.Errorf("the corrupt record was not kept for inspection: %v", kept)
		}
		code, out = fluxdesk(t, env, "compress", dir)
		if code != 0 || strings.Contains(out, "warning") {
			t.Errorf("second run: exit %d, want 0 and no warning\n%s", code, out)
		}
		checkOneOutputEach(t, dir, 3)
	})
	t.Run("cannot be written", func(t *testing.T) {
		// The state folder's place is taken by a file: nothing can be
		// recorded, whoever runs the tests (root ignores permissions).
		state := filepath.Join(t.TempDir(), "state")
		if err := os.WriteFile(state, []byte("a file"), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeSmallImages(t, dir, 3)
		env := []string{"XDG_STATE_HOME=" + state}
		for run := range 3 {
			if code, out := fluxdesk(t, env, "compress", dir); code != 0 {
				t.Errorf("run %d: exit %d\n%s", run, code, out)
			}
		}
		checkOneOutputEach(t, dir, 3)
	})
}

// watchProcess is a running "fluxdesk watch".
type watchProcess struct {
	cmd    *exec.Cmd
	status chan string // lines of stderr
	done   chan error
}

func startWatch(t *testing.T, dir string) *watchProcess {
	t.Helper()
	cmd := exec.Command(binary, "watch", "--settle", "200ms", dir)
	cmd.Env = headless()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &watchProcess{cmd: cmd, status: make(chan string, 100), done: make(chan error, 1)}
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			w.status <- lines.Text()
		}
		close(w.status)
		w.done <- cmd.Wait()
	}()
	t.Cleanup(w.stop)
	return w
}

// waitWatching waits until the watcher reports that it watches.
func (w *watchProcess) waitWatching(t *testing.T) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-w.status:
			if !ok {
				t.Fatal("the watcher ended before it watched")
			}
			if strings.HasPrefix(line, "watching") {
				return
			}
		case <-deadline:
			t.Fatal("the watcher did not start watching")
		}
	}
}

func (w *watchProcess) stop() {
	if w.cmd.ProcessState == nil {
		w.cmd.Process.Signal(os.Interrupt)
	}
	for range w.status {
	}
}

// A second watcher is refused for the same folder reached another way, and
// for a folder inside, or around, one watched by another process; the
// message names the folder watched.
func TestWatch_RefusesOverlapWithAnotherProcess(t *testing.T) {
	x := t.TempDir()
	real := filepath.Join(x, "real")
	if err := os.MkdirAll(filepath.Join(real, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(x, "wlink")); err != nil {
		t.Fatal(err)
	}
	first := startWatch(t, real)
	first.waitWatching(t)
	for _, dir := range []string{filepath.Join(x, "wlink"), filepath.Join(real, "sub"), x} {
		code, out := fluxdeskWithin(t, 15*time.Second, nil, "watch", dir)
		if code == 0 || !strings.Contains(out, real) {
			t.Errorf("watch %s: exit %d, want a refusal naming %s\n%s", dir, code, real, out)
		}
	}
}
