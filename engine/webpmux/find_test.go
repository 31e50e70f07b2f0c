package webpmux

import (
	"bytes"
	"testing"
)

func TestFind(t *testing.T) {
	payload := []byte("odd length payload")
	for name, data := range encodings(t, 37, 21) {
		t.Run(name, func(t *testing.T) {
			if _, ok := Find(bytes.NewReader(data), "TEST", 100); ok {
				t.Fatal("found a chunk never added")
			}
			out, err := Add(data, Chunk{ID: "TEST", Data: payload}, Chunk{ID: XMP, Data: []byte("<x/>")})
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := Find(bytes.NewReader(out), "TEST", 100); !ok || !bytes.Equal(got, payload) {
				t.Errorf("Find = %q, %v", got, ok)
			}
			if _, ok := Find(bytes.NewReader(out), "TEST", len(payload)-1); ok {
				t.Error("Find read a payload over its limit")
			}
			if _, ok := Find(bytes.NewReader(out[:len(out)-4]), "TEST", 100); ok {
				t.Error("Find returned a cut payload")
			}
		})
	}
	if _, ok := Find(bytes.NewReader([]byte("\xff\xd8\xff\xe0 a JPEG file")), "TEST", 100); ok {
		t.Error("Find found a chunk in a JPEG")
	}
}
