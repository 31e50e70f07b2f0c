// Package testproc starts a second process for tests that need one, as
// another Fluxdesk process would be: the test binary itself, started again
// to play a part (holding the record, say) until it is stopped or killed;
// or the same test again, as an ordinary user (AsNobody).
package testproc

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Environment variables that tell a started test binary its part.
const (
	partEnv = "FLUXDESK_TEST_PART"
	argsEnv = "FLUXDESK_TEST_PART_ARGS"
)

// readyWait bounds the wait for a started process to take its part.
const readyWait = 30 * time.Second

// Part is what a second process does: it takes its part and returns; the
// process then keeps what it holds until it is stopped or killed.
type Part func(args []string) error

// Hold is the part "hold": it opens the bbolt file args[0] for writing,
// which locks it exclusively, as a Fluxdesk process writing the record does.
func Hold(args []string) error {
	_, err := bolt.Open(args[0], 0o600, &bolt.Options{Timeout: readyWait})
	return err
}

// Main runs the tests, or, in a process that Start started, its part. Call
// it from TestMain. "hold" is always a part (see Hold).
func Main(m *testing.M, parts map[string]Part) {
	name := os.Getenv(partEnv)
	if name == "" {
		os.Exit(m.Run())
	}
	part := parts[name]
	if name == "hold" {
		part = Hold
	}
	var args []string
	err := json.Unmarshal([]byte(os.Getenv(argsEnv)), &args)
	if err == nil && part == nil {
		err = fmt.Errorf("no part %q", name)
	}
	if err == nil {
		err = part(args)
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadByte() // until the test stops it
	os.Exit(0)
}

// Proc is a second process playing its part.
type Proc struct {
	cmd   *exec.Cmd
	stdin io.Closer // open while the process plays its part
	once  sync.Once
}

// Start starts the test binary again to play part with args, and returns
// once it has taken it. The process is killed when the test ends.
func Start(t testing.TB, part string, args ...string) *Proc {
	t.Helper()
	encoded, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), partEnv+"="+part, argsEnv+"="+string(encoded))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &Proc{cmd: cmd, stdin: stdin}
	t.Cleanup(p.Kill)
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		if s != "ready" {
			p.Kill()
			t.Fatalf("the second process (%s) did not take its part: %q", part, s)
		}
	case <-time.After(readyWait):
		p.Kill()
		t.Fatalf("the second process (%s) was not ready after %v", part, readyWait)
	}
	return p
}

// Kill kills the process (SIGKILL: it has no chance to clean up) and waits
// for it to end.
func (p *Proc) Kill() {
	p.once.Do(func() {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		p.stdin.Close()
	})
}
