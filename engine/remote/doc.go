// Package remote is Fluxdesk's Fluximage engine: a client for the Fluximage
// API (usage check, batched upload, download of the results, retries) and an
// engine.Compressor built on it. It never writes output files: it returns the
// bytes it downloaded, checked to be an image of the requested format, and
// leaves writing to the pipeline.
package remote
