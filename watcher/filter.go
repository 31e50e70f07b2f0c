package watcher

import (
	"path/filepath"
	"strings"

	"fluxdesk/engine"
)

// temporarySuffixes end the names of files still being written by browsers,
// download tools and editors.
var temporarySuffixes = []string{".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".swp", ".swx", "~"}

// temporaryPrefixes start such names.
var temporaryPrefixes = []string{"#", ".goutputstream", ".~lock."}

// isTemporary reports whether a file name is an editor's or a download's
// temporary.
func isTemporary(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range temporarySuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	for _, p := range temporaryPrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

// skipName reports whether a file or folder name is never looked at: hidden
// (Fluxdesk's own temp files and backups are), temporary, or empty.
func skipName(name string) bool {
	return name == "" || engine.IsHidden(name) || isTemporary(name)
}

// wantFile reports whether a file name may be an image to hand over.
func wantFile(name string) bool {
	return !skipName(name) && engine.IsImageName(name)
}

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, withSeparator(dir))
}

// cleanAbs returns path made absolute and clean.
func cleanAbs(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.Clean(abs), nil
}
