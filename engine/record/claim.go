package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"fluxdesk/engine"
)

// ClaimDirName is the folder, beside the record file, that holds the claim
// files of output names being written.
const ClaimDirName = "claims"

// Bounds of the wait for a claim's holder to say which original it is
// writing (it writes that right after taking the lock).
const (
	holderWait  = 200 * time.Millisecond
	holderPause = 2 * time.Millisecond
	claimTries  = 100
)

// claim is this process's claim on an output name: an exclusive advisory
// lock on the name's claim file, which holds the claimant's process ID and
// original. The kernel ends the lock when the process ends, however it
// ends, so a claim never outlives its writer.
type claim struct {
	f    *os.File
	path string
}

// release ends the claim: the file is removed while still locked, so that
// nobody who opened it meanwhile can take it for free (see lockClaim).
func (c *claim) release() {
	unlockFile(c.path, c.f)
}

// claimPath returns the claim file of an output, by its real path.
func (r *Record) claimPath(output string) string {
	sum := sha256.Sum256([]byte(output))
	return filepath.Join(r.claimDir, hex.EncodeToString(sum[:]))
}

// lockClaim claims output for source. When another open file (of this
// process or another) holds the claim, c is nil and holder is the original
// it writes, or "" if it could not be told.
func lockClaim(path, source string) (c *claim, holder string, err error) {
	for range claimTries {
		f, locked, err := lockFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("cannot claim an output name in %s: %w", filepath.Dir(path), err)
		}
		if !locked {
			holder := readHolder(f)
			current := sameFile(f, path)
			f.Close()
			if !current {
				continue // released meanwhile
			}
			return nil, holder, nil
		}
		// A file its holder removed after we opened it is no claim: try the
		// name's current file.
		if !sameFile(f, path) {
			f.Close()
			continue
		}
		content := fmt.Sprintf("%d\n%s\n", os.Getpid(), source)
		if err = f.Truncate(0); err == nil {
			_, err = f.WriteAt([]byte(content), 0)
		}
		if err != nil {
			c := &claim{f, path}
			c.release()
			return nil, "", fmt.Errorf("cannot claim an output name in %s: %w", filepath.Dir(path), err)
		}
		return &claim{f, path}, "", nil
	}
	return nil, "", errors.New("cannot claim an output name: its claim file keeps changing")
}

// readHolder reads which original the holder of a claim file writes. It
// waits, a little, for a holder that has just locked the file to write it;
// the content left by a process that has ended is not taken for it.
func readHolder(f *os.File) string {
	deadline := time.Now().Add(holderWait)
	buf := make([]byte, 8192)
	for {
		n, _ := f.ReadAt(buf, 0)
		if pid, source, ok := parseHolder(buf[:n]); ok && (pid == os.Getpid() || engine.ProcessAlive(pid)) {
			return source
		}
		if time.Now().After(deadline) {
			return ""
		}
		time.Sleep(holderPause)
	}
}

// parseHolder reads "PID\nSOURCE\n".
func parseHolder(b []byte) (pid int, source string, ok bool) {
	first, rest, found := bytes.Cut(b, []byte("\n"))
	if !found {
		return 0, "", false
	}
	src, _, found := bytes.Cut(rest, []byte("\n"))
	if !found {
		return 0, "", false
	}
	pid, err := strconv.Atoi(string(first))
	return pid, string(src), err == nil
}

// sameFile reports whether f is still the file at path.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// removeLeftClaims removes the claim files in dir that no process holds:
// left by processes that ended without releasing them (killed, say).
func removeLeftClaims(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		f, locked, err := lockFile(path)
		switch {
		case err != nil:
		case locked && sameFile(f, path):
			unlockFile(path, f)
		default:
			f.Close()
		}
	}
}
