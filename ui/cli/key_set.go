package cli

import (
	"errors"
	"fmt"

	"fluxdesk/engine/apikey"
)

func runKeySet(env *Env, args []string) int {
	fs := newFlagSet("key set", "key set < KEYFILE", env.Stderr)
	if status, ok := parseNoArgs(env, fs, args, keyFromStdin); !ok {
		return status
	}
	raw, err := readKey(env)
	if err != nil {
		return keyFailure(env, "set", err)
	}
	store := newKeyStore()
	err = apikey.NewKeys(store).Set(raw)
	if errors.Is(err, apikey.ErrKeyStored) {
		old, _ := store.Get()
		fmt.Fprintf(env.Stderr, "fluxdesk key set: the keychain already holds %s; to replace it, use: fluxdesk key roll\n", apikey.Mask(old))
		return ExitUsage
	}
	if err != nil {
		return keyFailure(env, "set", err)
	}
	key, _ := apikey.Parse(raw)
	fmt.Fprintf(env.Stdout, "Stored %s in the keychain.\n", apikey.Mask(key))
	noteEnvKey(env)
	return ExitOK
}

func runKeyDelete(env *Env, args []string) int {
	fs := newFlagSet("key delete", "key delete", env.Stderr)
	if status, ok := parseNoArgs(env, fs, args, keyFromStdin); !ok {
		return status
	}
	err := apikey.NewKeys(newKeyStore()).Delete()
	switch {
	case errors.Is(err, apikey.ErrNoKey):
		fmt.Fprintln(env.Stdout, "No key is stored; nothing to delete.")
	case err != nil:
		return keyFailure(env, "delete", err)
	default:
		fmt.Fprintln(env.Stdout, "Deleted the key from the keychain.")
	}
	noteEnvKey(env)
	return ExitOK
}
