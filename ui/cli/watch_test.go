package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fluxdesk/internal/testimage"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	xwebp "golang.org/x/image/webp"
)

// lockedWriter lets the watcher's status lines and the reporter share a
// writer in tests.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// watchRun is a watch command running in-process.
type watchRun struct {
	t       *testing.T
	cancel  context.CancelFunc
	lines   chan fileLine
	status  chan string
	folders chan folderLine
	code    chan int
}

func startWatch(t *testing.T, args ...string) *watchRun {
	t.Helper()
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	r := &watchRun{t: t, cancel: cancel, lines: make(chan fileLine, 1000), status: make(chan string, 1000), folders: make(chan folderLine, 1000), code: make(chan int, 1)}
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			var l fileLine
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.Path != "" {
				r.lines <- l
			}
			var f folderLine
			if json.Unmarshal(sc.Bytes(), &f) == nil && f.Folder != "" {
				r.status <- f.State + " " + f.Folder + " " + f.Message
				r.folders <- f
			}
		}
	}()
	go func() {
		sc := bufio.NewScanner(errR)
		for sc.Scan() {
			r.status <- sc.Text()
		}
	}()
	go func() {
		env := &Env{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &lockedWriter{w: errW}}
		r.code <- watchUntil(ctx, env, append([]string{"--json", "--settle", "300ms"}, args...))
		outW.Close()
		errW.Close()
	}()
	r.waitStatus("watching")
	return r
}

func (r *watchRun) waitStatus(prefix string) {
	r.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case s := <-r.status:
			if strings.HasPrefix(s, prefix) {
				return
			}
		case code := <-r.code:
			r.t.Fatalf("watch ended with %d before %q", code, prefix)
		case <-deadline:
			r.t.Fatalf("no %q status within 20 s", prefix)
		}
	}
}

// collect waits for n finished files, then for a while longer to catch
// anything extra.
func (r *watchRun) collect(n int) map[string]fileLine {
	r.t.Helper()
	got := map[string]fileLine{}
	deadline := time.After(60 * time.Second)
	for len(got) < n {
		select {
		case l := <-r.lines:
			if _, dup := got[l.Path]; dup {
				r.t.Errorf("%s processed twice", l.Path)
			}
			got[l.Path] = l
		case <-deadline:
			r.t.Fatalf("%d of %d files processed within 60 s", len(got), n)
		}
	}
	extra := time.After(1500 * time.Millisecond)
	for {
		select {
		case l := <-r.lines:
			r.t.Errorf("unexpected extra result: %+v", l)
		case <-extra:
			return got
		}
	}
}

// stop cancels the run as a signal would and checks it ends cleanly.
func (r *watchRun) stop() {
	r.t.Helper()
	start := time.Now()
	r.cancel()
	select {
	case code := <-r.code:
		if code != ExitOK {
			r.t.Errorf("watch exited with %d, want 0", code)
		}
	case <-time.After(10 * time.Second):
		r.t.Fatal("watch did not stop within 10 s")
	}
	if d := time.Since(start); d > 5*time.Second {
		r.t.Errorf("stopping took %v", d)
	}
}

// checkDone checks that each path was compressed and its output decodes to
// the full image.
func checkDone(t *testing.T, got map[string]fileLine, paths []string, w, h int) {
	t.Helper()
	for _, p := range paths {
		l, ok := got[p]
		if !ok || l.Status != "done" {
			t.Errorf("%s: %+v, want done", p, l)
			continue
		}
		f, err := os.Open(l.Output)
		if err != nil {
			t.Error(err)
			continue
		}
		img, err := xwebp.Decode(f)
		f.Close()
		if err != nil || img.Bounds() != image.Rect(0, 0, w, h) {
			t.Errorf("%s: output %s decodes to %v, %v", p, l.Output, err, img)
		}
	}
	if len(got) != len(paths) {
		t.Errorf("%d files processed, want %d", len(got), len(paths))
	}
}

// noLeftovers checks that no temp file is left anywhere under dir.
func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".fluxdesk-") && strings.HasSuffix(d.Name(), ".tmp") {
			t.Errorf("temp file left behind: %s", path)
		}
		return nil
	})
}

func TestWatch_BurstNestedSlowCopyAndDownload(t *testing.T) {
	dir := t.TempDir()
	r := startWatch(t, dir)
	img := testimage.Noisy(96, 64)

	var burst []string
	for i := range 200 {
		burst = append(burst, testimage.WriteJPEG(t, filepath.Join(dir, fmt.Sprintf("burst-%03d.jpg", i)), img))
	}
	checkDone(t, r.collect(len(burst)), burst, 96, 64)

	slow := filepath.Join(dir, "new", "nested", "slow.png")
	os.MkdirAll(filepath.Dir(slow), 0o755)
	data := testimage.PNG(t, img)
	f, err := os.Create(slow)
	if err != nil {
		t.Fatal(err)
	}
	// Pauses shorter than the settle time: not whole yet, it is not taken.
	chunk := len(data)/5 + 1
	off := 0
	for ; off+chunk < len(data); off += chunk {
		f.Write(data[off : off+chunk])
		select {
		case l := <-r.lines:
			t.Fatalf("%s processed while slow.png was being written", l.Path)
		case <-time.After(150 * time.Millisecond):
		}
	}
	f.Write(data[off:])
	f.Close()

	part := filepath.Join(dir, "download.png.part")
	testimage.Write(t, part, data)
	download := filepath.Join(dir, "download.png")
	if err := os.Rename(part, download); err != nil {
		t.Fatal(err)
	}
	checkDone(t, r.collect(2), []string{slow, download}, 96, 64)
	r.stop()
	noLeftovers(t, dir)
}

func TestWatch_RestartProcessesNothingTwiceAndCatchesUp(t *testing.T) {
	dir := t.TempDir()
	img := testimage.Noisy(80, 60)
	before := testimage.WriteJPEG(t, filepath.Join(dir, "before.jpg"), img)

	r := startWatch(t, dir)
	checkDone(t, r.collect(1), []string{before}, 80, 60)
	live := testimage.WritePNG(t, filepath.Join(dir, "sub", "live.png"), img)
	checkDone(t, r.collect(1), []string{live}, 80, 60)
	r.stop()

	// While stopped: a new file, and a timestamp-only change.
	meanwhile := testimage.WriteJPEG(t, filepath.Join(dir, "sub", "meanwhile.jpg"), img)
	later := time.Now().Add(time.Hour)
	os.Chtimes(before, later, later)

	r = startWatch(t, dir)
	checkDone(t, r.collect(1), []string{meanwhile}, 80, 60)

	// Changed content is processed again, over its own earlier output.
	testimage.WriteJPEG(t, before, testimage.Noisy(40, 30))
	got := r.collect(1)
	checkDone(t, got, []string{before}, 40, 30)
	if out := got[before].Output; out != strings.TrimSuffix(before, ".jpg")+".webp" {
		t.Errorf("changed file written to %s, want its earlier output replaced", out)
	}
	r.stop()
	noLeftovers(t, dir)
}

// While a watch runs, a compress run over the same folder shares the record:
// it recognises the watch's outputs (no warning, none compressed again, no
// "-min" copies) and the watch does not take the compress run's outputs for
// new images.
func TestWatch_SharesTheRecordWithCompress(t *testing.T) {
	dir := t.TempDir()
	r := startWatch(t, dir)
	defer r.stop()
	watched := testimage.WriteJPEG(t, filepath.Join(dir, "from-camera.jpg"), testimage.Noisy(320, 240))
	r.collect(1)

	named := testimage.WriteJPEG(t, filepath.Join(t.TempDir(), "elsewhere.jpg"), testimage.Noisy(320, 240))
	code, out, stderr := runMain("compress", "--json", dir, named)
	if code != ExitOK || strings.Contains(stderr, "warning") {
		t.Fatalf("compress beside a watch: exit %d, stderr %q", code, stderr)
	}
	lines := jsonLines(t, out)
	if len(lines) != 3 {
		t.Errorf("want two files and a summary: %s", out)
	}
	for _, l := range lines {
		if l["path"] == filepath.Join(dir, "from-camera.webp") || l["status"] == "failed" {
			t.Errorf("compress took the watch's output for an image, or failed: %v", l)
		}
	}
	if got := sortedNames(t, dir); !reflect.DeepEqual(got, []string{"from-camera.jpg", "from-camera.webp"}) {
		t.Errorf("folder holds %v (from %s)", got, watched)
	}
	r.collect(0) // and the watch saw nothing new
}

// A second watch of a folder already watched (by another process: the
// lock is a file lock) is refused at once, so no new file is compressed twice.
func TestWatch_SecondWatchOfAFolderRefused(t *testing.T) {
	dir := t.TempDir()
	r := startWatch(t, dir)
	defer r.stop()
	code, _, stderr := runMain("watch", dir)
	if code != ExitFailed || !strings.Contains(stderr, "already watched by another Fluxdesk") {
		t.Errorf("second watch: exit %d, %q", code, stderr)
	}
}

// With --json, a folder that cannot be watched is a JSON object on stdout.
func TestWatch_JSONReportsFolderErrorsAsJSON(t *testing.T) {
	dir := t.TempDir()
	r := startWatch(t, dir)
	defer r.stop()
	code, stdout, stderr := runMain("watch", "--json", dir)
	if code != ExitFailed {
		t.Errorf("second watch: exit %d", code)
	}
	checkJSONProblem(t, stdout, stderr, "watch", "already watched by another Fluxdesk")

	code, stdout, stderr = runMain("watch", "--json", filepath.Join(dir, "missing"))
	if code != ExitFailed {
		t.Errorf("missing folder: exit %d", code)
	}
	checkJSONProblem(t, stdout, stderr, "watch", "missing")
}

// With --json, each folder's state is an object holding the session's
// counts for it, and stopping ends with one "stopped" object per folder.
func TestWatch_JSONFolderStatesCarryTheCounts(t *testing.T) {
	dir := t.TempDir()
	r := startWatch(t, dir)
	img := testimage.Noisy(80, 60)
	photo := testimage.WriteJPEG(t, filepath.Join(dir, "photo.jpg"), img)
	checkDone(t, r.collect(1), []string{photo}, 80, 60)
	r.stop()
	var last folderLine
	deadline := time.After(10 * time.Second)
	for last.State != "stopped" {
		select {
		case last = <-r.folders:
		case <-deadline:
			t.Fatalf("no stopped object; last folder object %+v", last)
		}
	}
	want := folderLine{Folder: dir, State: "stopped", Queued: 1, Done: 1, Saved: last.Saved}
	if last != want || last.Saved <= 0 {
		t.Errorf("stopped object %+v, want %+v with bytes saved", last, want)
	}
}

func TestWatch_Usage(t *testing.T) {
	for _, args := range [][]string{{"watch"}, {"watch", "--settle", "0s", "."}, {"watch", "--quality", "101", "."}} {
		if code, _, _ := runMain(args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}
