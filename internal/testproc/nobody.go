package testproc

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nobodyEnv marks the copy of a test that runs as an ordinary user.
const nobodyEnv = "FLUXDESK_TEST_UNPRIVILEGED"

// AsNobody makes a test about what an ordinary user may do meaningful as
// root (as CI runs), since root may do anything (ignore permission bits,
// raise a thread's priority): it runs the same test again as the user
// "nobody" and reports its result. It returns true in the caller, which
// must then return; false where the test body should run.
func AsNobody(t *testing.T) bool {
	t.Helper()
	if os.Getenv(nobodyEnv) == "1" || os.Geteuid() != 0 {
		return false
	}
	// The test binary and a temp folder the unprivileged user can reach.
	dir, err := os.MkdirTemp("", "fluxdesk-unpriv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	tmp := filepath.Join(dir, "tmp")
	bin := filepath.Join(dir, filepath.Base(os.Args[0]))
	if err := os.Mkdir(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, tmp, bin} {
		if err := os.Chmod(p, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), nobodyEnv+"=1", "TMPDIR="+tmp, "HOME="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("as user nobody: %v\n%s", err, out)
	}
	return true
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
