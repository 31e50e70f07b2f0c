package restore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fluxdesk/engine"
	"fluxdesk/engine/pathid"
)

// Backup puts one backed-up original back. It removes the output that
// replaced it only when that output is still Fluxdesk's own, unchanged, and
// never overwrites a file the user put or changed since.
func (r *Restorer) Backup(b engine.Backup) Result {
	note := b.Note
	if note == nil {
		note = r.guessNote(b)
	}
	dir := b.Folder()
	res := Result{Original: filepath.Join(dir, note.Original), Backup: b.Path, Status: engine.StatusDone}
	if note.Output != "" {
		res.Output = filepath.Join(dir, note.Output)
	}
	u := undo{res: &res, note: note, notePath: b.NotePath()}
	u.run()
	return res
}

// guessNote stands in for the note of a backup made before backups had
// notes: the original had the backup's name, and its output is the file
// beside it that the ledger knows as Fluxdesk's unchanged output of it.
func (r *Restorer) guessNote(b engine.Backup) *engine.BackupNote {
	note := &engine.BackupNote{Original: filepath.Base(b.Path)}
	note.OriginalSHA256, _ = engine.HashFile(b.Path)
	if r.Ledger == nil {
		return note
	}
	dir := b.Folder()
	original := pathid.Real(filepath.Join(dir, note.Original)) // as the ledger keeps it
	stem := strings.TrimSuffix(note.Original, filepath.Ext(note.Original))
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), stem) {
			continue
		}
		output := filepath.Join(dir, e.Name())
		if src, ours := r.Ledger.SourceOf(output); ours && src == original {
			if hash, err := engine.HashFile(output); err == nil {
				note.Output, note.OutputSHA256 = e.Name(), hash
				return note
			}
		}
	}
	return note
}

// undo carries out the steps of one restore.
type undo struct {
	res      *Result
	note     *engine.BackupNote
	notePath string
}

func (u *undo) run() {
	original, backup, output := u.res.Original, u.res.Backup, u.res.Output
	if !exists(backup) {
		u.backupGone()
		return
	}
	ours, edited := u.outputState()
	if output == original {
		// The original was itself a WebP: the output took its very name.
		switch {
		case edited && u.holdsOriginal(original):
			// Put back by hand (or a run cut short after the rename): the
			// backup is a spare copy.
		case edited:
			u.skip(fmt.Sprintf("%s was changed since Fluxdesk wrote it: it is left alone, and the original stays at %s",
				filepath.Base(output), backup))
			return
		case ours:
			if err := os.Rename(backup, original); err != nil {
				u.fail("cannot put the original back: " + engine.DescribePathError(err))
				return
			}
			u.res.OutputRemoved = true
			engine.SyncDir(filepath.Dir(original))
			u.finish()
			return
		default: // the output was deleted
			if !u.putBack() {
				return
			}
		}
	} else {
		if !u.putBack() {
			return
		}
		switch {
		case ours:
			if !u.removeOutput() {
				return
			}
		case edited:
			u.res.Message = fmt.Sprintf("%s was changed since Fluxdesk wrote it: it is kept", filepath.Base(output))
		}
	}
	if err := os.Remove(backup); err != nil && !errors.Is(err, fs.ErrNotExist) {
		u.fail("the original is back, but its backup could not be removed: " + engine.DescribePathError(err))
		return
	}
	engine.SyncDir(filepath.Dir(backup))
	u.finish()
}

// backupGone handles a backup that is not there: either this restore ran
// before and was cut short after the backup was removed (the original is in
// its place: finish), or the user deleted it (nothing to restore: the output
// is all that is left, and it stays).
func (u *undo) backupGone() {
	original, output := u.res.Original, u.res.Output
	if !u.holdsOriginal(original) {
		msg := "its backup was deleted: there is nothing to restore"
		if output != "" && exists(output) {
			msg += fmt.Sprintf(", and %s stays", filepath.Base(output))
		}
		u.skip(msg)
		os.Remove(u.notePath) // a note on nothing
		removeEmptyBackupFolder(u.notePath)
		return
	}
	if output != original {
		if ours, _ := u.outputState(); ours && !u.removeOutput() {
			return
		}
	}
	u.finish()
}

// removeOutput removes the output, once the original is back; it reports
// whether the output is gone.
func (u *undo) removeOutput() bool {
	err := os.Remove(u.res.Output)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		u.fail(fmt.Sprintf("the original is back, but %s could not be removed: %s",
			filepath.Base(u.res.Output), engine.DescribePathError(err)))
		return false
	}
	u.res.OutputRemoved = true
	return true
}

// outputState tells whether the output is there as Fluxdesk wrote it
// (ours), or there but changed since (edited). Neither: it is gone.
func (u *undo) outputState() (ours, edited bool) {
	output := u.res.Output
	if output == "" || !exists(output) {
		return false, false
	}
	hash, err := engine.HashFile(output)
	if err != nil || u.note.OutputSHA256 == (engine.SourceHash{}) {
		return false, true
	}
	if hash == u.note.OutputSHA256 {
		return true, false
	}
	return false, true
}

// holdsOriginal reports whether the file at path is the original, byte for
// byte.
func (u *undo) holdsOriginal(path string) bool {
	if u.note.OriginalSHA256 == (engine.SourceHash{}) || !exists(path) {
		return false
	}
	hash, err := engine.HashFile(path)
	return err == nil && hash == u.note.OriginalSHA256
}

// putBack makes the backup appear at the original's place without ever
// replacing a file there: a hard link, which fails when the name is taken
// (the backup then has two names until it is removed). It reports whether
// the original is in its place; when not, the result says why.
func (u *undo) putBack() bool {
	original, backup := u.res.Original, u.res.Backup
	err := os.Link(backup, original)
	if err == nil {
		engine.SyncDir(filepath.Dir(original))
		return true
	}
	if _, statErr := os.Lstat(original); statErr == nil {
		if same(original, backup) || u.holdsOriginal(original) {
			return true // a run cut short, or put back by hand
		}
		u.skip(fmt.Sprintf("another file is now at %s: it is left alone, and the original stays at %s",
			filepath.Base(original), backup))
		return false
	}
	// No hard links on this file system: the name is free, move it.
	if err := os.Rename(backup, original); err != nil {
		u.fail("cannot put the original back: " + engine.DescribePathError(err))
		return false
	}
	engine.SyncDir(filepath.Dir(original))
	return true
}

// finish removes the note, and the backup folder if nothing is left in it.
func (u *undo) finish() {
	if err := os.Remove(u.notePath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		u.res.Message = strings.TrimPrefix(u.res.Message+"; ", "; ") + "the note on its backup could not be removed: " + engine.DescribePathError(err)
	}
	removeEmptyBackupFolder(u.notePath)
}

func (u *undo) skip(msg string) {
	u.res.Status, u.res.Message = engine.StatusSkipped, msg
}

func (u *undo) fail(msg string) {
	u.res.Status, u.res.Message = engine.StatusFailed, msg
}

// removeEmptyBackupFolder removes the notes folder and the backup folder
// around notePath when they are empty.
func removeEmptyBackupFolder(notePath string) {
	notes := filepath.Dir(notePath)
	os.Remove(notes)
	os.Remove(filepath.Dir(notes))
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func same(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}
