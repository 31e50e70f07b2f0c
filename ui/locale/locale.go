// Package locale gives the process a locale the toolkit can parse before the
// toolkit reads it. Fyne logs an error at start-up (even for command-line
// runs) when LANG is "C", "POSIX" or unset, as it is on many servers and in
// containers. Import it for its side effect, before any Fyne package:
// packages initialise in import-path order, and "fluxdesk/…" sorts before
// "fyne.io/…".
package locale

import (
	"os"
	"strings"
)

// fallback is the locale used when the environment names none a person
// would choose.
const fallback = "en_US.UTF-8"

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			if !usable(v) {
				os.Setenv(name, fallback)
			}
			return
		}
	}
	os.Setenv("LANG", fallback)
}

// usable reports whether a locale value names a language (en_GB.UTF-8)
// rather than the C or POSIX locale.
func usable(v string) bool {
	lang, _, _ := strings.Cut(v, ".")
	return lang != "C" && lang != "POSIX"
}
