package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The files of the hand-off, in its folder.
const (
	lockName   = "window.lock"
	socketName = "window.sock"
)

// maxMessage bounds what a launch may send (a long list of paths fits).
const maxMessage = 4 << 20

// Instance is this process's claim to be the one Fluxdesk window of the
// user. While it holds the claim, later launches hand their files to it.
type Instance struct {
	lock     *os.File
	listener *net.UnixListener
	once     sync.Once
}

// handOff is what a later launch sends: the files it was given (absolute).
type handOff struct {
	Paths []string `json:"paths"`
}

// handOffReply is the window's answer once it has the files.
type handOffReply struct {
	OK bool `json:"ok"`
}

// Claim makes this process the user's one Fluxdesk window, or hands paths to
// the window that already is. It returns handedOff true when another window
// took the files (this process should then end), or the claim. With an
// error and no claim, the caller opens its window anyway, without a
// hand-off.
//
// The claim is an exclusive lock on a file in the runtime folder, held for
// as long as the process lives (the system drops it when the process ends,
// however it ends), plus a Unix socket beside it on which the window takes
// the files of later launches. A socket left by a window that crashed is
// found stale (its lock is free) and replaced.
//
// Where the system has no such locks (Windows), there is no claim, no error,
// and every launch opens its own window. A nil Instance serves nothing.
func Claim(paths []string) (inst *Instance, handedOff bool, err error) {
	dir, err := runtimeDir()
	if errors.Is(err, errors.ErrUnsupported) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return claimIn(dir, Absolute(paths), handOffTimeout)
}

// handOffTimeout is how long a launch waits for the running window to take
// its files; a window still starting answers once it is up.
const handOffTimeout = 20 * time.Second

// claimIn is Claim in dir, with paths absolute, giving up the hand-off
// after timeout.
func claimIn(dir string, paths []string, timeout time.Duration) (*Instance, bool, error) {
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("cannot check for a running Fluxdesk: %w", err)
	}
	socket := filepath.Join(dir, socketName)
	deadline := time.Now().Add(timeout)
	for {
		held, err := tryLock(lock)
		if err != nil {
			lock.Close()
			return nil, false, fmt.Errorf("cannot check for a running Fluxdesk: %w", err)
		}
		if held {
			inst, err := listen(lock, socket)
			return inst, false, err
		}
		// Another window holds the claim: give it the files. It may be
		// starting (no socket yet) or ending (gone at the next try).
		err = send(socket, paths, deadline)
		if err == nil {
			lock.Close()
			return nil, true, nil
		}
		if time.Now().After(deadline) {
			lock.Close()
			//lint:ignore ST1005 Fluxdesk is a name
			return nil, false, fmt.Errorf("Fluxdesk is already running but does not answer (%v); close it and try again", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// listen opens the socket of the window that holds lock, replacing one a
// crashed window left.
func listen(lock *os.File, socket string) (*Instance, error) {
	if err := os.Remove(socket); err != nil && !errors.Is(err, os.ErrNotExist) {
		lock.Close()
		return nil, fmt.Errorf("cannot remove the stale %s: %w", socket, err)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("cannot wait for later launches: %w", err)
	}
	return &Instance{lock: lock, listener: l}, nil
}

// send hands paths to the window listening on socket and waits, until
// deadline, for it to take them.
func send(socket string, paths []string, deadline time.Time) error {
	conn, err := net.DialTimeout("unix", socket, time.Until(deadline))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	if paths == nil {
		paths = []string{}
	}
	if err := json.NewEncoder(conn).Encode(handOff{Paths: paths}); err != nil {
		return err
	}
	var reply handOffReply
	if err := json.NewDecoder(io.LimitReader(conn, maxMessage)).Decode(&reply); err != nil {
		return err
	}
	if !reply.OK {
		return errors.New("the running window refused the files")
	}
	return nil
}

// Serve hands open the files of each later launch (an empty list when a
// launch named none: the window should come to the front), one launch at a
// time, until ctx is done; then it gives up the claim.
func (i *Instance) Serve(ctx context.Context, open func(paths []string)) {
	if i == nil {
		return
	}
	stop := context.AfterFunc(ctx, func() { i.listener.Close() })
	defer stop()
	defer i.Close()
	acceptEach(ctx, i.listener.AcceptUnix, func(conn *net.UnixConn) { receive(conn, open) })
}

// The wait before accepting again after an error that is not the
// listener's end (out of file descriptors or memory), doubled on each
// error in a row up to its cap.
const (
	acceptRetry    = 50 * time.Millisecond
	maxAcceptRetry = time.Second
)

// acceptEach hands each connection accept returns to take, until ctx is done
// or the listener is closed. After an error it waits before trying again,
// instead of spinning on an error that lasts.
func acceptEach(ctx context.Context, accept func() (*net.UnixConn, error), take func(*net.UnixConn)) {
	wait := acceptRetry
	for {
		conn, err := accept()
		if err == nil {
			wait = acceptRetry
			take(conn)
			continue
		}
		if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, maxAcceptRetry)
	}
}

// receive takes one launch's files.
func receive(conn *net.UnixConn, open func([]string)) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	var msg handOff
	if err := json.NewDecoder(io.LimitReader(conn, maxMessage)).Decode(&msg); err != nil {
		return
	}
	open(msg.Paths)
	json.NewEncoder(conn).Encode(handOffReply{OK: true})
}

// Close gives up the claim: the socket is removed and the lock released.
func (i *Instance) Close() {
	if i == nil {
		return
	}
	i.once.Do(func() {
		i.listener.Close() // removes the socket file
		i.lock.Close()     // releases the lock
	})
}

// Absolute makes a launch's paths absolute against its working folder, so
// that the window's rows and outputs name them the same wherever it was
// started from, and so that a window with another working folder can take
// them.
func Absolute(paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		out = append(out, p)
	}
	return out
}
