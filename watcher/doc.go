// Package watcher watches folders recursively and hands over image files
// once they have settled: written completely, unchanged over a quiet period,
// readable, and with a header that decodes as an image.
//
// It never hands over what Fluxdesk wrote itself (its outputs, temp files
// and backup folders), hidden files, editor and download temporaries, or a
// file already processed with the same content. Lost events, too many
// pending changes and a watched folder that is removed and recreated lead to
// a rescan, reported as a Status, never to a crash. It knows nothing of any
// user interface: it reports through a channel of files and a status
// callback.
package watcher
