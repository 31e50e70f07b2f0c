//go:build watchbench

package main

// The window benchmark's probe (scripts/window-bench.sh), built only with
// the watchbench tag. With FLUXDESK_PROBE naming a file, the window, once
// sent SIGUSR1, posts a function through fyne.Do every 10 ms and appends a
// line to that file every 100 ms: the time (Unix ms), the goroutine count,
// the most goroutines seen and the longest wait from a post to its run on
// the UI goroutine (ms) since the previous line.

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
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
		if err := probe(path); err != nil {
			fmt.Fprintln(os.Stderr, "probe:", err)
		}
	}()
}

func probe(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var worstWait atomic.Int64 // ns, since the last line
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	peak := 0
	for i := 0; ; i++ {
		<-tick.C
		peak = max(peak, runtime.NumGoroutine())
		posted := time.Now()
		fyne.Do(func() {
			wait := int64(time.Since(posted))
			for {
				old := worstWait.Load()
				if wait <= old || worstWait.CompareAndSwap(old, wait) {
					break
				}
			}
		})
		if i%10 == 9 {
			line := fmt.Sprintf("%d %d %d %.1f\n", time.Now().UnixMilli(), runtime.NumGoroutine(), peak,
				float64(worstWait.Swap(0))/1e6)
			peak = 0
			if _, err := f.WriteString(line); err != nil {
				return err
			}
		}
	}
}
