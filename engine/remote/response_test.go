package remote

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func jsonReply(body string) *reply {
	return &reply{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(body)}
}

func named(names ...string) []Upload {
	up := make([]Upload, len(names))
	for i, n := range names {
		up[i] = Upload{Name: n}
	}
	return up
}

func TestParseResults(t *testing.T) {
	base, _ := url.Parse("https://fluximage.app")
	cases := []struct {
		name  string
		body  string
		files []Upload
		// want is, per file, the URL's last path element or "error: text".
		want    []string
		wantErr string
	}{
		{"top-level array", `[{"name":"a.png","url":"/r/1"},{"name":"b.png","url":"/r/2"}]`, named("a.png", "b.png"), []string{"1", "2"}, ""},
		{"under data.results", `{"data":{"results":[{"filename":"a.png","signedUrl":"https://cdn.example/r/1"}]}}`, named("a.png"), []string{"1"}, ""},
		{"by name, out of order", `{"images":[{"original_name":"b.png","download_url":"/r/2"},{"original_name":"a.png","download_url":"/r/1"}]}`, named("a.png", "b.png"), []string{"1", "2"}, ""},
		{"by name with another extension", `{"results":[{"name":"b.webp","url":"/r/2"},{"name":"a.webp","url":"/r/1"}]}`, named("a.png", "b.png"), []string{"1", "2"}, ""},
		{"duplicate names, in order", `{"results":[{"name":"a.png","url":"/r/1"},{"name":"a.png","url":"/r/2"}]}`, named("a.png", "a.png"), []string{"1", "2"}, ""},
		{"no names: by order", `{"files":[{"url":"/r/1"},{"url":"/r/2"}]}`, named("a.png", "b.png"), []string{"1", "2"}, ""},
		{"bare URLs", `["/r/1"]`, named("a.png"), []string{"1"}, ""},
		{"item error", `{"results":[{"name":"a.png","error":"corrupt"},{"name":"b.png","url":"/r/2"}]}`, named("a.png", "b.png"), []string{"error: corrupt", "2"}, ""},
		{"item error object", `{"results":[{"name":"a.png","error":{"message":"too big"}}]}`, named("a.png"), []string{"error: too big"}, ""},
		{"missing result", `{"results":[{"name":"a.png","url":"/r/1"}]}`, named("a.png", "b.png"), []string{"1", "error: no result"}, ""},
		{"no URL", `{"results":[{"name":"a.png"}]}`, named("a.png"), []string{"error: no download address"}, ""},
		{"plain http URL elsewhere", `{"results":[{"name":"a.png","url":"http://cdn.example/r/1"}]}`, named("a.png"), []string{"error: not https"}, ""},
		{"unnamed, count differs", `{"results":[{"url":"/r/1"}]}`, named("a.png", "b.png"), nil, "1 results came back for 2 files"},
		{"no list", `{"ok":true}`, named("a.png"), nil, "no list of results"},
		{"error object", `{"error":"Invalid format"}`, named("a.png"), nil, "Invalid format"},
		{"not JSON", `{"results":[`, named("a.png"), nil, "not valid JSON"},
		{"HTML", `<!DOCTYPE html><html>oops</html>`, named("a.png"), nil, "HTML page"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := parseResults(jsonReply(tc.body), tc.files, base)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range outs {
				got := o.URL[strings.LastIndex(o.URL, "/")+1:]
				if o.Err != nil {
					got = "error: " + o.Err.Error()
				}
				if !strings.HasPrefix(tc.want[i], "error: ") && got != tc.want[i] ||
					strings.HasPrefix(tc.want[i], "error: ") && !strings.Contains(got, strings.TrimPrefix(tc.want[i], "error: ")) {
					t.Errorf("file %d: %q, want %q", i, got, tc.want[i])
				}
			}
		})
	}
}

func TestParseResults_ImageBody(t *testing.T) {
	base, _ := url.Parse("https://fluximage.app")
	r := &reply{status: 200, header: http.Header{"Content-Type": {"image/webp"}}, body: []byte("RIFF")}
	if outs, err := parseResults(r, named("a.png"), base); err != nil || string(outs[0].Data) != "RIFF" {
		t.Errorf("one file: %v %v", outs, err)
	}
	if _, err := parseResults(r, named("a.png", "b.png"), base); err == nil {
		t.Error("one image for two files was accepted")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"-3":                            0,
		"soon":                          0,
		"Fri, 02 Jan 2026 03:04:15 GMT": 10 * time.Second,
		"Fri, 02 Jan 2026 03:00:00 GMT": 0, // in the past
		"999999999999":                  365 * 24 * time.Hour,
	}
	for h, want := range cases {
		if got := parseRetryAfter(h, now); got != want {
			t.Errorf("%q: %s, want %s", h, got, want)
		}
	}
}

func TestServerMessage_MasksTheKey(t *testing.T) {
	const key = "flx_live_0123456789abcdef0123456789abcdef01234567"
	r := jsonReply(`{"error":"key ` + key + ` is not on the Agency plan"}`)
	if got := serverMessage(r, key); strings.Contains(got, key) || !strings.Contains(got, "Agency plan") {
		t.Errorf("%q", got)
	}
}
