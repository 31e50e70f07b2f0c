package cli

import (
	"encoding/json"
	"fluxdesk/internal/testimage"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fluxdesk/engine/settings"
)

func TestCompress_AutoQualityReportsTheChoice(t *testing.T) {
	dir := t.TempDir()
	photo := testimage.WriteJPEG(t, filepath.Join(dir, "photo.jpg"), testimage.Noisy(320, 240))
	code, out, errOut := runMain("compress", "--quality", "auto", "--json", photo)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	objs := jsonLines(t, out)
	q, ok := objs[0]["quality"].(float64)
	if objs[0]["status"] != "done" || !ok || q < 10 || q > 100 {
		t.Fatalf("file line %v: want done with a numeric quality", objs[0])
	}
	if _, err := decodeWebP(t, filepath.Join(dir, "photo.webp")); err != nil {
		t.Fatal(err)
	}

	// The human line says what auto chose.
	code, out, errOut = runMain("compress", "--quality", "auto", "--keep-larger", photo)
	if code != ExitOK || !strings.Contains(out, "auto → q") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestCompress_QualityKeyIsLosslessOrNull(t *testing.T) {
	dir := t.TempDir()
	src := testimage.WritePNG(t, filepath.Join(dir, "a.png"), testimage.Noisy(120, 90))
	bad := filepath.Join(dir, "bad.jpg")
	testimage.Write(t, bad, []byte("<html>not an image</html>"))
	_, out, _ := runMain("compress", "--lossless", "--keep-larger", "--json", src, bad)
	got := map[string]any{}
	for _, o := range jsonLines(t, out) {
		if p, ok := o["path"].(string); ok {
			got[filepath.Base(p)] = o["quality"]
		}
	}
	if got["a.png"] != "lossless" {
		t.Errorf("lossless file: quality %v", got["a.png"])
	}
	if q, ok := got["bad.jpg"]; !ok || q != nil {
		t.Errorf("failed file: quality %v (present %v), want null", q, ok)
	}
}

func TestCompress_AutoQualityUsage(t *testing.T) {
	srv, dir := remoteSetup(t, keyA)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"remote refuses auto", []string{"compress", "--engine", "remote", "--api-url", srv.URL, "--quality", "auto", dir}, "needs the local engine"},
		{"auto or lossless", []string{"compress", "--quality", "auto", "--lossless", dir}, "lossless or auto"},
		{"not a quality", []string{"compress", "--quality", "best", dir}, "or auto"},
		{"target out of range", []string{"compress", "--quality", "auto", "--target", "120", dir}, "between 0 and 100"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runMain(c.args...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, want %d with %q: %s", code, ExitUsage, c.want, stderr)
			}
		})
	}
	if n := len(srv.Seen().Compress) + srv.Seen().UsageCalls; n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestCompress_SettingsAutoQualityStaysLocal(t *testing.T) {
	srv, dir := remoteSetup(t, keyA)
	s := settings.Default()
	s.AutoQuality, s.Quality = true, 64
	writeSettings(t, s)
	// The local engine takes auto from the settings.
	code, out, errOut := runMain("compress", "--keep-larger", "--out", t.TempDir(), filepath.Join(dir, "a.png"))
	if code != ExitOK || !strings.Contains(out, "auto → ") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	// The remote engine gets the settings' fixed quality, never "auto".
	code, out, errOut = runMain("compress", "--engine", "remote", "--api-url", srv.URL, "--json", "--out", t.TempDir(), dir)
	if code != ExitOK {
		t.Fatalf("remote: exit %d: %s", code, errOut)
	}
	for _, o := range jsonLines(t, out) {
		if o["path"] != nil && o["quality"] != float64(64) {
			t.Errorf("remote file line %v: want quality 64", o)
		}
	}
	for _, req := range srv.Seen().Compress {
		if req.Fields["quality"] != "64" {
			t.Errorf("the service was sent quality %q", req.Fields["quality"])
		}
	}
}

func TestWatch_AutoQuality(t *testing.T) {
	dir := t.TempDir()
	w := startWatch(t, "--quality", "auto", dir)
	// A photo-like JPEG: lossy coding reaches the target on it (a PNG
	// of raw grain would take lossless, which no lossy quality matches).
	src := filepath.Join(dir, "arrived.jpg")
	testimage.WriteJPEG(t, src, testimage.Noisy(320, 240))
	got := w.collect(1)
	w.stop()
	l, ok := got[src]
	if !ok || l.Status != "done" {
		t.Fatalf("results %+v", got)
	}
	raw, _ := json.Marshal(l.Quality)
	if q, ok := l.Quality.(float64); !ok || q < 10 || q > 100 {
		t.Errorf("quality %s, want a number chosen by auto", raw)
	}
	if _, err := os.Stat(l.Output); err != nil {
		t.Error(err)
	}
}
