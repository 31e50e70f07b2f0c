package fluxtest

// Fault is a misbehaviour the server can be told to show once.
type Fault int

// The faults. Each concerns one request: the reply, or for the Download*
// faults the downloads of that request's results.
const (
	// None answers normally.
	None Fault = iota
	// Unauthorized answers 401 {"error": "Unauthorized"}, whatever the key.
	Unauthorized
	// Forbidden answers 403 with a plan message.
	Forbidden
	// TooLarge answers 413.
	TooLarge
	// RateLimited answers 429 with the Retry-After set by SetRetryAfter.
	RateLimited
	// ServerError answers 500.
	ServerError
	// Slow waits the SetSlow duration before answering normally.
	Slow
	// Stall sends the reply's headers and a few bytes, then waits the
	// SetSlow duration before the rest.
	Stall
	// Reset closes the connection without a reply.
	Reset
	// Truncated announces the whole reply but sends half, then closes.
	Truncated
	// MalformedJSON answers 200 with broken JSON.
	MalformedJSON
	// HTMLPage answers 200 with an HTML error page.
	HTMLPage
	// ItemError makes the first file's item carry an error.
	ItemError
	// RedirectAway answers 307 to the download host.
	RedirectAway
	// DownloadJSON makes the result URLs serve JSON instead of the image.
	DownloadJSON
	// DownloadHTML makes the result URLs serve an HTML page.
	DownloadHTML
	// DownloadRedirect makes the result URLs redirect to a plain-http
	// non-loopback address.
	DownloadRedirect
)

// Shape is the JSON layout of a compress reply. The service's real layout
// is not public; the client must read all of these.
type Shape int

// The shapes.
const (
	// ShapeResults: {"sessionId": …, "results": [{"originalName", "url",
	// "originalSize", "compressedSize"}]}.
	ShapeResults Shape = iota
	// ShapeArray: a top-level array of {"filename", "downloadUrl", "size"}.
	ShapeArray
	// ShapeNested: {"data": {"images": [{"name", "signed_url"}]}}.
	ShapeNested
	// ShapeUnnamed: {"files": [{"download_url"}]}, matched by order.
	ShapeUnnamed
	// ShapeReversed: ShapeResults with the items in reverse order.
	ShapeReversed
	// ShapeImageBody: for a single file, the image itself as the reply.
	ShapeImageBody
)
