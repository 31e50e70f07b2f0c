package fluxtest

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

const key = "flx_live_0123456789abcdef0123456789abcdef01234567"

// post sends a compress request with n files of size bytes and fields.
func post(t *testing.T, s *Server, auth string, n, size int, fields map[string]string) int {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for i := range n {
		fw, err := w.CreateFormFile("file", fmt.Sprintf("f%d.png", i))
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(make([]byte, size))
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/compress", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServer_EnforcesTheDocumentedLimits(t *testing.T) {
	s := New(key)
	defer s.Close()
	cases := []struct {
		name        string
		auth        string
		files, size int
		fields      map[string]string
		want        int
	}{
		{"no key", "", 1, 10, nil, http.StatusUnauthorized},
		{"wrong key", "Bearer flx_live_" + strings.Repeat("0", 40), 1, 10, nil, http.StatusUnauthorized},
		{"21 files", "Bearer " + key, 21, 10, nil, http.StatusBadRequest},
		{"file over 20 MB", "Bearer " + key, 1, maxFileSize + 1, nil, http.StatusRequestEntityTooLarge},
		{"quality 39", "Bearer " + key, 1, 10, map[string]string{"quality": "39"}, http.StatusBadRequest},
		{"quality 101", "Bearer " + key, 1, 10, map[string]string{"quality": "101"}, http.StatusBadRequest},
		{"unknown format", "Bearer " + key, 1, 10, map[string]string{"format": "gif"}, http.StatusBadRequest},
		{"20 files, undecodable: item errors", "Bearer " + key, 20, 10, map[string]string{"quality": "40"}, http.StatusOK},
	}
	for _, tc := range cases {
		if got := post(t, s, tc.auth, tc.files, tc.size, tc.fields); got != tc.want {
			t.Errorf("%s: HTTP %d, want %d", tc.name, got, tc.want)
		}
	}
	seen := s.Seen().Compress
	if len(seen) != len(cases) || len(seen[2].Files) != 21 || seen[3].Sizes[0] != maxFileSize+1 {
		t.Errorf("log: %d requests", len(seen))
	}
}

func TestServer_RollingSwapsTheValidKey(t *testing.T) {
	s := New(key)
	defer s.Close()
	const rolled = "flx_live_ffffffffffffffffffffffffffffffffffffffff"
	s.SetKeys(rolled)
	if got := post(t, s, "Bearer "+key, 1, 10, nil); got != http.StatusUnauthorized {
		t.Errorf("old key: HTTP %d", got)
	}
	if got := post(t, s, "Bearer "+rolled, 1, 10, nil); got != http.StatusOK {
		t.Errorf("new key: HTTP %d", got)
	}
}
