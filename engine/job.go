package engine

import (
	"context"
	"os"
)

// Job is one image to compress with the options in force when it was queued.
type Job struct {
	// ID numbers the jobs of a run from 1, in the order they were queued.
	ID int
	// Path of the original image.
	Path string
	// Root is the folder argument the path was found under ("" when the
	// path was named directly); outputs under OutDir mirror the tree below it.
	Root string
	// Size of the original in bytes when it was queued.
	Size int64
	// Options in force for this job.
	Options Options
	// Background says nobody waits for the job at the moment: the local
	// engine then runs it at the lowest CPU priority, so that the window
	// and all other work on the machine come first.
	Background bool
	// queued is the original as it was found, for the check that it is
	// still that file before it is replaced.
	queued os.FileInfo
}

// unchanged reports whether the file at path is the original as it was
// queued: the same file (device and inode), size and modification time.
func (j Job) unchanged(path string) bool {
	if j.queued == nil {
		return true // not queued by a pipeline: nothing to compare with
	}
	info, err := os.Lstat(path)
	return err == nil && os.SameFile(info, j.queued) && info.Size() == j.queued.Size() && info.ModTime().Equal(j.queued.ModTime())
}

// Result is what a compressor made of one job.
type Result struct {
	// Data is the encoded image, in Format.
	Data []byte
	// Format of Data.
	Format Format
	// Width and Height of the encoded image, when the compressor knows them;
	// the output is checked against them before it is written.
	Width, Height int
	// Encoding says how Data was encoded.
	Encoding Encoding
	// Err, when not nil, says in words a person understands why the job
	// failed; Data is then ignored.
	Err error
	// Skip, when not empty, says why the compressor left the file as it is
	// (an animated image): the job is skipped and nothing is written.
	Skip string
}

// Sink receives a compressor's progress. Its methods may be called from
// several goroutines at once.
type Sink interface {
	// Started is called when work on a job begins.
	Started(job Job)
	// Held is called when a job cannot go on for now (the service rejected
	// the API key) but must not fail: the compressor keeps it and later
	// reports it as started or finished. Reason tells the user what to do.
	Held(job Job, reason string)
	// Finished is called exactly once for every job the compressor took.
	Finished(job Job, result Result)
}

// Compressor turns jobs into results. It takes jobs from the channel until it
// is closed or ctx is done, and decides its own concurrency. It returns when
// every job it took has been reported to the sink.
type Compressor interface {
	Compress(ctx context.Context, jobs <-chan Job, sink Sink)
}
