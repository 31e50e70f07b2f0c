package fluxtest

import (
	"encoding/json"
	"net/http"
)

// usage answers GET /api/usage with the documented fields.
func (s *Server) usage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.log.UsageCalls++
	s.log.UsageAuthorization = append(s.log.UsageAuthorization, r.Header.Get("Authorization"))
	fault := next(&s.usageFault)
	s.mu.Unlock()
	if s.misbehave(w, r, fault) {
		return
	}
	if !s.authorized(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "Unauthorized"})
		return
	}
	s.mu.Lock()
	body := map[string]any{
		"plan":                 s.plan,
		"compressor_used":      s.used,
		"compressor_limit":     s.limit,
		"ia_credits_used":      0,
		"ia_credits_monthly":   100,
		"ia_topup_credits":     0,
		"ia_credits_remaining": 100,
		"canCompress":          s.used < s.limit,
		"canUseIA":             s.plan != "free",
		"topups":               map[string]any{"small": 0, "medium": 0, "large": 0},
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // a failed write is the client's to see
}
