package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"fluxdesk/engine"
	"fluxdesk/engine/settings"
	"fluxdesk/internal/testimage"
	"fluxdesk/watcher"
)

func TestQueueScreen_EmptyShowsTheDropArea(t *testing.T) {
	_, w := newTestDesk(t, nil)
	test.AssertRendersToMarkup(t, "queue_empty.xml", w.Canvas())
}

func TestQueueScreen_RowsInEveryState(t *testing.T) {
	d, w := newTestDesk(t, nil)
	d.applyEvents([]laneEvent{
		{1, engine.Event{Job: 1, Status: engine.StatusDone, Path: "/photos/beach.jpg", Output: "/photos/beach.webp", Backup: "/photos/" + engine.BackupDirName + "/beach.jpg", BytesIn: 2_400_000, BytesOut: 610_000}},
		{1, engine.Event{Job: 2, Status: engine.StatusQueued, Path: "/photos/dune.png", BytesIn: 5_100_000}},
		{1, engine.Event{Job: 5, Status: engine.StatusDone, Path: "/photos/leaves.jpg", Output: "/photos/leaves.webp", BytesIn: 3_000_000, BytesOut: 540_000,
			Encoding: engine.Encoding{Quality: 74, Auto: true, Score: 74.2}}},
		{1, engine.Event{Job: 6, Status: engine.StatusDone, Path: "/photos/screen.png", Output: "/photos/screen.webp", BytesIn: 80_000, BytesOut: 31_000,
			Encoding: engine.Encoding{Lossless: true, Auto: true, Score: 100}}},
		{1, engine.Event{Job: 3, Status: engine.StatusSkipped, Path: "/photos/logo.png", BytesIn: 4_000, BytesOut: 4_200, Message: "no gain: the output would be 4.2 KB, the original is 4.0 KB"}},
		{1, engine.Event{Job: 4, Status: engine.StatusFailed, Path: "/photos/broken.jpg", BytesIn: 12, Message: "not an image Fluxdesk can read"}},
		{2, engine.Event{Job: 1, Status: engine.StatusHeld, Path: "/photos/sky.jpg", BytesIn: 900_000, Message: "Fluximage rejected the API key — was it rolled? " + heldHint}},
	})
	test.AssertRendersToMarkup(t, "queue_rows.xml", w.Canvas())
}

func TestQueueScreen_ClearFinished(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	d.applyEvents(events(3))
	d.applyEvents([]laneEvent{{1, engine.Event{Job: 99, Status: engine.StatusQueued, Path: "/photos/late.jpg"}}})
	test.Tap(d.queueV.clear)
	if len(d.queue.rows) != 1 || d.queueV.summary.Text != "0 of 1 files finished" {
		t.Errorf("after Clear finished: %d rows, %q", len(d.queue.rows), d.queueV.summary.Text)
	}
}

func TestQueueScreen_CommandLineFileIsCompressed(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "photo.png")
	testimage.WritePNG(t, src, testimage.Noisy(320, 240))
	d, _ := newTestDesk(t, nil)
	d.addPaths([]string{src})
	waitFor(t, d, "the file to be done", 30*time.Second, func() bool {
		return d.queue.totals.Done == 1
	})
	r := d.queue.rows[0]
	if r.Output != filepath.Join(dir, "photo.webp") || r.BytesOut >= r.BytesIn {
		t.Errorf("row %+v", r)
	}
}

func TestQuickBar_EngineSwitchOffersTheRemoteFormats(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	d.quick.engine.SetSelected(engineRemoteLabel)
	if s := d.prefs.get(); s.Engine != settings.EngineRemote {
		t.Fatalf("engine %q", s.Engine)
	}
	if got := d.quick.format.Options; len(got) != 4 || got[1] != "AVIF" {
		t.Errorf("remote formats %q", got)
	}
	d.quick.format.SetSelected("AVIF")
	d.quick.engine.SetSelected(engineLocalLabel)
	if s := d.prefs.get(); s.Engine != settings.EngineLocal || s.Format != engine.FormatWebP {
		t.Errorf("back to local: %s %s", s.Engine, s.Format)
	}
	if d.settingV.format.Selected != "WebP" {
		t.Errorf("the settings tab shows %q", d.settingV.format.Selected)
	}
	d.quick.maxSize.SetSelected("1920 px")
	if s := d.prefs.get(); s.MaxWidth != 1920 || s.MaxHeight != 1920 || d.settingV.maxWidth.Text != "1920" {
		t.Errorf("max size %d×%d, settings tab %q", s.MaxWidth, s.MaxHeight, d.settingV.maxWidth.Text)
	}
}

func TestSettingsScreen_Layout(t *testing.T) {
	d, w := newTestDesk(t, nil)
	d.tabs.SelectIndex(2)
	test.AssertRendersToMarkup(t, "settings.xml", w.Canvas())
}

func TestSettingsScreen_TypingAppliesAndSaves(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	f := d.settingV
	test.Type(f.maxWidth, "2560")
	test.Tap(f.closeToTray)
	test.Tap(f.skipLarger)
	test.Tap(f.keepModTime)
	test.Tap(f.keepMetadata)
	f.workers.SetSelected("1")
	f.settle.SetSelected(settleLabel(5))
	test.Type(f.apiURL, "http://example.com") // refused: plain http off this machine
	s := d.prefs.get()
	if s.MaxWidth != 2560 || !s.CloseToTray || s.SkipLarger || s.KeepModTime || !s.KeepMetadata || s.Workers != 1 || s.SettleSeconds != 5 || s.APIURL != "" {
		t.Errorf("settings %+v", s)
	}
	if f.apiURL.Validate() == nil {
		t.Error("a plain-http address off this machine should be refused")
	}
	d.shutdown()
	saved, err := settings.Load(d.opts.SettingsPath)
	if err != nil || saved.MaxWidth != 2560 || !saved.CloseToTray || saved.Workers != 1 || saved.KeepModTime || !saved.KeepMetadata {
		t.Errorf("saved %+v, %v", saved, err)
	}
}

func TestSettingsScreen_BadValueIsShownNotApplied(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	test.Type(d.settingV.maxHeight, "12a")
	if d.prefs.get().MaxHeight != 12 || d.settingV.maxHeight.Validate() == nil {
		t.Errorf("max height %d: %q should be refused and 12 kept", d.prefs.get().MaxHeight, d.settingV.maxHeight.Text)
	}
}

func TestFoldersScreen_EmptyAndWatching(t *testing.T) {
	d, w := newTestDesk(t, nil)
	d.tabs.SelectIndex(1)
	test.AssertRendersToMarkup(t, "folders_empty.xml", w.Canvas())

	dir := t.TempDir()
	d.addWatched(dir)
	waitFor(t, d, "the folder to be watched", 10*time.Second, func() bool {
		s := d.watch.Snapshot()
		return len(s) == 1 && s[0].Kind == "watching"
	})
	if got := d.prefs.get().Watched; len(got) != 1 || got[0].Path != dir {
		t.Errorf("watched folders in the settings: %+v", got)
	}
	testimage.WritePNG(t, filepath.Join(dir, "new.png"), testimage.Noisy(200, 150))
	waitFor(t, d, "the watched file to be done", 30*time.Second, func() bool {
		s := d.watch.Snapshot()
		return s[0].Done == 1
	})
	if got := d.watch.Snapshot()[0].Counts(); !strings.HasPrefix(got, "1 queued · 1 done · ") {
		t.Errorf("counts %q", got)
	}

	d.setWatchPaused("", true)
	if s := d.watch.Snapshot()[0]; !s.Paused || !d.prefs.get().Watched[0].Paused {
		t.Error("Pause all did not pause the folder")
	}
	waitFor(t, d, "only Resume all to be enabled with every folder paused", 5*time.Second, func() bool {
		return d.foldersV.pauseAll.Disabled() && !d.foldersV.resumeAll.Disabled()
	})
	d.removeWatched(dir)
	if len(d.watch.Snapshot()) != 0 || len(d.prefs.get().Watched) != 0 {
		t.Error("Remove did not forget the folder")
	}
}

// A folder that cannot be watched (here it does not exist) is still
// listed, in the Error state with its reason, so the user sees why.
func TestFoldersScreen_UnwatchableFolderIsShown(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	gone := filepath.Join(t.TempDir(), "gone")
	d.addWatched(gone)
	waitFor(t, d, "the folder to be listed", 10*time.Second, func() bool {
		s := d.foldersV.states
		return len(s) == 1 && s[0].Path == gone && s[0].Kind == watcher.Error && s[0].Reason != ""
	})
}

func TestAccountScreen_NoKey(t *testing.T) {
	d, w := newTestDesk(t, nil)
	refreshed := false
	d.account.after = func(string, error) { refreshed = true }
	d.account.refresh()
	waitFor(t, d, "the key status", 10*time.Second, func() bool { return refreshed })
	d.tabs.SelectIndex(3)
	test.AssertRendersToMarkup(t, "account_nokey.xml", w.Canvas())
	if d.account.setBtn.Disabled() || !d.account.removeBtn.Disabled() {
		t.Error("without a key only Set key… should be offered")
	}
}

// The remote engine does not carry metadata over, so its box is greyed
// while Fluximage is chosen, and the choice comes back with the local engine.
func TestSettingsScreen_KeepMetadataGreyedForRemote(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	f := d.settingV
	test.Tap(f.keepMetadata)
	d.quick.engine.SetSelected(engineRemoteLabel)
	if !f.keepMetadata.Disabled() {
		t.Error("with Fluximage, the Keep EXIF box should be greyed")
	}
	d.quick.engine.SetSelected(engineLocalLabel)
	if f.keepMetadata.Disabled() || !f.keepMetadata.Checked {
		t.Errorf("back on the local engine: disabled %v, checked %v; want enabled and checked", f.keepMetadata.Disabled(), f.keepMetadata.Checked)
	}
}
