package engine_test

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"fluxdesk/engine"
)

// An original whose name is as long as a file name can be (255 bytes) gets
// an output whose name fits too: shortened (never inside a character), and
// still recognised as its output on the next run.
func TestPipeline_LongNamesGetOutputsThatFit(t *testing.T) {
	dir := t.TempDir()
	long := func(ext string) string { // 255 bytes, with two-byte characters where a cut falls
		stem := "x" + strings.Repeat("é", (254-len(ext))/2)
		return stem + strings.Repeat("y", 255-len(ext)-len(stem)) + ext
	}
	var originals []string
	for _, ext := range []string{".jpg", ".webp"} {
		originals = append(originals, writeFile(t, filepath.Join(dir, long(ext)), filler(5000)))
	}
	ledger := newRecord(t)
	for round := range 2 {
		final, _ := run(t, scriptedCompressor{1, webpResult(t)}, ledger, engine.DefaultOptions(), originals...)
		for _, orig := range originals {
			e := final[orig]
			name := filepath.Base(e.Output)
			if e.Status != engine.StatusDone || len(name) > 255 || !utf8.ValidString(name) || !strings.HasSuffix(name, ".webp") {
				t.Fatalf("round %d, %s…: %+v", round, filepath.Ext(orig), e)
			}
		}
	}
	if n := len(listTree(t, dir)); n != 4 {
		t.Errorf("%d files after two runs, want 2 originals and 2 outputs: %v", n, listTree(t, dir))
	}
}
