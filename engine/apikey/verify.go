package apikey

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ErrRefused means the service answered 401 to the key: it is wrong, or it
// has been rolled.
var ErrRefused = errors.New("the Fluximage service refused the key (401 Unauthorized): it is wrong or it has been rolled")

// ErrUnverified is matched (errors.Is) by errors that mean the key could not
// be checked (no answer, or an answer other than 200 or 401); the key may
// still be good.
var ErrUnverified = errors.New("could not verify the key with the Fluximage service")

// verifyTimeout bounds one check when the caller's context has no deadline.
const verifyTimeout = 20 * time.Second

// Verifier checks keys against a Fluximage server with GET /api/usage, the
// cheapest authenticated call.
type Verifier struct {
	baseURL string
	client  *http.Client
}

// NewVerifier returns a Verifier for the server at baseURL (see
// CheckBaseURL).
func NewVerifier(baseURL string) (*Verifier, error) {
	u, err := CheckBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	client := &http.Client{
		Timeout: verifyTimeout,
		// Follow no redirect: the key goes to the configured server only.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Verifier{baseURL: u, client: client}, nil
}

// BaseURL returns the server the Verifier asks.
func (v *Verifier) BaseURL() string { return v.baseURL }

// Verify asks the service about key: nil when it answers 200, ErrRefused
// when it answers 401, an ErrUnverified error otherwise. A malformed key is
// an ErrFormat error and is not sent.
func (v *Verifier) Verify(ctx context.Context, key string) error {
	key, err := Parse(key)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.baseURL+"/api/usage", nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnverified, err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept", "application/json")
	resp, err := v.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnverified, err)
	}
	defer resp.Body.Close()
	// Drain a little so the connection can be reused; the body is not needed.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusUnauthorized:
		return ErrRefused
	case http.StatusForbidden:
		return fmt.Errorf("%w: %s answered %s (API access needs the Agency plan)", ErrUnverified, v.baseURL, resp.Status)
	}
	return fmt.Errorf("%w: %s answered %s", ErrUnverified, v.baseURL, resp.Status)
}
