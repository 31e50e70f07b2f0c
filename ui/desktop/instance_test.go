package desktop

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv, when set to a folder, makes the test binary a launch of
// Fluxdesk claiming the window in that folder with its arguments as files:
// it prints "handed off" and exits, or prints "window" and then one line of
// JSON per launch that hands it files, until its standard input closes.
const helperEnv = "FLUXDESK_HANDOFF_HELPER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		os.Exit(helper(dir, os.Args[1:]))
	}
	os.Exit(m.Run())
}

func helper(dir string, paths []string) int {
	inst, handedOff, err := claimIn(dir, Absolute(paths), 10*time.Second)
	switch {
	case err != nil:
		fmt.Println("error:", err)
		return 1
	case handedOff:
		fmt.Println("handed off")
		return 0
	}
	fmt.Println("window")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	inst.Serve(ctx, func(paths []string) {
		line, _ := json.Marshal(paths)
		fmt.Println(string(line))
	})
	return 0
}

// launch is a second process started as a Fluxdesk launch.
type launch struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
}

// startLaunch starts the test binary as a launch claiming the window in dir,
// with files (relative ones taken in cwd).
func startLaunch(t *testing.T, dir, cwd string, files ...string) *launch {
	t.Helper()
	cmd := exec.Command(os.Args[0], files...)
	cmd.Dir = cwd
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return &launch{cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout)}
}

// next returns the launch's next line, failing after timeout.
func (l *launch) next(t *testing.T, timeout time.Duration) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		if l.lines.Scan() {
			got <- l.lines.Text()
		} else {
			got <- "(ended)"
		}
	}()
	select {
	case line := <-got:
		return line
	case <-time.After(timeout):
		t.Fatalf("no line from the launch within %v", timeout)
		return ""
	}
}

// claimHere claims the window in dir for this test process and serves it,
// sending what later launches hand over to the returned channel.
func claimHere(t *testing.T, dir string) <-chan []string {
	t.Helper()
	inst, handedOff, err := claimIn(dir, nil, 5*time.Second)
	if err != nil || handedOff {
		t.Fatalf("claim: handed off %v, %v", handedOff, err)
	}
	got := make(chan []string, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		inst.Serve(ctx, func(paths []string) { got <- paths })
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return got
}

// A second launch hands its files, made absolute against its own working
// folder, to the window, and ends.
func TestHandOff_SecondLaunchGivesItsFilesToTheWindow(t *testing.T) {
	dir := t.TempDir()
	got := claimHere(t, dir)
	cwd := t.TempDir()
	second := startLaunch(t, dir, cwd, "photo.jpg", "/elsewhere/shoot")
	if line := second.next(t, 20*time.Second); line != "handed off" {
		t.Fatalf("second launch: %q", line)
	}
	if err := second.cmd.Wait(); err != nil {
		t.Errorf("second launch: %v", err)
	}
	select {
	case paths := <-got:
		if want := []string{filepath.Join(cwd, "photo.jpg"), "/elsewhere/shoot"}; !reflect.DeepEqual(paths, want) {
			t.Errorf("window got %q, want %q", paths, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the window got nothing")
	}

	// A launch without files hands over an empty list: the window comes
	// to the front.
	third := startLaunch(t, dir, cwd)
	if line := third.next(t, 20*time.Second); line != "handed off" {
		t.Fatalf("third launch: %q", line)
	}
	if paths := <-got; len(paths) != 0 {
		t.Errorf("window got %q from a launch without files", paths)
	}
}

// A window that crashed (killed: no clean-up) leaves its socket behind; the
// next launch finds it stale, becomes the window, and takes later launches.
func TestHandOff_StaleSocketFromACrashedWindow(t *testing.T) {
	dir := t.TempDir()
	first := startLaunch(t, dir, dir)
	if line := first.next(t, 20*time.Second); line != "window" {
		t.Fatalf("first launch: %q", line)
	}
	first.cmd.Process.Signal(syscall.SIGKILL)
	first.cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, socketName)); err != nil {
		t.Fatalf("the killed window left no socket to test with: %v", err)
	}
	got := claimHere(t, dir)
	second := startLaunch(t, dir, dir, "/a.png")
	if line := second.next(t, 20*time.Second); line != "handed off" {
		t.Fatalf("second launch: %q", line)
	}
	if paths := <-got; !reflect.DeepEqual(paths, []string{"/a.png"}) {
		t.Errorf("window got %q", paths)
	}
}

// Launches started at the same moment open one window between them: the
// others hand it their files.
func TestHandOff_SimultaneousLaunchesOpenOneWindow(t *testing.T) {
	dir := t.TempDir()
	const n = 4
	launches := make([]*launch, n)
	for i := range launches {
		launches[i] = startLaunch(t, dir, dir, fmt.Sprintf("/file%d.png", i))
	}
	var window *launch
	handed := 0
	for _, l := range launches {
		switch line := l.next(t, 30*time.Second); line {
		case "window":
			if window != nil {
				t.Fatal("two launches opened a window")
			}
			window = l
		case "handed off":
			handed++
		default:
			t.Fatalf("launch: %q", line)
		}
	}
	if window == nil || handed != n-1 {
		t.Fatalf("window %v, %d handed off", window != nil, handed)
	}
	received := map[string]bool{}
	for range n - 1 {
		var paths []string
		if err := json.Unmarshal([]byte(window.next(t, 10*time.Second)), &paths); err != nil || len(paths) != 1 {
			t.Fatalf("window line: %v %q", err, paths)
		}
		received[paths[0]] = true
	}
	if len(received) != n-1 {
		t.Errorf("window received %v", received)
	}
	window.stdin.Close()
	if err := window.cmd.Wait(); err != nil {
		t.Errorf("window: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, socketName)); !os.IsNotExist(err) {
		t.Errorf("the socket was left after a clean exit: %v", err)
	}
}

// A window that holds the claim but never answers does not make a launch
// wait for ever: it gives up with a message.
func TestHandOff_UnansweringWindow(t *testing.T) {
	dir := t.TempDir()
	inst, _, err := claimIn(dir, nil, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close() // never served
	_, handedOff, err := claimIn(dir, []string{"/a.png"}, 500*time.Millisecond)
	if handedOff || err == nil || !strings.Contains(err.Error(), "already running but does not answer") {
		t.Errorf("handed off %v, %v", handedOff, err)
	}
}

// The hand-off folder must be this user's alone: one others can write to
// is refused.
func TestRuntimeDir_Private(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", base)
	dir, err := runtimeDir()
	if err != nil || dir != filepath.Join(base, "fluxdesk") {
		t.Fatalf("%q, %v", dir, err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("mode %v", info.Mode())
	}
	os.Chmod(dir, 0o777)
	if _, err := runtimeDir(); err == nil || !strings.Contains(err.Error(), "not a private folder") {
		t.Errorf("open folder: %v", err)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("TMPDIR", base)
	if dir, err := runtimeDir(); err != nil || dir != filepath.Join(base, fmt.Sprintf("fluxdesk-%d", os.Getuid())) {
		t.Errorf("without XDG_RUNTIME_DIR: %q, %v", dir, err)
	}
}

// An accept error that lasts (out of file descriptors) is retried after a
// growing wait, not in a spin, and the loop still ends with its context.
func TestAcceptEach_WaitsAfterErrorsInsteadOfSpinning(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	calls := 0
	emfile := &net.OpError{Op: "accept", Net: "unix", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		acceptEach(ctx, func() (*net.UnixConn, error) { calls++; return nil, emfile }, func(*net.UnixConn) {
			t.Error("a connection was taken from a failing accept")
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the accept loop did not end with its context")
	}
	// 50 + 100 + 200 ms of waits fit in 400 ms: a spinning loop makes
	// thousands of calls.
	if calls > 10 {
		t.Errorf("accept was called %d times in 400 ms of lasting errors; want a few", calls)
	}
}
