// Package cli is Fluxdesk's command line: it parses subcommands, drives the
// engine and prints progress, results and summaries. It never opens a window.
package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sync"

	"github.com/agnivade/levenshtein"

	"fluxdesk/engine"
)

// commands maps each subcommand to the function that runs it.
var commands = map[string]func(env *Env, args []string) int{
	"version":  runVersion,
	"compress": runCompress,
	"watch":    runWatch,
	"key":      runKey,
	"usage":    runUsage,
	"restore":  runRestore,
}

// Env is what a command reads from and writes to.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	// json is set once a command's --json flag is parsed: from then on
	// everything it reports is a JSON object on Stdout.
	json bool
	mu   sync.Mutex // one JSON object at a time on Stdout
}

// isCommand reports whether arg names a subcommand (or asks for help).
func isCommand(arg string) bool {
	_, ok := commands[arg]
	return ok || arg == "help" || arg == "-h" || arg == "--help"
}

// OpensWindow reports whether the arguments after the program name ask for
// the window: none at all, or a first one that is an existing file or folder
// (to queue) rather than a subcommand. Other arguments are for Main, which
// runs the subcommand or reports the mistyped one.
func OpensWindow(args []string) bool {
	if len(args) == 0 {
		return true
	}
	if isCommand(args[0]) {
		return false
	}
	_, err := os.Stat(args[0])
	return err == nil
}

// Main runs the subcommand in args[0] and returns the process exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if len(args) == 0 {
		printUsage(stderr)
		return ExitUsage
	}
	if !isCommand(args[0]) {
		return unknownCommand(stderr, args[0])
	}
	run, ok := commands[args[0]]
	if !ok {
		printUsage(stdout)
		return ExitOK
	}
	return run(env, args[1:])
}

// Exit statuses shared by all commands.
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitUsage  = 2
)

func runVersion(env *Env, args []string) int {
	fmt.Fprintf(env.Stdout, "fluxdesk %s\n", engine.Version)
	return ExitOK
}

// unknownCommand reports a first argument that is neither a subcommand nor
// an existing file, with the subcommand it was probably meant to be.
func unknownCommand(w io.Writer, word string) int {
	msg := fmt.Sprintf("fluxdesk: unknown command %q", word)
	if guess := closestCommand(word); guess != "" {
		msg += "; did you mean " + guess + "?"
	}
	fmt.Fprintf(w, "%s\nRun \"fluxdesk help\" for the commands; a file or folder to open in the window must exist.\n", msg)
	return ExitUsage
}

// closestCommand returns the subcommand within two typing mistakes of word
// (the nearest, then the first by name), or "" when none is that close.
func closestCommand(word string) string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	slices.Sort(names)
	best, bestDist := "", 3
	for _, name := range names {
		if d := levenshtein.ComputeDistance(word, name); d < bestDist && d < len(word) {
			best, bestDist = name, d
		}
	}
	return best
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  fluxdesk [FILE...]              open the Fluxdesk window (files are queued)
  fluxdesk compress [options] PATH...
  fluxdesk watch [options] DIR...  compress new images in these folders until stopped
  fluxdesk restore [--json] PATH... put replaced originals back (files or folders)
  fluxdesk key set|status|roll|delete
  fluxdesk usage [--api-url URL]  show the Fluximage plan and this month's counts
  fluxdesk version

Run "fluxdesk COMMAND -h" for a command's options.
`)
}
