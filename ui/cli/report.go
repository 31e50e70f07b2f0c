package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"fluxdesk/engine"
	"fluxdesk/watcher"
	"fluxdesk/watcher/session"
)

// fileLine is the JSON object printed for each finished file.
type fileLine struct {
	Path     string `json:"path"`
	Output   string `json:"output"`
	Status   string `json:"status"`
	BytesIn  int64  `json:"bytes_in"`
	BytesOut int64  `json:"bytes_out"`
	// Quality is the lossy quality used, "lossless", or null when nothing
	// was encoded.
	Quality any    `json:"quality"`
	Error   string `json:"error"`
}

// summaryLine is the JSON object printed at the end of a run.
type summaryLine struct {
	Summary struct {
		Done     int     `json:"done"`
		Skipped  int     `json:"skipped"`
		Failed   int     `json:"failed"`
		BytesIn  int64   `json:"bytes_in"`
		BytesOut int64   `json:"bytes_out"`
		Seconds  float64 `json:"seconds"`
	} `json:"summary"`
}

// problemLine is the JSON object printed for what concerns no single file:
// an error that ends the command (no API key, a key the service rejected, a
// folder that cannot be watched) or a warning.
type problemLine struct {
	Command string `json:"command"`
	Error   string `json:"error,omitempty"`
	Warning string `json:"warning,omitempty"`
}

// folderLine is the JSON object printed when a watched folder's state
// changes, and for each folder when watching stops: the state the watch
// session keeps for it.
type folderLine struct {
	Folder  string `json:"folder"`
	State   string `json:"state"`
	Message string `json:"message"`
	Queued  int    `json:"queued"`
	Done    int    `json:"done"`
	Skipped int    `json:"skipped"`
	Failed  int    `json:"failed"`
	Saved   int64  `json:"bytes_saved"`
}

// newFolderLine returns f's state as a JSON object, in the given state.
func newFolderLine(f session.Folder, state watcher.Kind) folderLine {
	return folderLine{
		Folder: f.Path, State: string(state), Message: f.Reason,
		Queued: f.Queued, Done: f.Done, Skipped: f.Skipped, Failed: f.Failed, Saved: f.Saved,
	}
}

// printJSON writes v as one line of JSON on stdout.
func (env *Env) printJSON(v any) {
	env.mu.Lock()
	defer env.mu.Unlock()
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// problem reports an error of the whole command: a line on stderr, or a
// JSON object with --json.
func (env *Env) problem(command, msg string) {
	if env.json {
		env.printJSON(problemLine{Command: command, Error: msg})
		return
	}
	fmt.Fprintf(env.Stderr, "fluxdesk %s: %s\n", command, msg)
}

// warn reports a warning: a line on stderr, or a JSON object with --json.
func (env *Env) warn(command, msg string) {
	if env.json {
		env.printJSON(problemLine{Command: command, Warning: msg})
		return
	}
	fmt.Fprintf(env.Stderr, "warning: %s\n", msg)
}

// reporter prints a run's events: a line (or JSON object) per finished file,
// a progress bar on stderr when it is a terminal, and a closing summary.
type reporter struct {
	env    *Env
	json   bool
	bar    *progressbar.ProgressBar
	queued int
}

func newReporter(env *Env, asJSON bool) *reporter {
	r := &reporter{env: env, json: asJSON}
	if f, ok := env.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		r.bar = progressbar.NewOptions(0,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("Compressing"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return r
}

// event handles one event from the pipeline (never called concurrently).
func (r *reporter) event(e engine.Event) {
	switch {
	case e.Status == engine.StatusQueued:
		r.queued++
		if r.bar != nil {
			r.bar.ChangeMax(r.queued)
		}
	case e.Status == engine.StatusHeld:
		r.clearBar()
		fmt.Fprintf(r.env.Stderr, "held     %s: %s\n", display(e.Path), e.Message)
	case e.Status.Final():
		r.clearBar()
		r.printFile(e)
		if r.bar != nil && e.Job > 0 {
			r.bar.Add(1)
		}
	}
}

// printFile prints a finished file.
func (r *reporter) printFile(e engine.Event) {
	if r.json {
		line := fileLine{Path: e.Path, Output: e.Output, Status: string(e.Status), BytesIn: e.BytesIn, Error: e.Message}
		if e.Status == engine.StatusDone {
			line.BytesOut = e.BytesOut
		}
		if e.BytesOut > 0 { // done, or skipped for no gain
			line.Quality = e.Encoding.Quality
			if e.Encoding.Lossless {
				line.Quality = "lossless"
			}
		}
		r.env.printJSON(line)
		return
	}
	switch e.Status {
	case engine.StatusDone:
		fmt.Fprintf(r.env.Stdout, "done     %s → %s  %s → %s (%s, %s)\n", display(e.Path), display(e.Output),
			engine.FormatBytes(e.BytesIn), engine.FormatBytes(e.BytesOut), saving(e.BytesIn, e.BytesOut), e.Encoding)
		if e.Message != "" {
			fmt.Fprintf(r.env.Stderr, "warning: %s: %s\n", display(e.Path), e.Message)
		}
	case engine.StatusSkipped:
		fmt.Fprintf(r.env.Stdout, "skipped  %s: %s\n", display(e.Path), e.Message)
	default:
		fmt.Fprintf(r.env.Stderr, "failed   %s: %s\n", display(e.Path), e.Message)
	}
}

// finish prints the summary of a run.
func (r *reporter) finish(s engine.Summary) {
	if r.bar != nil {
		r.bar.Finish()
	}
	if r.json {
		var line summaryLine
		line.Summary.Done, line.Summary.Skipped, line.Summary.Failed = s.Done, s.Skipped, s.Failed
		line.Summary.BytesIn, line.Summary.BytesOut, line.Summary.Seconds = s.BytesIn, s.BytesOut, s.Seconds
		r.env.printJSON(line)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d done, %d skipped, %d failed", plural(s.Done+s.Skipped+s.Failed, "file"), s.Done, s.Skipped, s.Failed)
	if s.Done > 0 {
		fmt.Fprintf(&b, "; %s → %s, saved %s (%s)", engine.FormatBytes(s.BytesIn), engine.FormatBytes(s.BytesOut),
			engine.FormatBytes(s.BytesIn-s.BytesOut), saving(s.BytesIn, s.BytesOut))
	}
	fmt.Fprintf(&b, "; %.1f s", s.Seconds)
	if s.Cancelled {
		b.WriteString("; interrupted")
	}
	fmt.Fprintln(r.env.Stdout, b.String())
}

func (r *reporter) clearBar() {
	if r.bar != nil {
		r.bar.Clear()
	}
}

// saving words the change from in to out bytes: "−74%".
func saving(in, out int64) string {
	if in <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%+.0f%%", float64(out-in)*100/float64(in))
}

// plural writes "1 file", "3 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// display shortens a path to be relative to the working folder when it is
// inside it.
func display(path string) string {
	wd, err := os.Getwd()
	if err != nil || path == "" {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return path
}
