package ui

import (
	"fluxdesk/internal/testimage"
	"image"
	"image/color"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"fluxdesk/engine"
	"fluxdesk/engine/settings"
)

func TestQuickBar_AutoQualityIsSavedAndGreyedForRemote(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	test.Tap(d.settingV.lossless)
	test.Tap(d.quick.auto)
	s := d.prefs.get()
	if !s.AutoQuality || s.Lossless {
		t.Fatalf("after Auto: auto %v, lossless %v; want auto on, lossless off", s.AutoQuality, s.Lossless)
	}
	if !d.quick.quality.Disabled() || d.quick.qlabel.Text != "Quality auto" || !d.settingV.auto.Checked || d.settingV.lossless.Checked {
		t.Errorf("slider disabled %v, label %q, settings tab auto %v lossless %v",
			d.quick.quality.Disabled(), d.quick.qlabel.Text, d.settingV.auto.Checked, d.settingV.lossless.Checked)
	}
	if o, err := s.Options(); err != nil || !o.AutoQuality {
		t.Errorf("options %+v, %v", o, err)
	}

	d.quick.engine.SetSelected(engineRemoteLabel)
	if !d.quick.auto.Disabled() || d.quick.auto.Checked || d.quick.auto.Text != "Auto (local engine only)" || !d.settingV.auto.Disabled() {
		t.Errorf("with Fluximage: auto disabled %v, checked %v, text %q", d.quick.auto.Disabled(), d.quick.auto.Checked, d.quick.auto.Text)
	}
	if o, _ := d.prefs.get().Options(); o.AutoQuality {
		t.Error("auto quality must never reach the remote engine")
	}
	d.quick.engine.SetSelected(engineLocalLabel)
	if d.quick.auto.Disabled() || !d.quick.auto.Checked {
		t.Error("back on the local engine, auto should be in force again")
	}

	d.shutdown()
	saved, err := settings.Load(d.opts.SettingsPath)
	if err != nil || !saved.AutoQuality {
		t.Errorf("saved auto %v, %v", saved.AutoQuality, err)
	}
}

func TestQueueScreen_AutoRowSaysWhatWasChosen(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "photo.png")
	testimage.WritePNG(t, src, testimage.Noisy(320, 240))
	d, _ := newTestDesk(t, nil)
	test.Tap(d.quick.auto)
	d.addPaths([]string{src})
	waitFor(t, d, "the file to be done", 60*time.Second, func() bool {
		return d.queue.totals.Done+d.queue.totals.Failed+d.queue.totals.Skipped == 1
	})
	r := d.queue.rows[0]
	if r.Status != engine.StatusDone || !r.Encoding.Auto {
		t.Fatalf("row %+v", r)
	}
	if got := rowState(r); !strings.HasPrefix(got, "Done · auto → ") {
		t.Errorf("row state %q, want the quality auto chose", got)
	}
}

func TestCompare_ShowsTheScore(t *testing.T) {
	w := test.NewTempWindow(t, nil)
	c := newCompareWindow(w)
	w.Resize(fyne.NewSize(960, 680))
	c.enc = engine.Encoding{Quality: 74, Auto: true, Score: 75.36}
	img := image.NewNRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(0, 0, color.Black)
	c.show(img, sideInfo{format: "jpeg", width: 64, height: 48, bytes: 90_000}, nil,
		img, sideInfo{format: "webp", width: 64, height: 48, bytes: 30_000}, nil)
	if !c.score.Visible() || c.score.Text != "Quality auto → q74 · SSIMULACRA 2 score 75.4 (100: identical)" {
		t.Errorf("score label %q (shown %v)", c.score.Text, c.score.Visible())
	}
	test.AssertRendersToMarkup(t, "compare_auto.xml", w.Canvas())
}
