// Package record is Fluxdesk's persistent memory of what it did: the outputs
// it wrote (so that they are never taken for originals) and the originals it
// processed, with their size, modification time and content hash (so that the
// same content is never processed twice, not after a restart, a rescan or a
// change of timestamp only).
//
// The record is one bbolt file under the user's state folder, opened for
// each operation and closed right after, so that several Fluxdesk processes
// share it. Writes are queued for one bookkeeping goroutine, which commits
// all those queued in one transaction; Flush waits for them, and a program
// calls it before it ends. The claims of output names being written are
// locks on small files beside it. A Record is safe for concurrent use.
package record
