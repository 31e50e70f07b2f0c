// Package fluxtest is a stand-in for the Fluximage service, for tests. It
// checks Bearer keys, enforces the documented limits, really compresses
// what it is sent, serves the results from a second host at signed URLs,
// answers /api/usage, injects faults on request and records what it saw.
package fluxtest

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Server is a fake Fluximage service. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API's base URL, to give to remote.NewClient.
	URL string

	api, dl *httptest.Server
	secret  []byte

	mu         sync.Mutex
	keys       map[string]bool
	plan       string
	used       int64
	limit      int64
	latency    time.Duration
	slow       time.Duration
	retryAfter string
	shape      Shape
	faults     []Fault
	usageFault []Fault
	results    map[string]stored
	log        Log
	inFlight   int
}

// New starts a server that accepts the given keys. The plan is "agency"
// with 50,000 compressions a month, none used.
func New(keys ...string) *Server {
	s := &Server{
		secret:     []byte(rand.Text()),
		plan:       "agency",
		limit:      50_000,
		retryAfter: "1",
		slow:       2 * time.Second,
		results:    map[string]stored{},
	}
	s.SetKeys(keys...)
	api := http.NewServeMux()
	api.HandleFunc("POST /api/compress", s.compress)
	api.HandleFunc("GET /api/usage", s.usage)
	s.api = httptest.NewServer(api)
	s.dl = httptest.NewServer(http.HandlerFunc(s.download))
	s.URL = s.api.URL
	return s
}

// Close shuts both hosts down.
func (s *Server) Close() {
	s.api.Close()
	s.dl.Close()
}

// DownloadURL is the base URL of the host that serves results: another
// host than the API, as with the real service's signed URLs.
func (s *Server) DownloadURL() string { return s.dl.URL }

// SetKeys replaces the accepted keys; rolling a key is SetKeys(newKey).
func (s *Server) SetKeys(keys ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = map[string]bool{}
	for _, k := range keys {
		s.keys[k] = true
	}
}

// SetQuota sets the plan and its counts; canCompress is used < limit.
func (s *Server) SetQuota(plan string, used, limit int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan, s.used, s.limit = plan, used, limit
}

// SetLatency delays every compress reply by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetSlow sets how long the Slow and Stall faults wait (default 2 s).
func (s *Server) SetSlow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow = d
}

// SetRetryAfter sets the Retry-After header of RateLimited replies:
// seconds or an HTTP date (default "1"); "" sends none.
func (s *Server) SetRetryAfter(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryAfter = v
}

// SetShape chooses the JSON shape of compress replies.
func (s *Server) SetShape(sh Shape) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shape = sh
}

// Inject queues faults for the next compress requests, one per request,
// in order.
func (s *Server) Inject(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// InjectUsage queues faults for the next usage requests.
func (s *Server) InjectUsage(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.usageFault = append(s.usageFault, f...)
}

// next pops the first fault of q.
func next(q *[]Fault) Fault {
	if len(*q) == 0 {
		return None
	}
	f := (*q)[0]
	*q = (*q)[1:]
	return f
}

// authorized checks the Bearer key of r.
func (s *Server) authorized(r *http.Request) bool {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[h[len(prefix):]]
}
