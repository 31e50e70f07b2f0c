package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"fluxdesk/engine"
	"fluxdesk/internal/testimage"
)

// copyAnimated copies the animated GIF, WebP and APNG of engine/testdata
// into dir and returns their paths.
func copyAnimated(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	for _, name := range []string{"animated.gif", "animated.webp", "animated.png"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "engine", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, testimage.Write(t, filepath.Join(dir, name), data))
	}
	return paths
}

// Animated images are never flattened to a still, not even with --replace:
// an animated GIF becomes an animated WebP, the animated WebP and APNG are
// skipped with the reason and left exactly as they were.
func TestCompress_AnimatedImagesAreNeverFlattened(t *testing.T) {
	dir := t.TempDir()
	animated := copyAnimated(t, dir)
	before := map[string][]byte{}
	for _, p := range animated {
		before[p], _ = os.ReadFile(p)
	}
	code, stdout, stderr := runMain("compress", "--json", "--replace", dir)
	if code != ExitOK {
		t.Errorf("exit %d: %s", code, stderr)
	}
	results := map[string]map[string]any{}
	for _, l := range jsonLines(t, stdout) {
		if p, ok := l["path"].(string); ok {
			results[p] = l
		}
	}
	gifPath, kept := animated[0], animated[1:]
	for _, p := range kept {
		if got := results[p]; got["status"] != "skipped" || got["error"] != engine.KeptAnimated {
			t.Errorf("%s: %v, want skipped with %q", filepath.Base(p), got, engine.KeptAnimated)
		}
		if after, err := os.ReadFile(p); err != nil || !bytes.Equal(after, before[p]) {
			t.Errorf("%s was changed: %v", filepath.Base(p), err)
		}
	}
	got := results[gifPath]
	out, _ := got["output"].(string)
	data, err := os.ReadFile(out)
	if got["status"] != "done" || err != nil {
		t.Fatalf("animated GIF: %v (%v)", got, err)
	}
	if len(data) < 21 || string(data[12:16]) != "VP8X" || data[20]&0x02 == 0 || bytes.Count(data, []byte("ANMF")) != 3 {
		t.Errorf("%s is not an animated WebP of 3 frames", filepath.Base(out))
	}
	backup, err := os.ReadFile(filepath.Join(dir, engine.BackupDirName, "animated.gif"))
	if err != nil || !bytes.Equal(backup, before[gifPath]) {
		t.Errorf("the GIF is not in its backup: %v", err)
	}
}
