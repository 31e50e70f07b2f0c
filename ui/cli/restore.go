package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fluxdesk/engine"
	"fluxdesk/engine/restore"
)

// restoreLine is the JSON object printed for each original.
type restoreLine struct {
	Path          string `json:"path"`
	Backup        string `json:"backup"`
	Output        string `json:"output"`
	Status        string `json:"status"`
	OutputRemoved bool   `json:"output_removed"`
	Message       string `json:"message"`
}

// restoreSummaryLine is the JSON object printed at the end of a restore.
type restoreSummaryLine struct {
	Summary struct {
		Done    int     `json:"done"`
		Skipped int     `json:"skipped"`
		Failed  int     `json:"failed"`
		Seconds float64 `json:"seconds"`
	} `json:"summary"`
}

func runRestore(env *Env, args []string) int {
	fs := newFlagSet("restore", "restore [--json] PATH...", env.Stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per original, then a summary object")
	paths, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case err != nil:
		return ExitUsage
	case len(paths) == 0:
		return usageError(env, "restore", "no files or folders given")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env.json = *asJSON
	p := restorePrinter{env: env}
	ledger, flush := openRecord(env, "restore")
	r := restore.Restorer{Ledger: ledger, Report: p.result}
	s := r.Run(ctx, paths)
	flush()
	p.finish(s)
	return exitStatus(engine.Summary{Failed: s.Failed, Cancelled: s.Cancelled})
}

// restorePrinter prints a restore's results, as lines or JSON objects.
type restorePrinter struct {
	env *Env
}

func (p restorePrinter) result(r restore.Result) {
	if p.env.json {
		p.env.printJSON(restoreLine{Path: r.Original, Backup: r.Backup, Output: r.Output,
			Status: string(r.Status), OutputRemoved: r.OutputRemoved, Message: r.Message})
		return
	}
	switch r.Status {
	case engine.StatusDone:
		line := "restored " + display(r.Original)
		if r.OutputRemoved {
			line += ", removed " + display(r.Output)
		}
		if r.Message != "" {
			line += "; " + r.Message
		}
		fmt.Fprintln(p.env.Stdout, line)
	case engine.StatusSkipped:
		fmt.Fprintf(p.env.Stdout, "skipped  %s: %s\n", display(r.Original), r.Message)
	default:
		fmt.Fprintf(p.env.Stderr, "failed   %s: %s\n", display(r.Original), r.Message)
	}
}

func (p restorePrinter) finish(s restore.Summary) {
	if p.env.json {
		var line restoreSummaryLine
		line.Summary.Done, line.Summary.Skipped, line.Summary.Failed = s.Done, s.Skipped, s.Failed
		line.Summary.Seconds = s.Seconds
		p.env.printJSON(line)
		return
	}
	msg := fmt.Sprintf("%s: %d restored, %d skipped, %d failed; %.1f s",
		plural(s.Done+s.Skipped+s.Failed, "original"), s.Done, s.Skipped, s.Failed, s.Seconds)
	if s.Cancelled {
		msg += "; interrupted"
	}
	fmt.Fprintln(p.env.Stdout, msg)
}
