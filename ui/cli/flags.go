package cli

import (
	"errors"
	"flag"
	"io"
)

// newFlagSet returns a flag set that reports errors instead of exiting, with
// a usage line for its command.
func newFlagSet(name, usage string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		io.WriteString(out, "Usage: fluxdesk "+usage+"\n\nOptions:\n")
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments ("compress photos --quality 70"), and returns the
// positional ones. Everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// parseNoArgs parses the flags of a command that takes no positional
// arguments; note, when set, is added to the complaint about one. It returns
// ok false, and the exit status, when the command should stop.
func parseNoArgs(env *Env, fs *flag.FlagSet, args []string, note string) (status int, ok bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return ExitOK, false
	case err != nil:
		return ExitUsage, false
	case fs.NArg() > 0:
		msg := "takes no arguments"
		if note != "" {
			msg += "; " + note
		}
		return usageError(env, fs.Name(), msg), false
	}
	return ExitOK, true
}
