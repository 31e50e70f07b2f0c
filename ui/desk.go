package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fluxdesk/engine"
	"fluxdesk/engine/apikey"
	"fluxdesk/engine/record"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/settings"
	"fluxdesk/watcher/session"
)

// quitWait bounds how long quitting waits for cancelled jobs to clean up.
const quitWait = 5 * time.Second

// heldHint tells the user what to do about files held for a rejected key.
const heldHint = "Open Account and choose Roll key… to store the new key; held files then resume."

// Desk is the running window: its state, its pipelines and its screens.
type Desk struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	do   uiRunner // runs a function on the UI goroutine

	ctx      context.Context
	stopBg   context.CancelFunc
	stopOnce sync.Once
	bg       sync.WaitGroup // the background goroutines stopBg ends

	prefs  *prefs
	keys   *apikey.Keys
	rec    *record.Record
	recErr error
	queue  *queue
	agg    *aggregator
	thumbs *thumbs
	lanes  *lanes
	watch  *session.Session
	// foldersChanged: a watched folder's state changed since the last
	// flush; the folder panel is refreshed with the queue, at most once
	// per flush and not once per file.
	foldersChanged atomic.Bool

	quick    *quickBar
	queueV   *queueView
	foldersV *foldersView
	settingV *settingsForm
	account  *accountPanel
	tabs     *container.AppTabs
	status   *widget.Label
	content  fyne.CanvasObject

	tray      bool     // a tray menu is set
	trayShown trayView // what the tray menu shows
}

// New builds the window's state and screens, starts its background work
// and queues o.Paths.
func New(a fyne.App, w fyne.Window, o Options) *Desk {
	return newDesk(a, w, o, fyne.Do)
}

// newDesk is New with the way to reach the UI goroutine given.
func newDesk(a fyne.App, w fyne.Window, o Options, do uiRunner) *Desk {
	d := &Desk{app: a, win: w, opts: o, do: do}
	d.ctx, d.stopBg = context.WithCancel(context.Background())
	s, loadErr := settings.Default(), error(nil)
	if o.SettingsPath != "" {
		s, loadErr = settings.Load(o.SettingsPath)
	}
	d.prefs = newPrefs(o.SettingsPath, s, func(err error) { d.do(func() { d.report(err) }) })
	d.keys = apikey.NewKeys(o.Store)
	d.openRecord()
	d.queue = newQueue()
	d.agg = newAggregator(d.do, d.applyEvents)
	d.thumbs = newThumbs(d.agg.poke)
	d.lanes = newLanes(d.buildCompressor, d.ledger(), d.onEvent)
	d.watch = session.New(session.Config{
		Record: d.watchRecord(), RecordErr: d.recErr, LockDir: d.watchLockDir(),
		Hand: d.handWatched, OnChange: d.onFoldersChanged, OnBatch: d.notifyBatch,
	}, d.watchOptions())

	d.buildScreens()
	d.prefs.listen(d.onSettingsChanged)
	w.SetOnDropped(dropHandler(d.addPaths))
	d.addShortcuts()
	d.restoreWindow()
	d.setUpClose()
	if o.Tray {
		d.installTray()
	}
	a.Lifecycle().SetOnStopped(d.shutdown)

	d.bg.Go(func() { d.agg.run(d.ctx) })
	d.bg.Go(func() { d.thumbs.run(d.ctx) })
	d.bg.Go(func() { d.prefs.run(d.ctx) })
	d.bg.Go(func() {
		o.Launches.Serve(d.ctx, func(paths []string) { d.do(func() { d.onLaunch(paths) }) })
	})
	for _, f := range s.Watched {
		if err := d.watch.Add(f.Path, f.Paused); err != nil {
			d.report(err)
		}
	}
	d.report(loadErr)
	if d.rec != nil && d.rec.MovedAside() != "" {
		d.report(fmt.Errorf("the record was damaged; it was moved aside to %s and a fresh one started", d.rec.MovedAside()))
	}
	if len(o.Paths) > 0 {
		d.addPaths(o.Paths)
	}
	d.account.refresh()
	return d
}

// errNoRecord explains why folders cannot be watched without the record.
var errNoRecord = errors.New("folders cannot be watched without the record of processed files")

// Content returns the window's content.
func (d *Desk) Content() fyne.CanvasObject { return d.content }

// buildScreens makes the tabs and the status line.
func (d *Desk) buildScreens() {
	d.quick = newQuickBar(d.prefs, d.report)
	d.queueV = newQueueView(d.queue, d.thumbs, queueActions{
		addFiles: d.showAddFiles, addFolder: d.showAddFolder,
		cancel: d.cancelAll, clearFinished: d.clearFinished,
		row: rowActions{compare: d.showCompare, openFolder: d.openOutputFolder, restore: d.askRestore},
	})
	d.foldersV = newFoldersView(folderActions{
		add: d.showAddWatched, remove: d.removeWatched, setPaused: d.setWatchPaused,
		snapshot: d.watch.Snapshot, watchingPossible: func() error { return d.recErr },
	})
	d.settingV = newSettingsForm(d.prefs, d.pickFolder)
	d.account = newAccountPanel(d.keys, d.do, d.win, d.prefs.get, d.app.OpenURL)
	queueTab := container.NewBorder(container.NewVBox(d.quick.content, widget.NewSeparator()), nil, nil, nil, d.queueV.content)
	d.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Queue", theme.ListIcon(), container.NewPadded(queueTab)),
		container.NewTabItemWithIcon("Watched folders", theme.FolderOpenIcon(), container.NewPadded(d.foldersV.content)),
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), d.settingV.content),
		container.NewTabItemWithIcon("Account", theme.AccountIcon(), container.NewPadded(d.account.content)),
	)
	d.status = widget.NewLabel("")
	d.status.Importance = widget.DangerImportance
	d.status.Truncation = fyne.TextTruncateEllipsis
	d.status.Hide()
	d.content = container.NewBorder(nil, d.status, nil, nil, d.tabs)
}

// report shows err on the status line; nil leaves it as it is.
func (d *Desk) report(err error) {
	if err == nil {
		return
	}
	d.status.SetText(err.Error())
	d.status.Show()
}

// openRecord opens the record of processed files. Without it files are
// still compressed, but folders cannot be watched.
func (d *Desk) openRecord() {
	if d.opts.RecordPath == "" {
		d.recErr = fmt.Errorf("%w (none was given)", errNoRecord)
		return
	}
	rec, err := record.Open(d.opts.RecordPath, record.DefaultTimeout)
	if err != nil {
		d.recErr = fmt.Errorf("%w: %v", errNoRecord, err)
		return
	}
	d.rec = rec
	rec.OnFailure(func(err error) { d.do(func() { d.report(err) }) })
}

// watchLockDir returns where watched folders are locked against a second
// watcher, beside the record ("" without one: then nothing is watched).
func (d *Desk) watchLockDir() string {
	if d.opts.RecordPath == "" {
		return ""
	}
	return record.WatchLockDir(d.opts.RecordPath)
}

// watchRecord returns the record for watching, or nil without one.
func (d *Desk) watchRecord() session.Record {
	if d.rec == nil {
		return nil
	}
	return d.rec
}

// ledger returns the record as the engine's ledger, or nil without one.
func (d *Desk) ledger() engine.Ledger {
	if d.rec == nil {
		return nil
	}
	return d.rec
}

// buildCompressor makes an engine's compressor with the settings in force.
func (d *Desk) buildCompressor(name string) (engine.Compressor, error) {
	s := d.prefs.get()
	s.Engine = name
	return s.Compressor(settings.Remote{
		Keys:    func() (remote.Keys, error) { return remoteKeys{d.keys}, nil },
		Options: remote.Options{HoldOnRejectedKey: true, KeyHint: heldHint, OnKeyRejected: d.do.wrap(d.onKeyRejected)},
	})
}

// onEvent receives every engine event, from engine goroutines.
func (d *Desk) onEvent(lane int, e engine.Event) {
	d.agg.add(lane, e)
	d.watch.Finished(e)
}

// applyEvents shows a batch of events; on the UI goroutine.
func (d *Desk) applyEvents(batch []laneEvent) {
	d.queue.apply(batch)
	d.queueV.refresh()
	if d.foldersChanged.Swap(false) {
		d.refreshFolders()
	}
	d.layOut()
	if d.queue.totals.Running > 0 {
		d.agg.poke() // the working rows' pulses move on at the next flush
	}
}

// onFoldersChanged is told by the watch session that a folder's state
// changed; the next flush shows it. Called from any goroutine.
func (d *Desk) onFoldersChanged() {
	d.foldersChanged.Store(true)
	d.agg.poke()
}

// layOut brings the window's layout up to date with what a flush changed
// (the list grew, a label got longer) before the next frame. Fyne would
// do it while drawing that frame, after it has taken the canvas's dirty
// flag, and the layout's own refreshes would then mark the canvas dirty
// again: every flush would cost two frames, and a function posted to the
// UI goroutine could wait behind both. When the window's minimum size
// changed, the window is told again, as the frame would have told it.
func (d *Desk) layOut() {
	c, ok := d.win.Canvas().(interface{ EnsureMinSize() bool })
	if ok && c.EnsureMinSize() {
		d.win.SetFixedSize(d.win.FixedSize())
	}
}

// addPaths queues files and folders with the settings in force.
func (d *Desk) addPaths(paths []string) {
	s := d.prefs.get()
	opts, err := s.Options()
	if err == nil {
		err = d.lanes.submit(s.Engine, paths, opts)
	}
	if err != nil {
		d.report(fmt.Errorf("nothing was queued: %w", err))
		return
	}
	d.tabs.SelectIndex(0)
}

// onLaunch takes the files of a later launch of Fluxdesk (none: the user
// just started it again) and brings the window to the front.
func (d *Desk) onLaunch(paths []string) {
	d.win.Show()
	d.win.RequestFocus()
	if len(paths) > 0 {
		d.addPaths(paths)
	}
}

// handWatched hands a settled file from a watched folder to the engine's
// lane, with the settings in force; it returns once the lane's pipeline
// took it. The file is background work: the local engine gives the CPU to
// the window's drawing, and to everything else, first. Called from the
// folder's goroutine.
func (d *Desk) handWatched(ctx context.Context, path string) error {
	s := d.prefs.get()
	opts, err := s.Options()
	if err != nil {
		return err
	}
	return d.lanes.handOver(ctx, s.Engine, engine.Request{Path: path, Options: opts, Vetted: true, Background: true})
}

// watchOptions returns the settle time in force, and keeps the output
// folder out of the watched folders.
func (d *Desk) watchOptions() session.Options {
	s := d.prefs.get()
	o := session.Options{Quiet: s.Settle()}
	if s.Output == settings.OutputFolder && s.OutDir != "" {
		o.Exclude = []string{s.OutDir}
	}
	return o
}

// onSettingsChanged retires the lanes whose compressor the change
// concerns, and restarts watching when its settings changed.
func (d *Desk) onSettingsChanged(old, s settings.Settings) {
	if old.Workers != s.Workers {
		d.lanes.retire(settings.EngineLocal)
	}
	if old.Workers != s.Workers || old.APIURL != s.APIURL || old.FallbackLocal != s.FallbackLocal {
		d.lanes.retire(settings.EngineRemote)
	}
	if old.APIURL != s.APIURL {
		d.account.refresh() // the keychain and the service: only for another service
	}
	d.refreshTray()
	if old.SettleSeconds != s.SettleSeconds || old.OutDir != s.OutDir || old.Output != s.Output {
		go d.watch.Restart(d.watchOptions())
	}
}

// cancelAll stops every job not finished; they are reported as skipped.
func (d *Desk) cancelAll() {
	d.lanes.cancelAll()
}

// clearFinished removes the finished rows from the queue.
func (d *Desk) clearFinished() {
	d.queue.clearFinished()
	d.queueV.refresh()
}

// openOutputFolder opens the folder that holds a done row's output.
func (d *Desk) openOutputFolder(r *Row) {
	if r == nil || r.Output == "" {
		return
	}
	u := &url.URL{Scheme: "file", Path: filepath.Dir(r.Output)}
	if err := d.app.OpenURL(u); err != nil {
		d.report(err)
	}
}

// shutdown stops the background work: the window size is saved, jobs are
// cancelled (leaving no partial file), watchers stop and the outcomes
// already reported are recorded and committed to the record.
func (d *Desk) shutdown() {
	d.stopOnce.Do(func() {
		d.saveWindowSize()
		d.stopBg()
		d.bg.Wait()
		d.lanes.stop(quitWait)
		d.watch.Close()
		if d.rec != nil {
			// The window is gone: what the record cannot take is said on
			// stderr, as a failure to save the settings is.
			d.rec.OnFailure(func(err error) { fmt.Fprintln(os.Stderr, "fluxdesk:", err) })
			d.rec.Flush()
		}
		if err := d.prefs.save(); err != nil {
			fmt.Fprintln(os.Stderr, "fluxdesk:", err)
		}
	})
}
