// Package cli is Fluxdesk's command line: it parses subcommands, drives the
// engine and prints progress, results and summaries. It never opens a window.
package cli

import (
	"fmt"
	"io"

	"fluxdesk/engine"
)

// commands maps each subcommand to the function that runs it.
var commands = map[string]func(env *Env, args []string) int{
	"version":  runVersion,
	"compress": runCompress,
	"watch":    runWatch,
	"key":      runKey,
	"usage":    runUsage,
}

// Env is what a command reads from and writes to.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// IsCommand reports whether arg names a subcommand (or asks for help), as
// opposed to a file to open in the window.
func IsCommand(arg string) bool {
	_, ok := commands[arg]
	return ok || arg == "help" || arg == "-h" || arg == "--help"
}

// Main runs the subcommand in args[0] and returns the process exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if len(args) == 0 || !IsCommand(args[0]) {
		printUsage(stderr)
		return ExitUsage
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

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  fluxdesk [FILE...]              open the Fluxdesk window (files are queued)
  fluxdesk compress [options] PATH...
  fluxdesk watch [options] DIR...  compress new images in these folders until stopped
  fluxdesk key set|status|roll|delete
  fluxdesk usage [--api-url URL]  show the Fluximage plan and this month's counts
  fluxdesk version

Run "fluxdesk COMMAND -h" for a command's options.
`)
}
