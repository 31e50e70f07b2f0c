package record

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fluxdesk/engine"
	"fluxdesk/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main(m, map[string]testproc.Part{"claim": claimPart})
}

// claimPart, in a second process, claims args[2] for args[1] in the record
// at args[0], and keeps the claim.
func claimPart(args []string) error {
	r, err := Open(args[0], 0)
	if err != nil {
		return err
	}
	if hold, err := r.Claim(args[1], args[2]); err != nil || hold != engine.Free {
		return fmt.Errorf("claim: %v, %v", hold, err)
	}
	return nil
}

func TestRecord_Claim(t *testing.T) {
	r, _ := openTemp(t)
	dir := t.TempDir()
	src, other := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.jpg")
	out := filepath.Join(dir, "a.webp")
	if got, err := r.Claim(src, out); err != nil || got != engine.Free {
		t.Fatalf("Claim = %v, %v; want Free", got, err)
	}
	// Within one process, as between two, the claim holds the name.
	if got, _ := r.Claim(src, out); got != engine.Busy {
		t.Errorf("a second claim for the same source: %v, want Busy", got)
	}
	if got, _ := r.Claim(other, out); got != engine.Taken {
		t.Errorf("a second claim for another source: %v, want Taken", got)
	}
	r.Release(out)
	if got, _ := r.Claim(other, out); got != engine.Free {
		t.Errorf("after Release: %v, want Free", got)
	}
}

// A claim is held by its process, whichever: another process's claim makes
// the name Busy or Taken, and is free at once when that process is killed.
func TestRecord_ClaimOfAnotherProcess(t *testing.T) {
	r, dbPath := openTemp(t)
	dir := t.TempDir()
	src, other := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.jpg")
	out := filepath.Join(dir, "a.webp")
	p := testproc.Start(t, "claim", dbPath, src, out)
	if got, err := r.Claim(src, out); err != nil || got != engine.Busy {
		t.Errorf("claimed by another process for the same source: %v, %v; want Busy", got, err)
	}
	if got, err := r.Claim(other, out); err != nil || got != engine.Taken {
		t.Errorf("claimed by another process for another source: %v, %v; want Taken", got, err)
	}
	p.Kill()
	if got, err := r.Claim(other, out); err != nil || got != engine.Free {
		t.Errorf("after the other process was killed: %v, %v; want Free", got, err)
	}
}

// The claim file a killed process leaves is removed when the record is next
// opened; one held is kept.
func TestOpen_RemovesClaimsLeftBehind(t *testing.T) {
	r, dbPath := openTemp(t)
	dir := t.TempDir()
	testproc.Start(t, "claim", dbPath, filepath.Join(dir, "a.jpg"), filepath.Join(dir, "a.webp")).Kill()
	if got, _ := r.Claim(filepath.Join(dir, "b.jpg"), filepath.Join(dir, "b.webp")); got != engine.Free {
		t.Fatalf("Claim = %v", got)
	}
	claims := filepath.Join(filepath.Dir(dbPath), ClaimDirName)
	if left, _ := os.ReadDir(claims); len(left) != 2 {
		t.Fatalf("%d claim files, want the killed one's and the one held", len(left))
	}
	openAgain(t, dbPath)
	if left, _ := os.ReadDir(claims); len(left) != 1 {
		t.Errorf("%d claim files after opening the record again, want the one held", len(left))
	}
}

// Claiming a name where no file is does not read the record: it answers
// while another process holds the record for writing.
func TestRecord_ClaimOfAFreshNameNeedsNoRecord(t *testing.T) {
	_, dbPath := openTemp(t)
	r, err := Open(dbPath, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	testproc.Start(t, "hold", dbPath)
	dir := t.TempDir()
	src, out := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "a.webp")
	answer := make(chan engine.Hold, 1)
	go func() {
		hold, err := r.Claim(src, out)
		if err != nil {
			t.Error(err)
		}
		answer <- hold
	}()
	select {
	case got := <-answer:
		if got != engine.Free {
			t.Errorf("Claim = %v, want Free", got)
		}
	case <-time.After(30 * time.Second): // the record is held for longer
		t.Fatal("Claim waited for the record")
	}
	r.Release(out)
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
	if err := r.Flush(); err != nil {
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
	if err := r.Flush(); err != nil {
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
	if err := r.Flush(); err != nil {
		t.Fatal(err)
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
