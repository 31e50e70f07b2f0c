package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
	"fluxdesk/engine/settings"
)

// Engine names as the user sees them.
const (
	engineLocalLabel  = "Local WebP"
	engineRemoteLabel = "Fluximage"
)

// maxSizeChoices are the quick "max size" presets; each bounds both sides.
var maxSizeChoices = []string{"Original size", "3840 px", "2560 px", "1920 px", "1280 px", "800 px"}

// quickBar holds the settings a user changes most, at hand above the queue:
// engine, format, quality and maximum size.
type quickBar struct {
	p       *prefs
	report  func(error)
	engine  *widget.RadioGroup
	format  *widget.Select
	quality *widget.Slider
	qlabel  *widget.Label
	auto    *widget.Check
	maxSize *widget.Select

	content fyne.CanvasObject
}

func newQuickBar(p *prefs, report func(error)) *quickBar {
	b := &quickBar{p: p, report: report}
	b.engine = widget.NewRadioGroup([]string{engineLocalLabel, engineRemoteLabel}, b.onEngineChanged)
	b.engine.Horizontal = true
	b.engine.Required = true
	b.format = widget.NewSelect(nil, b.onFormatChanged)
	b.quality = widget.NewSlider(0, 100)
	b.quality.Step = 1
	b.quality.OnChangeEnded = b.onQualityChanged
	b.quality.OnChanged = func(v float64) { b.qlabel.SetText(fmt.Sprintf("Quality %d", int(v))) }
	b.qlabel = widget.NewLabel("")
	b.auto = widget.NewCheck(autoLabel(false, false), b.onAutoChanged)
	b.maxSize = widget.NewSelect(maxSizeChoices, b.onMaxSizeChanged)
	b.show(p.get())
	p.listen(func(_, s settings.Settings) { b.show(s) })
	quality := container.NewBorder(nil, nil, b.qlabel, b.auto, b.quality)
	b.content = container.NewBorder(nil, nil,
		container.NewHBox(b.engine, b.format), b.maxSize, quality)
	return b
}

// show puts s into the widgets, without echoing the changes back.
func (b *quickBar) show(s settings.Settings) {
	label := engineLocalLabel
	formats := []engine.Format{engine.FormatWebP}
	if s.Engine == settings.EngineRemote {
		label, formats = engineRemoteLabel, engine.Formats
	}
	if b.engine.Selected != label {
		b.engine.Selected = label
		b.engine.Refresh()
	}
	b.format.SetOptions(formatLabels(formats))
	if b.format.Selected != s.Format.Label() {
		b.format.Selected = s.Format.Label()
		b.format.Refresh()
	}
	if int(b.quality.Value) != s.Quality {
		b.quality.Value = float64(s.Quality)
		b.quality.Refresh()
	}
	b.qlabel.SetText(fmt.Sprintf("Quality %d", s.Quality))
	showAuto(b.auto, s, false)
	b.quality.Enable()
	switch {
	case s.Lossless:
		b.qlabel.SetText("Lossless")
	case b.auto.Checked && !b.auto.Disabled():
		b.qlabel.SetText("Quality auto")
		b.quality.Disable()
	}
	sel := maxSizeLabel(s.MaxWidth, s.MaxHeight)
	if b.maxSize.Selected != sel {
		b.maxSize.Selected = sel
		b.maxSize.Refresh()
	}
}

func (b *quickBar) onEngineChanged(label string) {
	name := settings.EngineLocal
	if label == engineRemoteLabel {
		name = settings.EngineRemote
	}
	b.report(b.p.update(func(s *settings.Settings) { chooseEngine(s, name) }))
}

func (b *quickBar) onFormatChanged(label string) {
	b.report(b.p.update(func(s *settings.Settings) { s.Format = formatFromLabel(label) }))
}

func (b *quickBar) onQualityChanged(v float64) {
	b.report(b.p.update(func(s *settings.Settings) { s.Quality = int(v) }))
}

func (b *quickBar) onAutoChanged(on bool) {
	b.report(b.p.update(func(s *settings.Settings) { chooseAuto(s, on) }))
}

func (b *quickBar) onMaxSizeChanged(label string) {
	n := maxSizeFromLabel(label)
	b.report(b.p.update(func(s *settings.Settings) { s.MaxWidth, s.MaxHeight = n, n }))
}

// maxSizeLabel names a maximum size as the quick bar shows it.
func maxSizeLabel(w, h int) string {
	switch {
	case w == 0 && h == 0:
		return maxSizeChoices[0]
	case w == h:
		return fmt.Sprintf("%d px", w)
	}
	return fmt.Sprintf("%d × %d px", w, h)
}

// maxSizeFromLabel reads a preset back: 0 for "Original size".
func maxSizeFromLabel(label string) int {
	n, _ := strconv.Atoi(strings.TrimSuffix(label, " px"))
	return n
}

// formatLabels names formats as the user sees them, for a select.
func formatLabels(fs []engine.Format) []string {
	labels := make([]string, len(fs))
	for i, f := range fs {
		labels[i] = f.Label()
	}
	return labels
}

// formatFromLabel is the format a select's label names; WebP when none.
func formatFromLabel(label string) engine.Format {
	if f, ok := engine.FormatLabeled(label); ok {
		return f
	}
	return engine.FormatWebP
}

// autoLabel names the auto quality choice, in a few words (long false) or
// with what it does; with the remote engine it says why it cannot be
// chosen (Fyne widgets have no tooltips).
func autoLabel(remote, long bool) string {
	label := "Auto"
	if long {
		label = "Auto quality: the lowest that keeps each image looking like the original"
	}
	if remote {
		return label + " (local engine only)"
	}
	return label
}

// showAuto puts the auto quality choice of s into check: ticked when
// chosen, greyed out with the remote engine, which takes a fixed quality.
func showAuto(check *widget.Check, s settings.Settings, long bool) {
	remote := s.Engine == settings.EngineRemote
	setCheck(check, s.AutoQuality && !remote)
	if text := autoLabel(remote, long); check.Text != text {
		check.Text = text
		check.Refresh()
	}
	if remote {
		check.Disable()
	} else {
		check.Enable()
	}
}

// chooseAuto turns auto quality on or off; it excludes lossless.
func chooseAuto(s *settings.Settings, on bool) {
	s.AutoQuality = on
	if on {
		s.Lossless = false
	}
}

// chooseLossless turns lossless on or off; it excludes auto quality.
func chooseLossless(s *settings.Settings, on bool) {
	s.Lossless = on
	if on {
		s.AutoQuality = false
	}
}
