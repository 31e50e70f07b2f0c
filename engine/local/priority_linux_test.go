package local

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

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
// one's in the usual class; and no thread stays idle after its worker,
// where another goroutine could run.
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
	// The yielding worker's thread ended with it; it may take a moment. A
	// worker that ran on the process's first thread leaves it parked for
	// good instead (the Go runtime never ends that thread): it runs no
	// other goroutine either.
	deadline := time.Now().Add(5 * time.Second)
	for idle := idleThreads(t); len(idle) > 0; idle = idleThreads(t) {
		if time.Now().After(deadline) {
			t.Fatalf("threads %v are still in the idle class after their workers ended", idle)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// idleThreads returns the threads of this process in the idle class, but
// for its first thread.
func idleThreads(t *testing.T) []int {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	var idle []int
	for _, task := range tasks {
		tid, err := strconv.Atoi(task.Name())
		if err != nil || tid == os.Getpid() {
			continue
		}
		if attr, err := unix.SchedGetAttr(tid, 0); err == nil && attr.Policy == unix.SCHED_IDLE {
			idle = append(idle, tid)
		}
	}
	return idle
}
