package apikey

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// usageServer answers GET /api/usage with status for testKey's bearer
// header and 401 for any other, counting the requests it gets.
func usageServer(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodGet || r.URL.Path != "/api/usage" || r.URL.RawQuery != "" {
			t.Errorf("request %s %s, want GET /api/usage", r.Method, r.URL)
		}
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error": "Unauthorized"}`))
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"plan":"agency","canCompress":true}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestVerifier_Statuses(t *testing.T) {
	cases := []struct {
		name   string
		status int
		key    string
		want   error // nil, ErrRefused or ErrUnverified
	}{
		{"200 accepts", http.StatusOK, testKey, nil},
		{"401 refuses", http.StatusOK, otherKey, ErrRefused},
		{"500 is unverified", http.StatusInternalServerError, testKey, ErrUnverified},
		{"403 is unverified", http.StatusForbidden, testKey, ErrUnverified},
		{"429 is unverified", http.StatusTooManyRequests, testKey, ErrUnverified},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := usageServer(t, c.status)
			v, err := NewVerifier(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			err = v.Verify(context.Background(), c.key)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), c.key[len(Prefix):]) {
				t.Errorf("error contains the key: %v", err)
			}
		})
	}
}

func TestVerifier_UnreachableIsUnverified(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	v, err := NewVerifier("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	err = v.Verify(context.Background(), testKey)
	if !errors.Is(err, ErrUnverified) || errors.Is(err, ErrRefused) {
		t.Fatalf("Verify = %v, want ErrUnverified", err)
	}
	if strings.Contains(err.Error(), testKey[len(Prefix):]) {
		t.Errorf("error contains the key: %v", err)
	}
}

func TestVerifier_FollowsNoRedirect(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
	}))
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL+"/api/usage", http.StatusFound))
	defer srv.Close()
	v, _ := NewVerifier(srv.URL)
	if err := v.Verify(context.Background(), testKey); !errors.Is(err, ErrUnverified) {
		t.Errorf("Verify after a redirect = %v, want ErrUnverified", err)
	}
	if leaked.Load() {
		t.Error("the key was sent to the redirect target")
	}
}

func TestVerifier_MalformedKeyIsNotSent(t *testing.T) {
	srv, calls := usageServer(t, http.StatusOK)
	v, _ := NewVerifier(srv.URL)
	if err := v.Verify(context.Background(), "flx_live_nope\r\nX-Evil: 1"); !errors.Is(err, ErrFormat) {
		t.Errorf("Verify = %v, want ErrFormat", err)
	}
	if calls.Load() != 0 {
		t.Error("a malformed key was sent")
	}
}

func TestNewVerifier_RefusesPlainHTTPElsewhere(t *testing.T) {
	if _, err := NewVerifier("http://fluximage.app"); err == nil {
		t.Error("plain http to a remote host was accepted")
	}
}
