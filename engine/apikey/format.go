package apikey

import (
	"errors"
	"fmt"
	"strings"
)

// Prefix starts every Fluximage API key.
const Prefix = "flx_live_"

// hexLen is the number of lower-case hexadecimal characters after Prefix.
const hexLen = 40

// keyShape says what a key looks like, for error messages.
const keyShape = "a Fluximage API key is " + Prefix + " followed by exactly 40 lower-case hexadecimal characters (0-9, a-f)"

// ErrFormat is matched (errors.Is) by every error Parse returns.
var ErrFormat = errors.New("not a Fluximage API key; " + keyShape)

// formatError says what is wrong with a would-be key without repeating it.
type formatError struct{ problem string }

func (e *formatError) Error() string {
	return "not a Fluximage API key (" + e.problem + "); " + keyShape
}

func (e *formatError) Is(target error) bool { return target == ErrFormat }

// Parse trims the white space a paste leaves around a key and checks its
// format. The error says what is wrong and what a key looks like, and never
// contains the input.
func Parse(s string) (string, error) {
	key := strings.TrimSpace(s)
	switch {
	case key == "":
		return "", &formatError{"nothing was given"}
	case !strings.HasPrefix(key, Prefix):
		return "", &formatError{"it does not start with " + Prefix}
	case len(key)-len(Prefix) != hexLen:
		return "", &formatError{fmt.Sprintf("it has %d characters after %s", len(key)-len(Prefix), Prefix)}
	case !isLowerHex(key[len(Prefix):]):
		return "", &formatError{"it has characters other than 0-9 and a-f after " + Prefix}
	}
	return key, nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Mask returns the form of a key that may be shown: the prefix, the first
// four hexadecimal characters, an ellipsis and the last four, e.g.
// "flx_live_a3f9…b2c1". Anything that is not a well-formed key is masked
// completely.
func Mask(key string) string {
	k, err := Parse(key)
	if err != nil {
		return Prefix + "…"
	}
	return k[:len(Prefix)+4] + "…" + k[len(k)-4:]
}
