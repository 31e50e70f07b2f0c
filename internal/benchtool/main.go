// Command benchtool prepares and disturbs the watch benchmarks
// (scripts/window-bench.sh, scripts/watch-bench.sh):
//
//	benchtool images DIR N        writes N small photo-like PNGs, each different
//	benchtool hold RECORD SECONDS holds the record open for writing, as another
//	                              Fluxdesk process writing to it would
package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"fluxdesk/internal/testimage"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: benchtool images DIR N | benchtool hold RECORD SECONDS")
	}
	n, err := strconv.ParseFloat(args[2], 64)
	if err != nil {
		return err
	}
	switch args[0] {
	case "images":
		return images(args[1], int(n))
	case "hold":
		return hold(args[1], time.Duration(n*float64(time.Second)))
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// images writes n PNGs into dir; no two have the same size, so no two have
// the same content.
func images(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range n {
		var b bytes.Buffer
		if err := png.Encode(&b, testimage.Noisy(48+i%100, 32+i/100)); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("img%05d.png", i)), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// hold opens the record for writing (bbolt takes its exclusive file lock),
// says so on stdout, and keeps it for d.
func hold(path string, d time.Duration) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 10 * time.Second})
	if err != nil {
		return err
	}
	fmt.Printf("holding %s at %.3f\n", path, float64(time.Now().UnixNano())/1e9)
	time.Sleep(d)
	fmt.Printf("released at %.3f\n", float64(time.Now().UnixNano())/1e9)
	return db.Close()
}
