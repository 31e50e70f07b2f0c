package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"fluxdesk/engine"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/settings"
)

// ExitInterrupted is the exit status of a run stopped by Ctrl-C or SIGTERM.
const ExitInterrupted = 130

// compressFlags are the options shared by the commands that compress.
type compressFlags struct {
	engine        string
	quality       qualityFlag
	target        float64
	lossless      bool
	maxWidth      int
	maxHeight     int
	maxMegapixels int
	out           string
	replace       bool
	keepLarger    bool
	keepModTime   bool
	keepMetadata  bool
	keepGPS       bool
	workers       int
	json          bool
	remote        remoteFlags // --format, --api-url, --fallback-local
}

// register adds the flags to fs, with the user's settings as defaults.
func (c *compressFlags) register(fs *flag.FlagSet, s settings.Settings) {
	fs.StringVar(&c.engine, "engine", s.Engine, "compression engine: local, or remote (the Fluximage service)")
	c.quality = qualityFlag{n: s.Quality, auto: s.AutoQuality}
	fs.Var(&c.quality, "quality", "quality of lossy compression, 0–100, or auto: the lowest that keeps each image looking like the original")
	fs.Float64Var(&c.target, "target", 0, fmt.Sprintf("with --quality auto: the SSIMULACRA 2 score to keep (default %g; 90 is visually lossless)", engine.DefaultTarget))
	fs.BoolVar(&c.lossless, "lossless", s.Lossless, "lossless WebP")
	fs.IntVar(&c.maxWidth, "max-width", s.MaxWidth, "scale down images wider than this (pixels; 0: no limit)")
	fs.IntVar(&c.maxHeight, "max-height", s.MaxHeight, "scale down images taller than this (pixels; 0: no limit)")
	fs.IntVar(&c.maxMegapixels, "max-megapixels", engine.DefaultMaxPixels/1_000_000, "refuse images larger than this many megapixels")
	fs.StringVar(&c.out, "out", "", "write outputs under this folder, mirroring the inputs (default: beside each original)")
	fs.BoolVar(&c.replace, "replace", false, "replace originals, moving each to a "+engine.BackupDirName+" folder beside it first")
	fs.BoolVar(&c.keepLarger, "keep-larger", !s.SkipLarger, "write outputs even when they are not smaller than the original")
	fs.BoolVar(&c.keepModTime, "keep-mtime", s.KeepModTime, "give each output its original's modification time (--keep-mtime=false: the time of writing)")
	fs.BoolVar(&c.keepMetadata, "keep-metadata", s.KeepMetadata, "carry EXIF and XMP (author, copyright, capture date…) into the outputs of the local engine, without GPS position, maker notes and thumbnails")
	fs.BoolVar(&c.keepGPS, "keep-gps", false, "with --keep-metadata, keep the GPS position too")
	fs.IntVar(&c.workers, "workers", s.Workers, "images compressed at once (0: one per CPU core)")
	fs.BoolVar(&c.json, "json", false, "print one JSON object per file, then a summary object")
	c.remote.register(fs, s)
}

// loadSettings returns the settings the window saved, which are the
// command line's defaults; without readable settings, the built-in ones.
func loadSettings(env *Env) settings.Settings {
	path, err := settings.DefaultPath()
	if err != nil {
		return settings.Default()
	}
	s, err := settings.Load(path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "warning: %v\n", err)
	}
	return s
}

// options turns the flags into engine options.
func (c *compressFlags) options() (engine.Options, error) {
	o := engine.DefaultOptions()
	o.Quality = c.quality.n
	o.AutoQuality = c.quality.auto
	o.Target = c.target
	o.Lossless = c.lossless
	o.MaxWidth, o.MaxHeight = c.maxWidth, c.maxHeight
	o.MaxPixels = int64(c.maxMegapixels) * 1_000_000
	o.OutDir = c.out
	o.Replace = c.replace
	o.KeepLarger = c.keepLarger
	o.KeepModTime = c.keepModTime
	o.KeepMetadata, o.KeepGPS = c.keepMetadata, c.keepGPS
	o.Format = c.remote.format
	if c.workers < 0 {
		return o, errors.New("--workers cannot be negative")
	}
	return o, o.Validate()
}

// compressor returns the engine the flags ask for: the settings, with the
// flags written over them, build it.
func (c *compressFlags) compressor(s settings.Settings) (engine.Compressor, error) {
	s.Engine, s.Workers, s.Quality = c.engine, c.workers, c.quality.n
	s.Format, s.APIURL, s.FallbackLocal = c.remote.format, c.remote.apiURL, c.remote.fallback
	if s.Engine == settings.EngineRemote {
		if c.quality.auto {
			return nil, errors.New("--quality auto needs the local engine: the Fluximage service takes a fixed quality (give --quality N)")
		}
		if err := (remote.Params{Format: s.Format, Quality: s.Quality}).Validate(); err != nil {
			return nil, err
		}
	}
	return s.Compressor(c.remote.hooks())
}

// compressRun is what a compressing command (compress, watch) has once its
// arguments are parsed.
type compressRun struct {
	flags compressFlags
	paths []string
	opts  engine.Options
	comp  engine.Compressor
}

// parseCompressArgs parses the options and paths of a compressing command;
// more adds the command's own flags. Defaults come from the user's settings.
// When the command must stop (help, a usage error), ok is false and status
// is its exit status.
func parseCompressArgs(env *Env, name, usage, what string, args []string, more func(*flag.FlagSet, settings.Settings)) (r *compressRun, status int, ok bool) {
	r = &compressRun{}
	s := loadSettings(env)
	fs := newFlagSet(name, usage, env.Stderr)
	r.flags.register(fs, s)
	if more != nil {
		more(fs, s)
	}
	paths, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, ExitOK, false
	}
	if err != nil {
		return nil, ExitUsage, false
	}
	if len(paths) == 0 {
		return nil, usageError(env, name, "no "+what+" given"), false
	}
	r.paths = paths
	env.json = r.flags.json
	// A remote format from the settings does not follow the user to the
	// local engine, which makes WebP only.
	if r.flags.engine == settings.EngineLocal && !flagSet(fs, "format") {
		r.flags.remote.format = engine.FormatWebP
	}
	// Nor does auto quality from the settings follow the user to the
	// remote engine, which takes the settings' fixed quality, or to
	// --lossless.
	if (r.flags.engine == settings.EngineRemote || flagSet(fs, "lossless")) && !flagSet(fs, "quality") {
		r.flags.quality.auto = false
	}
	if r.opts, err = r.flags.options(); err != nil {
		return nil, usageError(env, name, err.Error()), false
	}
	// A bad setting, or no key for the remote engine (with how to add one).
	if r.comp, err = r.flags.compressor(s); err != nil {
		return nil, usageError(env, name, err.Error()), false
	}
	return r, ExitOK, true
}

// flagSet reports whether the flag called name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func runCompress(env *Env, args []string) int {
	run, status, ok := parseCompressArgs(env, "compress", "compress [options] PATH...", "files or folders", args, nil)
	if !ok {
		return status
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ledger, flush := openRecord(env, "compress")
	rep := newReporter(env, run.flags.json)
	summary := engine.New(run.comp, ledger, rep.event).Run(ctx, requestsFor(run.paths, run.opts))
	flush()
	rep.finish(summary)
	run.flags.remote.afterRun(env)
	return exitStatus(summary)
}

// requestsFor returns a closed channel holding one request per path.
func requestsFor(paths []string, opts engine.Options) <-chan engine.Request {
	reqs := make(chan engine.Request, len(paths))
	for _, p := range paths {
		reqs <- engine.Request{Path: p, Options: opts}
	}
	close(reqs)
	return reqs
}

// exitStatus maps a run's summary to the process exit status.
func exitStatus(s engine.Summary) int {
	switch {
	case s.Cancelled:
		return ExitInterrupted
	case s.Failed > 0:
		return ExitFailed
	}
	return ExitOK
}

// usageError prints a usage mistake and returns ExitUsage.
func usageError(env *Env, command, msg string) int {
	env.problem(command, msg)
	return ExitUsage
}

// qualityFlag is the value of --quality: a number, or "auto".
type qualityFlag struct {
	n    int
	auto bool
}

func (q *qualityFlag) String() string {
	if q.auto {
		return "auto"
	}
	return strconv.Itoa(q.n)
}

func (q *qualityFlag) Set(s string) error {
	if s == "auto" {
		q.auto = true
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("give a number from 0 to 100, or auto")
	}
	q.n, q.auto = n, false
	return nil
}
