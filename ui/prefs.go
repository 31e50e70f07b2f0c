package ui

import (
	"context"
	"sync"

	"fluxdesk/engine/settings"
)

// prefs holds the settings in force and tells the screens that show them of
// each change. Reads are safe from any goroutine (watched folders queue
// files from theirs); changes happen on the UI goroutine. Changes are saved
// off the UI goroutine, coalesced: a slider dragged across its range writes
// the file a few times, not once per step.
type prefs struct {
	path    string      // "" keeps the settings in memory only
	onError func(error) // a save failed; called off the UI goroutine

	mu sync.RWMutex
	s  settings.Settings

	saveMu sync.Mutex // one writer at a time
	dirty  chan struct{}

	listeners []func(old, new settings.Settings)
}

func newPrefs(path string, s settings.Settings, onError func(error)) *prefs {
	return &prefs{path: path, s: s, onError: onError, dirty: make(chan struct{}, 1)}
}

// get returns the settings in force.
func (p *prefs) get() settings.Settings {
	p.mu.RLock()
	defer p.mu.RUnlock()
	s := p.s
	s.Watched = append([]settings.Folder(nil), p.s.Watched...)
	return s
}

// update applies change to a copy of the settings; if the result is valid
// it becomes the settings in force, a save is scheduled and the listeners
// are told. The error says why a change was refused.
func (p *prefs) update(change func(*settings.Settings)) error {
	old := p.get()
	s := p.get()
	change(&s)
	if err := s.Validate(); err != nil {
		return err
	}
	p.mu.Lock()
	p.s = s
	p.mu.Unlock()
	select {
	case p.dirty <- struct{}{}:
	default:
	}
	for _, f := range p.listeners {
		f(old, s)
	}
	return nil
}

// listen registers f to be told of every change, on the UI goroutine.
func (p *prefs) listen(f func(old, new settings.Settings)) {
	p.listeners = append(p.listeners, f)
}

// run saves the settings after each change until ctx is done.
func (p *prefs) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.dirty:
			if err := p.save(); err != nil {
				p.onError(err)
			}
		}
	}
}

// save writes the settings in force now.
func (p *prefs) save() error {
	if p.path == "" {
		return nil
	}
	p.saveMu.Lock()
	defer p.saveMu.Unlock()
	return settings.Save(p.path, p.get())
}
