package engine

import "time"

// Ledger remembers the files Fluxdesk wrote, so that they are never taken
// for originals and never overwritten by mistake. It is shared by every
// Fluxdesk process, and resolves each path to its real location (see
// package pathid) before it looks it up or records it.
type Ledger interface {
	// SourceOf returns the original an output was written for. ok is false
	// when Fluxdesk did not write output, or it changed since. source is ""
	// when the output is known to be Fluxdesk's only by its mark.
	SourceOf(output string) (source string, ok bool)
	// Claim asks for the name output for the output of source. In one step
	// for every process sharing the ledger, it looks at what holds the name
	// and, when the answer is Free or Earlier, claims it: no other claim
	// for the name succeeds until Wrote or Release. A claim of a process
	// that no longer runs is taken over.
	Claim(source, output string) (Hold, error)
	// Wrote records an output that was just written and ends its claim;
	// a ledger may record it later, keeping the claim until then. An error
	// means it will not be recorded.
	Wrote(w Written) error
	// Release ends a claim whose output was not written.
	Release(output string)
}

// Hold says what holds an output name when it is asked for.
type Hold int

const (
	// Free: nothing Fluxdesk knows of; the name is now claimed. A file of
	// someone else's may still be there.
	Free Hold = iota
	// Earlier: an earlier output of the same original, unchanged since; the
	// name is now claimed to replace it.
	Earlier
	// Busy: another write of the same original holds the name right now.
	Busy
	// Taken: the output, or a write under way, of another original.
	Taken
)

// Written describes an output just put in place.
type Written struct {
	Source, Output string
	// Size and ModTime of the output after it was written.
	Size    int64
	ModTime time.Time
}

// noLedger is used when no ledger is given: nothing is recorded, and only
// the mark inside an output tells that it is Fluxdesk's.
type noLedger struct{}

func (noLedger) SourceOf(output string) (string, bool) { return "", HasMark(output) }
func (noLedger) Claim(string, string) (Hold, error)    { return Free, nil }
func (noLedger) Wrote(Written) error                   { return nil }
func (noLedger) Release(string)                        {}
