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
	"fluxdesk/internal/testproc"
)

// placeSink notes the scheduling policy and the thread of each job as it
// starts.
type placeSink struct {
	*recorder
	places chan place
}

// place is where a job started.
type place struct {
	id, thread int
	policy     uint32
}

func (s placeSink) Started(job engine.Job) {
	p := place{id: job.ID, thread: unix.Gettid(), policy: ^uint32(0)}
	if attr, err := unix.SchedGetAttr(0, 0); err == nil {
		p.policy = attr.Policy
	}
	s.places <- p
	s.recorder.Started(job)
}

// Background jobs run in the idle scheduling class, others in the usual
// one; a job someone waits for, after background ones, moves to a new
// thread (an unprivileged thread cannot leave the idle class); and no
// thread stays idle after its worker, where another goroutine could run.
// It runs as an ordinary user, for whom the idle class is one way.
func TestCompressor_BackgroundJobsRunAtTheLowestPriority(t *testing.T) {
	if testproc.AsNobody(t) {
		return
	}
	path := testimage.WritePNG(t, filepath.Join(t.TempDir(), "noisy.png"), testimage.Noisy(64, 48))
	background := []bool{false, true, true, false, true}
	jobs := make(chan engine.Job, len(background))
	for i, b := range background {
		jobs <- engine.Job{ID: i + 1, Path: path, Options: engine.DefaultOptions(), Background: b}
	}
	close(jobs)
	sink := placeSink{newRecorder(), make(chan place, len(background))}
	New(1).Compress(context.Background(), jobs, sink)
	close(sink.places)
	var places []place
	for p := range sink.places {
		places = append(places, p)
	}
	if len(places) != len(background) {
		t.Fatalf("%d jobs started, want %d", len(places), len(background))
	}
	for i, p := range places {
		want := uint32(unix.SCHED_NORMAL)
		if background[i] {
			want = unix.SCHED_IDLE
		}
		if p.id != i+1 || p.policy != want {
			t.Errorf("job %d started on a thread of policy %d, want job %d at %d", p.id, p.policy, i+1, want)
		}
		if res := sink.finished[p.id]; res.Err != nil {
			t.Errorf("job %d: %v", p.id, res.Err)
		}
	}
	if places[1].thread != places[2].thread {
		t.Errorf("background jobs in a row ran on threads %d and %d, want one", places[1].thread, places[2].thread)
	}
	if places[3].thread == places[2].thread {
		t.Errorf("the job after the background ones ran on the idle thread %d", places[3].thread)
	}
	// The idle threads ended with their goroutines; it may take a moment.
	// One that was the process's first thread is parked for good instead
	// (the Go runtime never ends that thread): it runs no other goroutine
	// either.
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
