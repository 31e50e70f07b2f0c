package remote_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"fluxdesk/engine"
	"fluxdesk/engine/remote"
	"fluxdesk/engine/remote/fluxtest"
)

func TestNewClient_OnlyHTTPSOrLoopback(t *testing.T) {
	cases := map[string]bool{
		"https://fluximage.app":       true,
		"https://proxy.example:8443/": true,
		"http://127.0.0.1:8080":       true,
		"http://localhost:1234":       true,
		"http://[::1]:99":             true,
		"http://fluximage.app":        false,
		"ftp://fluximage.app":         false,
		"fluximage.app":               false,
	}
	for raw, ok := range cases {
		if _, err := remote.NewClient(raw, remote.ClientOptions{}); (err == nil) != ok {
			t.Errorf("%s: err = %v", raw, err)
		}
	}
}

func TestClient_Usage(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	f.srv.SetQuota("pro", 1234, 50000)
	u, err := f.client.Usage(context.Background(), keyA)
	if err != nil {
		t.Fatal(err)
	}
	if u.Plan != "pro" || u.CompressorUsed != 1234 || u.CompressorLimit != 50000 || !u.CanCompress || u.IACreditsMonthly != 100 || len(u.Topups) != 3 {
		t.Errorf("%+v", u)
	}
	if got := f.srv.Seen().UsageAuthorization; len(got) != 1 || got[0] != "Bearer "+keyA {
		t.Errorf("authorization sent: %q", got)
	}
	_, err = f.client.Usage(context.Background(), keyB)
	if !errors.Is(err, remote.ErrKeyRejected) || strings.Contains(err.Error(), keyB) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestClient_UsageRetriesThenGivesUp(t *testing.T) {
	f := newFixture(t, remote.ClientOptions{})
	f.srv.InjectUsage(fluxtest.ServerError, fluxtest.ServerError, fluxtest.RateLimited, fluxtest.ServerError)
	_, err := f.client.Usage(context.Background(), keyA)
	if !errors.Is(err, remote.ErrUnreachable) || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("err = %v", err)
	}
	if n := f.srv.Seen().UsageCalls; n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
}

func TestVerify(t *testing.T) {
	paths := images(t, 1)
	f := newFixture(t, remote.ClientOptions{})
	comp := remote.NewCompressor(f.client, remote.StaticKey(keyA), remote.Options{})
	good := run(t, context.Background(), comp, jobsFor(t, paths, webpOptions())).results[1].Data
	cutPNG, cutJPEG, hostilePNG := encodedImages(t)

	cases := map[string]struct {
		data   []byte
		format engine.Format
		want   string
	}{
		"webp":              {good, "webp", ""},
		"empty":             {nil, "webp", "empty"},
		"HTML":              {[]byte("\n<html><body>502</body></html>"), "webp", "not a WebP image: it looks like an HTML page"},
		"JSON":              {[]byte(`{"error":"expired"}`), "png", "not a PNG image: it looks like JSON text"},
		"truncated webp":    {good[:len(good)-3], "webp", "truncated"},
		"webp asked as png": {good, "png", "not PNG"},
		"avif brand":        {[]byte("\x00\x00\x00\x14ftypavif\x00\x00\x00\x00mif1"), "avif", ""},
		"not avif":          {[]byte("\x00\x00\x00\x14ftypisom\x00\x00\x00\x00mp41"), "avif", "AVIF"},
		"cut-off png":       {cutPNG[:len(cutPNG)/2], "png", "damaged image"},
		"cut-off jpeg":      {cutJPEG[:len(cutJPEG)/2], "jpg", "damaged image"},
		"hostile png":       {hostilePNG, "png", "larger than any result"},
	}
	for name, tc := range cases {
		_, _, err := remote.Verify(tc.data, tc.format)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}

// encodedImages returns a PNG and a JPEG of a noisy 64×64 image, and a
// PNG whose header claims 30000×30000 pixels.
func encodedImages(t *testing.T) (pngData, jpegData, hostile []byte) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = byte(i*31 + i/7)
	}
	var p, j bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	hostile = bytes.Clone(p.Bytes())
	binary.BigEndian.PutUint32(hostile[16:], 30000) // IHDR width
	binary.BigEndian.PutUint32(hostile[20:], 30000) // IHDR height
	binary.BigEndian.PutUint32(hostile[29:], crc32.ChecksumIEEE(hostile[12:29]))
	return p.Bytes(), j.Bytes(), hostile
}
