package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"fluxdesk/engine/apikey"
)

// newKeyStore returns the keychain store the key commands use; tests put a
// fake in its place.
var newKeyStore = func() apikey.Store { return apikey.NewKeychain() }

// keySubcommands maps each "fluxdesk key" subcommand to the function that
// runs it.
var keySubcommands = map[string]func(env *Env, args []string) int{
	"set":    runKeySet,
	"status": runKeyStatus,
	"roll":   runKeyRoll,
	"delete": runKeyDelete,
}

// noKeyHelp tells a person how to give Fluxdesk a key.
const noKeyHelp = "add one with: fluxdesk key set < key.txt (or paste it after running fluxdesk key set), " +
	"or set " + apikey.EnvKey + " in the environment"

func runKey(env *Env, args []string) int {
	// Refuse a key given as an argument before anything could repeat it.
	for _, a := range args {
		if strings.Contains(a, apikey.Prefix) {
			fmt.Fprintln(env.Stderr, "fluxdesk key: the key is read from standard input, never from arguments "+
				"(arguments are visible to other programs and kept in shell history; remove it from your history)")
			return ExitUsage
		}
	}
	if len(args) == 0 {
		printKeyUsage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		printKeyUsage(env.Stdout)
		return ExitOK
	}
	run, ok := keySubcommands[args[0]]
	if !ok {
		printKeyUsage(env.Stderr)
		return ExitUsage
	}
	return run(env, args[1:])
}

func printKeyUsage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  fluxdesk key set                read a Fluximage API key from standard input and store it in the keychain
  fluxdesk key status             show the key in use (masked), where it comes from, and the keychain's state
  fluxdesk key roll [options]     read the new key from standard input, check it with the service, replace the stored key
  fluxdesk key delete             remove the stored key

Options of roll:
  --offline        store the new key without checking it with the service
  --api-url URL    the Fluximage server to check with (default $`+apikey.EnvBaseURL+` or `+apikey.DefaultBaseURL+`)

`+apikey.EnvKey+`, when set, is used instead of the keychain.
Exit status: 0 done, 1 the service refused the key (or could not check it), 2 bad input or no keychain.
`)
}

// keyFailure prints err for the key subcommand cmd and returns the exit
// status it calls for.
func keyFailure(env *Env, cmd string, err error) int {
	fmt.Fprintf(env.Stderr, "fluxdesk key %s: %v\n", cmd, err)
	switch {
	case errors.Is(err, apikey.ErrKeychainUnavailable):
		fmt.Fprintf(env.Stderr, "On a machine without a keychain, set %s instead.\n", apikey.EnvKey)
		return ExitUsage
	case errors.Is(err, apikey.ErrFormat), errors.Is(err, apikey.ErrKeyStored):
		return ExitUsage
	}
	return ExitFailed
}

// noteEnvKey says so when FLUXIMAGE_API_KEY overrides the keychain.
func noteEnvKey(env *Env) {
	if os.Getenv(apikey.EnvKey) != "" {
		fmt.Fprintf(env.Stdout, "Note: %s is set, and is used instead of the keychain while it is.\n", apikey.EnvKey)
	}
}
