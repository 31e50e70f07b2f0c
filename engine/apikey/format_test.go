package apikey

import (
	"errors"
	"strings"
	"testing"
)

// testKey and otherKey are well-formed keys that exist nowhere.
const (
	testKey  = "flx_live_a3f90123456789abcdef0123456789abcdefb2c1"
	otherKey = "flx_live_0000111122223333444455556666777788889999"
)

func TestParse_AcceptsKeyAndTrimsPaste(t *testing.T) {
	for _, in := range []string{testKey, "  " + testKey + "\n", "\t" + testKey + "\r\n"} {
		got, err := Parse(in)
		if err != nil || got != testKey {
			t.Errorf("Parse(%q) = %q, %v; want the key", in, got, err)
		}
	}
}

func TestParse_RefusesWithoutEchoing(t *testing.T) {
	hex := testKey[len(Prefix):]
	cases := map[string]string{
		"empty":        "   ",
		"no prefix":    hex,
		"test prefix":  "flx_test_" + hex,
		"short":        testKey[:len(testKey)-1],
		"long":         testKey + "0",
		"upper case":   Prefix + strings.ToUpper(hex),
		"not hex":      Prefix + strings.Repeat("g", 40),
		"inner space":  Prefix + hex[:20] + " " + hex[21:],
		"two keys":     testKey + " " + otherKey,
		"prefix twice": Prefix + Prefix + hex[:31],
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(in)
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("err = %v, want ErrFormat", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "flx_live_ followed by exactly 40 lower-case hexadecimal characters") {
				t.Errorf("message does not say what a key looks like: %s", msg)
			}
			if s := strings.TrimSpace(in); len(s) > 12 && strings.Contains(msg, s[len(s)-12:]) {
				t.Errorf("message repeats the input: %s", msg)
			}
		})
	}
}

func TestMask(t *testing.T) {
	if got, want := Mask(testKey), "flx_live_a3f9…b2c1"; got != want {
		t.Errorf("Mask = %q, want %q", got, want)
	}
	if got, want := Mask(" "+testKey+"\n"), "flx_live_a3f9…b2c1"; got != want {
		t.Errorf("Mask of a pasted key = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "secret-password-123", testKey + "0"} {
		if got := Mask(bad); got != Prefix+"…" {
			t.Errorf("Mask(%q) = %q, want it masked completely", bad, got)
		}
	}
}
