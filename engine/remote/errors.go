package remote

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Errors a caller can test for with errors.Is.
var (
	// ErrKeyRejected: the service answered 401; the key is wrong or was rolled.
	//lint:ignore ST1005 Fluximage is a name
	ErrKeyRejected = errors.New("Fluximage rejected the API key — was it rolled?")
	// ErrNoKey: no API key is available.
	ErrNoKey = errors.New("no Fluximage API key is stored")
	// ErrUnreachable: the service could not be used even after retrying
	// (network errors, timeouts, 429 or 5xx replies).
	//lint:ignore ST1005 Fluximage is a name
	ErrUnreachable = errors.New("Fluximage cannot be reached")
	// ErrQuota: the plan's monthly compressions are used up.
	ErrQuota = errors.New("monthly quota used up")
	// ErrProtocol: the service answered something this client cannot read.
	ErrProtocol = errors.New("unexpected reply from Fluximage")
)

// StatusError is a reply from the service with an HTTP status other than
// success. Message is the server's own explanation, when it gave one.
type StatusError struct {
	Code    int
	Message string
	// RetryAfter is the wait the server asked for (429, 503), or zero.
	RetryAfter time.Duration
}

// Error describes the reply in words a person understands.
func (e *StatusError) Error() string {
	var s string
	switch {
	case e.Code == http.StatusUnauthorized:
		return ErrKeyRejected.Error()
	case e.Code == http.StatusForbidden:
		s = "Fluximage refused: not available on this plan"
	case e.Code == http.StatusRequestEntityTooLarge:
		s = "Fluximage refused the upload as too large"
	case e.Code == http.StatusTooManyRequests:
		s = "Fluximage is rate limiting requests"
	case e.Code >= 500:
		s = "Fluximage had a server error"
	case e.Code >= 300 && e.Code < 400:
		s = "Fluximage answered with a redirect that was not followed"
	default:
		s = "Fluximage refused the request"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return fmt.Sprintf("%s (HTTP %d)", s, e.Code)
}

// Is makes a 401 reply match ErrKeyRejected.
func (e *StatusError) Is(target error) bool {
	return target == ErrKeyRejected && e.Code == http.StatusUnauthorized
}

// retryable reports whether trying the same request again may succeed.
func (e *StatusError) retryable() bool {
	return e.Code == http.StatusTooManyRequests || e.Code >= 500
}

// gaveUp is the error left when retries ran out or the server asked for a
// longer wait than the client accepts. It matches ErrUnreachable.
type gaveUp struct {
	last error
	note string
}

func (g *gaveUp) Error() string { return g.last.Error() + "; " + g.note }

func (g *gaveUp) Unwrap() []error { return []error{g.last, ErrUnreachable} }

// networkError is a failure below HTTP: connect, reset, timeout, stall or a
// body cut short. It is worth retrying.
type networkError struct{ err error }

func (n *networkError) Error() string { return "could not reach Fluximage: " + n.err.Error() }

func (n *networkError) Unwrap() error { return n.err }

// protocolError is a reply this client cannot read; retrying would upload
// (and be charged for) the batch again, so it is final.
func protocolError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrProtocol, fmt.Sprintf(format, args...))
}
