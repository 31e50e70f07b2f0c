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
)

// stored is a result waiting to be downloaded.
type stored struct {
	data        []byte
	contentType string
	fault       Fault // a Download* fault, or None
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
	items := make([]map[string]any, len(files))
	for i, f := range files {
		items[i] = map[string]any{"name": f.name, "size": len(f.data)}
		out, err := encode(f.data, fields)
		switch {
		case fault == ItemError && i == 0:
			items[i]["error"] = "Image could not be processed"
		case err != nil:
			items[i]["error"] = "Unsupported image: " + err.Error()
		default:
			items[i]["url"] = s.store(stored{out, contentTypes[format], downloadFault(fault)})
			items[i]["compressedSize"] = len(out)
			items[i]["data"] = out
		}
	}
	s.mu.Lock()
	s.used += int64(len(files))
	s.mu.Unlock()
	if shape == ShapeImageBody && len(files) == 1 && items[0]["data"] != nil {
		writeBody(w, http.StatusOK, contentTypes[format], items[0]["data"].([]byte), fault, slow)
		return
	}
	body, err := json.Marshal(shaped(shape, items))
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

// shaped lays the items out in shape, with that shape's field names.
func shaped(shape Shape, items []map[string]any) any {
	list := make([]map[string]any, len(items))
	for i, it := range items {
		names := map[Shape][3]string{
			ShapeArray:  {"filename", "downloadUrl", "size"},
			ShapeNested: {"name", "signed_url", "originalSize"},
		}[shape]
		if names[0] == "" {
			names = [3]string{"originalName", "url", "originalSize"}
		}
		e := map[string]any{names[2]: it["size"]}
		if shape != ShapeUnnamed {
			e[names[0]] = it["name"]
		}
		if u, ok := it["url"]; ok {
			if shape == ShapeUnnamed {
				e["download_url"] = u
			} else {
				e[names[1]] = u
			}
			e["compressedSize"] = it["compressedSize"]
		}
		if msg, ok := it["error"]; ok {
			e["error"] = msg
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
