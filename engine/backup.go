package engine

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// BackupDirName is the hidden folder, beside each original, where
// "replace originals" moves the original before its output takes its place.
const BackupDirName = ".fluxdesk-originals"

// backupNotesDirName is the folder, inside BackupDirName, that holds a note
// for each backup (named after it, plus ".json"). moveToBackup never gives a
// backup this name.
const backupNotesDirName = ".notes"

// BackupNote tells how to undo one replace. It is kept beside the backup,
// and names files relative to the original's folder, so it stays true when
// that folder is moved.
type BackupNote struct {
	// Original is the original's file name in its folder.
	Original string `json:"original"`
	// Output is the file name of the output that took its place (the same
	// name when the original was itself a WebP).
	Output string `json:"output"`
	// OriginalSHA256 and OutputSHA256 are the contents' SHA-256 (written
	// in hexadecimal; zero when unknown): they tell the original and
	// Fluxdesk's unchanged output wherever they are found.
	OriginalSHA256 SourceHash `json:"original_sha256"`
	OutputSHA256   SourceHash `json:"output_sha256"`
	// Replaced is when the original was replaced.
	Replaced time.Time `json:"replaced"`
}

// Backup is one original kept in a backup folder.
type Backup struct {
	// Path of the backup file.
	Path string
	// Note on how to undo the replace; nil for a backup made before notes
	// were kept, or whose note was lost.
	Note *BackupNote
}

// Folder returns the folder the original was replaced in (the backup
// folder's parent).
func (b Backup) Folder() string {
	return filepath.Dir(filepath.Dir(b.Path))
}

// NotePath returns where the backup's note is kept.
func (b Backup) NotePath() string {
	return backupNotePath(b.Path)
}

func backupNotePath(backup string) string {
	return filepath.Join(filepath.Dir(backup), backupNotesDirName, filepath.Base(backup)+".json")
}

// ReadBackups returns the backups kept in dir's backup folder, each with its
// note when it has one, newest first (those without a note last). A note
// whose backup is gone is returned too, as a Backup whose file does not
// exist. dir without a backup folder has none.
func ReadBackups(dir string) ([]Backup, error) {
	backupDir := filepath.Join(dir, BackupDirName)
	entries, err := os.ReadDir(backupDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var backups []Backup
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(backupDir, e.Name())
		seen[e.Name()] = true
		backups = append(backups, Backup{Path: path, Note: readBackupNote(backupNotePath(path))})
	}
	notes, _ := os.ReadDir(filepath.Join(backupDir, backupNotesDirName))
	for _, e := range notes {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || seen[name] || isTempName(e.Name()) {
			continue
		}
		path := filepath.Join(backupDir, name)
		if note := readBackupNote(backupNotePath(path)); note != nil {
			backups = append(backups, Backup{Path: path, Note: note})
		}
	}
	sortNewestFirst(backups)
	return backups, nil
}

// sortNewestFirst orders backups by the time of their replace, newest
// first; backups without a note come last, in name order.
func sortNewestFirst(backups []Backup) {
	newer := func(a, b Backup) bool {
		switch {
		case a.Note == nil || b.Note == nil:
			return a.Note != nil && b.Note == nil
		case !a.Note.Replaced.Equal(b.Note.Replaced):
			return a.Note.Replaced.After(b.Note.Replaced)
		}
		return false
	}
	for i := 1; i < len(backups); i++ { // insertion sort: stable, and folders hold few backups
		for j := i; j > 0 && newer(backups[j], backups[j-1]); j-- {
			backups[j], backups[j-1] = backups[j-1], backups[j]
		}
	}
}

// readBackupNote reads the note at path; nil when there is none or it
// cannot be read.
func readBackupNote(path string) *BackupNote {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var n BackupNote
	if json.Unmarshal(data, &n) != nil || n.Original == "" || n.Output == "" ||
		filepath.Base(n.Original) != n.Original || filepath.Base(n.Output) != n.Output {
		return nil
	}
	return &n
}

// writeBackupNote records how to undo the replace of original (now at
// backup, its content hashed as source) by output, whose content is data.
// The note is written whole or not at all.
func writeBackupNote(backup, original string, source SourceHash, output string, data []byte) error {
	note := BackupNote{
		Original:       filepath.Base(original),
		Output:         filepath.Base(output),
		OriginalSHA256: source,
		OutputSHA256:   sha256.Sum256(data),
		Replaced:       time.Now().UTC(),
	}
	text, err := json.MarshalIndent(note, "", "  ")
	if err != nil {
		return err
	}
	path := backupNotePath(backup)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create %s: %s", dir, DescribePathError(err))
	}
	removeStaleTemps(dir) // notes cut short by a killed run
	tmp, err := writeTemp(dir, append(text, '\n'))
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot keep the note on the backup: %s", DescribePathError(err))
	}
	SyncDir(dir)
	return nil
}

// moveToBackup moves an original into the backup folder beside it, under a
// name no other backup has, and returns where it went.
func moveToBackup(original string) (string, error) {
	dir := filepath.Join(filepath.Dir(original), BackupDirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create the backup folder %s: %s", dir, DescribePathError(err))
	}
	base := filepath.Base(original)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 1; i <= maxNameTries; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		if name == backupNotesDirName {
			continue
		}
		backup := filepath.Join(dir, name)
		err := os.Link(original, backup)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			if _, statErr := os.Lstat(backup); statErr == nil {
				continue
			}
			if err := os.Rename(original, backup); err != nil {
				return "", fmt.Errorf("cannot back up the original: %s", DescribePathError(err))
			}
			return backup, nil
		}
		if err := os.Remove(original); err != nil {
			os.Remove(backup)
			return "", fmt.Errorf("cannot move the original to its backup: %s", DescribePathError(err))
		}
		SyncDir(dir)
		return backup, nil
	}
	return "", fmt.Errorf("cannot back up the original: %s is full of backups of %s", dir, base)
}
