package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"fluxdesk/engine"
)

// brightDot returns which of p's dots is drawn bright, or -1 when it is
// not exactly one.
func brightDot(p *pulse) int {
	bright := -1
	for i, d := range p.dots {
		if d.FillColor == theme.Color(theme.ColorNameForeground) {
			if bright >= 0 {
				return -1
			}
			bright = i
		}
	}
	return bright
}

// The bright dot moves on by one every flushInterval, and wraps around.
func TestPulse_MovesOnEveryFlushInterval(t *testing.T) {
	test.NewTempApp(t)
	p := newPulse()
	test.WidgetRenderer(p)
	t0 := time.UnixMilli(pulseDots * 1_000_000 * flushInterval.Milliseconds()) // phase 0
	for step := 0; step <= pulseDots; step++ {
		at := t0.Add(time.Duration(step) * flushInterval)
		p.show(pulsePhase(at))
		if got, want := brightDot(p), step%pulseDots; got != want {
			t.Fatalf("step %d: dot %d is bright, want %d", step, got, want)
		}
	}
	if pulsePhase(t0) != pulsePhase(t0.Add(flushInterval-time.Millisecond)) {
		t.Error("the pulse moved within one flush interval")
	}
}

// A row shows its pulse only while its file is worked on.
func TestRowWidget_PulseOnlyWhileWorking(t *testing.T) {
	test.NewTempApp(t)
	w := newRowWidget(rowActions{})
	test.WidgetRenderer(w)
	for _, c := range []struct {
		status engine.Status
		pulse  bool
	}{
		{engine.StatusQueued, false},
		{engine.StatusRunning, true},
		{engine.StatusDone, false},
		{engine.StatusRunning, true},
		{engine.StatusFailed, false},
	} {
		w.set(&Row{Path: "/a/1.png", Status: c.status, Output: "/a/1.webp"}, nil)
		if w.pulse.Visible() != c.pulse {
			t.Errorf("%v row: pulse shown %v, want %v", c.status, w.pulse.Visible(), c.pulse)
		}
	}
	if brightDot(w.pulse) < 0 {
		t.Error("a working row's pulse has no single bright dot")
	}
}
