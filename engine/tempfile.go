package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tempPrefix starts the name of every temp file Fluxdesk writes; the process
// ID that follows tells a later run whether its writer is still alive.
const tempPrefix = ".fluxdesk-"

// tempPattern names a new temp file for os.CreateTemp.
func tempPattern() string {
	return fmt.Sprintf("%s%d-*.tmp", tempPrefix, os.Getpid())
}

// isTempName reports whether name is one of Fluxdesk's temp files.
func isTempName(name string) bool {
	return strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, ".tmp")
}

// tempOwner returns the process ID in a temp file's name.
func tempOwner(name string) (int, bool) {
	rest := strings.TrimPrefix(name, tempPrefix)
	pid, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(pid)
	return n, err == nil && n > 0
}

// removeStaleTemp deletes a temp file left by a Fluxdesk process that no
// longer runs (killed mid-write). Files of running processes are left alone.
func removeStaleTemp(path string) {
	pid, ok := tempOwner(filepath.Base(path))
	if !ok || pid == os.Getpid() || ProcessAlive(pid) {
		return
	}
	os.Remove(path)
}

// removeStaleTemps cleans every stale temp file in dir.
func removeStaleTemps(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, tempPrefix+"*.tmp"))
	for _, m := range matches {
		removeStaleTemp(m)
	}
}
