// Package settings holds the user's Fluxdesk settings: engine, output,
// watched folders and window size. They are kept as JSON in the user's
// config folder (os.UserConfigDir()/fluxdesk/settings.json), written
// atomically, and shared by the window and the command line. The API key is
// never part of them: it lives in the keychain only.
package settings
