package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"fluxdesk/engine"
)

func TestSaving_WordsShrinkAndGrowth(t *testing.T) {
	for _, c := range []struct {
		in, out int64
		want    string
	}{
		{2_000_000, 500_000, "−75 %"},
		{1000, 1000, "−0 %"},
		{1000, 1100, "+10 %"}, // kept larger (Skip larger off)
		{0, 10, ""},
	} {
		if got := saving(c.in, c.out); got != c.want {
			t.Errorf("saving(%d, %d) = %q, want %q", c.in, c.out, got, c.want)
		}
	}
}

// A row makes its buttons when it first shows a done file, and hides them
// when it is reused for a file that is not done.
func TestRowWidget_ButtonsOnlyForDoneFiles(t *testing.T) {
	test.NewTempApp(t)
	w := newRowWidget(rowActions{})
	test.WidgetRenderer(w)

	w.set(&Row{Path: "/a/1.png", Status: engine.StatusQueued}, nil)
	if len(w.buttons.Objects) != 0 {
		t.Fatalf("a queued row has %d buttons, want none", len(w.buttons.Objects))
	}

	w.set(&Row{Path: "/a/2.png", Status: engine.StatusDone, Output: "/a/2.webp", Backup: "/b/2.png"}, nil)
	if len(w.buttons.Objects) != 3 || !w.compare.Visible() || !w.folder.Visible() || !w.restore.Visible() {
		t.Fatalf("a done row with a backup: %d buttons, compare %v, folder %v, restore %v",
			len(w.buttons.Objects), w.compare.Visible(), w.folder.Visible(), w.restore.Visible())
	}

	w.set(&Row{Path: "/a/3.png", Status: engine.StatusDone, Output: "/a/3.webp"}, nil)
	if !w.compare.Visible() || w.restore.Visible() {
		t.Errorf("a done row without a backup: compare %v, restore %v", w.compare.Visible(), w.restore.Visible())
	}

	w.set(&Row{Path: "/a/4.png", Status: engine.StatusRunning}, nil)
	if w.compare.Visible() || w.folder.Visible() || w.restore.Visible() {
		t.Error("a row reused for a running file still shows buttons")
	}
}
