package remote

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// serverMessage extracts the server's explanation from an error reply: the
// "error" or "message" of a JSON body, or a short plain-text body. HTML
// pages give nothing. The key is masked should the server echo it.
func serverMessage(r *reply, key string) string {
	body := bytes.TrimSpace(r.body)
	var msg string
	switch {
	case looksLikeHTML(body):
	case len(body) > 0 && (body[0] == '{' || body[0] == '['):
		var v struct {
			Error   any    `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &v) == nil {
			msg = firstText(v.Error, v.Message)
		}
	case len(body) <= 200 && utf8.Valid(body):
		msg = string(body)
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if key != "" {
		msg = strings.ReplaceAll(msg, key, "flx_live_…")
	}
	return msg
}

// firstText returns the first non-empty text among an "error" value that
// may be a string or an object with a message, and a plain message.
func firstText(errVal any, message string) string {
	switch e := errVal.(type) {
	case string:
		if e != "" {
			return e
		}
	case map[string]any:
		if m, ok := e["message"].(string); ok && m != "" {
			return m
		}
	}
	return message
}

// looksLikeHTML reports whether b starts like an HTML or XML document.
func looksLikeHTML(b []byte) bool {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	head := strings.ToLower(string(b[:min(len(b), 64)]))
	return strings.HasPrefix(head, "<!doctype") || strings.HasPrefix(head, "<html") ||
		strings.HasPrefix(head, "<?xml") || strings.HasPrefix(head, "<head") ||
		strings.HasPrefix(head, "<body") || strings.HasPrefix(head, "<!--")
}
