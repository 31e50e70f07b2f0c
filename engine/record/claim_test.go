package record

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"fluxdesk/engine"
)

// putClaim stores a claim as another process would have left it.
func putClaim(t *testing.T, r *Record, output string, c claimEntry) {
	t.Helper()
	err := r.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(claimsBucket), output, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// deadPID returns the ID of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestRecord_Claim(t *testing.T) {
	dir := t.TempDir()
	src, other := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.jpg")
	out := filepath.Join(dir, "a.webp")
	now := time.Now().UnixNano()
	cases := []struct {
		name   string
		claim  *claimEntry
		source string
		want   engine.Hold
	}{
		{name: "free", source: src, want: engine.Free},
		{name: "claimed for the same source", claim: &claimEntry{Source: src, PID: 1, At: now}, source: src, want: engine.Busy},
		{name: "claimed for another source", claim: &claimEntry{Source: other, PID: 1, At: now}, source: src, want: engine.Taken},
		{name: "claim of an ended process", claim: &claimEntry{Source: other, PID: deadPID(t), At: now}, source: src, want: engine.Free},
		{name: "claim too old to be at work", claim: &claimEntry{Source: other, PID: 1, At: now - int64(time.Hour)}, source: src, want: engine.Free},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _ := openTemp(t)
			if c.claim != nil {
				putClaim(t, r, out, *c.claim)
			}
			if got, err := r.Claim(c.source, out); err != nil || got != c.want {
				t.Fatalf("Claim = %v, %v; want %v", got, err, c.want)
			}
			if c.want == engine.Free {
				if got, _ := r.Claim(other, out); got != engine.Taken {
					t.Errorf("a second claim for another source: %v, want Taken", got)
				}
				r.Release(out)
				if got, _ := r.Claim(other, out); got != engine.Free {
					t.Errorf("after Release: %v, want Free", got)
				}
			}
		})
	}
}

func TestRecord_WroteEndsTheClaim(t *testing.T) {
	r, _ := openTemp(t)
	x := t.TempDir()
	real := filepath.Join(x, "real")
	os.Mkdir(real, 0o755)
	os.Symlink("real", filepath.Join(x, "link"))
	src, out := filepath.Join(real, "a.jpg"), filepath.Join(real, "a.webp")
	writeFile(t, src, "original")
	if got, _ := r.Claim(src, out); got != engine.Free {
		t.Fatalf("Claim = %v", got)
	}
	info := writeFile(t, out, "output")
	if err := r.Wrote(engine.Written{Source: src, Output: out, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		t.Fatal(err)
	}
	// Through the link, and through a hard link to the original, the same
	// original finds its earlier output; another original does not.
	hard := filepath.Join(x, "hard.jpg")
	if err := os.Link(src, hard); err != nil {
		t.Fatal(err)
	}
	viaLink := filepath.Join(x, "link", "a.webp")
	for _, source := range []string{filepath.Join(x, "link", "a.jpg"), hard} {
		if got, _ := r.Claim(source, viaLink); got != engine.Earlier {
			t.Errorf("Claim by %s = %v, want Earlier", source, got)
		}
		r.Release(viaLink)
	}
	if got, _ := r.Claim(filepath.Join(real, "b.jpg"), out); got != engine.Taken {
		t.Errorf("another original: %v, want Taken", got)
	}
	if got, ok := r.SourceOf(viaLink); !ok || got != src {
		t.Errorf("SourceOf through the link = %q, %v", got, ok)
	}
}

func TestOpen_MovesADamagedRecordAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	damaged := bytes.Repeat([]byte("not a database "), 1000)
	if err := os.WriteFile(path, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	aside := r.MovedAside()
	if kept, err := os.ReadFile(aside); err != nil || !bytes.Equal(kept, damaged) {
		t.Fatalf("the damaged record was not kept at %q: %v", aside, err)
	}
	out := filepath.Join(t.TempDir(), "a.webp")
	info := writeFile(t, out, "output")
	if err := r.Wrote(engine.Written{Source: "a.jpg", Output: out, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		t.Fatalf("the fresh record cannot be written: %v", err)
	}
	again, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if again.MovedAside() != "" {
		t.Errorf("the fresh record was moved aside to %s", again.MovedAside())
	}
}

// A record whose pages were overwritten (the header still sound) is damaged
// too: bbolt's check finds it, or faults on it, and either way it is moved
// aside.
func TestOpen_MovesARecordWithDamagedPagesAside(t *testing.T) {
	r, path := openTemp(t)
	dir := t.TempDir()
	for i := range 200 {
		out := filepath.Join(dir, string(rune('a'+i%26))+time.Now().Format("150405.000000000")+".webp")
		r.Wrote(engine.Written{Source: "s.jpg", Output: out, Size: int64(i)})
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4 * 4096; i < len(data); i++ {
		data[i] = 0xA5
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if again.MovedAside() == "" {
		t.Error("the damaged record was not moved aside")
	}
}
