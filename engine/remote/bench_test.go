package remote_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/remote/fluxtest"
)

// benchLatency is the fake server's delay per compress request.
const benchLatency = 150 * time.Millisecond

// BenchmarkRemote_100Files compresses 100 files against a server that takes
// 150 ms per compress request, batched by the Compressor and then one
// request per file sent one after another, in the same run. It asserts the
// number of requests and reports both times and their ratio:
//
//	go test -run '^$' -bench Remote_100Files -benchtime 1x ./engine/remote
func BenchmarkRemote_100Files(b *testing.B) {
	paths := images(b, 100)
	jobs := jobsFor(b, paths, webpOptions())
	for b.Loop() {
		batched, requests := timeBatched(b, jobs)
		if requests != 5 {
			b.Fatalf("batched: %d compress requests, want 5", requests)
		}
		sequential, requests := timeOneByOne(b, paths)
		if requests != 100 {
			b.Fatalf("one by one: %d compress requests, want 100", requests)
		}
		b.ReportMetric(batched.Seconds(), "batched-s")
		b.ReportMetric(sequential.Seconds(), "one-by-one-s")
		b.ReportMetric(sequential.Seconds()/batched.Seconds(), "speedup")
		b.Logf("100 files: batched %d requests in %s; one request per file in %s; %.1f× faster",
			5, batched.Round(time.Millisecond), sequential.Round(time.Millisecond), sequential.Seconds()/batched.Seconds())
	}
}

// timeBatched runs the jobs through a Compressor and returns the time and
// the number of compress requests.
func timeBatched(b *testing.B, jobs []engine.Job) (time.Duration, int) {
	srv := newBenchServer(b)
	c, err := remote.NewClient(srv.URL, remote.ClientOptions{})
	if err != nil {
		b.Fatal(err)
	}
	comp := remote.NewCompressor(c, remote.StaticKey(keyA), remote.Options{})
	start := time.Now()
	rec := run(b, context.Background(), comp, jobs)
	took := time.Since(start)
	if fails := rec.failures(); len(fails) > 0 {
		b.Fatalf("failures: %v", fails)
	}
	return took, len(srv.Seen().Compress)
}

// timeOneByOne sends each file in a request of its own, downloads its
// result, then goes on to the next.
func timeOneByOne(b *testing.B, paths []string) (time.Duration, int) {
	srv := newBenchServer(b)
	c, err := remote.NewClient(srv.URL, remote.ClientOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	params := remote.Params{Format: "webp", Quality: 82}
	start := time.Now()
	if _, err := c.Usage(ctx, keyA); err != nil {
		b.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		up := remote.Upload{Name: filepath.Base(p), Body: bytes.NewReader(data), Size: int64(len(data))}
		outs, err := c.Compress(ctx, keyA, params, []remote.Upload{up})
		if err != nil || outs[0].Err != nil {
			b.Fatalf("%v %v", err, outs)
		}
		if _, _, _, err := c.Download(ctx, outs[0].URL, "webp"); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start), len(srv.Seen().Compress)
}

func newBenchServer(b *testing.B) *fluxtest.Server {
	srv := fluxtest.New(keyA)
	b.Cleanup(srv.Close)
	srv.SetLatency(benchLatency)
	return srv
}
