package main

import (
	"os"
	"runtime"
)

// displayMissing reports whether there is no display to open the window on.
// Where Fyne's desktop driver speaks X11 (every system but Windows and
// macOS; Wayland desktops provide X11 through XWayland) that is an unset
// DISPLAY, which GLFW would otherwise answer with a panic.
func displayMissing() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return false
	}
	return os.Getenv("DISPLAY") == ""
}
