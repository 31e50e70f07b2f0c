//go:build watchbench

package main

// The window benchmark's probe (scripts/window-bench.sh), built only with
// the watchbench tag. With FLUXDESK_PROBE naming a file, the window, once
// sent SIGUSR1, posts a function through fyne.Do every 10 ms, unless the
// previous one has not run yet, and appends a line to that file every
// 100 ms, after a first line "start MS" that says how long the window took
// to run the first function posted to it (the window is still being made
// when the signal comes): the time (Unix ms), the goroutine count, the most goroutines seen,
// the longest wait from a post to its run on the UI goroutine (ms; a post
// still waiting counts with its wait so far) and, for comparison, the
// longest a plain goroutine (the probe's own ticker) was late (ms), both
// since the previous line, and how long the main thread, where the UI
// goroutine runs, waited for a core in that time (ms; the kernel's
// run_delay in schedstat). One post at a time: the UI goroutine runs one
// posted function per turn of its loop, between frames, so posts made
// faster than frames are drawn would wait behind each other, and the probe
// would measure the queue it builds itself. With FLUXDESK_PROBE_CPU naming
// a file too, a CPU profile is written there from SIGUSR1 to SIGUSR2.

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
)

func init() {
	path := os.Getenv("FLUXDESK_PROBE")
	if path == "" {
		return
	}
	start := make(chan os.Signal, 1)
	signal.Notify(start, syscall.SIGUSR1)
	go func() {
		<-start // the window is up: fyne.Do has an app to post to
		if err := profileCPU(os.Getenv("FLUXDESK_PROBE_CPU")); err != nil {
			fmt.Fprintln(os.Stderr, "probe:", err)
		}
		if err := probe(path); err != nil {
			fmt.Fprintln(os.Stderr, "probe:", err)
		}
	}()
}

// profileCPU profiles into path ("": not at all) until SIGUSR2.
func profileCPU(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGUSR2)
	go func() {
		<-stop
		pprof.StopCPUProfile()
		f.Close()
	}()
	return nil
}

func probe(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// The window is still being made when the signal comes: its first
	// posted function runs once the window is up, and that wait is the
	// window's start, reported apart from the waits of the running window.
	began, up := time.Now(), make(chan struct{})
	fyne.Do(func() { close(up) })
	<-up
	if _, err := fmt.Fprintf(f, "start %.1f\n", float64(time.Since(began))/1e6); err != nil {
		return err
	}
	const every = 10 * time.Millisecond
	var worstWait atomic.Int64 // ns, since the last line
	var posted atomic.Int64    // when the post not yet run was made (Unix ns), or 0
	raise := func(wait int64) {
		for {
			old := worstWait.Load()
			if wait <= old || worstWait.CompareAndSwap(old, wait) {
				return
			}
		}
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	peak, next := 0, time.Now().Add(every)
	var late time.Duration
	queued := mainRunDelay()
	for i := 0; ; i++ {
		<-tick.C
		now := time.Now()
		late, next = max(late, now.Sub(next)), now.Add(every)
		peak = max(peak, runtime.NumGoroutine())
		if at := posted.Load(); at != 0 {
			raise(now.UnixNano() - at) // still waiting
		} else {
			posted.Store(now.UnixNano())
			fyne.Do(func() {
				raise(time.Now().UnixNano() - posted.Swap(0))
			})
		}
		if i%10 == 9 {
			q := mainRunDelay()
			line := fmt.Sprintf("%d %d %d %.1f %.1f %.1f\n", now.UnixMilli(), runtime.NumGoroutine(), peak,
				float64(worstWait.Swap(0))/1e6, float64(late)/1e6, float64(q-queued)/1e6)
			peak, late, queued = 0, 0, q
			if _, err := f.WriteString(line); err != nil {
				return err
			}
		}
	}
}

// mainRunDelay returns how long, in all, the process's main thread has
// waited for a core (ns), or 0 when the kernel does not say.
func mainRunDelay() int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/schedstat", os.Getpid()))
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(fields[1], 10, 64)
	return n
}
