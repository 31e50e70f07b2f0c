// Command benchrun compresses image files with the local engine and prints
// how long it took, for scripts/bench.sh.
//
//	benchrun [-workers N] [-rounds R] [-quality Q|auto] [-target S] [-out DIR] FILE...
//
// It queues the files R times over, writes the outputs of the last round to
// DIR (when given) as NAME.webp, and prints one line of key=value pairs:
// photos, seconds, photos_per_s, bytes (one round), failed and max_rss_kb.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/local"
)

// sink collects results; its methods are called from the workers.
type sink struct {
	mu     sync.Mutex
	out    string
	last   int // job IDs above this belong to the last round
	bytes  int64
	failed int
	err    error
}

// Started does nothing: only results are counted.
func (s *sink) Started(engine.Job) {}

// Held does nothing: the local engine never holds a job.
func (s *sink) Held(engine.Job, string) {}

// Finished counts a result and writes the outputs of the last round.
func (s *sink) Finished(job engine.Job, res engine.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if res.Err != nil {
		s.failed++
		fmt.Fprintf(os.Stderr, "%s: %v\n", job.Path, res.Err)
		return
	}
	if job.ID <= s.last {
		return
	}
	s.bytes += int64(len(res.Data))
	if s.out != "" {
		name := strings.TrimSuffix(filepath.Base(job.Path), filepath.Ext(job.Path)) + ".webp"
		if err := os.WriteFile(filepath.Join(s.out, name), res.Data, 0o644); err != nil && s.err == nil {
			s.err = err
		}
	}
}

func main() {
	workers := flag.Int("workers", 0, "worker goroutines (0: one per core)")
	rounds := flag.Int("rounds", 1, "times each file is compressed")
	quality := flag.String("quality", strconv.Itoa(engine.DefaultQuality), "WebP quality, or auto")
	target := flag.Float64("target", 0, "score auto quality aims at (0: the default)")
	out := flag.String("out", "", "folder for the outputs of the last round")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 || *rounds < 1 {
		flag.Usage()
		os.Exit(2)
	}
	opts := engine.DefaultOptions()
	opts.Target = *target
	if *quality == "auto" {
		opts.AutoQuality = true
	} else if q, err := strconv.Atoi(*quality); err == nil {
		opts.Quality = q
	} else {
		flag.Usage()
		os.Exit(2)
	}
	s := &sink{out: *out, last: (*rounds - 1) * len(files)}
	jobs := make(chan engine.Job)
	go func() {
		defer close(jobs)
		id := 0
		for range *rounds {
			for _, f := range files {
				id++
				jobs <- engine.Job{ID: id, Path: f, Options: opts}
			}
		}
	}()
	start := time.Now()
	local.New(*workers).Compress(context.Background(), jobs, s)
	secs := time.Since(start).Seconds()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n := *rounds * len(files)
	fmt.Printf("photos=%d seconds=%.3f photos_per_s=%.3f bytes=%d failed=%d max_rss_kb=%d\n",
		n, secs, float64(n)/secs, s.bytes, s.failed, ru.Maxrss)
	if s.err != nil || s.failed > 0 {
		if s.err != nil {
			fmt.Fprintln(os.Stderr, s.err)
		}
		os.Exit(1)
	}
}
