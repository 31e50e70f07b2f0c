package ui

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
	"fluxdesk/engine/apikey"
	"fluxdesk/engine/settings"
)

// Output places as the user sees them.
const (
	outputBesideLabel  = "Beside each original"
	outputFolderLabel  = "In one folder"
	outputReplaceLabel = "Replace originals (kept in a backup folder)"
)

// settleChoices are the settle times offered, in seconds.
var settleChoices = []float64{0.5, 1, 2, 5, 10, 30}

// settingsForm is the Settings tab: every setting, applied and saved as it
// changes.
type settingsForm struct {
	p *prefs

	engine        *widget.RadioGroup
	format        *widget.Select
	quality       *widget.Slider
	qualityLabel  *widget.Label
	lossless      *widget.Check
	auto          *widget.Check
	maxWidth      *widget.Entry
	maxHeight     *widget.Entry
	output        *widget.RadioGroup
	outDir        *widget.Label
	browse        *widget.Button
	skipLarger    *widget.Check
	keepModTime   *widget.Check
	keepMetadata  *widget.Check
	workers       *widget.Select
	apiURL        *widget.Entry
	fallback      *widget.Check
	settle        *widget.Select
	notifications *widget.Check
	closeToTray   *widget.Check
	problem       *widget.Label

	pickFolder func(use func(string))
	content    fyne.CanvasObject
}

func newSettingsForm(p *prefs, pickFolder func(func(string))) *settingsForm {
	f := &settingsForm{p: p, pickFolder: pickFolder}
	f.engine = widget.NewRadioGroup([]string{engineLocalLabel, engineRemoteLabel}, func(label string) {
		name := settings.EngineLocal
		if label == engineRemoteLabel {
			name = settings.EngineRemote
		}
		f.apply(func(s *settings.Settings) { chooseEngine(s, name) })
	})
	f.engine.Horizontal, f.engine.Required = true, true
	f.format = widget.NewSelect(nil, func(label string) {
		f.apply(func(s *settings.Settings) { s.Format = formatFromLabel(label) })
	})
	f.quality = widget.NewSlider(0, 100)
	f.quality.Step = 1
	f.qualityLabel = widget.NewLabel("")
	f.quality.OnChanged = func(v float64) { f.qualityLabel.SetText(strconv.Itoa(int(v))) }
	f.quality.OnChangeEnded = func(v float64) { f.apply(func(s *settings.Settings) { s.Quality = int(v) }) }
	f.lossless = widget.NewCheck("Lossless WebP (every pixel kept; quality is not used)", func(on bool) {
		f.apply(func(s *settings.Settings) { chooseLossless(s, on) })
	})
	f.auto = widget.NewCheck(autoLabel(false, true), func(on bool) {
		f.apply(func(s *settings.Settings) { chooseAuto(s, on) })
	})
	f.maxWidth = newPixelsEntry(func(n int) { f.apply(func(s *settings.Settings) { s.MaxWidth = n }) })
	f.maxHeight = newPixelsEntry(func(n int) { f.apply(func(s *settings.Settings) { s.MaxHeight = n }) })
	f.output = widget.NewRadioGroup([]string{outputBesideLabel, outputFolderLabel, outputReplaceLabel}, f.onOutputChanged)
	f.output.Required = true
	f.outDir = widget.NewLabel("")
	f.outDir.Truncation = fyne.TextTruncateEllipsis
	f.browse = widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), f.chooseOutDir)
	f.skipLarger = widget.NewCheck("Skip a file when its output would not be smaller", func(on bool) {
		f.apply(func(s *settings.Settings) { s.SkipLarger = on })
	})
	f.keepModTime = widget.NewCheck("Give each output its original's modification date", func(on bool) {
		f.apply(func(s *settings.Settings) { s.KeepModTime = on })
	})
	f.keepMetadata = widget.NewCheck("Keep EXIF and XMP (author, copyright, date) in outputs made here; never the GPS position", func(on bool) {
		f.apply(func(s *settings.Settings) { s.KeepMetadata = on })
	})
	f.workers = widget.NewSelect(workerChoices(), func(label string) {
		f.apply(func(s *settings.Settings) { s.Workers = workersFromLabel(label) })
	})
	f.apiURL = widget.NewEntry()
	f.apiURL.SetPlaceHolder(apikey.DefaultBaseURL)
	f.apiURL.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		_, err := apikey.CheckBaseURL(v)
		return err
	}
	f.apiURL.OnChanged = f.onAPIURLChanged
	f.fallback = widget.NewCheck("Compress on this machine what Fluximage cannot take (offline, quota used up, files over 20 MB)", func(on bool) {
		f.apply(func(s *settings.Settings) { s.FallbackLocal = on })
	})
	f.settle = widget.NewSelect(settleLabels(), func(label string) {
		f.apply(func(s *settings.Settings) { s.SettleSeconds = settleFromLabel(label) })
	})
	f.notifications = widget.NewCheck("Notify when a watched batch finishes or the API key is rejected", func(on bool) {
		f.apply(func(s *settings.Settings) { s.Notifications = on })
	})
	f.closeToTray = widget.NewCheck("Closing the window keeps Fluxdesk running in the tray (when the desktop has one)", func(on bool) {
		f.apply(func(s *settings.Settings) { s.CloseToTray = on })
	})
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	f.show(p.get())
	p.listen(func(_, s settings.Settings) { f.show(s) })
	f.content = container.NewVScroll(container.NewPadded(container.NewVBox(f.form(), f.problem)))
	return f
}

// form lays the settings out in groups.
func (f *settingsForm) form() fyne.CanvasObject {
	quality := container.NewBorder(nil, nil, nil, f.qualityLabel, f.quality)
	size := container.NewGridWithColumns(2, f.maxWidth, f.maxHeight)
	outDir := container.NewBorder(nil, nil, nil, f.browse, f.outDir)
	return container.NewVBox(
		heading("Compression"),
		widget.NewForm(
			widget.NewFormItem("Engine", f.engine),
			widget.NewFormItem("Format", f.format),
			widget.NewFormItem("Quality", quality),
			widget.NewFormItem("", f.auto),
			widget.NewFormItem("", f.lossless),
			widget.NewFormItem("Max width × height", size),
			widget.NewFormItem("", f.skipLarger),
			widget.NewFormItem("", f.keepMetadata),
			widget.NewFormItem("Workers", f.workers),
		),
		heading("Output"),
		widget.NewForm(
			widget.NewFormItem("Put outputs", f.output),
			widget.NewFormItem("Output folder", outDir),
			widget.NewFormItem("", f.keepModTime),
		),
		heading("Fluximage"),
		widget.NewForm(
			widget.NewFormItem("API address", f.apiURL),
			widget.NewFormItem("", f.fallback),
		),
		heading("Watching and the desktop"),
		widget.NewForm(
			widget.NewFormItem("Settle time", f.settle),
			widget.NewFormItem("", f.notifications),
			widget.NewFormItem("", f.closeToTray),
		),
	)
}

func heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// apply changes the settings, or shows why the change was refused.
func (f *settingsForm) apply(change func(*settings.Settings)) {
	if err := f.p.update(change); err != nil {
		f.problem.SetText(err.Error())
		f.problem.Show()
		f.show(f.p.get())
		return
	}
	f.problem.Hide()
}

func (f *settingsForm) onOutputChanged(label string) {
	switch label {
	case outputFolderLabel:
		if f.p.get().OutDir == "" {
			f.chooseOutDir()
			return
		}
		f.apply(func(s *settings.Settings) { s.Output = settings.OutputFolder })
	case outputReplaceLabel:
		f.apply(func(s *settings.Settings) { s.Output = settings.OutputReplace })
	default:
		f.apply(func(s *settings.Settings) { s.Output = settings.OutputBeside })
	}
}

// chooseOutDir lets the user pick the output folder, and sends outputs there.
func (f *settingsForm) chooseOutDir() {
	f.pickFolder(func(path string) {
		f.apply(func(s *settings.Settings) { s.Output, s.OutDir = settings.OutputFolder, path })
	})
	f.show(f.p.get()) // until a folder is chosen
}

func (f *settingsForm) onAPIURLChanged(v string) {
	if f.apiURL.Validate() != nil {
		return
	}
	f.apply(func(s *settings.Settings) { s.APIURL = strings.TrimSpace(v) })
}

// show puts s into the widgets; setting a widget's value directly does not
// call its change handler, so nothing echoes back.
func (f *settingsForm) show(s settings.Settings) {
	setRadio(f.engine, map[bool]string{true: engineRemoteLabel, false: engineLocalLabel}[s.Engine == settings.EngineRemote])
	formats := []engine.Format{engine.FormatWebP}
	if s.Engine == settings.EngineRemote {
		formats = engine.Formats
	}
	f.format.SetOptions(formatLabels(formats))
	setSelect(f.format, s.Format.Label())
	if int(f.quality.Value) != s.Quality {
		f.quality.Value = float64(s.Quality)
		f.quality.Refresh()
	}
	f.qualityLabel.SetText(strconv.Itoa(s.Quality))
	setCheck(f.lossless, s.Lossless)
	showAuto(f.auto, s, true)
	// The remote engine takes neither choice.
	for _, c := range []*widget.Check{f.lossless, f.keepMetadata} {
		if s.Engine == settings.EngineRemote {
			c.Disable()
		} else {
			c.Enable()
		}
	}
	setPixels(f.maxWidth, s.MaxWidth)
	setPixels(f.maxHeight, s.MaxHeight)
	setRadio(f.output, map[string]string{
		settings.OutputBeside: outputBesideLabel, settings.OutputFolder: outputFolderLabel, settings.OutputReplace: outputReplaceLabel,
	}[s.Output])
	f.outDir.SetText(s.OutDir)
	if s.OutDir == "" {
		f.outDir.SetText("none chosen")
	}
	setCheck(f.skipLarger, s.SkipLarger)
	setCheck(f.keepModTime, s.KeepModTime)
	setCheck(f.keepMetadata, s.KeepMetadata)
	setSelect(f.workers, workersLabel(s.Workers))
	if f.apiURL.Text != s.APIURL && f.apiURL.Validate() == nil {
		f.apiURL.Text = s.APIURL
		f.apiURL.Refresh()
	}
	setCheck(f.fallback, s.FallbackLocal)
	setSelect(f.settle, settleLabel(s.SettleSeconds))
	setCheck(f.notifications, s.Notifications)
	setCheck(f.closeToTray, s.CloseToTray)
}

func setRadio(r *widget.RadioGroup, v string) {
	if r.Selected != v {
		r.Selected = v
		r.Refresh()
	}
}

func setSelect(s *widget.Select, v string) {
	if s.Selected != v {
		s.Selected = v
		s.Refresh()
	}
}

func setCheck(c *widget.Check, v bool) {
	if c.Checked != v {
		c.Checked = v
		c.Refresh()
	}
}

// newPixelsEntry returns an entry for a size in pixels (empty: no limit)
// that calls set with each valid value.
func newPixelsEntry(set func(int)) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder("no limit")
	e.Validator = func(v string) error {
		_, err := parsePixels(v)
		return err
	}
	e.OnChanged = func(v string) {
		if n, err := parsePixels(v); err == nil {
			set(n)
		}
	}
	return e
}

func setPixels(e *widget.Entry, n int) {
	if cur, err := parsePixels(e.Text); err == nil && cur == n {
		return
	}
	e.Text = ""
	if n > 0 {
		e.Text = strconv.Itoa(n)
	}
	e.Refresh()
}

// parsePixels reads a size in pixels: empty or 0 is no limit.
func parsePixels(v string) (int, error) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "px"))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errors.New("a whole number of pixels, or empty for no limit")
	}
	return n, nil
}

// workerChoices offers "Automatic" and 1 to twice the number of cores.
func workerChoices() []string {
	c := []string{workersLabel(0)}
	for n := 1; n <= 2*runtime.NumCPU(); n++ {
		c = append(c, workersLabel(n))
	}
	return c
}

func workersLabel(n int) string {
	if n == 0 {
		return fmt.Sprintf("Automatic (one per core: %d)", runtime.NumCPU())
	}
	return strconv.Itoa(n)
}

func workersFromLabel(label string) int {
	n, _ := strconv.Atoi(label)
	return n
}

func settleLabels() []string {
	l := make([]string, len(settleChoices))
	for i, s := range settleChoices {
		l[i] = settleLabel(s)
	}
	return l
}

func settleLabel(seconds float64) string {
	return strconv.FormatFloat(seconds, 'f', -1, 64) + " s unchanged"
}

func settleFromLabel(label string) float64 {
	v, _ := strconv.ParseFloat(strings.Fields(label)[0], 64)
	return v
}
