package fluxtest

import (
	"net/http"
	"strconv"
	"time"
)

// misbehave acts out the faults that replace a reply. It returns true when
// the reply has been given (or the connection dropped).
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, f Fault) bool {
	s.mu.Lock()
	slow, retryAfter := s.slow, s.retryAfter
	s.mu.Unlock()
	switch f {
	case Unauthorized:
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "Unauthorized"})
	case Forbidden:
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "This feature requires the Agency plan"})
	case TooLarge:
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"error": "Payload too large"})
	case RateLimited:
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "Too many requests"})
	case ServerError:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "Internal server error"})
	case HTMLPage:
		writeBody(w, http.StatusOK, "text/html; charset=utf-8", []byte(errorPage), None, 0)
	case MalformedJSON:
		writeBody(w, http.StatusOK, "application/json", []byte(`{"results": [{"url": "ht`), None, 0)
	case RedirectAway:
		http.Redirect(w, r, s.dl.URL+"/elsewhere", http.StatusTemporaryRedirect)
	case Reset:
		reset(w)
	case Slow:
		wait(r, slow)
		return false
	default:
		return false
	}
	return true
}

// errorPage is what a proxy in front of a service shows when it fails.
const errorPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The server is temporarily unable to service your request.</p></body></html>
`

// writeBody sends a reply, acting out Truncated (half the announced body,
// then the connection closes) and Stall (a few bytes, a pause of d, the rest).
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte, f Fault, d time.Duration) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	switch f {
	case Truncated:
		w.Write(body[:len(body)/2]) // the cut is the point
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		reset(w)
	case Stall:
		n := min(len(body), 4)
		w.Write(body[:n]) // errors end the fault early; nothing to report
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		time.Sleep(d)
		w.Write(body[n:]) // the client may have given up by now
	default:
		w.Write(body) // a failed write is the client's to see
	}
}

// reset drops the connection without a proper reply.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close() // the reset is the point
}

// wait sleeps d or until the client goes away.
func wait(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Done():
	}
}
