// Package restore undoes "replace originals": it puts each original kept in
// a backup folder back in its place and removes the output that replaced
// it, but only while that output is Fluxdesk's own, unchanged. A file the
// user has changed since is never removed or overwritten.
//
// Each original is restored in steps that can each be cut short by a crash
// without losing anything (link the backup back, remove the output, remove
// the backup, then its note); running the restore again finishes the job.
package restore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/pathid"
)

// Result is what became of one backed-up original.
type Result struct {
	// Original is where the original belongs; Backup where it was kept;
	// Output the file that replaced it ("" when not known).
	Original, Backup, Output string
	// Status is Done (the original is in its place), Skipped (left as it
	// was, Message says why) or Failed.
	Status engine.Status
	// OutputRemoved tells whether the output was removed.
	OutputRemoved bool
	// Message says why an original was skipped or failed, or, when done,
	// what was left alone.
	Message string
}

// Summary totals a restore.
type Summary struct {
	Done, Skipped, Failed int
	Seconds               float64
	// Cancelled is true when the restore was interrupted before it finished.
	Cancelled bool
}

func (s *Summary) add(r Result) {
	switch r.Status {
	case engine.StatusDone:
		s.Done++
	case engine.StatusSkipped:
		s.Skipped++
	default:
		s.Failed++
	}
}

// Restorer puts originals back.
type Restorer struct {
	// Ledger tells which files are Fluxdesk's own outputs, for backups made
	// before backups had notes. It may be nil.
	Ledger engine.Ledger
	// Report receives each result as it comes; it may be nil.
	Report func(Result)
}

// Run restores what paths name: folders (every backup in them and their
// subfolders), originals (by the name they had), outputs that replaced an
// original, or backup files themselves. It stops between two originals when
// ctx is done.
func (r *Restorer) Run(ctx context.Context, paths []string) Summary {
	start := time.Now()
	var s Summary
	report := func(res Result) {
		s.add(res)
		if r.Report != nil {
			r.Report(res)
		}
	}
	for _, p := range paths {
		if ctx.Err() != nil {
			break
		}
		r.path(ctx, p, report)
	}
	s.Seconds = time.Since(start).Seconds()
	s.Cancelled = ctx.Err() != nil
	return s
}

// path restores the backups one argument names.
func (r *Restorer) path(ctx context.Context, path string, report func(Result)) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		r.folder(ctx, pathid.Real(path), report) // a link to a folder is walked too
		return
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		report(Result{Original: path, Status: engine.StatusFailed, Message: engine.DescribePathError(err)})
		return
	}
	// A file, or a name that is gone: the original's old name, most likely.
	backups, err := r.named(path)
	switch {
	case err != nil:
		report(Result{Original: path, Status: engine.StatusFailed, Message: engine.DescribePathError(err)})
	case len(backups) == 0:
		report(Result{Original: path, Status: engine.StatusFailed,
			Message: fmt.Sprintf("no backup of it in %s", engine.BackupDirName)})
	}
	for _, b := range backups {
		if ctx.Err() != nil {
			return
		}
		report(r.Backup(b))
	}
}

// named returns the backups that concern the file at path: the backup
// itself, or those of the original that had this name or was replaced by
// this output, newest first.
func (r *Restorer) named(path string) ([]engine.Backup, error) {
	dir, name := filepath.Split(path)
	dir = filepath.Clean(dir)
	if filepath.Base(dir) == engine.BackupDirName {
		backups, err := engine.ReadBackups(filepath.Dir(dir))
		return pick(backups, func(b engine.Backup) bool { return b.Path == path }), err
	}
	backups, err := engine.ReadBackups(dir)
	return pick(backups, func(b engine.Backup) bool {
		if b.Note == nil {
			return filepath.Base(b.Path) == name
		}
		return b.Note.Original == name || b.Note.Output == name
	}), err
}

func pick(backups []engine.Backup, keep func(engine.Backup) bool) []engine.Backup {
	var kept []engine.Backup
	for _, b := range backups {
		if keep(b) {
			kept = append(kept, b)
		}
	}
	return kept
}

// folder restores every backup under root; only those in it when root is
// a backup folder. Hidden folders are passed over, as compress passes them
// over, unless root is one.
func (r *Restorer) folder(ctx context.Context, root string, report func(Result)) {
	found := false
	each := func(folder string) {
		backups, err := engine.ReadBackups(folder)
		if err != nil {
			report(Result{Original: filepath.Join(folder, engine.BackupDirName), Status: engine.StatusFailed, Message: engine.DescribePathError(err)})
		}
		for _, b := range backups {
			if ctx.Err() != nil {
				return
			}
			found = true
			report(r.Backup(b))
		}
	}
	if filepath.Base(root) == engine.BackupDirName {
		each(filepath.Dir(root))
	} else {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			switch {
			case ctx.Err() != nil:
				return fs.SkipAll
			case err != nil:
				report(Result{Original: path, Status: engine.StatusFailed, Message: engine.DescribePathError(err)})
			case !d.IsDir():
			case path != root && engine.IsHidden(d.Name()):
				return fs.SkipDir // backup folders among them: read with their parent
			default:
				each(path)
			}
			return nil
		})
	}
	if !found && ctx.Err() == nil {
		report(Result{Original: root, Status: engine.StatusSkipped, Message: "no originals to restore: nothing here was replaced, or all are back"})
	}
}

// Replaced restores the original that the output replaced at the path
// original: the newest backup of that name whose note names the output.
func (r *Restorer) Replaced(original, output string) Result {
	backups, err := engine.ReadBackups(filepath.Dir(original))
	if err != nil {
		return Result{Original: original, Output: output, Status: engine.StatusFailed, Message: engine.DescribePathError(err)}
	}
	for _, b := range backups {
		if b.Note != nil && b.Note.Original == filepath.Base(original) && b.Note.Output == filepath.Base(output) {
			return r.Backup(b)
		}
	}
	for _, b := range backups {
		if b.Note == nil && filepath.Base(b.Path) == filepath.Base(original) {
			return r.Backup(b)
		}
	}
	return Result{Original: original, Output: output, Status: engine.StatusFailed,
		Message: fmt.Sprintf("no backup of it in %s", engine.BackupDirName)}
}
