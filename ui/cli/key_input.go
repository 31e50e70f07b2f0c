package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// maxKeyInput bounds what is read from standard input for a key.
const maxKeyInput = 4096

// keyFromStdin is why the key commands take no arguments.
const keyFromStdin = "the key is read from standard input"

// readKey reads the first line of standard input. On a terminal it prompts
// first and does not echo what is pasted. The line is returned as it is;
// apikey.Parse checks it.
func readKey(env *Env) (string, error) {
	if env.Stdin == nil {
		return "", errors.New("no standard input to read the key from")
	}
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Paste the Fluximage API key, then press Enter: ")
		key, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the key from the terminal: %w", err)
		}
		return string(key), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, maxKeyInput)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the key from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
