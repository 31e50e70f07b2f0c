package local

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"fluxdesk/engine"
	"fluxdesk/internal/testimage"
)

// policySink notes the scheduling policy of the thread each job starts on.
type policySink struct {
	*recorder
	policies chan uint32
}

func (s policySink) Started(job engine.Job) {
	attr, err := unix.SchedGetAttr(0, 0)
	if err != nil {
		s.policies <- ^uint32(0)
	} else {
		s.policies <- attr.Policy
	}
	s.recorder.Started(job)
}

// A yielding compressor's workers run in the idle scheduling class; a plain
// one's in the usual class, and so does every other goroutine after them.
func TestCompressor_YieldingWorkersRunAtTheLowestPriority(t *testing.T) {
	path := testimage.WritePNG(t, filepath.Join(t.TempDir(), "noisy.png"), testimage.Noisy(64, 48))
	for _, c := range []struct {
		comp *Compressor
		want uint32
	}{{New(1).Yielding(), unix.SCHED_IDLE}, {New(1), unix.SCHED_NORMAL}} {
		jobs := make(chan engine.Job, 1)
		jobs <- engine.Job{ID: 1, Path: path, Options: engine.DefaultOptions()}
		close(jobs)
		sink := policySink{newRecorder(), make(chan uint32, 1)}
		c.comp.Compress(context.Background(), jobs, sink)
		if got := <-sink.policies; got != c.want {
			t.Errorf("yield %v: a job started on a thread of policy %d, want %d", c.comp.yield, got, c.want)
		}
		if res := sink.finished[1]; res.Err != nil {
			t.Errorf("yield %v: %v", c.comp.yield, res.Err)
		}
	}
	attr, err := unix.SchedGetAttr(0, 0)
	if err != nil || attr.Policy != unix.SCHED_NORMAL {
		t.Errorf("the test's own thread: policy %v (%v)", attr, err)
	}
}
