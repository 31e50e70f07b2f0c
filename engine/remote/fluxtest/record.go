package fluxtest

// Request is one compress request as the server saw it.
type Request struct {
	// Authorization is the header as sent.
	Authorization string
	// Files are the uploaded file names, in order, and Sizes their sizes.
	Files []string
	Sizes []int64
	// Digests are the uploaded files' SHA-256 sums, in hexadecimal.
	Digests []string
	// Fields are the other form fields (format, quality, maxWidth, …).
	Fields map[string]string
	// Status is the HTTP status answered (0 for a reset connection).
	Status int
}

// Download is one request for a result as the download host saw it.
type Download struct {
	// Authorization is the header as sent; it must be empty.
	Authorization string
	// Path is the request's path.
	Path string
}

// Log is what the server saw, in order of arrival.
type Log struct {
	Compress   []Request
	Downloads  []Download
	UsageCalls int
	// UsageAuthorization is the Authorization header of each usage call.
	UsageAuthorization []string
	// PeakInFlight is the most compress requests handled at once.
	PeakInFlight int
}

// Seen returns a copy of what the server saw so far.
func (s *Server) Seen() Log {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.log
	l.Compress = append([]Request(nil), l.Compress...)
	l.Downloads = append([]Download(nil), l.Downloads...)
	l.UsageAuthorization = append([]string(nil), l.UsageAuthorization...)
	return l
}

func (s *Server) enter() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight++
	s.log.PeakInFlight = max(s.log.PeakInFlight, s.inFlight)
}

func (s *Server) leave(req Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	s.log.Compress = append(s.log.Compress, req)
}
