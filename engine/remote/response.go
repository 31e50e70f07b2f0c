package remote

import (
	"encoding/json"
	"errors"
	"mime"
	"net/url"
	"path"
	"strings"
)

// Outcome is the service's answer for one uploaded file: a download URL,
// or the image itself, or an error for that file alone.
type Outcome struct {
	// URL is the absolute download address of the result.
	URL string
	// Data is the result itself, when the reply was the image.
	Data []byte
	// Err says why the service did not compress this file.
	Err error
}

// The service's JSON shape is not public: these are the names tried, in
// order, for the result list and for each item's fields.
var (
	listKeys = []string{"results", "files", "images", "data"}
	urlKeys  = []string{"url", "downloadUrl", "download_url", "signedUrl", "signed_url"}
	nameKeys = []string{"originalName", "original_name", "filename", "name"}
)

// item is one entry of the result list.
type item struct {
	name, url, err string
}

// parseResults reads a compress reply into one Outcome per uploaded file.
// A reply it cannot read is a protocol error for the whole batch.
func parseResults(r *reply, files []Upload, base *url.URL) ([]Outcome, error) {
	if mt, _, err := mime.ParseMediaType(r.header.Get("Content-Type")); err == nil && strings.HasPrefix(mt, "image/") {
		if len(files) != 1 {
			return nil, protocolError("one image came back for %d files", len(files))
		}
		return []Outcome{{Data: r.body}}, nil
	}
	if looksLikeHTML(r.body) {
		return nil, protocolError("the service returned an HTML page instead of results")
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		return nil, protocolError("the reply is not valid JSON")
	}
	list, ok := findList(v)
	if !ok {
		if m, isObj := v.(map[string]any); isObj {
			if msg := firstText(m["error"], ""); msg != "" {
				return nil, protocolError("the service reported: %s", msg)
			}
		}
		return nil, protocolError("the reply holds no list of results")
	}
	items := make([]item, len(list))
	for i, e := range list {
		items[i] = parseItem(e)
	}
	return match(items, files, base)
}

// findList returns the top-level array, or the first array under one of
// listKeys, looking one level into "data" too.
func findList(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case map[string]any:
		for _, k := range listKeys {
			switch x := t[k].(type) {
			case []any:
				return x, true
			case map[string]any:
				if k == "data" {
					if l, ok := findList(x); ok {
						return l, true
					}
				}
			}
		}
	}
	return nil, false
}

func parseItem(v any) item {
	switch t := v.(type) {
	case string: // a bare list of URLs
		return item{url: t}
	case map[string]any:
		return item{name: firstString(t, nameKeys), url: firstString(t, urlKeys), err: firstText(t["error"], "")}
	}
	return item{}
}

func firstString(m map[string]any, keys []string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// match pairs items with files: by name when every item has one and every
// file finds its own, else by order when the counts agree, else by name as
// far as it goes.
func match(items []item, files []Upload, base *url.URL) ([]Outcome, error) {
	byName, complete := matchByName(items, files)
	switch {
	case complete:
	case len(items) == len(files):
		byName = make([]int, len(files))
		for i := range byName {
			byName[i] = i
		}
	case countNamed(items) == 0:
		return nil, protocolError("%d results came back for %d files", len(items), len(files))
	}
	out := make([]Outcome, len(files))
	for i, j := range byName {
		if j < 0 {
			out[i].Err = errors.New("the service returned no result for this file")
			continue
		}
		out[i] = outcome(items[j], base)
	}
	return out, nil
}

// matchByName returns, for each file, the index of the item with its name
// (or its name with another extension), -1 when none; complete is true when
// every item is named and every file found one.
func matchByName(items []item, files []Upload) (idx []int, complete bool) {
	idx = make([]int, len(files))
	used := make([]bool, len(items))
	complete = countNamed(items) == len(items)
	for i, f := range files {
		idx[i] = findItem(items, used, f.Name, exactName)
		if idx[i] < 0 {
			idx[i] = findItem(items, used, f.Name, sameStem)
		}
		if idx[i] < 0 {
			complete = false
		} else {
			used[idx[i]] = true
		}
	}
	return idx, complete
}

func findItem(items []item, used []bool, name string, same func(a, b string) bool) int {
	for j, it := range items {
		if !used[j] && it.name != "" && same(it.name, name) {
			return j
		}
	}
	return -1
}

func exactName(a, b string) bool { return a == b }

func sameStem(a, b string) bool {
	return strings.TrimSuffix(a, path.Ext(a)) == strings.TrimSuffix(b, path.Ext(b))
}

func countNamed(items []item) int {
	n := 0
	for _, it := range items {
		if it.name != "" {
			n++
		}
	}
	return n
}

// outcome checks one item: an error of its own, or a usable download URL.
func outcome(it item, base *url.URL) Outcome {
	if it.err != "" {
		return Outcome{Err: errors.New("Fluximage could not compress this file: " + it.err)}
	}
	if it.url == "" {
		return Outcome{Err: errors.New("the service returned no download address for this file")}
	}
	u, err := base.Parse(it.url)
	if err != nil {
		return Outcome{Err: errors.New("the service returned an unusable download address")}
	}
	if err := checkURL(u); err != nil {
		return Outcome{Err: errors.New("the service returned a download address that is not https")}
	}
	return Outcome{URL: u.String()}
}
