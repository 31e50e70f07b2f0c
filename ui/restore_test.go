package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
	"fluxdesk/engine/settings"
	"fluxdesk/internal/testimage"
)

// A done row whose output replaced its original offers "Restore original";
// confirming puts the original back byte for byte and removes the output.
func TestQueueScreen_RestoreOriginal(t *testing.T) {
	d, w := newTestDesk(t, nil)
	if err := d.prefs.update(func(s *settings.Settings) { s.Output = settings.OutputReplace }); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "photo.png")
	testimage.WritePNG(t, src, testimage.Noisy(320, 240))
	original, _ := os.ReadFile(src)
	d.addPaths([]string{src})
	waitFor(t, d, "the file to be done", 30*time.Second, func() bool { return d.queue.totals.Done == 1 })
	r := d.queue.rows[0]
	if r.Backup != filepath.Join(dir, engine.BackupDirName, "photo.png") {
		t.Fatalf("row %+v", r)
	}
	row := newRowWidget(rowActions{})
	row.set(r, nil)
	if !row.restore.Visible() {
		t.Error("the done row does not offer to restore its original")
	}
	row.set(&Row{Path: "/a.png", Output: "/a.webp", Status: engine.StatusDone}, nil)
	if row.restore.Visible() {
		t.Error("a row that replaced nothing offers to restore")
	}

	d.askRestore(r)
	confirm := findButton(w.Canvas().Overlays().Top(), "Restore original")
	if confirm == nil {
		t.Fatal(`no "Restore original" button in the dialog`)
	}
	test.Tap(confirm)
	waitFor(t, d, "the original to be restored", 10*time.Second, func() bool { return r.Restored })
	if got, _ := os.ReadFile(src); !bytes.Equal(got, original) {
		t.Error("the restored original differs from the one replaced")
	}
	if _, err := os.Stat(r.Output); !os.IsNotExist(err) {
		t.Errorf("the output is still there: %v", err)
	}
	row.set(r, nil)
	if row.state.Text != "Restored" || row.restore.Visible() || row.compare.Visible() {
		t.Errorf("restored row: state %q, restore shown %v", row.state.Text, row.restore.Visible())
	}
	if tot := d.queue.totals; tot.Done != 0 || tot.Skipped != 1 || tot.Finished != 1 {
		t.Errorf("totals %+v", tot)
	}
}

// A restore that cannot be done says why on the status line, and the row
// stays as it was.
func TestQueueScreen_RestoreRefusedIsReported(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	dir := t.TempDir()
	r := &Row{Path: filepath.Join(dir, "gone.png"), Output: filepath.Join(dir, "gone.webp"), Status: engine.StatusDone,
		Backup: filepath.Join(dir, engine.BackupDirName, "gone.png")}
	d.queue.rows = append(d.queue.rows, r)
	d.restoreOriginal(r)
	waitFor(t, d, "the status line", 10*time.Second, func() bool { return d.status.Visible() })
	if r.Restored || r.Status != engine.StatusDone {
		t.Errorf("row %+v", r)
	}
	if want := "gone.png was not restored: no backup of it in " + engine.BackupDirName; d.status.Text != want {
		t.Errorf("status %q, want %q", d.status.Text, want)
	}
}

// findButton returns the button with this text in o's tree, or nil.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	var children []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		children = v.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(v).Objects()
	}
	for _, c := range children {
		if b := findButton(c, text); b != nil {
			return b
		}
	}
	return nil
}
