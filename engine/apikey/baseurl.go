package apikey

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
)

// DefaultBaseURL is the Fluximage service.
const DefaultBaseURL = "https://fluximage.app"

// EnvBaseURL names the environment variable that points Fluxdesk at another
// Fluximage server (tests, demos, proxies).
const EnvBaseURL = "FLUXDESK_API_URL"

// ResolveBaseURL returns the base URL to use: flagValue when not empty, else
// FLUXDESK_API_URL when set, else DefaultBaseURL; checked by CheckBaseURL.
func ResolveBaseURL(flagValue string) (string, error) {
	raw := flagValue
	if raw == "" {
		raw = os.Getenv(EnvBaseURL)
	}
	if raw == "" {
		raw = DefaultBaseURL
	}
	return CheckBaseURL(raw)
}

// CheckBaseURL accepts an https URL, or an http URL on a loopback address
// (tests), with no user name, password, query or fragment, and returns it
// without a trailing slash. Anything else would expose the key.
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("API URL %q: %w", raw, err)
	}
	switch {
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("API URL %q: want an address like %s", raw, DefaultBaseURL)
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("API URL %q: must not have a user name, a query or a fragment", raw)
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return "", fmt.Errorf("API URL %q: must be https (plain http only to this machine: localhost, 127.0.0.1, [::1])", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
