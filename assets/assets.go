// Package assets embeds Fluxdesk's icon and other resources into the binary.
package assets

import _ "embed"

// Icon is the application icon as PNG bytes.
//
//go:embed icon.png
var Icon []byte
