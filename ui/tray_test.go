package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"fluxdesk/engine/settings"
)

func TestTrayMenu_ItemsAndActions(t *testing.T) {
	var calls []string
	state := trayState{
		trayView:       trayView{folders: true, watching: true, engine: settings.EngineLocal},
		show:           func() { calls = append(calls, "show") },
		toggleWatching: func() { calls = append(calls, "toggle") },
		setEngine:      func(e string) { calls = append(calls, "engine "+e) },
		toggleAuto:     func() { calls = append(calls, "auto") },
		rollKey:        func() { calls = append(calls, "roll") },
	}
	m := trayMenu(state)
	var labels []string
	for _, it := range m.Items {
		if it.IsSeparator {
			labels = append(labels, "—")
			continue
		}
		labels = append(labels, it.Label)
		it.Action()
	}
	want := []string{"Show Fluxdesk", "—", "Pause watching", "—", "Engine: Local WebP", "Engine: Fluximage", "Auto quality", "—", "Roll API key…"}
	if len(labels) != len(want) {
		t.Fatalf("items %q, want %q", labels, want)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Errorf("item %d is %q, want %q", i, labels[i], want[i])
		}
	}
	wantCalls := []string{"show", "toggle", "engine local", "engine remote", "auto", "roll"}
	for i := range wantCalls {
		if i >= len(calls) || calls[i] != wantCalls[i] {
			t.Fatalf("actions %q, want %q", calls, wantCalls)
		}
	}
	if !item(m, "Engine: Local WebP").Checked || item(m, "Engine: Fluximage").Checked {
		t.Error("the local engine should be the checked one")
	}
	if item(m, "Auto quality").Checked {
		t.Error("auto quality is checked though fixed quality is chosen")
	}
}

func TestTrayMenu_AutoQualityIsGreyedForRemote(t *testing.T) {
	m := trayMenu(trayState{trayView: trayView{engine: settings.EngineLocal, auto: true}})
	if it := item(m, "Auto quality"); it == nil || !it.Checked || it.Disabled {
		t.Errorf("with the local engine and auto chosen, the item should be checked and enabled: %+v", it)
	}
	m = trayMenu(trayState{trayView: trayView{engine: settings.EngineRemote, auto: true}})
	if it := item(m, "Auto quality (local engine only)"); it == nil || it.Checked || !it.Disabled {
		t.Errorf("with Fluximage, auto quality should be greyed out and unchecked: %+v", it)
	}
}

func TestTrayMenu_PausedAndNoFolders(t *testing.T) {
	m := trayMenu(trayState{trayView: trayView{folders: true, watching: false, engine: settings.EngineRemote}})
	if item(m, "Resume watching") == nil || !item(m, "Engine: Fluximage").Checked {
		t.Error("paused folders should offer Resume watching, with Fluximage checked")
	}
	m = trayMenu(trayState{})
	if it := item(m, "Resume watching"); it == nil || !it.Disabled {
		t.Error("without folders the watching item should be disabled")
	}
}

func TestTray_ActionsReachTheWindow(t *testing.T) {
	d, _ := newTestDesk(t, nil)
	st := d.trayState()
	st.toggleAuto()
	if s := d.prefs.get(); !s.AutoQuality || !d.quick.auto.Checked {
		t.Error("the tray's auto quality item did not turn auto quality on in the settings and the quick bar")
	}
	if !d.trayState().auto {
		t.Error("the tray does not show auto quality as chosen")
	}
	st.setEngine(settings.EngineRemote)
	if d.prefs.get().Engine != settings.EngineRemote || d.quick.engine.Selected != engineRemoteLabel {
		t.Error("the tray's engine item did not switch the engine everywhere")
	}
	st.rollKey()
	if d.account.dialog == nil {
		t.Error("Roll API key… did not open the roll dialog")
	}
}

func item(m *fyne.Menu, label string) *fyne.MenuItem {
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	return nil
}
