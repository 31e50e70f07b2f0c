// Package record is Fluxdesk's persistent memory of what it did: the outputs
// it wrote (so that they are never taken for originals) and the originals it
// processed, with their size, modification time and content hash (so that the
// same content is never processed twice, not after a restart, a rescan or a
// change of timestamp only).
//
// The record is one bbolt file under the user's state folder, opened for
// each operation and closed right after, so that several Fluxdesk processes
// share it; there is nothing to close. A Record is safe for concurrent use.
package record
