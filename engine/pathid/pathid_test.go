package pathid

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReal_Within_Same(t *testing.T) {
	x, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(x, "real")
	os.MkdirAll(filepath.Join(real, "sub"), 0o755)
	os.WriteFile(filepath.Join(real, "a.jpg"), []byte("a"), 0o644)
	os.Symlink("real", filepath.Join(x, "link"))
	os.Link(filepath.Join(real, "a.jpg"), filepath.Join(x, "hard.jpg"))

	for given, want := range map[string]string{
		filepath.Join(x, "link"):                      real,
		filepath.Join(x, "link", "sub", ".."):         real,
		filepath.Join(x, "link", "a.jpg"):             filepath.Join(real, "a.jpg"),
		filepath.Join(x, "link", "not-yet.webp"):      filepath.Join(real, "not-yet.webp"),
		filepath.Join(x, "link", "new", "deep.webp"):  filepath.Join(real, "new", "deep.webp"),
		filepath.Join(x, "real", "..", "link", "sub"): filepath.Join(real, "sub"),
	} {
		if got := Real(given); got != want {
			t.Errorf("Real(%s) = %s, want %s", given, got, want)
		}
	}
	if !Same(filepath.Join(x, "hard.jpg"), filepath.Join(x, "link", "a.jpg")) {
		t.Error("a hard link and a path through a symlink are not the same file")
	}
	if Same(filepath.Join(x, "hard.jpg"), filepath.Join(real, "sub")) || Same(filepath.Join(x, "gone"), filepath.Join(x, "gone2")) {
		t.Error("different or missing files are the same")
	}
	for _, c := range []struct {
		inner, outer string
		want         bool
	}{
		{filepath.Join(x, "link", "sub"), real, true},
		{real, filepath.Join(x, "link"), true},
		{x, real, false},
		{filepath.Join(x, "realm"), real, false},
		{filepath.Join(x, "link", "new", "deep.webp"), real, true},
	} {
		if got := Within(c.inner, c.outer); got != c.want {
			t.Errorf("Within(%s, %s) = %v, want %v", c.inner, c.outer, got, c.want)
		}
	}
}
