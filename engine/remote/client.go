package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Limits on what the client sends and reads.
const (
	// MaxFiles is the most files one compress request may carry.
	MaxFiles = 20
	// MaxFileSize is the largest file the service accepts.
	MaxFileSize = 20 << 20
	// maxReplySize caps a JSON reply (usage, compress). A list of twenty
	// results is a few kilobytes.
	maxReplySize = 4 << 20
	// maxResultSize caps one downloaded image: a 20 MB input recompressed
	// to lossless PNG may grow, but not this much.
	maxResultSize = 100 << 20
)

// ClientOptions tune a Client; zero values select the defaults.
type ClientOptions struct {
	// ConnectTimeout bounds connecting, TLS included (default 15 s).
	ConnectTimeout time.Duration
	// ReplyTimeout bounds the wait for a reply once a request is sent: the
	// service processes a whole batch before it answers (default 3 min).
	ReplyTimeout time.Duration
	// StallTimeout ends a transfer that makes no progress (default 30 s).
	StallTimeout time.Duration
	// Retry is the policy for failures that may pass.
	Retry Retry
}

// Client talks to one Fluximage server. It is safe for concurrent use.
type Client struct {
	base  *url.URL
	api   *http.Client // carries the key; redirects only within base's origin
	dl    *http.Client // never carries the key
	stall time.Duration
	retry Retry
}

// NewClient returns a client for the server at baseURL (https://fluximage.app
// for the service itself), which must be https or loopback http.
func NewClient(baseURL string, o ClientOptions) (*Client, error) {
	base, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("the Fluximage address %q is not a URL", baseURL)
	}
	if err := checkURL(base); err != nil {
		return nil, err
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 15 * time.Second
	}
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = 3 * time.Minute
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = 30 * time.Second
	}
	c := &Client{base: base, stall: o.StallTimeout, retry: o.Retry.withDefaults()}
	c.api = &http.Client{Transport: newTransport(o), CheckRedirect: c.apiRedirect}
	c.dl = &http.Client{Transport: newTransport(o), CheckRedirect: downloadRedirect}
	return c, nil
}

func newTransport(o ClientOptions) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.ReplyTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   8,
		ForceAttemptHTTP2:     true,
	}
}

// apiRedirect follows a redirect only within the base URL's origin, so the
// key never travels to another host.
func (c *Client) apiRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	if !sameOrigin(req.URL, c.base) {
		return &redirectError{fmt.Sprintf("Fluximage redirected to another host (%s); not following with the API key", req.URL.Host)}
	}
	return nil
}

// downloadRedirect follows redirects to https (or loopback http) URLs.
func downloadRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	req.Header.Del("Authorization")
	if err := checkURL(req.URL); err != nil {
		return &redirectError{"the download was redirected: " + err.Error()}
	}
	return nil
}

// redirectError is a redirect the client refused to follow; it is final.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// reply is a whole HTTP reply, read into memory.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// exchange sends the request made by newReq and reads the reply, at most
// limit bytes of it. Failures below HTTP come back as *networkError.
func (c *Client) exchange(ctx context.Context, hc *http.Client, newReq func(ctx context.Context) (*http.Request, error), limit int64) (*reply, error) {
	wctx, dog, release := watch(ctx, c.stall)
	defer release()
	req, err := newReq(wctx)
	if err != nil {
		return nil, err
	}
	if req.Body != nil {
		req.Body = io.NopCloser(&kickReader{r: req.Body, w: dog, pauseAtEOF: true})
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, c.transferError(ctx, wctx, err)
	}
	defer resp.Body.Close()
	dog.kick()
	body, err := io.ReadAll(io.LimitReader(&kickReader{r: resp.Body, w: dog}, limit+1))
	if err != nil {
		return nil, c.transferError(ctx, wctx, err)
	}
	if int64(len(body)) > limit {
		return nil, protocolError("the reply is larger than %d MB", limit>>20)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// transferError classifies a failed transfer: the caller's cancellation is
// returned as is, a redirect refusal is final, everything else may pass.
func (c *Client) transferError(ctx, wctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if context.Cause(wctx) == errStalled {
		return &networkError{fmt.Errorf("no data moved for %s", c.stall)}
	}
	var re *redirectError
	if errors.As(err, &re) {
		return re
	}
	return &networkError{err}
}

// statusError turns a reply that is not a success into a *StatusError.
func statusError(r *reply, key string) error {
	if r.status >= 200 && r.status < 300 {
		return nil
	}
	return &StatusError{
		Code:       r.status,
		Message:    serverMessage(r, key),
		RetryAfter: parseRetryAfter(r.header.Get("Retry-After"), time.Now()),
	}
}
