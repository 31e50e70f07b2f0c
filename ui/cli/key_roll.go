package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fluxdesk/engine/apikey"
)

func runKeyRoll(env *Env, args []string) int {
	fs := newFlagSet("key roll", "key roll [--offline] [--api-url URL] < KEYFILE", env.Stderr)
	offline := fs.Bool("offline", false, "store the new key without checking it with the service")
	apiURL := fs.String("api-url", "", "the Fluximage server to check the key with (default $"+
		apikey.EnvBaseURL+" or "+apikey.DefaultBaseURL+")")
	if status, ok := parseNoArgs(env, fs, args, keyFromStdin); !ok {
		return status
	}
	var verifier *apikey.Verifier
	if !*offline {
		base, err := apikey.ResolveBaseURL(*apiURL)
		if err == nil {
			verifier, err = apikey.NewVerifier(base)
		}
		if err != nil {
			return usageError(env, "key roll", err.Error())
		}
	}
	raw, err := readKey(env)
	if err != nil {
		return keyFailure(env, "roll", err)
	}
	key, err := apikey.Parse(raw)
	if err != nil {
		return keyFailure(env, "roll", err)
	}

	// Reach the keychain before the service: a key the service accepted but
	// that cannot be stored would leave the user holding the only copy.
	store := newKeyStore()
	if old, err := store.Get(); err == nil && old == key {
		fmt.Fprintf(env.Stdout, "The keychain already holds %s; nothing to roll.\n", apikey.Mask(key))
		return ExitOK
	} else if err != nil && !errors.Is(err, apikey.ErrNoKey) {
		return keyFailure(env, "roll", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = apikey.NewKeys(store).Roll(ctx, key, verifier)
	switch {
	case errors.Is(err, apikey.ErrRefused):
		fmt.Fprintf(env.Stderr, "fluxdesk key roll: %v.\nThe stored key is unchanged. Copy the newest key from the dashboard (Settings → API Key) and try again.\n", err)
		return ExitFailed
	case errors.Is(err, apikey.ErrUnverified):
		fmt.Fprintf(env.Stderr, "fluxdesk key roll: %v.\nThe stored key is unchanged. If the key is right, store it without the check: fluxdesk key roll --offline\n", err)
		return ExitFailed
	case err != nil:
		fmt.Fprintf(env.Stderr, "fluxdesk key roll: the new key %s could not be stored: %v\nKeep the new key safe until it is stored: if you rolled it in the dashboard, the old key no longer works.\n", apikey.Mask(key), err)
		if errors.Is(err, apikey.ErrKeychainUnavailable) {
			return ExitUsage
		}
		return ExitFailed
	}
	how := "not checked: --offline"
	if verifier != nil {
		how = "checked with " + verifier.BaseURL()
	}
	fmt.Fprintf(env.Stdout, "Rolled: the keychain now holds %s (%s).\n", apikey.Mask(key), how)
	noteEnvKey(env)
	return ExitOK
}
