package local

import "golang.org/x/sys/unix"

// lowestPriority puts the calling thread in the idle scheduling class: it
// runs only when no other thread wants its core. Threads it starts, as the
// Go runtime does from whichever thread needs one, start in the usual
// class (reset on fork): they may run any goroutine.
func lowestPriority() error {
	return unix.SchedSetAttr(0, &unix.SchedAttr{
		Size: unix.SizeofSchedAttr, Policy: unix.SCHED_IDLE, Flags: unix.SCHED_FLAG_RESET_ON_FORK,
	}, 0)
}
