package ui

import (
	"context"
	"image"
	"sync"

	"fluxdesk/engine/local"
)

const (
	// thumbSize is the longest side of a thumbnail, in pixels.
	thumbSize = 96
	// thumbCache is how many thumbnails are kept; the list shows a
	// screenful at a time.
	thumbCache = 400
	// thumbWanted bounds the requests waiting: when the user scrolls fast,
	// the rows scrolled past are dropped and the visible ones come first.
	thumbWanted = 48
)

// thumbs makes small previews of images off the UI goroutine, the most
// recently asked for first, and keeps the last few hundred.
type thumbs struct {
	ready func() // called from the loader's goroutine when one is made

	mu     sync.Mutex
	cache  map[string]image.Image // nil value: cannot be previewed
	order  []string
	wanted []string
	asked  map[string]bool
	wake   chan struct{}
}

func newThumbs(ready func()) *thumbs {
	return &thumbs{ready: ready, cache: map[string]image.Image{}, asked: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// get returns the thumbnail of path, or nil while it is being made or when
// the file cannot be previewed.
func (t *thumbs) get(path string) image.Image {
	t.mu.Lock()
	defer t.mu.Unlock()
	if img, ok := t.cache[path]; ok {
		return img
	}
	if t.asked[path] {
		return nil
	}
	t.asked[path] = true
	t.wanted = append(t.wanted, path)
	if len(t.wanted) > thumbWanted {
		delete(t.asked, t.wanted[0])
		t.wanted = t.wanted[1:]
	}
	select {
	case t.wake <- struct{}{}:
	default:
	}
	return nil
}

// run makes the thumbnails asked for until ctx is done.
func (t *thumbs) run(ctx context.Context) {
	for {
		path, ok := t.next()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-t.wake:
				continue
			}
		}
		img := makeThumb(path)
		t.mu.Lock()
		delete(t.asked, path)
		t.cache[path] = img
		t.order = append(t.order, path)
		if len(t.order) > thumbCache {
			delete(t.cache, t.order[0])
			t.order = t.order[1:]
		}
		t.mu.Unlock()
		t.ready()
	}
}

// next takes the most recent request.
func (t *thumbs) next() (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.wanted)
	if n == 0 {
		return "", false
	}
	path := t.wanted[n-1]
	t.wanted = t.wanted[:n-1]
	return path, true
}

// makeThumb decodes an image the way the engine does (upright, refused over
// its pixel limit) scaled to fit thumbSize; nil when it cannot be decoded.
func makeThumb(path string) image.Image {
	pic, err := local.DecodeFile(path, 0, thumbSize)
	if err != nil {
		return nil
	}
	return pic.Image
}
