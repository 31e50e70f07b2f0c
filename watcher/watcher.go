package watcher

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"fluxdesk/engine/pathid"
)

// Defaults for Config.
const (
	DefaultQuiet      = time.Second
	DefaultMaxDelay   = 10 * time.Second
	DefaultMaxPending = 10_000
	// DefaultIncompleteWait is how long a file whose data stopped short is
	// waited for: a copy from a slow network share may stall that long.
	DefaultIncompleteWait = 2 * time.Minute
)

// glanceShare is the part of the quiet period after which a whole file is
// taken: 1/glanceShare of it.
const glanceShare = 5

// Config says what to watch and how.
type Config struct {
	// Roots are the folders to watch, recursively.
	Roots []string
	// Quiet is how long a file must stay unchanged to have settled
	// (DefaultQuiet when zero). A file whose end mark shows it whole (every
	// format but TIFF) is taken once unchanged for a fifth of it.
	Quiet time.Duration
	// MaxDelay bounds how long a folder rescan waits for its folder to be
	// quiet (DefaultMaxDelay when zero).
	MaxDelay time.Duration
	// MaxPending bounds the files waiting to settle or to be handed over;
	// past it, changes collapse into folder rescans (DefaultMaxPending
	// when zero).
	MaxPending int
	// IncompleteWait bounds how long a settled file whose data ends early
	// (a copy that stalled) is waited for before it is handed over anyway,
	// for the engine to report (DefaultIncompleteWait when zero).
	IncompleteWait time.Duration
	// Record tells Fluxdesk's outputs and already processed originals
	// apart; nil knows nothing.
	Record Record
	// Exclude are folders inside the roots that are never looked at, such
	// as an output folder.
	Exclude []string
	// OnStatus, when set, receives status changes, one at a time, from the
	// watcher's own goroutine: it must return quickly.
	OnStatus func(Status)
	// LockDir, when set, holds a lock file for each watched folder while
	// Run runs, so that no two watchers, in this process or another, watch
	// the same folder; Run then fails with ErrWatchedElsewhere.
	LockDir string
}

// Watcher watches folders and hands over settled image files on Files.
type Watcher struct {
	cfg   Config
	roots []string
	files chan File

	mu     sync.Mutex
	paused map[string]bool
	wake   chan struct{}
}

// New checks the configuration and returns a watcher; Run starts it.
func New(cfg Config) (*Watcher, error) {
	if len(cfg.Roots) == 0 {
		return nil, errors.New("no folder to watch")
	}
	if cfg.Quiet <= 0 {
		cfg.Quiet = DefaultQuiet
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.IncompleteWait <= 0 {
		cfg.IncompleteWait = DefaultIncompleteWait
	}
	if cfg.Record == nil {
		cfg.Record = noRecord{}
	}
	w := &Watcher{cfg: cfg, files: make(chan File), paused: map[string]bool{}, wake: make(chan struct{}, 1)}
	for _, r := range cfg.Roots {
		root, err := cleanAbs(r)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("cannot watch %s: %w", r, err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("cannot watch %s: not a folder", r)
		}
		for _, other := range w.roots {
			if pathid.Within(root, other) || pathid.Within(other, root) {
				return nil, fmt.Errorf("%s and %s overlap: watch only the outer folder", other, root)
			}
		}
		w.roots = append(w.roots, root)
	}
	w.cfg.Exclude = make([]string, len(cfg.Exclude)) // the caller's slice stays as it was
	for i, ex := range cfg.Exclude {
		abs, err := cleanAbs(ex)
		if err != nil {
			return nil, err
		}
		w.cfg.Exclude[i] = abs
	}
	return w, nil
}

// Files delivers settled image files. It is closed when Run returns.
func (w *Watcher) Files() <-chan File {
	return w.files
}

// Pause stops handing over files from the watched folder root, or from all
// of them when root is "". Changes are still noted and handed over on
// Resume.
func (w *Watcher) Pause(root string) error {
	return w.setPaused(root, true)
}

// Resume hands over again the files of root ("" for all), starting with the
// changes noted while it was paused.
func (w *Watcher) Resume(root string) error {
	return w.setPaused(root, false)
}

func (w *Watcher) setPaused(root string, paused bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	targets := w.roots
	if root != "" {
		abs, err := cleanAbs(root)
		if err != nil || !w.isRoot(abs) {
			return fmt.Errorf("%s is not a watched folder", root)
		}
		targets = []string{abs}
	}
	for _, r := range targets {
		w.paused[r] = paused
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return nil
}

func (w *Watcher) isRoot(path string) bool {
	for _, r := range w.roots {
		if r == path {
			return true
		}
	}
	return false
}

// pausedNow returns whether each root is paused.
func (w *Watcher) pausedNow() map[string]bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	m := make(map[string]bool, len(w.paused))
	for r, p := range w.paused {
		m[r] = p
	}
	return m
}

// Run watches until ctx is done, then returns nil and closes Files. It
// returns an error only when it cannot start watching at all.
func (w *Watcher) Run(ctx context.Context) error {
	defer close(w.files)
	unlock, err := lockRoots(w.cfg.LockDir, w.roots)
	if err != nil {
		return err
	}
	defer unlock()
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return describeWatchError("the folders", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	l := newLoop(w, fsw)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
		fsw.Close()
	}()
	wk := &walker{watch: fsw.Add, rec: w.cfg.Record, skipDir: l.excluded, out: l.found}
	wg.Go(func() { wk.run(ctx, l.walks) })
	wg.Go(func() { l.check(ctx) })
	l.run(ctx)
	return nil
}
