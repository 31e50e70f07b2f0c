// Package local compresses images to WebP on this machine.
//
// A Compressor runs one worker goroutine per CPU core. Each worker reads a
// file, recognises its format from its content, refuses images whose header
// claims more pixels than the job allows, decodes it (JPEG through the
// system's libjpeg-turbo, or in Go when built with the nolibjpeg tag), turns it
// upright according to its EXIF orientation, scales it down when asked, and
// encodes it as WebP with its ICC colour profile. Pixel buffers belong to a
// worker and are reused from one image to the next, so memory grows with the
// number of workers, never with the length of the batch.
package local
