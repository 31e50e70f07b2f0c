package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// maxNameTries bounds the search for a free output name.
const maxNameTries = 100

var (
	errCancelled   = errors.New("cancelled")
	errTargetTaken = errors.New("a file appeared at the output path while writing; it was left alone")
	// errOriginalChanged refuses to replace an original saved over while
	// it was being compressed: its output is of the older content.
	errOriginalChanged = errors.New("the original changed while it was being compressed; it was left as it is (compress it again to replace it)")
)

// outputs chooses output paths and writes outputs safely. It remembers the
// paths claimed by writes under way, so two originals never share an output;
// once written, an output is known through the ledger.
type outputs struct {
	ledger  Ledger
	mu      sync.Mutex
	claimed map[string]bool
	cleaned map[string]bool
}

func newOutputs(ledger Ledger) *outputs {
	return &outputs{ledger: ledger, claimed: map[string]bool{}, cleaned: map[string]bool{}}
}

// dirFor returns the folder a job's output goes to: beside the original, or
// under OutDir mirroring the folder the original was found in.
func dirFor(job Job) string {
	if job.Options.OutDir == "" {
		return filepath.Dir(job.Path)
	}
	out, err := filepath.Abs(job.Options.OutDir)
	if err != nil {
		out = job.Options.OutDir
	}
	if job.Root == "" {
		return out
	}
	rel, err := filepath.Rel(filepath.Dir(job.Root), filepath.Dir(job.Path))
	if err != nil {
		return out
	}
	return filepath.Join(out, rel)
}

// candidateName returns the i-th output name tried: name.ext, name-min.ext,
// name-min-2.ext, …, with name shortened when the whole would not fit in a
// file name.
func candidateName(stem, ext string, i int) string {
	tail := ext
	switch i {
	case 0:
	case 1:
		tail = "-min" + ext
	default:
		tail = fmt.Sprintf("-min-%d%s", i, ext)
	}
	return fitStem(stem, tail) + tail
}

// errBeingWritten means another write of the same original, in this
// process or another, holds the output name right now.
var errBeingWritten = errors.New("another Fluxdesk run is writing this file's output right now")

// claim picks the output path for a job and claims it, in the ledger shared
// by every Fluxdesk process: the first candidate name that is free, or that
// holds an earlier output of this same original (overwrite is then set).
// source is the hash of the original's content, which the mark of an
// earlier output carries when the ledger does not know it. A name that
// another write of the same original holds fails with errBeingWritten.
func (o *outputs) claim(job Job, format Format, source SourceHash) (target string, overwrite bool, err error) {
	if !format.Known() {
		return "", false, fmt.Errorf("unknown output format %q", format)
	}
	ext := format.Extension()
	dir := dirFor(job)
	base := filepath.Base(job.Path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))

	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.cleaned[dir] {
		o.cleaned[dir] = true
		removeStaleTemps(dir)
	}
	for i := 0; i < maxNameTries; i++ {
		target = filepath.Join(dir, candidateName(stem, ext, i))
		if o.claimed[target] || (target == job.Path && !job.Options.Replace) {
			continue // never write over the original unless it is replaced
		}
		hold, err := o.ledger.Claim(job.Path, target)
		if err != nil {
			// The ledger cannot be written: go on with this process's
			// claims; the marks keep outputs recognisable.
			hold = Free
		}
		switch hold {
		case Busy:
			return "", false, errBeingWritten
		case Taken:
			continue
		case Free:
			if target == job.Path {
				break // the original itself, moved to its backup first
			}
			if _, err := os.Lstat(target); err == nil {
				if mark, ok := ReadMark(target); !ok || mark != source {
					o.ledger.Release(target)
					continue // someone else's file
				}
				overwrite = true // an earlier output the ledger lost
			}
		case Earlier:
			overwrite = true
		}
		o.claimed[target] = true
		return target, overwrite, nil
	}
	return "", false, fmt.Errorf("no free output name: %s and %d similar names are taken", candidateName(stem, ext, 0), maxNameTries-1)
}

// release ends this process's claim on target once its write has finished
// (or failed). Unless written, the ledger's claim is ended too.
func (o *outputs) release(target string, written bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.claimed, target)
	if !written {
		o.ledger.Release(target)
	}
}

// write puts data at target without ever leaving a partial file: it writes a
// temp file in the target folder, syncs it, and then moves it into place.
// With Replace, the original is first moved into its backup folder, whose
// path write returns, with a note on how to undo the replace; source is the
// hash of the original's content.
func (o *outputs) write(ctx context.Context, job Job, source SourceHash, target string, overwrite bool, data []byte) (backup string, err error) {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create the output folder %s: %s", dir, DescribePathError(err))
	}
	tmp, err := writeTemp(dir, data)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp) // a no-op once the temp file was renamed
	if job.Options.KeepModTime {
		keepModTime(tmp, job.Path)
	}
	if ctx.Err() != nil {
		return "", errCancelled
	}
	if job.Options.Replace {
		if backup, err = moveToBackup(job.Path); err != nil {
			return "", err
		}
		// What was moved must be what was compressed, not a file saved
		// over it meanwhile.
		if !job.unchanged(backup) {
			return "", putBack(backup, job.Path, errOriginalChanged)
		}
		err = writeBackupNote(backup, job.Path, source, target, data)
	}
	if err == nil {
		err = place(tmp, target, overwrite)
	}
	if err != nil {
		if backup != "" {
			return "", putBack(backup, job.Path, err)
		}
		return "", err
	}
	SyncDir(dir)
	return backup, nil
}

// putBack returns an original from its backup after err stopped its
// replacement, and returns err (saying where the original is if it cannot).
func putBack(backup, original string, err error) error {
	if rerr := os.Rename(backup, original); rerr != nil {
		return fmt.Errorf("%v; the original is kept at %s", err, backup)
	}
	os.Remove(backupNotePath(backup)) // if it was written
	return err
}

// writeTemp writes data to a new temp file in dir, synced to disk.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, tempPattern())
	if err != nil {
		return "", fmt.Errorf("cannot write in %s: %s", dir, DescribePathError(err))
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("cannot write the output: %s", DescribePathError(err))
	}
	return name, nil
}

// keepModTime gives the output the original's modification time (the
// access time is left alone). Failing that, the output keeps the time it was
// written, which is no reason to lose it: some network shares refuse to
// set times.
func keepModTime(output, original string) {
	if info, err := os.Stat(original); err == nil {
		os.Chtimes(output, time.Time{}, info.ModTime())
	}
}

// place moves the finished temp file to target. Unless overwrite is set, it
// never replaces a file that is there: a hard link fails if the name exists.
func place(tmp, target string, overwrite bool) error {
	if overwrite {
		return describeWriteError(os.Rename(tmp, target))
	}
	err := os.Link(tmp, target)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return errTargetTaken
	}
	// Some file systems have no hard links: check, then rename.
	if _, statErr := os.Lstat(target); statErr == nil {
		return errTargetTaken
	}
	return describeWriteError(os.Rename(tmp, target))
}

// describeWriteError words an error from putting an output in place.
func describeWriteError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("cannot put the output in place: %s", DescribePathError(err))
}

// SyncDir flushes a folder's entries, so that a rename or a link in it
// survives a crash.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
