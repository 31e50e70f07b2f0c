package engine_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fluxdesk/engine"
	"fluxdesk/internal/testproc"
)

func TestPipeline_UnreadableFolderFailsAlone(t *testing.T) {
	if testproc.AsNobody(t) {
		return
	}
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "good.jpg"), filler(5000))
	locked := filepath.Join(dir, "locked")
	writeFile(t, filepath.Join(locked, "hidden-away.jpg"), filler(5000))
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })

	final, sum := run(t, scriptedCompressor{1, webpResult(t)}, nil, engine.DefaultOptions(), dir)
	if e := final[locked]; e.Status != engine.StatusFailed || !strings.Contains(e.Message, "permission denied") {
		t.Errorf("locked folder: %+v", e)
	}
	if final[good].Status != engine.StatusDone || sum.Done != 1 || sum.Failed != 1 {
		t.Errorf("good: %+v, summary %+v", final[good], sum)
	}
}

func TestPipeline_ReadOnlyFolderGetsNoOutput(t *testing.T) {
	if testproc.AsNobody(t) {
		return
	}
	dir := t.TempDir()
	orig := writeFile(t, filepath.Join(dir, "ro", "a.jpg"), filler(5000))
	ro := filepath.Dir(orig)
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(ro, 0o755) })

	final, _ := run(t, scriptedCompressor{1, webpResult(t)}, nil, engine.DefaultOptions(), orig)
	if e := final[orig]; e.Status != engine.StatusFailed || !strings.Contains(e.Message, "permission denied") {
		t.Errorf("event = %+v", e)
	}
	if got := listTree(t, ro); !reflect.DeepEqual(got, []string{"a.jpg"}) {
		t.Errorf("read-only folder holds %v", got)
	}
}
