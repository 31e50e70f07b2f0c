package engine

import (
	"errors"
	"fmt"
)

// Defaults for Options.
const (
	DefaultQuality   = 82
	DefaultMaxPixels = 100_000_000
	// DefaultTarget is the SSIMULACRA 2 score the auto quality search aims
	// at: on photos, auto quality then scores on average what a fixed
	// quality of 82 does, with no image far below it.
	DefaultTarget = 72.5
)

// Options are the compression settings in force for a job.
type Options struct {
	// Format of the output: FormatWebP for the local engine; the remote
	// engine offers every one of Formats.
	Format Format
	// Quality of lossy encoding, 0–100.
	Quality int
	// Lossless selects lossless WebP (libwebp's default effort).
	Lossless bool
	// AutoQuality chooses the quality per image: the lowest lossy quality
	// whose output scores at least Target, or lossless for graphics when
	// that is barely larger. Quality is then unused. Local engine only.
	AutoQuality bool
	// Target is the SSIMULACRA 2 score auto quality aims at; 0 means
	// DefaultTarget.
	Target float64
	// MaxWidth and MaxHeight, when non-zero, scale larger images down to fit,
	// keeping the aspect ratio. Images are never scaled up.
	MaxWidth, MaxHeight int
	// MaxPixels refuses images whose header claims more pixels than this.
	MaxPixels int64
	// OutDir, when set, receives the outputs, mirroring the input folders.
	// Empty means beside each original.
	OutDir string
	// Replace puts each output in its original's place, after moving the
	// original to a backup folder beside it (BackupDirName).
	Replace bool
	// KeepLarger writes outputs even when they are not smaller than the input.
	KeepLarger bool
	// KeepModTime gives each output its original's modification time, so
	// that photo libraries sorting by date keep their order.
	KeepModTime bool
	// KeepMetadata carries the EXIF and XMP metadata into the output (local
	// engine), without the GPS position, maker notes and thumbnails, and
	// with the orientation set to upright. The ICC profile is always kept.
	KeepMetadata bool
	// KeepGPS keeps the GPS position in the metadata KeepMetadata carries.
	KeepGPS bool
}

// DefaultOptions returns the settings used when the user changes nothing.
func DefaultOptions() Options {
	return Options{Format: FormatWebP, Quality: DefaultQuality, MaxPixels: DefaultMaxPixels, KeepModTime: true}
}

// Validate reports the first setting that makes no sense.
func (o Options) Validate() error {
	switch {
	case o.Quality < 0 || o.Quality > 100:
		return fmt.Errorf("quality must be between 0 and 100, not %d", o.Quality)
	case o.MaxWidth < 0 || o.MaxHeight < 0:
		return errors.New("maximum width and height cannot be negative")
	case o.MaxPixels <= 0:
		return errors.New("the pixel limit must be positive")
	case o.Replace && o.OutDir != "":
		return errors.New("choose either an output folder or replacing originals, not both")
	case o.Format == "":
		return errors.New("no output format given")
	case o.AutoQuality && o.Lossless:
		return errors.New("choose either lossless or auto quality, not both")
	case o.Target < 0 || o.Target > 100:
		return fmt.Errorf("the quality target must be a score between 0 and 100, not %g", o.Target)
	case o.KeepGPS && !o.KeepMetadata:
		return errors.New("the GPS position is kept only with the rest of the metadata: keep the metadata too")
	}
	return nil
}

// TargetScore returns the score auto quality aims at.
func (o Options) TargetScore() float64 {
	if o.Target == 0 {
		return DefaultTarget
	}
	return o.Target
}
