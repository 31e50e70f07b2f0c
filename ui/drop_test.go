package ui

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

func TestDropHandler_QueuesLocalFilesAndFolders(t *testing.T) {
	web, err := storage.ParseURI("https://example.com/cat.jpg")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	drop := dropHandler(func(paths []string) { got = append(got, paths) })
	drop(fyne.NewPos(10, 10), []fyne.URI{
		storage.NewFileURI("/photos/a b.jpg"),
		web,
		storage.NewFileURI("/photos/shoot"),
	})
	drop(fyne.NewPos(0, 0), []fyne.URI{web}) // nothing local: nothing queued
	want := [][]string{{"/photos/a b.jpg", "/photos/shoot"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("queued %q, want %q", got, want)
	}
}
