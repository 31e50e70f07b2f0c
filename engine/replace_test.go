package engine_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fluxdesk/engine"
)

// A file swapped for another (or rewritten) while it is being compressed
// with Replace is left in place: the output of its old content must not take
// the place of the new one.
func TestPipeline_ReplaceRefusesAnOriginalChangedMeanwhile(t *testing.T) {
	for _, how := range []string{"swapped", "rewritten"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			orig := writeFile(t, filepath.Join(dir, "pic.jpg"), filler(5000))
			newer := []byte("the newer picture, saved meanwhile")
			produce := webpResult(t)
			change := func(job engine.Job, data []byte) engine.Result {
				if how == "swapped" {
					other := writeFile(t, filepath.Join(dir, "other.tmp"), newer)
					if err := os.Rename(other, job.Path); err != nil {
						t.Fatal(err)
					}
				} else {
					if err := os.WriteFile(job.Path, newer, 0o644); err != nil {
						t.Fatal(err)
					}
					later := time.Now().Add(time.Minute)
					os.Chtimes(job.Path, later, later)
				}
				return produce(job, data)
			}
			opts := engine.DefaultOptions()
			opts.Replace = true
			final, _ := run(t, scriptedCompressor{1, change}, nil, opts, orig)
			if e := final[orig]; e.Status != engine.StatusFailed || !strings.Contains(e.Message, "changed while it was being compressed") {
				t.Errorf("event = %+v", e)
			}
			if !bytes.Equal(mustRead(t, orig), newer) {
				t.Error("the newer content is not in place")
			}
			if got := listTree(t, dir); len(got) != 1 && !(len(got) == 2 && got[0] == engine.BackupDirName) {
				t.Errorf("left %v, want the original only", got)
			}
		})
	}
}
