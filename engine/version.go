// Package engine is Fluxdesk's job pipeline: it expands paths into jobs, hands
// them to a compressor (local or remote), verifies what comes back and writes
// it safely. It knows nothing of any user interface; it reports through Event
// values.
package engine

// Version is Fluxdesk's version; FyneApp.toml carries the same number.
const Version = "0.1.0"
