package cli

import (
	"fmt"

	"fluxdesk/engine"
	"fluxdesk/engine/record"
)

// openRecord opens the record of what Fluxdesk wrote (shared with any other
// Fluxdesk running), which lets a run recognise, and replace, its own
// earlier outputs. Without it the run still goes on safely: earlier outputs
// are then left alone and new names chosen. flush commits what the run
// recorded and waits for it; what the record could not take is reported as
// a warning, during the run or by flush.
func openRecord(env *Env, command string) (ledger engine.Ledger, flush func()) {
	path, err := record.DefaultPath()
	if err == nil {
		var r *record.Record
		if r, err = record.Open(path, record.DefaultTimeout); err == nil {
			warnMovedAside(env, command, r)
			warnFailures(env, command, r)
			return r, func() { r.Flush() }
		}
	}
	env.warn(command, fmt.Sprintf("%v; earlier outputs will not be recognised as Fluxdesk's", err))
	return nil, func() {}
}

// warnFailures has what the record could not take reported as warnings.
func warnFailures(env *Env, command string, r *record.Record) {
	r.OnFailure(func(err error) { env.warn(command, err.Error()) })
}

// warnMovedAside tells, once, that a damaged record was moved aside and a
// fresh one started: a run-wide warning of command.
func warnMovedAside(env *Env, command string, r *record.Record) {
	if aside := r.MovedAside(); aside != "" {
		env.warn(command, fmt.Sprintf("the record was damaged; it was moved aside to %s and a fresh one started", aside))
	}
}
