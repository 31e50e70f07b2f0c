package engine

import "unicode/utf8"

// maxNameBytes is the longest file name the usual file systems take (ext4,
// XFS, Btrfs and APFS count bytes; NTFS allows as many UTF-16 units).
const maxNameBytes = 255

// fitStem shortens stem, never inside a character, so that stem+tail fits
// in a file name: an original named near the limit gets a shortened output
// name instead of an error once its output is ready.
func fitStem(stem, tail string) string {
	room := maxNameBytes - len(tail)
	if len(stem) <= room {
		return stem
	}
	cut := max(room, 0)
	for cut > 0 && cut > room-utf8.UTFMax && !utf8.RuneStart(stem[cut]) {
		cut-- // back to the start of the character the cut went through
	}
	return stem[:cut]
}
