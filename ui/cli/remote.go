package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sync/atomic"

	"fluxdesk/engine"
	"fluxdesk/engine/apikey"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/settings"
)

// rolledKeyHelp tells a person what to do about a key the service rejected.
const rolledKeyHelp = "Store the new key with: fluxdesk key roll (or set " + apikey.EnvKey + ")."

// remoteFlags are the compress options of the remote engine.
type remoteFlags struct {
	format   engine.Format
	apiURL   string
	fallback bool
	rejected atomic.Bool // the service rejected the key during the run
}

// register adds the flags to fs, with the user's settings as defaults (the
// environment's server, when set, comes before the settings' one).
func (r *remoteFlags) register(fs *flag.FlagSet, s settings.Settings) {
	apiURL := s.APIURL
	if os.Getenv(apikey.EnvBaseURL) != "" {
		apiURL = ""
	}
	fs.StringVar((*string)(&r.format), "format", string(s.Format), "output format: webp; with --engine remote also avif, jpg or png")
	fs.StringVar(&r.apiURL, "api-url", apiURL, "Fluximage server for --engine remote (default: $"+apikey.EnvBaseURL+", else "+apikey.DefaultBaseURL+")")
	fs.BoolVar(&r.fallback, "fallback-local", s.FallbackLocal, "with --engine remote: compress on this machine when the service cannot be reached, its quota is used up or a file is over 20 MB")
}

// hooks tell the settings how the command line's remote engine gets its
// key (FLUXIMAGE_API_KEY or the keychain's, read once) and what it does when
// the service rejects it.
func (r *remoteFlags) hooks() settings.Remote {
	return settings.Remote{
		Keys: func() (remote.Keys, error) {
			key, err := currentKey()
			return remote.StaticKey(key), err
		},
		Options: remote.Options{KeyHint: rolledKeyHelp, OnKeyRejected: func() { r.rejected.Store(true) }},
	}
}

// currentKey returns the key in force: FLUXIMAGE_API_KEY, else the keychain's.
func currentKey() (string, error) {
	key, _, err := apikey.NewKeys(newKeyStore()).Current()
	switch {
	case errors.Is(err, apikey.ErrNoKey):
		return "", fmt.Errorf("no Fluximage API key; %s", noKeyHelp)
	case err != nil:
		return "", fmt.Errorf("no Fluximage API key: %v", err)
	}
	return key, nil
}

// afterRun ends a run whose key was rejected with one clear message.
func (r *remoteFlags) afterRun(env *Env) {
	if r.rejected.Load() {
		env.problem("compress", fmt.Sprintf("%s %s Nothing was written for the files it concerned.", remote.ErrKeyRejected, rolledKeyHelp))
	}
}
