package restore_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fluxdesk/engine"
)

// Replacing a tree and restoring it brings back every original byte for
// byte, removes every output and leaves no backup folder behind.
func TestRestore_RoundTripsByteIdenticalOriginals(t *testing.T) {
	dir := t.TempDir()
	originals := map[string][]byte{}
	for i, rel := range []string{"a.png", "b.png", "sub/c.png", "sub/deeper/d.png"} {
		path := filepath.Join(dir, rel)
		originals[path] = writePNG(t, path, uint32(i+1))
	}
	rec := newRecord(t)
	outputs := replace(t, rec, dir)
	if len(outputs) != len(originals) {
		t.Fatalf("%d outputs for %d originals", len(outputs), len(originals))
	}
	for orig, out := range outputs {
		assertGone(t, orig)
		assertExists(t, out)
	}

	results, s := restoreAll(t, rec, dir)
	if s.Done != len(originals) || s.Skipped+s.Failed != 0 {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	for _, res := range results {
		if !res.OutputRemoved || res.Message != "" || outputs[res.Original] != res.Output {
			t.Errorf("result %+v", res)
		}
	}
	for orig, data := range originals {
		assertContent(t, orig, data)
		assertGone(t, outputs[orig])
		assertGone(t, filepath.Join(filepath.Dir(orig), engine.BackupDirName))
	}

	// Nothing is left to do: a second restore says so and changes nothing.
	results, s = restoreAll(t, rec, dir)
	if s.Done+s.Failed != 0 || len(results) != 1 || !strings.Contains(results[0].Message, "no originals to restore") {
		t.Errorf("second restore: %+v %+v", s, results)
	}
}

// An original replaced, put there again and replaced again, three times,
// has three backups of the same name ("photo.png", "photo (2).png",
// "photo (3).png"). Restoring brings back the newest, whose output is the
// one in place; the older ones cannot take the same name, so they stay in
// the backup folder, and the restore says so.
func TestRestore_BackupsOfTheSameName(t *testing.T) {
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.png")
	rec := newRecord(t)
	var generations [][]byte
	var out string
	for i := range 3 {
		generations = append(generations, writePNG(t, photo, uint32(i+1)))
		out = replace(t, rec, photo)[photo]
	}
	backups := []string{backupPath(dir, "photo.png"), backupPath(dir, "photo (2).png"), backupPath(dir, "photo (3).png")}
	for i, b := range backups {
		assertContent(t, b, generations[i])
	}

	results, s := restoreAll(t, rec, photo)
	if s.Done != 1 || s.Skipped != 2 || len(results) != 3 {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	if results[0].Backup != backups[2] || results[0].Status != engine.StatusDone || !results[0].OutputRemoved {
		t.Errorf("newest: %+v", results[0])
	}
	for _, res := range results[1:] {
		if res.Status != engine.StatusSkipped || !strings.Contains(res.Message, "another file is now at photo.png") {
			t.Errorf("older: %+v", res)
		}
	}
	assertContent(t, photo, generations[2])
	assertGone(t, out)
	assertGone(t, backups[2])
	assertContent(t, backups[0], generations[0])
	assertContent(t, backups[1], generations[1])

	// Named by its backup, an older one goes back once its name is free.
	os.Rename(photo, filepath.Join(dir, "kept.png"))
	if _, s := restoreAll(t, rec, backups[0]); s.Done != 1 {
		t.Fatalf("older backup: %+v", s)
	}
	assertContent(t, photo, generations[0])
	assertContent(t, backups[1], generations[1])
}

// An original that was itself a WebP is replaced by an output of the same
// name; restoring swaps them back in one rename.
func TestRestore_OriginalThatWasAWebP(t *testing.T) {
	dir := t.TempDir()
	pic := filepath.Join(dir, "pic.webp")
	original := writeLosslessWebP(t, pic, 3)
	rec := newRecord(t)
	if out := replace(t, rec, pic)[pic]; out != pic {
		t.Fatalf("output %q, want the original's name", out)
	}
	if data, _ := os.ReadFile(pic); len(data) >= len(original) {
		t.Fatalf("the output (%d bytes) did not replace the original (%d)", len(data), len(original))
	}
	results, s := restoreAll(t, rec, pic)
	if s.Done != 1 || !results[0].OutputRemoved {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	assertContent(t, pic, original)
	assertGone(t, filepath.Join(dir, engine.BackupDirName))
}

// The backup's note names files relative to their folder and tells the
// output by its content: a folder moved after the replace restores in full,
// although the record only knows the old paths.
func TestRestore_FolderMovedAfterReplace(t *testing.T) {
	root := t.TempDir()
	before := filepath.Join(root, "shoot")
	a := writePNG(t, filepath.Join(before, "a.png"), 1)
	b := writeLosslessWebP(t, filepath.Join(before, "b.webp"), 2)
	rec := newRecord(t)
	replace(t, rec, before)
	after := filepath.Join(root, "archive", "shoot 2024")
	os.MkdirAll(filepath.Dir(after), 0o755)
	if err := os.Rename(before, after); err != nil {
		t.Fatal(err)
	}
	results, s := restoreAll(t, rec, after)
	if s.Done != 2 {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	for _, res := range results {
		if !res.OutputRemoved {
			t.Errorf("%s: output kept: %+v", filepath.Base(res.Original), res)
		}
	}
	assertContent(t, filepath.Join(after, "a.png"), a)
	assertContent(t, filepath.Join(after, "b.webp"), b)
	assertGone(t, filepath.Join(after, "a.webp"))
	assertGone(t, filepath.Join(after, engine.BackupDirName))
}

// A backup the user deleted cannot be restored: the output, now the only
// copy of the picture, stays, and the restore says why.
func TestRestore_BackupDeletedByUser(t *testing.T) {
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.png")
	writePNG(t, photo, 1)
	rec := newRecord(t)
	out := replace(t, rec, photo)[photo]
	webp, _ := os.ReadFile(out)
	if err := os.Remove(backupPath(dir, "photo.png")); err != nil {
		t.Fatal(err)
	}
	results, s := restoreAll(t, rec, dir)
	if s.Skipped != 1 || s.Done+s.Failed != 0 || !strings.Contains(results[0].Message, "backup was deleted") {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	assertContent(t, out, webp)
	assertGone(t, photo)
	assertGone(t, filepath.Join(dir, engine.BackupDirName)) // only the note was left
}

// An output the user changed since it was written is never removed; the
// original still comes back beside it when its name is free. When the
// output holds the original's very name, both are left as they are.
func TestRestore_EditedOutputIsKept(t *testing.T) {
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.png")
	pic := filepath.Join(dir, "pic.webp")
	original := writePNG(t, photo, 1)
	originalWebP := writeLosslessWebP(t, pic, 2)
	rec := newRecord(t)
	outputs := replace(t, rec, photo, pic)
	edited := []byte("RIFF an edited picture")
	for _, out := range outputs {
		writeFile(t, out, edited)
	}
	results, s := restoreAll(t, rec, photo, pic)
	if s.Done != 1 || s.Skipped != 1 {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	if res := results[0]; res.OutputRemoved || !strings.Contains(res.Message, "photo.webp was changed since Fluxdesk wrote it: it is kept") {
		t.Errorf("photo: %+v", res)
	}
	if res := results[1]; res.Status != engine.StatusSkipped || !strings.Contains(res.Message, "pic.webp was changed since Fluxdesk wrote it") {
		t.Errorf("pic: %+v", res)
	}
	assertContent(t, photo, original)
	assertContent(t, outputs[photo], edited)
	assertContent(t, pic, edited)
	assertContent(t, backupPath(dir, "pic.webp"), originalWebP)
}

// A new file put where the original was is never overwritten.
func TestRestore_AnotherFileAtTheOriginalsPlace(t *testing.T) {
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.png")
	original := writePNG(t, photo, 1)
	rec := newRecord(t)
	out := replace(t, rec, photo)[photo]
	newer := writePNG(t, photo, 7)
	results, s := restoreAll(t, rec, out)
	if s.Skipped != 1 || !strings.Contains(results[0].Message, "another file is now at photo.png") {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	assertContent(t, photo, newer)
	assertExists(t, out)
	assertContent(t, backupPath(dir, "photo.png"), original)
}

// A restore cut short after any of its steps loses nothing, and running it
// again finishes the job.
func TestRestore_RerunFinishesAfterACrash(t *testing.T) {
	steps := []struct {
		name string
		cut  func(t *testing.T, original, backup, output string)
	}{
		{"after the link", func(t *testing.T, original, backup, output string) {
			mustDo(t, os.Link(backup, original))
		}},
		{"after the output was removed", func(t *testing.T, original, backup, output string) {
			mustDo(t, os.Link(backup, original))
			mustDo(t, os.Remove(output))
		}},
		{"after the backup was removed", func(t *testing.T, original, backup, output string) {
			mustDo(t, os.Link(backup, original))
			mustDo(t, os.Remove(output))
			mustDo(t, os.Remove(backup))
		}},
		{"moved without links, before the output was removed", func(t *testing.T, original, backup, output string) {
			mustDo(t, os.Rename(backup, original))
		}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			dir := t.TempDir()
			photo := filepath.Join(dir, "photo.png")
			original := writePNG(t, photo, 1)
			rec := newRecord(t)
			out := replace(t, rec, photo)[photo]
			step.cut(t, photo, backupPath(dir, "photo.png"), out)
			assertContent(t, photo, original)
			results, s := restoreAll(t, rec, dir)
			if s.Done != 1 || s.Skipped+s.Failed != 0 {
				t.Fatalf("summary %+v, results %+v", s, results)
			}
			assertContent(t, photo, original)
			assertGone(t, out)
			assertGone(t, filepath.Join(dir, engine.BackupDirName))
		})
	}
}

// A backup made before backups had notes (or whose note was lost) goes
// back under its own name; its output is removed only when the record
// knows it as Fluxdesk's unchanged output of that original.
func TestRestore_BackupWithoutNote(t *testing.T) {
	for _, withRecord := range []bool{true, false} {
		name := map[bool]string{true: "with the record", false: "without a record"}[withRecord]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			photo := filepath.Join(dir, "photo.png")
			original := writePNG(t, photo, 1)
			rec := newRecord(t)
			out := replace(t, rec, photo)[photo]
			notes := filepath.Join(dir, engine.BackupDirName, ".notes")
			if err := os.RemoveAll(notes); err != nil {
				t.Fatal(err)
			}
			var ledger engine.Ledger
			if withRecord {
				ledger = rec
			}
			results, s := restoreAll(t, ledger, dir)
			if s.Done != 1 {
				t.Fatalf("summary %+v, results %+v", s, results)
			}
			assertContent(t, photo, original)
			if withRecord {
				assertGone(t, out)
			} else {
				assertExists(t, out)
			}
		})
	}
}

func TestRestore_NothingToRestore(t *testing.T) {
	dir := t.TempDir()
	results, s := restoreAll(t, nil, filepath.Join(dir, "never.png"), filepath.Join(dir, "missing", "x.png"))
	if s.Failed != 2 || !strings.Contains(results[0].Message, "no backup of it") {
		t.Errorf("summary %+v, results %+v", s, results)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Naming a backup folder restores the backups in it, not those of the
// folders below.
func TestRestore_NamingTheBackupFolder(t *testing.T) {
	dir := t.TempDir()
	top := filepath.Join(dir, "top.png")
	below := filepath.Join(dir, "sub", "below.png")
	topData := writePNG(t, top, 1)
	writePNG(t, below, 2)
	rec := newRecord(t)
	replace(t, rec, dir)
	results, s := restoreAll(t, rec, filepath.Join(dir, engine.BackupDirName))
	if s.Done != 1 || len(results) != 1 || results[0].Original != top {
		t.Fatalf("summary %+v, results %+v", s, results)
	}
	assertContent(t, top, topData)
	assertGone(t, below)
	assertExists(t, backupPath(filepath.Dir(below), "below.png"))
}

// The record keeps real paths: a backup without a note, restored through
// a symbolic link to its folder (named, or the original in it), still finds
// its output in the record.
func TestRestore_BackupWithoutNoteThroughALink(t *testing.T) {
	for _, named := range []string{"link", "link/photo.png"} {
		t.Run(named, func(t *testing.T) {
			root := t.TempDir()
			real := filepath.Join(root, "real")
			original := writePNG(t, filepath.Join(real, "photo.png"), 1)
			mustDo(t, os.Symlink(real, filepath.Join(root, "link")))
			rec := newRecord(t)
			out := replace(t, rec, filepath.Join(real, "photo.png"))[filepath.Join(real, "photo.png")]
			mustDo(t, os.RemoveAll(filepath.Join(real, engine.BackupDirName, ".notes")))
			results, s := restoreAll(t, rec, filepath.Join(root, named))
			if s.Done != 1 || !results[0].OutputRemoved {
				t.Fatalf("summary %+v, results %+v", s, results)
			}
			assertContent(t, filepath.Join(real, "photo.png"), original)
			assertGone(t, out)
		})
	}
}
