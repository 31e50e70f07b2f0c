package settings

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"fluxdesk/engine"
)

// The engines a user can choose.
const (
	EngineLocal  = "local"
	EngineRemote = "remote"
)

// The places an output can go.
const (
	OutputBeside  = "beside"
	OutputFolder  = "folder"
	OutputReplace = "replace"
)

// Settings are the user's choices. The zero value is not useful: start from
// Default, or Load.
type Settings struct {
	// Engine is EngineLocal or EngineRemote.
	Engine string `json:"engine"`
	// Format of the outputs: engine.FormatWebP, or with the remote engine
	// any of engine.Formats.
	Format engine.Format `json:"format"`
	// Quality of lossy compression, 0–100.
	Quality int `json:"quality"`
	// Lossless selects lossless WebP (local engine).
	Lossless bool `json:"lossless"`
	// AutoQuality chooses the quality per image (local engine; the remote
	// engine then uses Quality).
	AutoQuality bool `json:"autoQuality"`
	// MaxWidth and MaxHeight scale larger images down (0: no limit).
	MaxWidth  int `json:"maxWidth"`
	MaxHeight int `json:"maxHeight"`
	// Output is OutputBeside, OutputFolder (into OutDir) or OutputReplace.
	Output string `json:"output"`
	// OutDir receives the outputs when Output is OutputFolder.
	OutDir string `json:"outDir,omitempty"`
	// SkipLarger skips outputs that are not smaller than their original.
	SkipLarger bool `json:"skipLarger"`
	// KeepModTime gives each output its original's modification time.
	KeepModTime bool `json:"keepModTime"`
	// KeepMetadata carries EXIF and XMP into the outputs of the local
	// engine, never the GPS position (only the command line's --keep-gps
	// keeps that).
	KeepMetadata bool `json:"keepMetadata"`
	// Workers is how many images the local engine compresses at once
	// (0: one per CPU core).
	Workers int `json:"workers"`
	// APIURL is the Fluximage server ("" for the default one).
	APIURL string `json:"apiUrl,omitempty"`
	// FallbackLocal compresses on this machine what the service cannot take.
	FallbackLocal bool `json:"fallbackLocal"`
	// SettleSeconds is how long a watched file must stay unchanged.
	SettleSeconds float64 `json:"settleSeconds"`
	// Notifications are shown when a watched batch finishes or the key is
	// rejected.
	Notifications bool `json:"notifications"`
	// CloseToTray hides the window on close instead of quitting, when a
	// tray exists.
	CloseToTray bool `json:"closeToTray"`
	// Watched are the watched folders.
	Watched []Folder `json:"watched,omitempty"`
	// Window is the size the window had when it was last closed.
	Window Size `json:"window"`
}

// Folder is one watched folder.
type Folder struct {
	Path   string `json:"path"`
	Paused bool   `json:"paused,omitempty"`
}

// Size is a window size in Fyne's device-independent units.
type Size struct {
	Width  float32 `json:"width"`
	Height float32 `json:"height"`
}

// Default returns the settings of a first start.
func Default() Settings {
	return Settings{
		Engine:        EngineLocal,
		Format:        engine.FormatWebP,
		Quality:       engine.DefaultQuality,
		Output:        OutputBeside,
		SkipLarger:    true,
		KeepModTime:   true,
		SettleSeconds: 1,
		Notifications: true,
		Window:        Size{Width: 860, Height: 620},
	}
}

// Validate reports the first setting that makes no sense.
func (s Settings) Validate() error {
	switch {
	case s.Engine != EngineLocal && s.Engine != EngineRemote:
		return fmt.Errorf("unknown engine %q", s.Engine)
	case s.Engine == EngineLocal && s.Format != engine.FormatWebP:
		return fmt.Errorf("the local engine makes WebP only, not %s", s.Format)
	case !s.Format.Known():
		return fmt.Errorf("unknown format %q", s.Format)
	case s.Output != OutputBeside && s.Output != OutputFolder && s.Output != OutputReplace:
		return fmt.Errorf("unknown output place %q", s.Output)
	case s.Output == OutputFolder && !filepath.IsAbs(s.OutDir):
		return errors.New("choose the folder that receives the outputs")
	case s.Workers < 0:
		return errors.New("workers cannot be negative")
	case s.SettleSeconds <= 0:
		return errors.New("the settle time must be positive")
	}
	_, err := s.Options()
	return err
}

// Options returns the engine options these settings ask for.
func (s Settings) Options() (engine.Options, error) {
	o := engine.DefaultOptions()
	o.Format = s.Format
	o.Quality = s.Quality
	o.Lossless = s.Lossless
	o.AutoQuality = s.AutoQuality && s.Engine == EngineLocal
	o.MaxWidth, o.MaxHeight = s.MaxWidth, s.MaxHeight
	o.KeepLarger = !s.SkipLarger
	o.KeepModTime = s.KeepModTime
	o.KeepMetadata = s.KeepMetadata
	switch s.Output {
	case OutputFolder:
		o.OutDir = s.OutDir
	case OutputReplace:
		o.Replace = true
	}
	return o, o.Validate()
}

// Settle returns SettleSeconds as a duration.
func (s Settings) Settle() time.Duration {
	return time.Duration(s.SettleSeconds * float64(time.Second))
}
