package engine

import "time"

// Ledger remembers the files Fluxdesk wrote, so that they are never taken
// for originals and never overwritten by mistake.
type Ledger interface {
	// SourceOf returns the original an output was written for. ok is false
	// when Fluxdesk did not write output, or it changed since.
	SourceOf(output string) (source string, ok bool)
	// Wrote records an output that was just written.
	Wrote(w Written) error
}

// Written describes an output just put in place.
type Written struct {
	Source, Output string
	// Size and ModTime of the output after it was written.
	Size    int64
	ModTime time.Time
}

// noLedger is used when no ledger is given: nothing is known to be ours.
type noLedger struct{}

func (noLedger) SourceOf(string) (string, bool) { return "", false }
func (noLedger) Wrote(Written) error            { return nil }
