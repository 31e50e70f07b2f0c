package ui

import (
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
	"fluxdesk/engine/local"
)

// sideInfo describes one side of a comparison.
type sideInfo struct {
	format        string
	width, height int
	bytes         int64
}

// String words a side: "JPEG · 2560 × 1920 · 1.2 MB".
func (s sideInfo) String() string {
	return fmt.Sprintf("%s · %d × %d · %s", displayFormat(s.format), s.width, s.height, engine.FormatBytes(s.bytes))
}

// displayFormat names an image format as people write it: "JPEG", "WebP".
func displayFormat(decoder string) string {
	if f, ok := engine.FormatDecoded(decoder); ok {
		return f.Label()
	}
	return strings.ToUpper(decoder)
}

// compareWindow shows a done row's original and output over each other.
type compareWindow struct {
	win     fyne.Window
	view    *compareView
	before  *widget.Label
	after   *widget.Label
	fit     *widget.Button
	actual  *widget.Button
	problem *widget.Label
	score   *widget.Label   // what auto quality chose and measured
	enc     engine.Encoding // how the output was encoded
}

// showCompare opens a compare window for a done row; the images are
// decoded off the UI goroutine.
func (d *Desk) showCompare(r *Row) {
	if r == nil || r.Output == "" {
		return
	}
	c := newCompareWindow(d.app.NewWindow("Compare — " + filepath.Base(r.Path)))
	c.enc = r.Encoding
	c.win.Resize(fyne.NewSize(960, 680))
	c.win.Show()
	original, output := r.Path, r.Output
	go func() {
		before, bi, berr := loadImage(original)
		after, ai, aerr := loadImage(output)
		d.do(func() { c.show(before, bi, berr, after, ai, aerr) })
	}()
}

func newCompareWindow(w fyne.Window) *compareWindow {
	c := &compareWindow{win: w, view: newCompareView()}
	c.before = widget.NewLabel("Before: loading…")
	c.after = widget.NewLabelWithStyle("After: loading…", fyne.TextAlignTrailing, fyne.TextStyle{})
	c.fit = widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), func() { c.view.setActual(false) })
	c.actual = widget.NewButtonWithIcon("100 %", theme.ZoomInIcon(), func() { c.view.setActual(true) })
	c.view.onZoom = c.showZoom
	c.problem = widget.NewLabel("")
	c.problem.Importance = widget.DangerImportance
	c.problem.Wrapping = fyne.TextWrapWord
	c.problem.Hide()
	c.score = widget.NewLabel("")
	c.score.Hide()
	hint := widget.NewLabel("Drag the line (or tap) to move it · double-tap or 100 % to zoom · drag to pan")
	hint.Importance = widget.LowImportance
	hint.SizeName = theme.SizeNameCaptionText
	top := container.NewBorder(nil, nil, c.before, c.after, container.NewCenter(container.NewHBox(c.fit, c.actual)))
	bottom := container.NewVBox(c.problem, container.NewHBox(layout.NewSpacer(), c.score, layout.NewSpacer()),
		container.NewHBox(layout.NewSpacer(), hint, layout.NewSpacer()))
	c.showZoom(false)
	w.SetContent(container.NewBorder(top, bottom, nil, nil, c.view))
	return c
}

// showZoom marks the zoom button in force.
func (c *compareWindow) showZoom(actual bool) {
	c.fit.Importance, c.actual.Importance = widget.HighImportance, widget.MediumImportance
	if actual {
		c.fit.Importance, c.actual.Importance = widget.MediumImportance, widget.HighImportance
	}
	c.fit.Refresh()
	c.actual.Refresh()
}

// show puts the decoded images in place, or says why one could not be.
func (c *compareWindow) show(before image.Image, bi sideInfo, berr error, after image.Image, ai sideInfo, aerr error) {
	c.before.SetText("Before: " + describeSide(bi))
	c.after.SetText("After: " + describeSide(ai) + " " + saving(bi.bytes, ai.bytes))
	if note := scoreNote(c.enc); note != "" {
		c.score.SetText(note)
		c.score.Show()
	}
	switch {
	case berr != nil:
		c.showProblem(fmt.Errorf("the original cannot be shown: %w", berr))
	case aerr != nil:
		c.showProblem(fmt.Errorf("the output cannot be shown: %w", aerr))
	default:
		c.view.setImages(before, after)
	}
}

func (c *compareWindow) showProblem(err error) {
	c.problem.SetText(err.Error())
	c.problem.Show()
}

// scoreNote words what the auto search chose and measured:
// "Quality auto → q74 · SSIMULACRA 2 score 74.3 (100: identical)"; empty
// without auto.
func scoreNote(e engine.Encoding) string {
	if !e.Auto {
		return ""
	}
	return fmt.Sprintf("Quality %s · SSIMULACRA 2 score %.1f (100: identical)", e, e.Score)
}

func describeSide(s sideInfo) string {
	if s.width == 0 {
		if s.bytes > 0 {
			return displayFormat(s.format) + " · " + engine.FormatBytes(s.bytes)
		}
		return "not available"
	}
	return s.String()
}

// loadImage decodes an image for comparison the way the engine decodes it
// (upright, refused over its pixel limit), with what is known of it even
// when it cannot be decoded (AVIF from Fluximage, for one).
func loadImage(path string) (image.Image, sideInfo, error) {
	info := sideInfo{format: strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")}
	if st, err := os.Stat(path); err == nil {
		info.bytes = st.Size()
	}
	pic, err := local.DecodeFile(path, 0, 0)
	if pic.Format != "" {
		info.format, info.width, info.height = pic.Format, pic.Width, pic.Height
	}
	switch {
	case errors.Is(err, local.ErrNotImage), errors.Is(err, local.ErrUnsupported):
		return nil, info, fmt.Errorf("%s images cannot be previewed here", displayFormat(info.format))
	case err != nil:
		return nil, info, err
	}
	return pic.Image, info, nil
}
