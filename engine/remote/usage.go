package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Usage is the reply of GET /api/usage. Counts the server leaves out or
// sends as null are zero.
type Usage struct {
	// Plan is "free", "starter", "pro" or "agency".
	Plan string
	// CompressorUsed and CompressorLimit count this month's compressions.
	CompressorUsed, CompressorLimit int64
	// IA* count the credits for the service's AI features.
	IACreditsUsed, IACreditsMonthly, IATopupCredits, IACreditsRemaining int64
	// CanCompress is the authoritative answer to "may I compress now".
	CanCompress bool
	// CanUseIA tells whether the AI features may be used.
	CanUseIA bool
	// Topups holds the "topups" object (small, medium, large) as sent.
	Topups map[string]json.RawMessage
}

// QuotaError says that the plan's compressions are used up. It matches
// ErrQuota.
type QuotaError struct{ Usage Usage }

// Error gives the plan and the counts, e.g. "monthly quota used up (plan
// free: 20/20)".
func (e *QuotaError) Error() string {
	u := e.Usage
	if u.CompressorLimit > 0 {
		return fmt.Sprintf("%s (plan %s: %d/%d)", ErrQuota, u.Plan, u.CompressorUsed, u.CompressorLimit)
	}
	return fmt.Sprintf("%s (plan %s: %d used)", ErrQuota, u.Plan, u.CompressorUsed)
}

// Unwrap makes the error match ErrQuota.
func (e *QuotaError) Unwrap() error { return ErrQuota }

// Usage asks the service for the plan and this month's counts. It is also
// the cheapest check of a key: a 401 comes back as an error matching
// ErrKeyRejected.
func (c *Client) Usage(ctx context.Context, key string) (Usage, error) {
	var r *reply
	err := c.retry.do(ctx, func() error {
		var err error
		r, err = c.exchange(ctx, c.api, func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/api/usage", nil)
			if err == nil {
				authorize(req, key)
			}
			return req, err
		}, maxReplySize)
		if err != nil {
			return err
		}
		return statusError(r, key)
	})
	if err != nil {
		return Usage{}, err
	}
	return parseUsage(r.body)
}

func authorize(req *http.Request, key string) {
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept", "application/json")
}

// parseUsage reads the usage fields, spelled as the service spells them.
func parseUsage(body []byte) (Usage, error) {
	var v struct {
		Plan               string                     `json:"plan"`
		CompressorUsed     *json.Number               `json:"compressor_used"`
		CompressorLimit    *json.Number               `json:"compressor_limit"`
		IACreditsUsed      *json.Number               `json:"ia_credits_used"`
		IACreditsMonthly   *json.Number               `json:"ia_credits_monthly"`
		IATopupCredits     *json.Number               `json:"ia_topup_credits"`
		IACreditsRemaining *json.Number               `json:"ia_credits_remaining"`
		CanCompress        *bool                      `json:"canCompress"`
		CanUseIA           bool                       `json:"canUseIA"`
		Topups             map[string]json.RawMessage `json:"topups"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return Usage{}, protocolError("the usage reply is not JSON")
	}
	if v.CanCompress == nil {
		return Usage{}, protocolError("the usage reply has no canCompress")
	}
	return Usage{
		Plan:               v.Plan,
		CompressorUsed:     count(v.CompressorUsed),
		CompressorLimit:    count(v.CompressorLimit),
		IACreditsUsed:      count(v.IACreditsUsed),
		IACreditsMonthly:   count(v.IACreditsMonthly),
		IATopupCredits:     count(v.IATopupCredits),
		IACreditsRemaining: count(v.IACreditsRemaining),
		CanCompress:        *v.CanCompress,
		CanUseIA:           v.CanUseIA,
		Topups:             v.Topups,
	}, nil
}

// count reads a JSON number that may be absent, null or fractional.
func count(n *json.Number) int64 {
	if n == nil {
		return 0
	}
	if i, err := n.Int64(); err == nil {
		return i
	}
	if f, err := n.Float64(); err == nil {
		return int64(f)
	}
	return 0
}
