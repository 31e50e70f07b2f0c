package watcher

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

func TestDescribeWatchError_NamesTheSetting(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{syscall.ENOSPC, "fs.inotify.max_user_watches"},
		{fmt.Errorf("inotify_init: %w", syscall.EMFILE), "fs.inotify.max_user_instances"},
	}
	for _, c := range cases {
		err := describeWatchError("/photos", c.err)
		if !errors.Is(err, ErrWatchLimit) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("describeWatchError(%v) = %v; want ErrWatchLimit naming %s", c.err, err, c.want)
		}
	}
	if err := describeWatchError("/photos", syscall.EACCES); errors.Is(err, ErrWatchLimit) {
		t.Errorf("permission error taken for the limit: %v", err)
	}
}

func TestIsTemporary(t *testing.T) {
	for name, want := range map[string]bool{
		"a.jpg.part": true, "a.jpg.crdownload": true, "a.tmp": true, "a.jpg~": true,
		".a.jpg.swp": true, "#a.jpg#": true, ".goutputstream-ABC": true,
		"a.jpg": false, "part.png": false, "tmp.webp": false,
	} {
		if got := isTemporary(name); got != want {
			t.Errorf("isTemporary(%q) = %v", name, got)
		}
	}
}
