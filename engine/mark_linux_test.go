package engine_test

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"fluxdesk/engine"
)

// An output in a format without room for a mark (here PNG, as the Fluximage
// service may return) is marked in an extended attribute: without any record
// a later run still replaces it rather than writing a -min copy.
func TestPipeline_AttributeMarkKnownWithoutRecord(t *testing.T) {
	dir := t.TempDir()
	probe := writeFile(t, filepath.Join(dir, "probe"), nil)
	if err := syscall.Setxattr(probe, "user.probe", []byte("1"), 0); err != nil {
		t.Fatalf("the test folder's file system keeps no extended attributes: %v", err)
	}
	os.Remove(probe)
	var small bytes.Buffer
	png.Encode(&small, image.NewGray(image.Rect(0, 0, 8, 8)))
	pngResult := func(engine.Job, []byte) engine.Result {
		return engine.Result{Data: small.Bytes(), Format: "png", Width: 8, Height: 8}
	}
	orig := writeFile(t, filepath.Join(dir, "a.jpg"), filler(5000))
	for range 3 {
		final, sum := run(t, scriptedCompressor{1, pngResult}, nil, engine.DefaultOptions(), dir)
		if sum.Done != 1 || filepath.Base(final[orig].Output) != "a.png" {
			t.Fatalf("summary %+v, events %v", sum, final)
		}
	}
	if mark, ok := engine.ReadMark(filepath.Join(dir, "a.png")); !ok || mark != sha256.Sum256(filler(5000)) {
		t.Errorf("the PNG output carries no mark of its original (%v)", ok)
	}
	assertOneOutputEach(t, dir, 1)
}
