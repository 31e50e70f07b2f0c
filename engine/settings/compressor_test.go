package settings

import (
	"errors"
	"strings"
	"testing"

	"fluxdesk/engine/local"
	"fluxdesk/engine/remote"
)

func TestSettings_Compressor(t *testing.T) {
	noKey := errors.New("no key here")
	for _, tc := range []struct {
		name    string
		change  func(*Settings)
		keys    error
		want    string // the compressor's type, or the error's words
		askKeys bool
	}{
		{"local", func(*Settings) {}, nil, "*local.Compressor", false},
		{"local never asks for a key", func(*Settings) {}, noKey, "*local.Compressor", false},
		{"local makes WebP only", func(s *Settings) { s.Format = "avif" }, nil, "makes webp only", false},
		{"unknown engine", func(s *Settings) { s.Engine = "magic" }, nil, `unknown engine "magic"`, false},
		{"remote", func(s *Settings) { s.Engine, s.Format = EngineRemote, "avif" }, nil, "*remote.Compressor", true},
		{"remote without a key", func(s *Settings) { s.Engine = EngineRemote }, noKey, "no key here", true},
		{"remote over plain http elsewhere", func(s *Settings) { s.Engine, s.APIURL = EngineRemote, "http://example.com" }, nil, "http", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			tc.change(&s)
			asked := false
			c, err := s.Compressor(Remote{Keys: func() (remote.Keys, error) {
				asked = true
				return remote.StaticKey("k"), tc.keys
			}})
			got := ""
			switch c.(type) {
			case *local.Compressor:
				got = "*local.Compressor"
			case *remote.Compressor:
				got = "*remote.Compressor"
			}
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if asked != tc.askKeys {
				t.Errorf("keys asked: %v, want %v", asked, tc.askKeys)
			}
		})
	}
}
