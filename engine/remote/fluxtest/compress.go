package fluxtest

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// Limits the server enforces, as documented.
const (
	maxFiles    = 20
	maxFileSize = 20 << 20
)

// upload is one file of a compress request.
type upload struct {
	name string
	data []byte
}

// compress answers POST /api/compress.
func (s *Server) compress(w http.ResponseWriter, r *http.Request) {
	s.enter()
	req := Request{Authorization: r.Header.Get("Authorization"), Fields: map[string]string{}}
	sw := &statusWriter{ResponseWriter: w}
	defer func() { req.Status = sw.status; s.leave(req) }()

	files, err := readForm(r, &req)
	s.mu.Lock()
	fault, latency, slow := next(&s.faults), s.latency, s.slow
	s.mu.Unlock()
	wait(r, latency)
	switch {
	case s.misbehave(sw, r, fault):
	case !s.authorized(r):
		writeJSON(sw, http.StatusUnauthorized, map[string]any{"error": "Unauthorized"})
	case errors.Is(err, errTooLarge):
		writeJSON(sw, http.StatusRequestEntityTooLarge, map[string]any{"error": "File too large (max 20 MB)"})
	case err != nil:
		writeJSON(sw, http.StatusBadRequest, map[string]any{"error": err.Error()})
	default:
		s.process(sw, files, req.Fields, fault, slow)
	}
}

// readForm reads the multipart form into req and checks the documented
// limits on it.
func readForm(r *http.Request, req *Request) ([]upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errors.New("expected multipart/form-data")
	}
	var files []upload
	tooLarge := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed form: %v", err)
		}
		data, err := io.ReadAll(io.LimitReader(p, maxFileSize+1))
		if err != nil {
			return nil, fmt.Errorf("malformed form: %v", err)
		}
		if p.FormName() != "file" {
			req.Fields[p.FormName()] = string(data)
			continue
		}
		req.Files = append(req.Files, p.FileName())
		req.Sizes = append(req.Sizes, int64(len(data)))
		req.Digests = append(req.Digests, fmt.Sprintf("%x", sha256.Sum256(data)))
		tooLarge = tooLarge || len(data) > maxFileSize
		files = append(files, upload{p.FileName(), data})
	}
	switch {
	case tooLarge:
		return nil, errTooLarge
	case len(files) == 0:
		return nil, errors.New("no file")
	case len(files) > maxFiles:
		return nil, fmt.Errorf("at most %d files per request", maxFiles)
	}
	return files, checkFields(req.Fields)
}

// errTooLarge marks a file over the limit; the reply is 413.
var errTooLarge = errors.New("file too large")

func checkFields(f map[string]string) error {
	format := f["format"]
	switch format {
	case "":
		f["format"] = "webp"
	case "webp", "avif", "jpg", "png":
	default:
		return fmt.Errorf("unsupported format %q", format)
	}
	if q, ok := f["quality"]; ok && format != "png" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 40 || n > 100 {
			return errors.New("quality must be between 40 and 100")
		}
	}
	for _, k := range []string{"maxWidth", "maxHeight"} {
		if v, ok := f[k]; ok {
			if n, err := strconv.Atoi(v); err != nil || n <= 0 {
				return fmt.Errorf("%s must be a positive number", k)
			}
		}
	}
	return nil
}

// statusWriter remembers the status written, for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes flushes through, for the Stall and Truncated faults.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack passes hijacking through, for the Reset and Truncated faults.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}
