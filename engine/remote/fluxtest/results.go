package fluxtest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"fluxdesk/engine"
)

// stored is a result waiting to be downloaded.
type stored struct {
	data        []byte
	contentType string
	fault       Fault // a Download* fault, or None
}

// outcome is what the server made of one uploaded file.
type outcome struct {
	name       string
	size, out  int
	url, error string
	data       []byte
}

// process compresses the files, stores the results and answers with their
// signed URLs in the configured shape.
func (s *Server) process(w http.ResponseWriter, files []upload, fields map[string]string, fault Fault, slow time.Duration) {
	s.mu.Lock()
	over := s.used+int64(len(files)) > s.limit
	shape := s.shape
	s.mu.Unlock()
	if over {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "Monthly compression limit reached"})
		return
	}
	format := fields["format"]
	outs := make([]outcome, len(files))
	for i, f := range files {
		outs[i] = outcome{name: f.name, size: len(f.data)}
		data, err := encode(f.data, fields)
		switch {
		case fault == ItemError && i == 0:
			outs[i].error = "Image could not be processed"
		case err != nil:
			outs[i].error = "Unsupported image: " + err.Error()
		default:
			outs[i].url = s.store(stored{data, engine.Format(format).MIME(), downloadFault(fault)})
			outs[i].out, outs[i].data = len(data), data
		}
	}
	s.mu.Lock()
	s.used += int64(len(files))
	s.mu.Unlock()
	if shape == ShapeImageBody && len(files) == 1 && outs[0].data != nil {
		writeBody(w, http.StatusOK, engine.Format(format).MIME(), outs[0].data, fault, slow)
		return
	}
	body, err := json.Marshal(shaped(shape, outs))
	if err != nil {
		panic(err) // maps of strings and numbers always marshal
	}
	writeBody(w, http.StatusOK, "application/json", body, fault, slow)
}

// downloadFault keeps the faults that concern the downloads.
func downloadFault(f Fault) Fault {
	switch f {
	case DownloadJSON, DownloadHTML, DownloadRedirect:
		return f
	}
	return None
}

// shaped lays the outcomes out in shape, with that shape's field names.
func shaped(shape Shape, outs []outcome) any {
	nameKey, urlKey, sizeKey := "originalName", "url", "originalSize"
	switch shape {
	case ShapeArray:
		nameKey, urlKey, sizeKey = "filename", "downloadUrl", "size"
	case ShapeNested:
		nameKey, urlKey = "name", "signed_url"
	case ShapeUnnamed:
		nameKey, urlKey = "", "download_url"
	}
	list := make([]map[string]any, len(outs))
	for i, o := range outs {
		e := map[string]any{sizeKey: o.size}
		if nameKey != "" {
			e[nameKey] = o.name
		}
		if o.url != "" {
			e[urlKey], e["compressedSize"] = o.url, o.out
		}
		if o.error != "" {
			e["error"] = o.error
		}
		list[i] = e
	}
	switch shape {
	case ShapeArray:
		return list
	case ShapeNested:
		return map[string]any{"data": map[string]any{"images": list}}
	case ShapeUnnamed:
		return map[string]any{"files": list}
	case ShapeReversed:
		slices.Reverse(list)
	}
	return map[string]any{"sessionId": rand.Text(), "results": list}
}

// store keeps a result and returns its signed URL on the download host.
func (s *Server) store(r stored) string {
	token := strings.ToLower(rand.Text())
	s.mu.Lock()
	s.results[token] = r
	s.mu.Unlock()
	return s.dl.URL + "/r/" + token + "?sig=" + s.sign(token)
}

func (s *Server) sign(token string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// download serves results at their signed URLs.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimPrefix(r.URL.Path, "/r/")
	s.mu.Lock()
	s.log.Downloads = append(s.log.Downloads, Download{Authorization: r.Header.Get("Authorization"), Path: r.URL.Path})
	res, ok := s.results[token]
	s.mu.Unlock()
	if !ok || !hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(s.sign(token))) {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "Not found or expired"})
		return
	}
	switch res.fault {
	case DownloadJSON:
		writeJSON(w, http.StatusOK, map[string]any{"error": "File expired"})
	case DownloadHTML:
		writeBody(w, http.StatusOK, "text/html", []byte(errorPage), None, 0)
	case DownloadRedirect:
		http.Redirect(w, r, "http://example.com/r/"+token, http.StatusFound)
	default:
		writeBody(w, http.StatusOK, res.contentType, res.data, None, 0)
	}
}
