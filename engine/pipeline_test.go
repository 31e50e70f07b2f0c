package engine_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fluxdesk/engine"
)

func TestPipeline_WritesBesideOriginal(t *testing.T) {
	dir := t.TempDir()
	orig := writeFile(t, filepath.Join(dir, "photo.jpg"), filler(5000))
	final, sum := run(t, scriptedCompressor{2, webpResult(t)}, nil, engine.DefaultOptions(), orig)

	e := final[orig]
	if e.Status != engine.StatusDone || e.Output != filepath.Join(dir, "photo.webp") {
		t.Fatalf("event = %+v, want done into photo.webp", e)
	}
	if !bytes.Equal(mustRead(t, orig), filler(5000)) {
		t.Error("original changed")
	}
	if got := int64(len(mustRead(t, e.Output))); got != e.BytesOut || e.BytesIn != 5000 {
		t.Errorf("bytes in/out = %d/%d, file is %d", e.BytesIn, e.BytesOut, got)
	}
	if sum.Done != 1 || sum.BytesIn != 5000 || sum.BytesOut != e.BytesOut {
		t.Errorf("summary = %+v", sum)
	}
	if got, want := listTree(t, dir), []string{"photo.jpg", "photo.webp"}; !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
}

func TestPipeline_OutputNames(t *testing.T) {
	tests := []struct {
		name     string
		existing map[string]bool // file name → written by Fluxdesk for photo.*
		input    string
		want     string
	}{
		{"webp input gets -min", nil, "photo.webp", "photo-min.webp"},
		{"foreign output is not overwritten", map[string]bool{"photo.webp": false}, "photo.jpg", "photo-min.webp"},
		{"both names foreign", map[string]bool{"photo.webp": false, "photo-min.webp": false}, "photo.jpg", "photo-min-2.webp"},
		{"our own earlier output is replaced", map[string]bool{"photo.webp": true}, "photo.jpg", "photo.webp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			orig := writeFile(t, filepath.Join(dir, tt.input), filler(5000))
			ledger := newRecord(t)
			foreign := map[string][]byte{}
			for name, ours := range tt.existing {
				path := writeFile(t, filepath.Join(dir, name), []byte("someone else's "+name))
				if ours {
					info, _ := os.Stat(path)
					ledger.Wrote(engine.Written{Source: orig, Output: path, Size: info.Size(), ModTime: info.ModTime()})
				} else {
					foreign[path] = mustRead(t, path)
				}
			}
			final, _ := run(t, scriptedCompressor{1, webpResult(t)}, ledger, engine.DefaultOptions(), orig)
			if e := final[orig]; e.Status != engine.StatusDone || e.Output != filepath.Join(dir, tt.want) {
				t.Fatalf("event = %+v, want done into %s", e, tt.want)
			}
			for path, content := range foreign {
				if !bytes.Equal(mustRead(t, path), content) {
					t.Errorf("%s was overwritten", filepath.Base(path))
				}
			}
		})
	}
}

func TestPipeline_SameStemTwiceGetsTwoOutputs(t *testing.T) {
	dir := t.TempDir()
	jpg := writeFile(t, filepath.Join(dir, "photo.jpg"), filler(5000))
	png := writeFile(t, filepath.Join(dir, "photo.png"), filler(6000))
	final, _ := run(t, scriptedCompressor{2, webpResult(t)}, nil, engine.DefaultOptions(), jpg, png)
	outs := []string{filepath.Base(final[jpg].Output), filepath.Base(final[png].Output)}
	if outs[0] == outs[1] || final[jpg].Status != engine.StatusDone || final[png].Status != engine.StatusDone {
		t.Fatalf("outputs %v, events %+v %+v", outs, final[jpg], final[png])
	}
}

func TestPipeline_NoGain(t *testing.T) {
	for _, keep := range []bool{false, true} {
		dir := t.TempDir()
		orig := writeFile(t, filepath.Join(dir, "small.png"), filler(20))
		opts := engine.DefaultOptions()
		opts.KeepLarger = keep
		final, sum := run(t, scriptedCompressor{1, webpResult(t)}, nil, opts, orig)
		e := final[orig]
		if keep {
			if e.Status != engine.StatusDone {
				t.Errorf("keep larger: %+v", e)
			}
			continue
		}
		if e.Status != engine.StatusSkipped || !strings.Contains(e.Message, "no gain") || sum.Skipped != 1 || !e.Processed() || e.Cancelled {
			t.Errorf("event = %+v, summary %+v; want skipped for no gain", e, sum)
		}
		if got := listTree(t, dir); !reflect.DeepEqual(got, []string{"small.png"}) {
			t.Errorf("folder holds %v", got)
		}
	}
}

func TestPipeline_RefusesInvalidResults(t *testing.T) {
	good := tinyWebP(t, 8, 8)
	tests := []struct {
		name, want string
		result     engine.Result
	}{
		{"html page", "HTML page", engine.Result{Data: []byte("<!DOCTYPE html><html>502</html>"), Format: "webp"}},
		{"truncated", "truncated", engine.Result{Data: good[:len(good)-10], Format: "webp"}},
		{"wrong size", "not the expected 9×8", engine.Result{Data: good, Format: "webp", Width: 9, Height: 8}},
		{"png claimed as webp", "not a WebP", engine.Result{Data: []byte("\x89PNG\r\n\x1a\nxxxxxxxxxxxxxxxx"), Format: "webp"}},
		{"empty", "empty", engine.Result{Format: "webp"}},
		{"encoder error", "boom", engine.Result{Err: errors.New("boom")}},
		{"json as jpg", "JSON", engine.Result{Data: []byte(`{"error":"Unauthorized"}`), Format: "jpg"}},
		{"not avif", "not an AVIF", engine.Result{Data: []byte("<html>nope</html>"), Format: "avif"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			orig := writeFile(t, filepath.Join(dir, "a.jpg"), filler(5000))
			final, _ := run(t, scriptedCompressor{1, func(engine.Job, []byte) engine.Result { return tt.result }}, nil, engine.DefaultOptions(), orig)
			e := final[orig]
			if e.Status != engine.StatusFailed || !strings.Contains(e.Message, tt.want) {
				t.Errorf("event = %+v, want failed mentioning %q", e, tt.want)
			}
			if got := listTree(t, dir); !reflect.DeepEqual(got, []string{"a.jpg"}) {
				t.Errorf("folder holds %v", got)
			}
		})
	}
}

func TestPipeline_ReplaceKeepsBackup(t *testing.T) {
	for _, name := range []string{"pic.jpg", "pic.webp"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			orig := writeFile(t, filepath.Join(dir, name), filler(5000))
			writeFile(t, filepath.Join(dir, engine.BackupDirName, name), []byte("an older backup"))
			opts := engine.DefaultOptions()
			opts.Replace = true
			final, _ := run(t, scriptedCompressor{1, webpResult(t)}, nil, opts, orig)
			if e := final[orig]; e.Status != engine.StatusDone || e.Output != filepath.Join(dir, "pic.webp") {
				t.Fatalf("event = %+v", e)
			}
			ext := filepath.Ext(name)
			backup := filepath.Join(dir, engine.BackupDirName, "pic (2)"+ext)
			if !bytes.Equal(mustRead(t, backup), filler(5000)) {
				t.Error("original not found in its backup")
			}
			if e := final[orig]; e.Backup != backup {
				t.Errorf("event names the backup %q, want %q", e.Backup, backup)
			}
			backups, err := engine.ReadBackups(dir)
			if err != nil || len(backups) != 2 || backups[0].Path != backup || backups[0].Note == nil ||
				backups[0].Note.Original != name || backups[0].Note.Output != "pic.webp" || backups[1].Note != nil {
				t.Errorf("backups %+v, %v", backups, err)
			}
			if !bytes.Equal(mustRead(t, filepath.Join(dir, engine.BackupDirName, name)), []byte("an older backup")) {
				t.Error("an older backup was overwritten")
			}
			if name == "pic.jpg" {
				if _, err := os.Stat(orig); !os.IsNotExist(err) {
					t.Error("the original is still in place")
				}
			}
		})
	}
}

// Replacing a symbolic link would swap it for a file and leave its target
// as it was: links are refused, named directly or found in a folder, before
// any work is spent on them.
func TestPipeline_ReplaceRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := writeFile(t, filepath.Join(dir, "real", "a.jpg"), filler(5000))
	folder := filepath.Join(dir, "folder")
	links := []string{filepath.Join(dir, "link.jpg"), filepath.Join(folder, "inner.jpg")}
	for _, link := range links {
		os.MkdirAll(filepath.Dir(link), 0o755)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	opts := engine.DefaultOptions()
	opts.Replace = true
	var compressed atomic.Int32
	good := webpResult(t)
	c := scriptedCompressor{1, func(j engine.Job, data []byte) engine.Result {
		compressed.Add(1)
		return good(j, data)
	}}
	final, _ := run(t, c, nil, opts, links[0], folder)
	for _, link := range links {
		if e := final[link]; e.Status != engine.StatusFailed || !strings.Contains(e.Message, "symbolic link") {
			t.Errorf("%s: event = %+v", filepath.Base(link), e)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s was changed", filepath.Base(link))
		}
	}
	if n := compressed.Load(); n != 0 {
		t.Errorf("%d links were compressed before being refused", n)
	}
}

// In a long-lived pipeline (the window, a watch), an original compressed a
// second time replaces its own earlier output rather than getting a new name.
func TestPipeline_SameOriginalAgainReplacesItsOutput(t *testing.T) {
	dir := t.TempDir()
	orig := writeFile(t, filepath.Join(dir, "a.jpg"), filler(5000))
	var outputs []string
	p := engine.New(scriptedCompressor{1, webpResult(t)}, newRecord(t), func(e engine.Event) {
		if e.Status.Final() {
			outputs = append(outputs, e.Output)
		}
	})
	reqs := make(chan engine.Request)
	done := make(chan engine.Summary)
	go func() { done <- p.Run(context.Background(), reqs) }()
	reqs <- engine.Request{Path: orig, Options: engine.DefaultOptions()}
	reqs <- engine.Request{Path: orig, Options: engine.DefaultOptions()}
	close(reqs)
	if sum := <-done; sum.Done != 2 {
		t.Fatalf("summary %+v", sum)
	}
	want := filepath.Join(dir, "a.webp")
	if len(outputs) != 2 || outputs[0] != want || outputs[1] != want {
		t.Errorf("outputs %v, want a.webp twice", outputs)
	}
	if got := listTree(t, dir); !reflect.DeepEqual(got, []string{"a.jpg", "a.webp"}) {
		t.Errorf("folder holds %v", got)
	}
}

func TestPipeline_FolderExpansion(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "my photos")
	want := []string{
		writeFile(t, filepath.Join(root, "été 2024.JPG"), filler(5000)),
		writeFile(t, filepath.Join(root, "deep", "er", "b.png"), filler(5000)),
	}
	writeFile(t, filepath.Join(root, "notes.txt"), []byte("not an image"))
	writeFile(t, filepath.Join(root, ".hidden.jpg"), filler(5000))
	writeFile(t, filepath.Join(root, ".cache", "c.jpg"), filler(5000))
	if err := os.Symlink(root, filepath.Join(root, "deep", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone.jpg"), filepath.Join(root, "dangling.jpg")); err != nil {
		t.Fatal(err)
	}
	final, sum := run(t, scriptedCompressor{2, webpResult(t)}, nil, engine.DefaultOptions(), root)
	if sum.Done != 2 || len(final) != 2 {
		t.Fatalf("summary %+v, events %+v", sum, final)
	}
	for _, path := range want {
		if final[path].Status != engine.StatusDone {
			t.Errorf("%s: %+v", path, final[path])
		}
	}
}

func TestPipeline_OneBadPathDoesNotStopTheBatch(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "good.jpg"), filler(5000))
	missing := filepath.Join(dir, "missing.jpg")
	notDir := writeFile(t, filepath.Join(dir, "file"), []byte("x"))
	opts := engine.DefaultOptions()
	opts.OutDir = filepath.Join(notDir, "out") // cannot be created: a file is in the way
	final, sum := run(t, scriptedCompressor{1, webpResult(t)}, nil, engine.DefaultOptions(), missing, good)
	if final[missing].Status != engine.StatusFailed || !strings.Contains(final[missing].Message, "no such file") {
		t.Errorf("missing: %+v", final[missing])
	}
	if final[good].Status != engine.StatusDone || sum.Failed != 1 || sum.Done != 1 {
		t.Errorf("good: %+v, summary %+v", final[good], sum)
	}
	final, _ = run(t, scriptedCompressor{1, webpResult(t)}, nil, opts, good)
	if e := final[good]; e.Status != engine.StatusFailed || !strings.Contains(e.Message, "cannot create the output folder") {
		t.Errorf("blocked output folder: %+v", e)
	}
}

func TestPipeline_OutDirMirrorsTree(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "shoot")
	a := writeFile(t, filepath.Join(root, "a.jpg"), filler(5000))
	b := writeFile(t, filepath.Join(root, "day 2", "b.jpg"), filler(5000))
	single := writeFile(t, filepath.Join(dir, "single.png"), filler(5000))
	opts := engine.DefaultOptions()
	opts.OutDir = filepath.Join(root, "web") // inside the input: must not be read back
	writeFile(t, filepath.Join(opts.OutDir, "stale.jpg"), filler(5000))
	final, sum := run(t, scriptedCompressor{2, webpResult(t)}, nil, opts, root, single)
	want := map[string]string{
		a:      filepath.Join(opts.OutDir, "shoot", "a.webp"),
		b:      filepath.Join(opts.OutDir, "shoot", "day 2", "b.webp"),
		single: filepath.Join(opts.OutDir, "single.webp"),
	}
	for in, out := range want {
		if final[in].Output != out {
			t.Errorf("%s → %q, want %q", in, final[in].Output, out)
		}
	}
	if sum.Done != 3 || len(final) != 3 {
		t.Errorf("summary %+v", sum)
	}
}

func TestPipeline_CancelLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 20 {
		paths = append(paths, writeFile(t, filepath.Join(dir, string(rune('a'+i))+".jpg"), filler(5000)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 20)
	good := webpResult(t)
	c := scriptedCompressor{2, func(j engine.Job, data []byte) engine.Result {
		started <- struct{}{}
		<-ctx.Done() // the encoder is still busy when the user cancels
		return good(j, data)
	}}
	var final []engine.Event
	queued := 0
	p := engine.New(c, nil, func(e engine.Event) {
		if e.Status == engine.StatusQueued {
			queued++
		}
		if e.Status.Final() {
			final = append(final, e)
		}
	})
	go func() {
		select {
		case <-started:
			cancel()
		case <-time.After(10 * time.Second):
			t.Error("no job started")
			cancel()
		}
	}()
	sum := p.Run(ctx, requestsOf(engine.DefaultOptions(), paths...))
	// Paths not yet expanded when the run was cancelled are never queued;
	// every queued one ends, as skipped.
	if !sum.Cancelled || sum.Done != 0 || sum.Skipped != queued || len(final) != queued || queued < 1 {
		t.Errorf("summary %+v, %d queued, %d final events", sum, queued, len(final))
	}
	for _, e := range final {
		if e.Message != "cancelled" || !e.Cancelled || e.Processed() {
			t.Errorf("%+v", e)
		}
	}
	if got := len(listTree(t, dir)); got != 20 {
		t.Errorf("folder holds %d files, want the 20 originals only: %v", got, listTree(t, dir))
	}
}

func TestPipeline_CleansStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	orig := writeFile(t, filepath.Join(dir, "a.jpg"), filler(5000))
	stale := writeFile(t, filepath.Join(dir, ".fluxdesk-999999999-123.tmp"), []byte("partial"))
	live := writeFile(t, filepath.Join(dir, ".fluxdesk-1-456.tmp"), []byte("pid 1 is alive"))
	run(t, scriptedCompressor{1, webpResult(t)}, nil, engine.DefaultOptions(), orig)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("stale temp file left")
	}
	if _, err := os.Stat(live); err != nil {
		t.Error("a running process's temp file was removed")
	}
}

func TestPipeline_SkipsOwnOutputs(t *testing.T) {
	dir := t.TempDir()
	orig := writeFile(t, filepath.Join(dir, "a.jpg"), filler(5000))
	ledger := newRecord(t)
	first, _ := run(t, scriptedCompressor{1, webpResult(t)}, ledger, engine.DefaultOptions(), dir)
	out := first[orig].Output
	second, sum := run(t, scriptedCompressor{1, webpResult(t)}, ledger, engine.DefaultOptions(), dir, out)
	if second[orig].Output != out || sum.Done != 1 {
		t.Errorf("second run: %+v, summary %+v", second, sum)
	}
	if e := second[out]; e.Status != engine.StatusSkipped || !strings.Contains(e.Message, "own output") {
		t.Errorf("output named directly: %+v", e)
	}
	if n := len(listTree(t, dir)); n != 2 {
		t.Errorf("folder holds %v", listTree(t, dir))
	}

	// A request its caller vetted (a watched folder's session checks each
	// settled file against the record first) is not looked up in the
	// ledger again: even a file the record knows as an output is taken.
	vetted, _ := runRequests(t, scriptedCompressor{1, webpResult(t)}, ledger,
		engine.Request{Path: out, Options: engine.DefaultOptions(), Vetted: true})
	if e, ok := vetted[out]; !ok || strings.Contains(e.Message, "own output") {
		t.Errorf("the output, vetted: %+v", e)
	}
}

// A request's Background reaches the jobs it makes, for the local engine
// to lower their priority; other requests' jobs are not background.
func TestPipeline_BackgroundReachesTheJob(t *testing.T) {
	dir := t.TempDir()
	named := writeFile(t, filepath.Join(t.TempDir(), "watched.jpg"), filler(5000))
	inFolder := writeFile(t, filepath.Join(dir, "dropped.jpg"), filler(6000))
	var background sync.Map // path → the job's Background
	produce := webpResult(t)
	c := scriptedCompressor{1, func(job engine.Job, data []byte) engine.Result {
		background.Store(job.Path, job.Background)
		return produce(job, data)
	}}
	runRequests(t, c, nil,
		engine.Request{Path: named, Options: engine.DefaultOptions(), Background: true},
		engine.Request{Path: dir, Options: engine.DefaultOptions()})
	for path, want := range map[string]bool{named: true, inFolder: false} {
		if got, ok := background.Load(path); !ok || got != want {
			t.Errorf("%s: Background %v (job seen %v), want %v", filepath.Base(path), got, ok, want)
		}
	}
}

func TestOptions_Validate(t *testing.T) {
	bad := []func(*engine.Options){
		func(o *engine.Options) { o.Quality = 101 },
		func(o *engine.Options) { o.MaxWidth = -1 },
		func(o *engine.Options) { o.MaxPixels = 0 },
		func(o *engine.Options) { o.Replace, o.OutDir = true, "out" },
		func(o *engine.Options) { o.Format = "" },
	}
	for i, change := range bad {
		o := engine.DefaultOptions()
		change(&o)
		if o.Validate() == nil {
			t.Errorf("case %d: %+v accepted", i, o)
		}
	}
	if err := engine.DefaultOptions().Validate(); err != nil {
		t.Error(err)
	}
}

// requestsOf returns a closed channel of requests.
func requestsOf(opts engine.Options, paths ...string) <-chan engine.Request {
	reqs := make(chan engine.Request, len(paths))
	for _, p := range paths {
		reqs <- engine.Request{Path: p, Options: opts}
	}
	close(reqs)
	return reqs
}

// TestPipeline_KeepsModTime checks that an output gets its original's
// modification time by default, also in place of the original, and the
// time of writing when that is turned off.
func TestPipeline_KeepsModTime(t *testing.T) {
	taken := time.Date(2019, 5, 4, 13, 14, 15, 0, time.UTC)
	tests := []struct {
		name          string
		keep, replace bool
	}{
		{"kept", true, false},
		{"kept in place of the original", true, true},
		{"turned off", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			orig := writeFile(t, filepath.Join(dir, "photo.jpg"), filler(5000))
			if err := os.Chtimes(orig, taken, taken); err != nil {
				t.Fatal(err)
			}
			opts := engine.DefaultOptions()
			opts.KeepModTime, opts.Replace = tc.keep, tc.replace
			start := time.Now()
			final, _ := run(t, scriptedCompressor{1, webpResult(t)}, nil, opts, orig)
			e := final[orig]
			if e.Status != engine.StatusDone {
				t.Fatalf("event = %+v", e)
			}
			info, err := os.Stat(e.Output)
			if err != nil {
				t.Fatal(err)
			}
			got := info.ModTime()
			if tc.keep && !got.Equal(taken) {
				t.Errorf("output modified %v, want the original's %v", got, taken)
			}
			if !tc.keep && got.Before(start.Add(-2*time.Second)) {
				t.Errorf("output modified %v, want the time of writing (after %v)", got, start)
			}
		})
	}
}
