package cli

import (
	"errors"
	"fmt"

	"fluxdesk/engine/apikey"
)

func runKeyStatus(env *Env, args []string) int {
	fs := newFlagSet("key status", "key status", env.Stderr)
	if status, ok := parseNoArgs(env, fs, args, keyFromStdin); !ok {
		return status
	}
	store := newKeyStore()
	key, src, err := apikey.NewKeys(store).Current()

	// The keychain's state: from Current unless the environment answered.
	stored, storeErr := key, err
	if src == apikey.SourceEnv {
		stored, storeErr = store.Get()
	}

	switch {
	case err == nil:
		fmt.Fprintf(env.Stdout, "Key:      %s (from the %s)\n", apikey.Mask(key), src)
	case src == apikey.SourceEnv:
		fmt.Fprintf(env.Stdout, "Key:      unusable: %v\n", err)
	case errors.Is(err, apikey.ErrNoKey):
		fmt.Fprintf(env.Stdout, "Key:      none; %s\n", noKeyHelp)
	default:
		fmt.Fprintln(env.Stdout, "Key:      unknown, the keychain cannot be read")
	}

	switch {
	case storeErr == nil && src == apikey.SourceEnv:
		fmt.Fprintf(env.Stdout, "Keychain: reachable, holds %s (not in use)\n", apikey.Mask(stored))
	case storeErr == nil:
		fmt.Fprintln(env.Stdout, "Keychain: reachable")
	case errors.Is(storeErr, apikey.ErrNoKey):
		fmt.Fprintln(env.Stdout, "Keychain: reachable, no key stored")
	default:
		fmt.Fprintf(env.Stdout, "Keychain: %v\n", storeErr)
	}

	switch {
	case err == nil || errors.Is(err, apikey.ErrNoKey):
		return ExitOK
	case errors.Is(err, apikey.ErrKeychainUnavailable):
		fmt.Fprintf(env.Stdout, "On a machine without a keychain, set %s instead.\n", apikey.EnvKey)
		return ExitUsage
	case errors.Is(err, apikey.ErrFormat):
		return ExitUsage
	}
	return ExitFailed
}
