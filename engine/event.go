package engine

// Status is the state of a job as reported in an Event.
type Status string

// The states a job goes through: Queued, then Running, then one of Done,
// Skipped or Failed. A remote job may be Held (waiting for a new API key)
// on the way.
const (
	StatusQueued  Status = "queued"
	StatusRunning Status = "running"
	StatusHeld    Status = "held"
	StatusDone    Status = "done"
	StatusSkipped Status = "skipped"
	StatusFailed  Status = "failed"
)

// Final reports whether no further event follows this status for the job.
func (s Status) Final() bool {
	return s == StatusDone || s == StatusSkipped || s == StatusFailed
}

// Event reports a change in one job's state.
type Event struct {
	// Job is the job's ID (0 for a path that never became a job).
	Job    int
	Status Status
	// Path of the original; Output of the written file (Done only).
	Path, Output string
	// Backup is where the original was moved when the output replaced it
	// (Done with Options.Replace only); "fluxdesk restore" puts it back.
	Backup string
	// BytesIn is the original's size; BytesOut the output's (Done, or the
	// rejected size of a Skipped "no gain" output).
	BytesIn, BytesOut int64
	// Encoding says how the output was encoded (Done, or Skipped for no
	// gain); zero otherwise.
	Encoding Encoding
	// Message says why a job was skipped or failed, in words a person
	// understands; empty otherwise.
	Message string
	// Cancelled marks a job skipped because the run was cancelled; nothing
	// was written for it.
	Cancelled bool
}

// Processed reports whether the event ends its job for good: done, or
// skipped for a lasting reason (no gain, Fluxdesk's own output). A failed or
// cancelled job is worth trying again.
func (e Event) Processed() bool {
	return e.Status == StatusDone || (e.Status == StatusSkipped && !e.Cancelled)
}

// Summary totals a run. Bytes count only the files that were done.
type Summary struct {
	Done, Skipped, Failed int
	BytesIn, BytesOut     int64
	Seconds               float64
	// Cancelled is true when the run was interrupted before it finished.
	Cancelled bool
}

// Add counts a final event into the summary.
func (s *Summary) Add(e Event) {
	switch e.Status {
	case StatusDone:
		s.Done++
		s.BytesIn += e.BytesIn
		s.BytesOut += e.BytesOut
	case StatusSkipped:
		s.Skipped++
	case StatusFailed:
		s.Failed++
	}
}
