package remote_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fluxdesk/engine"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/remote/fluxtest"
)

func TestCompressor_Batches45FilesAs20_20_5(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
	rec := run(t, context.Background(), c, jobsFor(t, images(t, 45), webpOptions()))

	if fails := rec.failures(); len(fails) > 0 {
		t.Fatalf("failures: %v", fails)
	}
	got := filesPerRequest(f.srv)
	slices.Sort(got)
	if !slices.Equal(got, []int{5, 20, 20}) {
		t.Errorf("files per request = %v, want 20, 20 and 5", got)
	}
	seen := f.srv.Seen()
	if seen.UsageCalls != 1 {
		t.Errorf("usage asked %d times, want once", seen.UsageCalls)
	}
	for _, r := range seen.Compress {
		if r.Fields["format"] != "webp" || r.Fields["quality"] != "82" {
			t.Errorf("fields = %v", r.Fields)
		}
	}
	for id, res := range rec.results {
		if res.Format != "webp" || res.Width != 16+id-1 || res.Height != 12 {
			t.Errorf("job %d: %s %d×%d", id, res.Format, res.Width, res.Height)
		}
		if err := engine.Verify(res.Data, "webp", res.Width, res.Height); err != nil {
			t.Errorf("job %d: %v", id, err)
		}
	}
}

func TestCompressor_KeepsInFlightLimit(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	f.srv.SetLatency(50 * time.Millisecond)
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{InFlight: 2})
	run(t, context.Background(), c, jobsFor(t, images(t, 100), webpOptions()))
	if peak := f.srv.Seen().PeakInFlight; peak != 2 {
		t.Errorf("peak requests in flight = %d, want 2", peak)
	}
}

func TestCompressor_KeyNeverReachesDownloadHost(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	f.srv.Inject(fluxtest.None, fluxtest.RedirectAway)
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{InFlight: 1})
	paths := images(t, 21) // two requests: the second is redirected away
	rec := run(t, context.Background(), c, jobsFor(t, paths, webpOptions()))

	seen := f.srv.Seen()
	if len(seen.Downloads) != 20 {
		t.Errorf("%d downloads, want 20", len(seen.Downloads))
	}
	for _, d := range seen.Downloads {
		if d.Authorization != "" || strings.Contains(d.Path, keyA) {
			t.Errorf("the download host saw the key: %+v", d)
		}
	}
	for _, r := range seen.Compress {
		if r.Authorization != "Bearer "+keyA {
			t.Errorf("compress request carried %q", r.Authorization)
		}
	}
	if fails := rec.failures(); len(fails) != 1 || !strings.Contains(fails[21], "another host") {
		t.Errorf("failures = %v, want the redirected file refused", fails)
	}
	api, _ := url.Parse(f.srv.URL)
	dl, _ := url.Parse(f.srv.DownloadURL())
	if api.Host == dl.Host {
		t.Fatal("the fake serves results from the API host")
	}
}

func TestCompressor_Formats(t *testing.T) {
	for _, format := range engine.Formats {
		t.Run(string(format), func(t *testing.T) {
			f := newFixture(t, remote.ClientOptions{})
			c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
			o := webpOptions()
			o.Format, o.MaxWidth = format, 10
			rec := run(t, context.Background(), c, jobsFor(t, images(t, 3), o))
			for id, res := range rec.results {
				if res.Err != nil {
					t.Fatalf("job %d: %v", id, res.Err)
				}
				if err := engine.Verify(res.Data, format, res.Width, res.Height); err != nil {
					t.Errorf("job %d: %v", id, err)
				}
				if format != "avif" && res.Width != 10 {
					t.Errorf("job %d is %d wide, want 10 (maxWidth)", id, res.Width)
				}
			}
			fields := f.srv.Seen().Compress[0].Fields
			if fields["maxWidth"] != "10" || fields["maxHeight"] != "" {
				t.Errorf("fields = %v", fields)
			}
			if _, sent := fields["quality"]; sent == (format == "png") {
				t.Errorf("quality sent for %s: %v", format, fields)
			}
		})
	}
}

func TestCompressor_ReadsEveryResponseShape(t *testing.T) {
	shapes := map[string]fluxtest.Shape{
		"results": fluxtest.ShapeResults, "array": fluxtest.ShapeArray,
		"nested": fluxtest.ShapeNested, "unnamed": fluxtest.ShapeUnnamed,
		"reversed": fluxtest.ShapeReversed, "image body": fluxtest.ShapeImageBody,
	}
	for name, shape := range shapes {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, remote.ClientOptions{})
			f.srv.SetShape(shape)
			n := 5
			if shape == fluxtest.ShapeImageBody {
				n = 1
			}
			c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
			rec := run(t, context.Background(), c, jobsFor(t, images(t, n), webpOptions()))
			for id, res := range rec.results {
				if res.Err != nil {
					t.Fatalf("job %d: %v", id, res.Err)
				}
				if res.Width != 16+id-1 { // the result of another file
					t.Errorf("job %d got a %d-wide result", id, res.Width)
				}
			}
		})
	}
}

// TestCompressor_ErrorTable covers the rows of the API page's error table
// and the faults a client must survive.
func TestCompressor_ErrorTable(t *testing.T) {
	cases := []struct {
		name   string
		faults []fluxtest.Fault
		client remote.ClientOptions
		// want is the text every failed file's error holds ("" when all
		// succeed); failed is how many of the 3 files fail.
		want   string
		failed int
	}{
		{"403 fails with the server's message", []fluxtest.Fault{fluxtest.Forbidden}, remote.ClientOptions{}, "requires the Agency plan", 3},
		{"413 fails the files", []fluxtest.Fault{fluxtest.TooLarge}, remote.ClientOptions{}, "too large", 3},
		{"item error fails that file only", []fluxtest.Fault{fluxtest.ItemError}, remote.ClientOptions{}, "could not be processed", 1},
		{"malformed JSON is a protocol error", []fluxtest.Fault{fluxtest.MalformedJSON}, remote.ClientOptions{}, "not valid JSON", 3},
		{"HTML instead of results", []fluxtest.Fault{fluxtest.HTMLPage}, remote.ClientOptions{}, "HTML page instead of results", 3},
		{"download gives JSON", []fluxtest.Fault{fluxtest.DownloadJSON}, remote.ClientOptions{}, "not a WebP image: it looks like JSON text", 3},
		{"download gives HTML", []fluxtest.Fault{fluxtest.DownloadHTML}, remote.ClientOptions{}, "not a WebP image: it looks like an HTML page", 3},
		{"download redirected to plain http", []fluxtest.Fault{fluxtest.DownloadRedirect}, remote.ClientOptions{}, "only https", 3},
		{"500 then success", []fluxtest.Fault{fluxtest.ServerError}, remote.ClientOptions{}, "", 0},
		{"500 until retries run out", []fluxtest.Fault{fluxtest.ServerError, fluxtest.ServerError, fluxtest.ServerError, fluxtest.ServerError}, remote.ClientOptions{}, "server error (HTTP 500); gave up after 4 attempts", 3},
		{"429 then success", []fluxtest.Fault{fluxtest.RateLimited, fluxtest.RateLimited}, remote.ClientOptions{}, "", 0},
		{"connection reset then success", []fluxtest.Fault{fluxtest.Reset}, remote.ClientOptions{}, "", 0},
		{"resets until retries run out", []fluxtest.Fault{fluxtest.Reset, fluxtest.Reset, fluxtest.Reset, fluxtest.Reset}, remote.ClientOptions{}, "could not reach Fluximage", 3},
		{"truncated body then success", []fluxtest.Fault{fluxtest.Truncated}, remote.ClientOptions{}, "", 0},
		{"slow reply times out, then success", []fluxtest.Fault{fluxtest.Slow}, remote.ClientOptions{ReplyTimeout: 200 * time.Millisecond}, "", 0},
		{"stalled body times out, then success", []fluxtest.Fault{fluxtest.Stall}, remote.ClientOptions{StallTimeout: 200 * time.Millisecond}, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.client)
			f.srv.SetSlow(time.Second)
			f.srv.Inject(tc.faults...)
			c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
			rec := run(t, context.Background(), c, jobsFor(t, images(t, 3), webpOptions()))
			fails := rec.failures()
			if len(fails) != tc.failed {
				t.Fatalf("%d files failed, want %d: %v", len(fails), tc.failed, fails)
			}
			for id, msg := range fails {
				if !strings.Contains(msg, tc.want) {
					t.Errorf("job %d: %q does not say %q", id, msg, tc.want)
				}
				if strings.Contains(msg, keyA) {
					t.Errorf("job %d: the message holds the key", id)
				}
			}
			for id, res := range rec.results {
				if res.Err == nil && engine.Verify(res.Data, "webp", res.Width, res.Height) != nil {
					t.Errorf("job %d: an invalid result was accepted", id)
				}
			}
		})
	}
}

func TestCompressor_HonoursRetryAfter(t *testing.T) {
	cases := map[string]struct {
		header  string
		min     time.Duration
		max     time.Duration
		fails   bool
		attempt int
	}{
		"seconds":   {header: "3", min: 3 * time.Second, max: 3 * time.Second, attempt: 2},
		"HTTP date": {header: time.Now().Add(5 * time.Second).UTC().Format(http1123), min: 3 * time.Second, max: 5 * time.Second, attempt: 2},
		"too long":  {header: "7200", fails: true, attempt: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, remote.ClientOptions{})
			f.srv.SetRetryAfter(tc.header)
			f.srv.Inject(fluxtest.RateLimited)
			c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
			rec := run(t, context.Background(), c, jobsFor(t, images(t, 2), webpOptions()))
			if n := len(f.srv.Seen().Compress); n != tc.attempt {
				t.Errorf("%d requests, want %d", n, tc.attempt)
			}
			fails := rec.failures()
			if tc.fails {
				if len(fails) != 2 || !strings.Contains(fails[1], "asks to wait 2h0m0s") {
					t.Errorf("failures = %v", fails)
				}
				return
			}
			waits := f.sleeps.waits()
			if len(fails) != 0 || len(waits) != 1 || waits[0] < tc.min || waits[0] > tc.max {
				t.Errorf("waits = %v, want one in [%s, %s]; failures %v", waits, tc.min, tc.max, fails)
			}
		})
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

func TestCompressor_BacksOffExponentially(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{Retry: remote.Retry{Attempts: 4, Base: time.Second, Max: time.Minute}})
	f.srv.Inject(fluxtest.ServerError, fluxtest.ServerError, fluxtest.ServerError)
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
	run(t, context.Background(), c, jobsFor(t, images(t, 1), webpOptions()))
	waits := f.sleeps.waits()
	if len(waits) != 3 {
		t.Fatalf("waits = %v", waits)
	}
	for i, w := range waits {
		full := time.Second << i
		if w < full/2 || w > full {
			t.Errorf("wait %d = %s, want between %s and %s", i+1, w, full/2, full)
		}
	}
}

func TestCompressor_QuotaUsedUp(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	f.srv.SetQuota("free", 20, 20)
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
	rec := run(t, context.Background(), c, jobsFor(t, images(t, 25), webpOptions()))
	fails := rec.failures()
	if len(fails) != 25 {
		t.Fatalf("%d failed, want all 25", len(fails))
	}
	for id, msg := range fails {
		if msg != "monthly quota used up (plan free: 20/20)" {
			t.Errorf("job %d: %q", id, msg)
		}
		if !errors.Is(rec.results[id].Err, remote.ErrQuota) {
			t.Errorf("job %d: the error does not match ErrQuota", id)
		}
	}
	if seen := f.srv.Seen(); len(seen.Compress) != 0 || seen.UsageCalls != 1 {
		t.Errorf("%d uploads and %d usage calls, want none and one", len(seen.Compress), seen.UsageCalls)
	}
}

func TestCompressor_FallsBack(t *testing.T) {
	cases := map[string]func(f *fixture){
		"quota used up": func(f *fixture) { f.srv.SetQuota("starter", 200, 200) },
		"unreachable": func(f *fixture) {
			f.srv.InjectUsage(fluxtest.Reset, fluxtest.Reset, fluxtest.Reset, fluxtest.Reset)
		},
		"unreachable while uploading": func(f *fixture) {
			f.srv.Inject(fluxtest.ServerError, fluxtest.ServerError, fluxtest.ServerError, fluxtest.ServerError)
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, remote.ClientOptions{})
			setup(f)
			local := &fakeLocal{}
			c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{Fallback: local})
			rec := run(t, context.Background(), c, jobsFor(t, images(t, 7), webpOptions()))
			if fails := rec.failures(); len(fails) != 0 || local.took() != 7 {
				t.Errorf("fallback took %d of 7; failures %v", local.took(), fails)
			}
		})
	}
}

func TestCompressor_FileOver20MBNeverSent(t *testing.T) {
	paths := images(t, 2)
	big := filepath.Join(t.TempDir(), "huge.png")
	if err := os.WriteFile(big, make([]byte, remote.MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, big)
	for _, withFallback := range []bool{false, true} {
		f := newFixture(t, remote.ClientOptions{})
		local := &fakeLocal{}
		o := remote.Options{}
		if withFallback {
			o.Fallback = local
		}
		c := remote.NewCompressor(f.client, remote.StaticKey(keyA), o)
		rec := run(t, context.Background(), c, jobsFor(t, paths, webpOptions()))
		for _, r := range f.srv.Seen().Compress {
			if slices.Contains(r.Files, "huge.png") {
				t.Error("the file over 20 MB was sent")
			}
		}
		fails := rec.failures()
		switch {
		case withFallback && (len(fails) != 0 || local.took() != 1):
			t.Errorf("with fallback: failures %v, fallback took %d", fails, local.took())
		case !withFallback && (len(fails) != 1 || !strings.Contains(fails[3], "20 MB limit")):
			t.Errorf("without fallback: failures %v", fails)
		}
	}
}

// Animated images are never sent (the result would be a still): they are
// skipped as they are, while the other files of the batch go.
func TestCompressor_AnimatedImagesNeverSent(t *testing.T) {
	paths := images(t, 2)
	data, err := os.ReadFile(filepath.Join("..", "testdata", "animated.gif"))
	if err != nil {
		t.Fatal(err)
	}
	anim := filepath.Join(t.TempDir(), "animated.gif")
	if err := os.WriteFile(anim, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, remote.ClientOptions{})
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
	rec := run(t, context.Background(), c, jobsFor(t, append(paths, anim), webpOptions()))
	for _, r := range f.srv.Seen().Compress {
		if slices.Contains(r.Files, "animated.gif") {
			t.Error("the animated GIF was sent")
		}
	}
	if res := rec.results[3]; res.Skip != engine.KeptAnimated || res.Data != nil {
		t.Errorf("animated GIF: %+v, want skipped as animated", res)
	}
	if fails := rec.failures(); len(fails) != 0 || rec.finishedCount() != 3 {
		t.Errorf("failures %v, %d finished", fails, rec.finishedCount())
	}
}

func TestCompressor_RefusesSettingsBeforeSending(t *testing.T) {
	cases := map[string]func(o *engine.Options){
		"quality below 40": func(o *engine.Options) { o.Quality = 39 },
		"unknown format":   func(o *engine.Options) { o.Format = "gif" },
		"lossless webp":    func(o *engine.Options) { o.Lossless = true },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, remote.ClientOptions{})
			o := webpOptions()
			change(&o)
			c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
			rec := run(t, context.Background(), c, jobsFor(t, images(t, 2), o))
			if len(rec.failures()) != 2 || len(f.srv.Seen().Compress) != 0 {
				t.Errorf("failures %v after %d requests", rec.failures(), len(f.srv.Seen().Compress))
			}
		})
	}
}

func TestCompressor_RejectedKeyFailsWhenItCannotBeReplaced(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	f.srv.SetKeys(keyB) // keyA was rolled
	rejected := 0
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{
		HoldOnRejectedKey: true, // but a static key never changes
		KeyHint:           "Store the new key with: fluxdesk key set",
		OnKeyRejected:     func() { rejected++ },
	})
	rec := run(t, context.Background(), c, jobsFor(t, images(t, 30), webpOptions()))
	for id, res := range rec.results {
		if !errors.Is(res.Err, remote.ErrKeyRejected) || !strings.Contains(res.Err.Error(), "was it rolled? Store the new key") {
			t.Errorf("job %d: %v", id, res.Err)
		}
	}
	if seen := f.srv.Seen(); len(seen.Compress) != 0 || seen.UsageCalls != 1 || rejected != 1 {
		t.Errorf("%d uploads, %d usage calls, %d rejections; want 0, 1, 1", len(seen.Compress), seen.UsageCalls, rejected)
	}
}

func TestCompressor_HoldsOnRejectedKeyThenResumes(t *testing.T) {
	for _, where := range []string{"usage", "upload"} {
		t.Run(where, func(t *testing.T) {
			f := newFixture(t, remote.ClientOptions{})
			if where == "usage" {
				f.srv.SetKeys(keyB) // keyA was rolled before the run
			} else {
				f.srv.Inject(fluxtest.Unauthorized) // rolled during the run
			}
			keys := newKeyBox(keyA)
			c := remote.NewCompressor(f.client, keys, remote.Options{HoldOnRejectedKey: true, KeyHint: "Store the new key."})
			jobs := jobsFor(t, images(t, 4), webpOptions())
			rec := newRecorder(t)
			done := make(chan struct{})
			go func() { defer close(done); feed(context.Background(), c, jobs, rec) }()

			for range jobs {
				select {
				case id := <-rec.heldCh:
					if reason := rec.heldReason(id); !strings.Contains(reason, "was it rolled? Store the new key.") {
						t.Errorf("job %d held for %q", id, reason)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("the jobs were not held")
				}
			}
			if n := rec.finishedCount(); n != 0 {
				t.Fatalf("%d jobs finished while held", n)
			}
			f.srv.SetKeys(keyB)
			keys.set(keyB)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the held jobs did not resume after the new key")
			}
			if fails := rec.failures(); len(fails) != 0 || rec.finishedCount() != 4 {
				t.Errorf("after the new key: %d finished, failures %v", rec.finishedCount(), fails)
			}
			for _, r := range f.srv.Seen().Compress {
				if r.Status == 200 && r.Authorization != "Bearer "+keyB {
					t.Errorf("a batch succeeded with the rolled key")
				}
			}
		})
	}
}

// A run cancelled while its requests are in flight reports every job it
// took as not done, and leaves the jobs it did not take in the channel for
// the pipeline: none is lost and none is reported twice.
func TestCompressor_CancelledRunFinishesEveryJob(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	f.srv.SetLatency(2 * time.Second)
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
	jobs := jobsFor(t, images(t, 30), webpOptions())
	ch := make(chan engine.Job, len(jobs))
	for _, j := range jobs {
		ch <- j
	}
	close(ch)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := newRecorder(t)
	done := make(chan struct{})
	go func() { defer close(done); c.Compress(ctx, ch, rec) }()
	deadline := time.After(10 * time.Second)
	for f.srv.Seen().PeakInFlight == 0 {
		select {
		case <-deadline:
			t.Fatal("no request reached the server")
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Compress did not return after cancellation")
	}

	left := len(ch)
	if n := rec.finishedCount(); n+left != len(jobs) {
		t.Errorf("%d jobs reported and %d left over, want %d in all", n, left, len(jobs))
	}
	if fails, n := rec.failures(), rec.finishedCount(); len(fails) != n || n == 0 {
		t.Errorf("%d of %d reported jobs failed; want every reported job not done, and at least one", len(fails), n)
	}
}

func TestCompressor_100FilesTake5Requests(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	c := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
	run(t, context.Background(), c, jobsFor(t, images(t, 100), webpOptions()))
	if got := filesPerRequest(f.srv); len(got) != 5 {
		t.Errorf("files per request = %v, want 5 requests of 20", got)
	}
}
