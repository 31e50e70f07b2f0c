package settings

import (
	"fmt"

	"fluxdesk/engine"
	"fluxdesk/engine/apikey"
	"fluxdesk/engine/local"
	"fluxdesk/engine/remote"
)

// Remote is what only the caller knows of a remote compressor: where its
// key comes from, and what it does when the service rejects the key.
type Remote struct {
	// Keys returns the source of the API key; it is called only for the
	// remote engine, so that the local one never asks the keychain.
	Keys func() (remote.Keys, error)
	// Options of the remote compressor: HoldOnRejectedKey, KeyHint and
	// OnKeyRejected are taken from it; Fallback is set by these settings.
	Options remote.Options
}

// Compressor builds the compressor these settings ask for: the local
// engine with Workers encoders, or the Fluximage service at APIURL (that
// hands what it cannot take to a local engine when FallbackLocal is set).
// The window and the command line both build theirs here, the command
// line's flags written over its settings.
func (s Settings) Compressor(r Remote) (engine.Compressor, error) {
	loc := local.New(s.Workers)
	switch s.Engine {
	case EngineLocal:
		if s.Format != engine.FormatWebP {
			return nil, fmt.Errorf("the local engine makes webp only, not %s: the remote engine (Fluximage) makes it", s.Format)
		}
		return loc, nil
	case EngineRemote:
	default:
		return nil, fmt.Errorf("unknown engine %q (choose %s or %s)", s.Engine, EngineLocal, EngineRemote)
	}
	base, err := apikey.ResolveBaseURL(s.APIURL)
	if err != nil {
		return nil, err
	}
	keys, err := r.Keys()
	if err != nil {
		return nil, err
	}
	client, err := remote.NewClient(base, remote.ClientOptions{})
	if err != nil {
		return nil, err
	}
	o := r.Options
	o.Fallback = nil
	if s.FallbackLocal {
		o.Fallback = loc
	}
	return remote.NewCompressor(client, keys, o), nil
}
