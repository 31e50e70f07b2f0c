package remote

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry is the policy for requests that failed in a way that may pass:
// network errors, timeouts, 429 and 5xx replies.
type Retry struct {
	// Attempts is the total number of tries, the first included (default 4).
	Attempts int
	// Base is the wait before the first retry; it doubles each time, up to
	// Max, and each wait is jittered (defaults 500 ms and 8 s).
	Base, Max time.Duration
	// MaxRetryAfter caps the wait a server may ask for with Retry-After;
	// asked for more, the client gives up at once (default 60 s).
	MaxRetryAfter time.Duration
	// Sleep waits d or until ctx is done; tests replace it (default: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 4
	}
	if r.Base <= 0 {
		r.Base = 500 * time.Millisecond
	}
	if r.Max <= 0 {
		r.Max = 8 * time.Second
	}
	if r.MaxRetryAfter <= 0 {
		r.MaxRetryAfter = 60 * time.Second
	}
	if r.Sleep == nil {
		r.Sleep = sleep
	}
	return r
}

// do runs try until it succeeds, fails for good, or the attempts run out.
func (r Retry) do(ctx context.Context, try func() error) error {
	for attempt := 1; ; attempt++ {
		err := try()
		if err == nil || !worthRetrying(err) || ctx.Err() != nil {
			return err
		}
		var se *StatusError
		wait := r.backoff(attempt)
		if errors.As(err, &se) && se.RetryAfter > 0 {
			if se.RetryAfter > r.MaxRetryAfter {
				return &gaveUp{err, fmt.Sprintf("it asks to wait %s before trying again", se.RetryAfter.Round(time.Second))}
			}
			wait = se.RetryAfter
		}
		if attempt >= r.Attempts {
			return &gaveUp{err, fmt.Sprintf("gave up after %d attempts", attempt)}
		}
		if err := r.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// backoff is the jittered wait after the given failed attempt: a random
// duration between half and all of Base·2^(attempt-1), capped at Max.
func (r Retry) backoff(attempt int) time.Duration {
	d := r.Base << (attempt - 1)
	if d > r.Max || d <= 0 {
		d = r.Max
	}
	return d/2 + rand.N(d/2+1)
}

func worthRetrying(err error) bool {
	var se *StatusError
	var ne *networkError
	return errors.As(err, &ne) || errors.As(err, &se) && se.retryable()
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil {
		if s < 0 {
			return 0
		}
		s = min(s, 365*24*3600) // a larger value would overflow a Duration
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
