package cli

import (
	"encoding/json"
	"fluxdesk/internal/testimage"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fluxdesk/engine/apikey"
	"fluxdesk/engine/remote/fluxtest"
)

// remoteSetup starts a fake Fluximage that accepts keyA, makes envKey the
// key in force (through FLUXIMAGE_API_KEY), and writes two photos to compress.
func remoteSetup(t *testing.T, envKey string) (*fluxtest.Server, string) {
	t.Helper()
	clearKeyEnv(t)
	t.Setenv(apikey.EnvKey, envKey)
	srv := fluxtest.New(keyA)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	testimage.WritePNG(t, filepath.Join(dir, "a.png"), testimage.Noisy(200, 150))
	testimage.WritePNG(t, filepath.Join(dir, "b.png"), testimage.Noisy(120, 90))
	return srv, dir
}

func TestCompressRemote(t *testing.T) {
	srv, dir := remoteSetup(t, keyA)
	code, stdout, stderr := runMain("compress", "--engine", "remote", "--api-url", srv.URL, "--json", dir)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	assertNoRawKey(t, stdout+stderr)
	var done int
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var f fileLine
		if err := json.Unmarshal([]byte(line), &f); err != nil || f.Path == "" {
			continue
		}
		if f.Status != "done" || !strings.HasSuffix(f.Output, ".webp") {
			t.Errorf("%+v", f)
		}
		if _, err := os.Stat(f.Output); err != nil {
			t.Error(err)
		}
		done++
	}
	if done != 2 {
		t.Errorf("%d files done, want 2:\n%s", done, stdout)
	}
	if n := len(srv.Seen().Compress); n != 1 {
		t.Errorf("%d compress requests, want 1", n)
	}
}

func TestCompressRemote_APIURLFromEnvironmentAndFormat(t *testing.T) {
	srv, dir := remoteSetup(t, keyA)
	t.Setenv(apikey.EnvBaseURL, srv.URL)
	code, stdout, stderr := runMain("compress", "--engine", "remote", "--format", "jpg", "--quality", "60", dir)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	fields := srv.Seen().Compress[0].Fields
	if fields["format"] != "jpg" || fields["quality"] != "60" {
		t.Errorf("fields sent: %v", fields)
	}
}

func TestCompressRemote_RejectedKeyEndsRunWritingNothing(t *testing.T) {
	srv, dir := remoteSetup(t, keyB) // keyB is not (or no longer) valid
	code, stdout, stderr := runMain("compress", "--engine", "remote", "--api-url", srv.URL, dir)
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitFailed, stdout, stderr)
	}
	assertNoRawKey(t, stdout+stderr)
	if !strings.Contains(stderr, "was it rolled? Store the new key with: fluxdesk key roll") {
		t.Errorf("stderr does not explain:\n%s", stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("the folder holds %d entries, want the 2 originals only", len(entries))
	}
	if n := len(srv.Seen().Compress); n != 0 {
		t.Errorf("%d uploads with a rejected key", n)
	}
}

func TestCompressRemote_RefusedBeforeRunning(t *testing.T) {
	srv, dir := remoteSetup(t, keyA)
	cases := map[string][]string{
		"format needs remote":   {"compress", "--format", "avif", dir},
		"quality out of range":  {"compress", "--engine", "remote", "--api-url", srv.URL, "--quality", "30", dir},
		"plain http elsewhere":  {"compress", "--engine", "remote", "--api-url", "http://example.com", dir},
		"unknown remote format": {"compress", "--engine", "remote", "--api-url", srv.URL, "--format", "gif", dir},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			if code, _, stderr := runMain(args...); code != ExitUsage {
				t.Errorf("exit %d, want %d: %s", code, ExitUsage, stderr)
			}
		})
	}
	if n := len(srv.Seen().Compress) + srv.Seen().UsageCalls; n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// Without a key, every command that needs one ends the same way: exit
// status 2, saying how to add one.
func TestRemote_NoKeyIsAUsageErrorEverywhere(t *testing.T) {
	srv, dir := remoteSetup(t, "")
	saved := newKeyStore
	newKeyStore = func() apikey.Store { return apikey.NewMemoryStore() }
	defer func() { newKeyStore = saved }()
	for _, args := range [][]string{
		{"compress", "--engine", "remote", "--api-url", srv.URL, dir},
		{"usage", "--api-url", srv.URL},
	} {
		code, _, stderr := runMain(args...)
		if code != ExitUsage || !strings.Contains(stderr, "fluxdesk key set") {
			t.Errorf("%s: exit %d, want %d: %s", args[0], code, ExitUsage, stderr)
		}
	}
	if n := srv.Seen().UsageCalls; n != 0 {
		t.Errorf("%d requests without a key", n)
	}
}

// With --json, a missing or rejected key is a JSON object on stdout, like
// everything else the run reports, and nothing goes to stderr.
func TestCompressRemote_JSONReportsKeyProblemsAsJSON(t *testing.T) {
	srv, dir := remoteSetup(t, keyB) // keyB is not (or no longer) valid
	code, stdout, stderr := runMain("compress", "--json", "--engine", "remote", "--api-url", srv.URL, dir)
	if code != ExitFailed {
		t.Errorf("rejected key: exit %d, want %d", code, ExitFailed)
	}
	checkJSONProblem(t, stdout, stderr, "compress", "was it rolled?")

	t.Setenv(apikey.EnvKey, "")
	saved := newKeyStore
	newKeyStore = func() apikey.Store { return apikey.NewMemoryStore() }
	defer func() { newKeyStore = saved }()
	code, stdout, stderr = runMain("compress", "--engine", "remote", "--api-url", srv.URL, dir, "--json")
	if code != ExitUsage {
		t.Errorf("no key: exit %d, want %d", code, ExitUsage)
	}
	checkJSONProblem(t, stdout, stderr, "compress", "fluxdesk key set")
}

// checkJSONProblem checks that stdout holds only JSON objects, one of them
// the command's error mentioning want, and that stderr is empty.
func checkJSONProblem(t *testing.T, stdout, stderr, command, want string) {
	t.Helper()
	if stderr != "" {
		t.Errorf("stderr with --json: %q", stderr)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Errorf("not a JSON object: %q", line)
			continue
		}
		if _, isFile := obj["path"]; isFile {
			continue
		}
		if msg, _ := obj["error"].(string); obj["command"] == command && strings.Contains(msg, want) {
			found = true
		}
	}
	if !found {
		t.Errorf("no {\"command\": %q, \"error\": …%s…} object in:\n%s", command, want, stdout)
	}
}

func TestUsage(t *testing.T) {
	srv, _ := remoteSetup(t, keyA)
	srv.SetQuota("starter", 200, 200)
	code, stdout, stderr := runMain("usage", "--api-url", srv.URL)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Plan:          starter", "200 of 200 used", "Can compress:  no"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	assertNoRawKey(t, stdout+stderr)
}

func TestUsage_RejectedKey(t *testing.T) {
	srv, _ := remoteSetup(t, keyB)
	t.Setenv(apikey.EnvBaseURL, srv.URL)
	code, stdout, stderr := runMain("usage")
	if code != ExitFailed || !strings.Contains(stderr, "was it rolled?") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	assertNoRawKey(t, stdout+stderr)
}
