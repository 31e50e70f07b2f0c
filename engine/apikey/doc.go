// Package apikey looks after the user's Fluximage API key: its format, its
// masked form for display, the OS keychain that holds the only copy, the
// FLUXIMAGE_API_KEY override, a check against the service, and notice of a
// new key for work that waits on one.
//
// The raw key never appears in an error, a URL or a log line made here;
// show it only through Mask.
package apikey
