package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fluxdesk/internal/testimage"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	xwebp "golang.org/x/image/webp"

	"fluxdesk/engine/settings"
)

// runMain runs the command line in-process and returns its exit status and
// what it printed.
func runMain(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// hostilePNG is a valid PNG whose header claims width×height pixels.
func hostilePNG(t *testing.T, width, height uint32) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := b.Bytes()
	// IHDR: length(4) "IHDR"(4) width(4) height(4) …, then CRC over type+data.
	binary.BigEndian.PutUint32(data[16:], width)
	binary.BigEndian.PutUint32(data[20:], height)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

// assertKeys fails unless obj has exactly the keys want (sorted).
func assertKeys(t *testing.T, obj map[string]any, want ...string) {
	t.Helper()
	keys := slices.Sorted(maps.Keys(obj))
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want exactly %v", keys, want)
	}
}

// jsonLines decodes one JSON object per line.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		objs = append(objs, m)
	}
	return objs
}

func sortedNames(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestCompress_JSONLinesAndSummary(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WriteJPEG(t, filepath.Join(dir, "shot.jpg"), testimage.Noisy(320, 240))
	code, out, errOut := runMain("compress", src, "--json", "--quality", "70")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	objs := jsonLines(t, out)
	if len(objs) != 2 {
		t.Fatalf("got %d lines: %s", len(objs), out)
	}
	assertKeys(t, objs[0], "bytes_in", "bytes_out", "error", "output", "path", "quality", "status")
	info, _ := os.Stat(src)
	outPath := filepath.Join(dir, "shot.webp")
	outInfo, err := os.Stat(outPath)
	if err != nil {
		t.Fatal(err)
	}
	f := objs[0]
	if f["status"] != "done" || f["path"] != src || f["output"] != outPath || f["error"] != "" || f["quality"] != float64(70) ||
		f["bytes_in"] != float64(info.Size()) || f["bytes_out"] != float64(outInfo.Size()) {
		t.Errorf("file line %v", f)
	}
	sum, ok := objs[1]["summary"].(map[string]any)
	if !ok || sum["done"] != float64(1) || sum["failed"] != float64(0) || sum["bytes_out"] != float64(outInfo.Size()) {
		t.Errorf("summary line %v", objs[1])
	}
	if _, ok := sum["seconds"].(float64); !ok {
		t.Errorf("summary has no seconds: %v", sum)
	}
	decoded, err := decodeWebP(t, outPath)
	if err != nil || decoded.Bounds().Dx() != 320 || decoded.Bounds().Dy() != 240 {
		t.Errorf("output does not decode to 320×240: %v", err)
	}
}

func TestCompress_BadInputFailsAloneAndLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, testimage.Noisy(200, 150), nil)
	good := testimage.WritePNG(t, filepath.Join(dir, "ok photo ünï.png"), testimage.Noisy(200, 150))
	bad := map[string]struct {
		data []byte
		want string
	}{
		"empty.jpg":     {nil, "empty"},
		"page.jpg":      {[]byte("<!DOCTYPE html><html><body>Not found</body></html>"), "HTML"},
		"notes.png":     {[]byte("just some text, not a picture\n"), "text"},
		"cut.jpg":       {jpg.Bytes()[:jpg.Len()/3], "truncated"},
		"hostile.png":   {hostilePNG(t, 100000, 100000), "megapixel"},
		"noise.gif":     {bytes.Repeat([]byte{0x13, 0x37}, 500), "not an image"},
		"document.webp": {[]byte("%PDF-1.7\n%âãÏÓ\n"), "PDF"},
	}
	args := []string{"compress", "--json", good}
	for name, b := range bad {
		args = append(args, testimage.Write(t, filepath.Join(dir, name), b.data))
	}
	args = append(args, filepath.Join(dir, "missing.jpg"))
	code, out, _ := runMain(args...)
	if code != ExitFailed {
		t.Errorf("exit %d, want %d", code, ExitFailed)
	}
	byName := map[string]map[string]any{}
	for _, o := range jsonLines(t, out) {
		if p, ok := o["path"].(string); ok {
			byName[filepath.Base(p)] = o
		}
	}
	if byName["ok photo ünï.png"]["status"] != "done" {
		t.Errorf("good file: %v", byName["ok photo ünï.png"])
	}
	for name, b := range bad {
		o := byName[name]
		if o["status"] != "failed" || !strings.Contains(o["error"].(string), b.want) {
			t.Errorf("%s: %v, want failed mentioning %q", name, o, b.want)
		}
	}
	if o := byName["missing.jpg"]; o["status"] != "failed" {
		t.Errorf("missing: %v", o)
	}
	want := []string{"cut.jpg", "document.webp", "empty.jpg", "hostile.png", "noise.gif", "notes.png", "ok photo ünï.png", "ok photo ünï.webp", "page.jpg"}
	if got := sortedNames(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
}

func TestCompress_ExitStatusAndUsage(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WritePNG(t, filepath.Join(dir, "a.png"), testimage.Noisy(64, 64))
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"compress"}, ExitUsage, "no files or folders"},
		{[]string{"compress", "--quality", "101", src}, ExitUsage, "quality"},
		{[]string{"compress", "--engine", "magic", src}, ExitUsage, "unknown engine"},
		{[]string{"compress", "--out", dir, "--replace", src}, ExitUsage, "not both"},
		{[]string{"compress", "--bogus", src}, ExitUsage, "bogus"},
		{[]string{"frobnicate"}, ExitUsage, `unknown command "frobnicate"`},
		{[]string{"compres", src}, ExitUsage, `unknown command "compres"; did you mean compress?`},
		{[]string{"ky", "status"}, ExitUsage, "did you mean key?"},
	}
	for _, tt := range tests {
		code, _, errOut := runMain(tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", tt.args, code, errOut, tt.code, tt.msg)
		}
	}
	if got := sortedNames(t, dir); !reflect.DeepEqual(got, []string{"a.png"}) {
		t.Errorf("usage errors wrote files: %v", got)
	}
}

func TestCompress_MaxSizeLosslessAndOutDir(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WritePNG(t, filepath.Join(dir, "in", "wide.png"), testimage.Noisy(400, 200))
	out := filepath.Join(dir, "out")
	code, _, errOut := runMain("compress", "--max-width", "100", "--lossless", "--keep-larger", "--out", out, filepath.Join(dir, "in"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	img, err := decodeWebP(t, filepath.Join(out, "in", "wide.webp"))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 100 || b.Dy() != 50 {
		t.Errorf("output is %v, want 100×50", b.Size())
	}
	if got := sortedNames(t, filepath.Dir(src)); !reflect.DeepEqual(got, []string{"wide.png"}) {
		t.Errorf("input folder changed: %v", got)
	}
}

func TestCompress_HumanOutput(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WriteJPEG(t, filepath.Join(dir, "a.jpg"), testimage.Noisy(300, 200))
	code, out, _ := runMain("compress", src, filepath.Join(dir, "nope.jpg"))
	if code != ExitFailed {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(out, "done") || !strings.Contains(out, "a.webp") ||
		!strings.Contains(out, "2 files: 1 done, 0 skipped, 1 failed") || !strings.Contains(out, "saved") {
		t.Errorf("stdout: %q", out)
	}
}

func decodeWebP(t *testing.T, path string) (image.Image, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return xwebp.Decode(f)
}

func TestCompress_SecondRunReplacesOwnOutputsOnly(t *testing.T) {
	dir := t.TempDir()
	a := testimage.WriteJPEG(t, filepath.Join(dir, "a.jpg"), testimage.Noisy(300, 200))
	b := testimage.WriteJPEG(t, filepath.Join(dir, "b.jpg"), testimage.Noisy(300, 200))
	foreign := testimage.Write(t, filepath.Join(dir, "b.webp"), []byte("somebody else's file"))
	for run := 1; run <= 2; run++ {
		code, out, errOut := runMain("compress", "--json", a, b)
		if code != ExitOK {
			t.Fatalf("run %d: exit %d: %s", run, code, errOut)
		}
		if n := len(jsonLines(t, out)); n != 3 {
			t.Errorf("run %d: %d lines, want 2 files and a summary: %s", run, n, out)
		}
	}
	want := []string{"a.jpg", "a.webp", "b-min.webp", "b.jpg", "b.webp"}
	if got := sortedNames(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
	if data, _ := os.ReadFile(foreign); string(data) != "somebody else's file" {
		t.Error("a file Fluxdesk did not write was overwritten")
	}
}

func TestCompress_FolderRunSkipsOwnOutputs(t *testing.T) {
	dir := t.TempDir()
	testimage.WriteJPEG(t, filepath.Join(dir, "a.jpg"), testimage.Noisy(300, 200))
	for run := 1; run <= 2; run++ {
		code, out, errOut := runMain("compress", "--json", dir)
		if code != ExitOK {
			t.Fatalf("run %d: exit %d: %s", run, code, errOut)
		}
		if lines := jsonLines(t, out); len(lines) != 2 || lines[0]["status"] != "done" {
			t.Errorf("run %d: want only a.jpg done: %s", run, out)
		}
	}
	if got := sortedNames(t, dir); !reflect.DeepEqual(got, []string{"a.jpg", "a.webp"}) {
		t.Errorf("folder holds %v", got)
	}
}

// writeSettings stores the window's settings for the rest of the test.
func writeSettings(t *testing.T, s settings.Settings) {
	t.Helper()
	path, err := settings.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if err := settings.Save(path, s); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(path) })
}

func TestCompress_DefaultsComeFromTheWindowsSettings(t *testing.T) {
	s := settings.Default()
	s.MaxWidth = 100
	s.Output = settings.OutputReplace // never taken from the settings
	writeSettings(t, s)
	dir := t.TempDir()
	src := testimage.WritePNG(t, filepath.Join(dir, "wide.png"), testimage.Noisy(400, 200))

	if code, _, errOut := runMain("compress", src); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	img, err := decodeWebP(t, filepath.Join(dir, "wide.webp"))
	if err != nil || img.Bounds().Dx() != 100 {
		t.Fatalf("settings' max width not applied: %v %v", err, img)
	}
	if _, err := os.Stat(src); err != nil {
		t.Error("the original was replaced: where outputs go must come from the command line")
	}

	if code, _, errOut := runMain("compress", "--max-width", "0", src); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if img, err := decodeWebP(t, filepath.Join(dir, "wide.webp")); err != nil || img.Bounds().Dx() != 400 {
		t.Errorf("the flag did not override the setting: %v", err)
	}
}

func TestCompress_UnreadableSettingsWarnAndUseDefaults(t *testing.T) {
	path, _ := settings.DefaultPath()
	testimage.Write(t, path, []byte("{not json"))
	t.Cleanup(func() { os.Remove(path) })
	src := testimage.WriteJPEG(t, filepath.Join(t.TempDir(), "a.jpg"), testimage.Noisy(200, 100))
	code, _, errOut := runMain("compress", src)
	if code != ExitOK || !strings.Contains(errOut, "not valid JSON") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestCompress_LocalEngineIgnoresTheSettingsRemoteFormat(t *testing.T) {
	s := settings.Default()
	s.Engine, s.Format = settings.EngineRemote, "avif"
	writeSettings(t, s)
	src := testimage.WriteJPEG(t, filepath.Join(t.TempDir(), "a.jpg"), testimage.Noisy(200, 100))
	if code, _, errOut := runMain("compress", "--engine", "local", src); code != ExitOK {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if code, _, errOut := runMain("compress", "--engine", "local", "--format", "avif", src); code != ExitUsage || !strings.Contains(errOut, "webp only") {
		t.Errorf("an explicit --format avif with the local engine: exit %d, %q", code, errOut)
	}
}

// A damaged record is moved aside with a warning that, under --json, is a
// JSON object on stdout like every other run-wide warning.
func TestCompress_DamagedRecordWarnsInJSON(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	db := filepath.Join(state, "fluxdesk", "record.db")
	testimage.Write(t, db, bytes.Repeat([]byte("not a database "), 1000))
	src := filepath.Join(t.TempDir(), "photo.png")
	testimage.WritePNG(t, src, testimage.Noisy(64, 48))

	code, out, errOut := runMain("compress", "--json", src)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing on stderr", code, errOut)
	}
	var warned bool
	for _, o := range jsonLines(t, out) {
		if w, _ := o["warning"].(string); strings.Contains(w, "moved aside") {
			warned = true
			assertKeys(t, o, "command", "warning")
		}
	}
	if !warned {
		t.Errorf("no JSON warning that the record was moved aside in:\n%s", out)
	}
}
