package remote

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"fluxdesk/engine"
)

// Compress uploads files (at most MaxFiles, each at most MaxFileSize) in one
// request and returns one Outcome per file, in the files' order. An error
// concerns the whole batch: it matches ErrKeyRejected on a 401, is a
// *StatusError for other refusals, matches ErrUnreachable when retries ran
// out and ErrProtocol when the reply could not be read.
func (c *Client) Compress(ctx context.Context, key string, p Params, files []Upload) ([]Outcome, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(files) == 0 || len(files) > MaxFiles {
		return nil, fmt.Errorf("a request carries 1 to %d files, not %d", MaxFiles, len(files))
	}
	for _, f := range files {
		if f.Size > MaxFileSize {
			return nil, fmt.Errorf("%s is larger than Fluximage's 20 MB limit", f.Name)
		}
	}
	var r *reply
	err := c.retry.do(ctx, func() error {
		var err error
		r, err = c.exchange(ctx, c.api, func(ctx context.Context) (*http.Request, error) {
			return c.compressRequest(ctx, key, p, files)
		}, maxResultSize)
		if err != nil {
			return err
		}
		return statusError(r, key)
	})
	if err != nil {
		return nil, err
	}
	return parseResults(r, files, c.base)
}

func (c *Client) compressRequest(ctx context.Context, key string, p Params, files []Upload) (*http.Request, error) {
	body, contentType, length, err := multipartBody(p, files)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+"/api/compress", body)
	if err != nil {
		return nil, err
	}
	req.ContentLength = length
	req.GetBody = func() (io.ReadCloser, error) { // for same-origin 307/308 redirects
		body, _, _, err := multipartBody(p, files)
		return io.NopCloser(body), err
	}
	req.Header.Set("Content-Type", contentType)
	authorize(req, key)
	return req, nil
}

// Download fetches a result without the API key, retrying failures that
// may pass, and checks that it is a non-empty image in format. It returns
// the image and its size (zero when the format's size is not read, avif).
func (c *Client) Download(ctx context.Context, rawURL string, format engine.Format) (data []byte, width, height int, err error) {
	var r *reply
	err = c.retry.do(ctx, func() error {
		var err error
		r, err = c.exchange(ctx, c.dl, func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		}, maxResultSize)
		if err != nil {
			return err
		}
		return statusError(r, "")
	})
	if err != nil {
		return nil, 0, 0, fmt.Errorf("downloading the result: %w", err)
	}
	width, height, err = Verify(r.body, format)
	return r.body, width, height, err
}
