package remote

import (
	"context"
	"errors"
	"io"
	"time"
)

// errStalled is the cause given when a transfer makes no progress.
var errStalled = errors.New("the connection stalled")

// watchdog cancels a request whose body stops moving for longer than d.
// It runs while the request body is sent and while the reply is read, and
// is paused while the server works between the two (that wait has its own
// limit, the transport's response-header timeout).
type watchdog struct {
	d time.Duration
	t *time.Timer
}

// watch returns a context that the watchdog cancels with errStalled, and a
// function that releases both.
func watch(ctx context.Context, d time.Duration) (context.Context, *watchdog, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{d: d}
	w.t = time.AfterFunc(d, func() { cancel(errStalled) })
	return ctx, w, func() { w.t.Stop(); cancel(nil) }
}

func (w *watchdog) kick()  { w.t.Reset(w.d) }
func (w *watchdog) pause() { w.t.Stop() }

// kickReader kicks the watchdog on every read; at the end of a request
// body it pauses it.
type kickReader struct {
	r          io.Reader
	w          *watchdog
	pauseAtEOF bool
}

func (k *kickReader) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	if err == io.EOF && k.pauseAtEOF {
		k.w.pause()
	} else {
		k.w.kick()
	}
	return n, err
}
