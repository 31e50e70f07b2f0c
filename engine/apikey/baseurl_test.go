package apikey

import "testing"

func TestCheckBaseURL(t *testing.T) {
	ok := map[string]string{
		"https://fluximage.app":       "https://fluximage.app",
		"https://fluximage.app/":      "https://fluximage.app",
		"https://proxy.example/flux/": "https://proxy.example/flux",
		"http://127.0.0.1:8080":       "http://127.0.0.1:8080",
		"http://localhost:9000/":      "http://localhost:9000",
		"http://[::1]:9000":           "http://[::1]:9000",
		" https://fluximage.app:443 ": "https://fluximage.app:443",
	}
	for in, want := range ok {
		if got, err := CheckBaseURL(in); err != nil || got != want {
			t.Errorf("CheckBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"http://fluximage.app", "http://10.0.0.1", "ftp://fluximage.app", "fluximage.app",
		"https://user:pw@fluximage.app", "https://fluximage.app/?a=1", "https://fluximage.app/#x",
		"", "https://", "mailto:x@y",
	} {
		if got, err := CheckBaseURL(in); err == nil {
			t.Errorf("CheckBaseURL(%q) = %q, want an error", in, got)
		}
	}
}

func TestResolveBaseURL_FlagThenEnvThenDefault(t *testing.T) {
	t.Setenv(EnvBaseURL, "")
	if got, _ := ResolveBaseURL(""); got != DefaultBaseURL {
		t.Errorf("default = %q", got)
	}
	t.Setenv(EnvBaseURL, "http://127.0.0.1:1")
	if got, _ := ResolveBaseURL(""); got != "http://127.0.0.1:1" {
		t.Errorf("from env = %q", got)
	}
	if got, _ := ResolveBaseURL("https://flag.example"); got != "https://flag.example" {
		t.Errorf("from flag = %q", got)
	}
	t.Setenv(EnvBaseURL, "http://evil.example")
	if _, err := ResolveBaseURL(""); err == nil {
		t.Error("plain http to another host from the environment was accepted")
	}
}
