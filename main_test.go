package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fluxdesk/internal/testimage"
	"fmt"
	"github.com/fsnotify/fsnotify"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	xwebp "golang.org/x/image/webp"

	"fluxdesk/engine"
	"fluxdesk/ui/desktop"
)

// binary is the fluxdesk executable built for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fluxdesk-main-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "fluxdesk")
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))   // keep the record and
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config")) // the settings away from the user's,
	os.Setenv("XDG_RUNTIME_DIR", dir)                          // and the windows from a running Fluxdesk
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building fluxdesk: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// headless returns the environment without any display.
func headless() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	return env
}

func TestVersion_NeedsNoDisplay(t *testing.T) {
	cmd := exec.Command(binary, "version")
	cmd.Env = headless()
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "fluxdesk "+engine.Version+"\n" {
		t.Fatalf("version: %v, %q", err, out)
	}
}

func TestVersion_MatchesFyneAppToml(t *testing.T) {
	toml, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(toml), `Version = "`+engine.Version+`"`) {
		t.Errorf("FyneApp.toml does not carry version %s", engine.Version)
	}
}

func TestCompress_NeedsNoDisplay(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a photo.png")
	testimage.WritePNG(t, src, testimage.Noisy(300, 200))
	cmd := exec.Command(binary, "compress", "--json", src)
	cmd.Env = headless()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("compress: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a file line and a summary line, got %q", stdout.String())
	}
	var file map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &file); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "a photo.webp")
	if file["status"] != "done" || file["output"] != want {
		t.Errorf("file line %v", file)
	}
	if _, err := os.Stat(want); err != nil {
		t.Error(err)
	}
	if stderr.Len() != 0 {
		t.Errorf("unexpected stderr: %q", stderr.String())
	}
}

// TestWindow_OpensAndQuitsOnSIGTERM starts the real binary without
// arguments on the X display (make test runs the suite under xvfb-run),
// waits for the window titled "Fluxdesk", and stops it with SIGTERM.
func TestWindow_OpensAndQuitsOnSIGTERM(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		skipOutsideCI(t, "needs an X display: make test runs the tests under xvfb-run")
	}
	g := startWindow(t)
	g.waitFor(30*time.Second, "the window", func() bool { return windowExists(t, "Fluxdesk") })
	g.stop()
}

// TestSmoke_QueuesTheCommandLineFile starts the real binary in the X server
// (make test runs the suite under xvfb-run, inside a D-Bus session, so the
// tray is set too) with a file on the command line, waits for the window
// and for that file's output, takes a screenshot, and stops it with
// SIGTERM, which must end it cleanly.
func TestSmoke_QueuesTheCommandLineFile(t *testing.T) {
	if os.Getenv("DISPLAY") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		skipOutsideCI(t, "needs an X display and a D-Bus session: make test runs the tests under xvfb-run and scripts/with-keyring.sh")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "dropped photo.png")
	testimage.WritePNG(t, src, testimage.Noisy(900, 700))
	want := filepath.Join(dir, "dropped photo.webp")
	g := startWindow(t, src)
	g.waitFor(60*time.Second, "the window and "+filepath.Base(want), func() bool {
		return windowExists(t, "Fluxdesk") && fileExists(want)
	})
	time.Sleep(500 * time.Millisecond) // the row shows the result
	shot := filepath.Join(os.TempDir(), "fluxdesk-smoke.png")
	if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		t.Errorf("screenshot: %v\n%s", err, out)
	} else if f, err := os.Open(shot); err != nil {
		t.Error(err)
	} else {
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 640 {
			t.Errorf("screenshot %s: %v", shot, err)
		}
		t.Logf("screenshot: %s", shot)
	}
	checkOutputsComplete(t, dir, 1)
	g.stop()
}

// TestSmoke_SecondLaunchHandsItsFilesToTheWindow starts the window, then
// runs "fluxdesk photo.png" (a relative path, from another working folder)
// as a file manager's "Open with" does: the second launch must end at once,
// and the window already open must compress the file, with no second
// window.
func TestSmoke_SecondLaunchHandsItsFilesToTheWindow(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		skipOutsideCI(t, "needs an X display: make test runs the tests under xvfb-run")
	}
	home := t.TempDir()
	g := startWindowIn(t, home)
	g.waitFor(30*time.Second, "the window", func() bool { return windowExists(t, "Fluxdesk") })
	windows := countWindows(t, "Fluxdesk")

	dir := t.TempDir()
	testimage.WritePNG(t, filepath.Join(dir, "photo.png"), testimage.Noisy(900, 700))
	second := exec.Command(binary, "photo.png")
	second.Dir = dir
	second.Env = g.env
	done := make(chan error, 1)
	var out bytes.Buffer
	second.Stdout, second.Stderr = &out, &out
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("second launch: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		second.Process.Kill()
		t.Fatalf("the second launch did not end: it opened a window of its own?\n%s", out.String())
	}
	want := filepath.Join(dir, "photo.webp")
	g.waitFor(60*time.Second, "the handed-over file's output", func() bool { return fileExists(want) })
	if n := countWindows(t, "Fluxdesk"); n != windows {
		t.Errorf("%d windows titled Fluxdesk after the second launch, %d before", n, windows)
	}
	checkOutputsComplete(t, dir, 1)
	g.stop()
}

// TestWindow_KeepsWhatTheFormerAppIDStored starts the window for a user
// of the version whose app ID was app.fluxdesk.desktop: what Fyne kept for
// the application is found under the new ID's folder afterwards.
func TestWindow_KeepsWhatTheFormerAppIDStored(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		skipOutsideCI(t, "needs an X display: make test runs the tests under xvfb-run")
	}
	home := t.TempDir()
	former := filepath.Join(home, "config", "fyne", "app.fluxdesk.desktop")
	kept := filepath.Join(former, "Documents", "kept.txt")
	if err := os.MkdirAll(filepath.Dir(kept), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kept, []byte("a user's file"), 0o600); err != nil {
		t.Fatal(err)
	}
	g := startWindowIn(t, home)
	g.waitFor(30*time.Second, "the window", func() bool { return windowExists(t, "Fluxdesk") })
	g.stop()
	moved := filepath.Join(home, "config", "fyne", desktop.AppID, "Documents", "kept.txt")
	if data, err := os.ReadFile(moved); err != nil || string(data) != "a user's file" {
		t.Errorf("%s: %q, %v", moved, data, err)
	}
	if fileExists(former) {
		t.Errorf("%s is still there", former)
	}
}

// guiRun is the binary running with its window.
type guiRun struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr bytes.Buffer
	exited chan error
	// env is the window's environment: a later launch with it hands its
	// files to this window.
	env []string
}

// startWindow starts the binary with args (no subcommand: the window), with
// settings, record and runtime folder of its own.
func startWindow(t *testing.T, args ...string) *guiRun {
	t.Helper()
	return startWindowIn(t, t.TempDir(), args...)
}

// startWindowIn is startWindow with the settings and record under home.
func startWindowIn(t *testing.T, home string, args ...string) *guiRun {
	t.Helper()
	g := &guiRun{t: t, cmd: exec.Command(binary, args...), exited: make(chan error, 1)}
	run := filepath.Join(home, "run")
	if err := os.MkdirAll(run, 0o700); err != nil {
		t.Fatal(err)
	}
	g.env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_RUNTIME_DIR="+run)
	g.cmd.Env = g.env
	g.cmd.Stderr = &g.stderr
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { g.exited <- g.cmd.Wait() }()
	return g
}

// waitFor polls ready until it holds, failing if the binary exits first or
// the timeout passes.
func (g *guiRun) waitFor(timeout time.Duration, what string, ready func() bool) {
	g.t.Helper()
	deadline := time.After(timeout)
	for !ready() {
		select {
		case err := <-g.exited:
			g.t.Fatalf("fluxdesk exited before %s: %v\n%s", what, err, g.stderr.String())
		case <-deadline:
			g.cmd.Process.Kill()
			g.t.Fatalf("no %s within %v\n%s", what, timeout, g.stderr.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM, which must end the binary cleanly within 10 s.
func (g *guiRun) stop() {
	g.t.Helper()
	g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-g.exited:
		if err != nil {
			g.t.Errorf("exit after SIGTERM: %v\n%s", err, g.stderr.String())
		}
	case <-time.After(10 * time.Second):
		g.cmd.Process.Kill()
		g.t.Fatal("still running 10 s after SIGTERM")
	}
	if strings.Contains(g.stderr.String(), "panic") {
		g.t.Errorf("stderr: %s", g.stderr.String())
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// windowExists reports whether a top-level window with this title is mapped.
func windowExists(t *testing.T, title string) bool {
	return countWindows(t, title) > 0
}

// countWindows returns how many windows with this title the X server has.
func countWindows(t *testing.T, title string) int {
	out, err := exec.Command("xwininfo", "-root", "-tree").Output()
	if err != nil {
		t.Fatalf("xwininfo: %v", err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"`+title+`": (`) {
			n++
		}
	}
	return n
}

// TestCompress_InterruptLeavesNoPartialFiles stops a run with SIGINT, then
// kills another mid-write, and checks that no partial or temp file survives
// the next run and that every output present decodes.
func TestCompress_InterruptLeavesNoPartialFiles(t *testing.T) {
	dir := t.TempDir()
	for i := range 24 {
		testimage.WritePNG(t, filepath.Join(dir, fmt.Sprintf("img%02d.png", i)), testimage.Noisy(900, 700))
	}
	cmd := exec.Command(binary, "compress", "--workers", "2", "--json", dir)
	cmd.Env = headless()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() { // the first file is done: the run is in full swing
		t.Fatal("no output before the interrupt")
	}
	cmd.Process.Signal(os.Interrupt)
	for lines.Scan() {
	}
	err = cmd.Wait()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 130 {
		t.Errorf("exit after SIGINT: %v, want status 130", err)
	}
	checkOutputsComplete(t, dir, 24)

	// A run killed while it writes leaves a temp file; the next run
	// removes it.
	killMidWrite(t, dir)
	again := exec.Command(binary, "compress", dir)
	again.Env = headless()
	if out, err := again.CombinedOutput(); err != nil {
		t.Fatalf("run after kill: %v\n%s", err, out)
	}
	checkOutputsComplete(t, dir, 24)
}

// killMidWrite runs compress on dir and kills it as soon as it creates a
// temp file, until a run killed so leaves one behind (the kill can come
// just after the file was renamed into place).
func killMidWrite(t *testing.T, dir string) {
	t.Helper()
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(2 * time.Minute)
	for attempt := 1; ; attempt++ {
		kill := exec.Command(binary, "compress", "--keep-larger", dir)
		kill.Env = headless()
		if err := kill.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() {
			kill.Wait()
			close(exited)
		}()
	wait:
		for {
			select {
			case ev := <-w.Events:
				name := filepath.Base(ev.Name)
				if ev.Has(fsnotify.Create) && strings.HasPrefix(name, ".fluxdesk-") && strings.HasSuffix(name, ".tmp") {
					break wait
				}
			case <-exited:
				break wait // finished before any temp file was seen
			case <-deadline:
				kill.Process.Kill()
				t.Fatalf("no run killed mid-write left a temp file in %d attempts", attempt)
			}
		}
		kill.Process.Kill()
		<-exited
		if temps, _ := filepath.Glob(filepath.Join(dir, ".fluxdesk-*.tmp")); len(temps) > 0 {
			return
		}
	}
}

// checkOutputsComplete asserts that dir holds the originals, no temp file,
// and only outputs that decode in full.
func checkOutputsComplete(t *testing.T, dir string, originals int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	pngs := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch filepath.Ext(e.Name()) {
		case ".png":
			pngs++
		case ".webp":
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			img, err := xwebp.Decode(f)
			f.Close()
			if err != nil || img.Bounds().Dx() != 900 {
				t.Errorf("%s does not decode in full: %v", e.Name(), err)
			}
		default:
			t.Errorf("unexpected file left: %s", e.Name())
		}
		if strings.Contains(e.Name(), "-min") {
			t.Errorf("%s: an earlier output was not recognised as Fluxdesk's", e.Name())
		}
	}
	if pngs != originals {
		t.Errorf("%d originals, want %d", pngs, originals)
	}
}

// skipOutsideCI skips a test whose surroundings are missing; in CI, where
// make test always provides them, it fails the test instead.
func skipOutsideCI(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// TestMistypedCommand_IsAUsageError runs words that are neither a
// subcommand nor a file without a display: each is a usage error that names
// the word (and the command it was probably meant to be), never a panic.
func TestMistypedCommand_IsAUsageError(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"compres", "x.jpg"}, `unknown command "compres"; did you mean compress?`},
		{[]string{"wacth", "shots"}, `unknown command "wacth"; did you mean watch?`},
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"--bogus"}, `unknown command "--bogus"`},
	}
	for _, c := range cases {
		t.Run(c.args[0], func(t *testing.T) {
			cmd := exec.Command(binary, c.args...)
			cmd.Env = headless()
			cmd.Dir = t.TempDir()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 2 {
				t.Errorf("exit: %v, want status 2", err)
			}
			if !strings.Contains(stderr.String(), c.want) || strings.Contains(stderr.String(), "panic") {
				t.Errorf("stderr %q does not say %q", stderr.String(), c.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
}

// TestWindow_WithoutDisplaySaysSo starts the window where there is no
// display at all, with and without a file to queue: one line says so and
// points to the command line, and no panic is printed.
func TestWindow_WithoutDisplaySaysSo(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "photo.png")
	testimage.WritePNG(t, src, testimage.Noisy(40, 30))
	for _, args := range [][]string{nil, {src}} {
		cmd := exec.Command(binary, args...)
		cmd.Env = headless()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
			t.Errorf("%v: exit %v, want status 1", args, err)
		}
		msg := stderr.String()
		if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "no display") || !strings.Contains(msg, "fluxdesk compress") {
			t.Errorf("%v: stderr %q, want one line about the missing display pointing to fluxdesk compress", args, msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "photo.webp")); err == nil {
		t.Error("an output was written without the window")
	}
}
