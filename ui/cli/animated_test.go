package cli

import (
	"bytes"
	"image"
	"image/color/palette"
	"image/gif"
	"os"
	"path/filepath"
	"reflect"
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
// each is skipped with the reason and left exactly as it was, while a
// one-frame GIF beside them is compressed.
func TestCompress_AnimatedImagesAreKeptAsTheyAre(t *testing.T) {
	dir := t.TempDir()
	animated := copyAnimated(t, dir)
	before := map[string][]byte{}
	for _, p := range animated {
		before[p], _ = os.ReadFile(p)
	}
	var still bytes.Buffer
	frame := image.NewPaletted(image.Rect(0, 0, 300, 200), palette.Plan9)
	for i := range frame.Pix {
		frame.Pix[i] = uint8(i*7 + i/300)
	}
	if err := gif.Encode(&still, frame, nil); err != nil {
		t.Fatal(err)
	}
	stillPath := testimage.Write(t, filepath.Join(dir, "still.gif"), still.Bytes())

	code, stdout, stderr := runMain("compress", "--json", "--replace", "--keep-larger", dir)
	if code != ExitOK {
		t.Errorf("exit %d: %s", code, stderr)
	}
	results := map[string]map[string]any{}
	for _, l := range jsonLines(t, stdout) {
		if p, ok := l["path"].(string); ok {
			results[p] = l
		}
	}
	for _, p := range animated {
		if got := results[p]; got["status"] != "skipped" || got["error"] != engine.KeptAnimated {
			t.Errorf("%s: %v, want skipped with %q", filepath.Base(p), got, engine.KeptAnimated)
		}
		if after, err := os.ReadFile(p); err != nil || !bytes.Equal(after, before[p]) {
			t.Errorf("%s was changed: %v", filepath.Base(p), err)
		}
	}
	if got := results[stillPath]; got["status"] != "done" {
		t.Errorf("still GIF: %v", got)
	}
	backups, _ := os.ReadDir(filepath.Join(dir, engine.BackupDirName))
	var names []string
	for _, b := range backups {
		names = append(names, b.Name())
	}
	if !reflect.DeepEqual(names, []string{"still.gif"}) {
		t.Errorf("backups %v, want the still GIF's only", names)
	}
}
