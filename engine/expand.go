package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// imageExtensions are the file endings taken from folders; other files in a
// folder are passed over. A file named directly is tried whatever its name.
var imageExtensions = map[string]bool{
	".jpg": true, ".jpeg": true, ".jpe": true, ".jfif": true,
	".png": true, ".gif": true, ".webp": true, ".bmp": true,
	".tif": true, ".tiff": true,
}

// IsImageName reports whether a file name has the ending of an image format
// Fluxdesk reads.
func IsImageName(name string) bool {
	return imageExtensions[strings.ToLower(filepath.Ext(name))]
}

// IsHidden reports whether a file or folder name is hidden (starts with a
// dot), as Fluxdesk's temp files and backup folders are.
func IsHidden(name string) bool {
	return strings.HasPrefix(name, ".") && name != "." && name != ".."
}

// found is a file discovered while expanding a request.
type found struct {
	path, root string
	size       int64
	info       os.FileInfo
}

// expander walks requests into files. It reports problems through fail and
// hands files to add; it stops early when ctx is done.
type expander struct {
	ledger Ledger
	add    func(found) bool
	fail   func(path, message string)
	// skip reports a file named directly that is not taken, with why.
	skip func(path, message string)
	// replace is set while expanding a request that replaces originals.
	replace bool
}

// expand walks one request: a file, a folder, or a symlink to either.
func (x *expander) expand(ctx context.Context, req Request) {
	path := filepath.Clean(req.Path)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	info, err := os.Stat(path)
	if err != nil {
		x.fail(path, DescribePathError(err))
		return
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			x.fail(path, "not a regular file")
			return
		}
		if src, ok := x.sourceOf(req, path); ok {
			msg := "this is Fluxdesk's own output"
			if src != "" {
				msg += fmt.Sprintf(" (from %s)", filepath.Base(src))
			}
			x.skip(path, msg)
			return
		}
		if req.Options.Replace && isSymlink(path) {
			x.fail(path, errLinkNotReplaced)
			return
		}
		x.add(found{path: path, size: info.Size(), info: info})
		return
	}
	exclude := ""
	if req.Options.OutDir != "" {
		exclude, _ = filepath.Abs(req.Options.OutDir)
	}
	x.replace = req.Options.Replace
	x.walk(ctx, path, path, exclude, map[string]bool{})
}

// sourceOf asks the ledger whether the file at path, named by req, is an
// output of Fluxdesk's, unless req says its caller has just checked.
func (x *expander) sourceOf(req Request, path string) (source string, ours bool) {
	if req.Vetted {
		return "", false
	}
	return x.ledger.SourceOf(path)
}

// errLinkNotReplaced says why a symbolic link is refused when originals are
// replaced: the link would be swapped for a file, and its target left as it
// was. It is refused before any work is done on it.
const errLinkNotReplaced = "this is a symbolic link; links are not replaced (compress without replacing originals)"

// isSymlink reports whether path itself is a symbolic link.
func isSymlink(path string) bool {
	info, err := os.Lstat(path)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// walk visits a folder recursively, following symlinked folders once each.
// It returns false when the walk must stop (cancelled).
func (x *expander) walk(ctx context.Context, root, dir, exclude string, visited map[string]bool) bool {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		x.fail(dir, DescribePathError(err))
		return true
	}
	if visited[real] {
		return true // a symlink loop or a folder reached twice
	}
	visited[real] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		x.fail(dir, "cannot read folder: "+DescribePathError(err))
		return true
	}
	for _, e := range entries {
		if ctx.Err() != nil {
			return false
		}
		name := e.Name()
		path := filepath.Join(dir, name)
		if IsHidden(name) {
			if isTempName(name) {
				removeStaleTemp(path)
			}
			continue
		}
		if path == exclude {
			continue
		}
		info, err := os.Stat(path) // follows symlinks
		if err != nil {
			if e.Type()&fs.ModeSymlink != 0 {
				continue // a dangling symlink in a folder is not the user's image
			}
			x.fail(path, DescribePathError(err))
			continue
		}
		if info.IsDir() {
			if !x.walk(ctx, root, path, exclude, visited) {
				return false
			}
			continue
		}
		if !info.Mode().IsRegular() || !IsImageName(name) {
			continue
		}
		if _, ours := x.ledger.SourceOf(path); ours {
			continue
		}
		if x.replace && e.Type()&fs.ModeSymlink != 0 {
			x.fail(path, errLinkNotReplaced)
			continue
		}
		if !x.add(found{path: path, root: root, size: info.Size(), info: info}) {
			return false
		}
	}
	return true
}

// DescribePathError turns a file system error into words for a person.
func DescribePathError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
