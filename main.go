// Command fluxdesk compresses images: without a subcommand it opens the
// Fluxdesk window (queueing any files and folders named on the command
// line), with one it runs on the command line without a display.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"fluxdesk/assets"
	"fluxdesk/ui"
	"fluxdesk/ui/cli"
	"fluxdesk/ui/desktop"
	_ "fluxdesk/ui/locale" // before Fyne reads the locale
)

func main() {
	if !cli.OpensWindow(os.Args[1:]) {
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if displayMissing() {
		fmt.Fprintln(os.Stderr, "fluxdesk: no display to open the window on; without one, compress with: fluxdesk compress PATH... (fluxdesk help lists every command)")
		os.Exit(cli.ExitFailed)
	}
	runGUI(os.Args[1:])
}

func runGUI(paths []string) {
	launches, handedOff, err := desktop.Claim(paths)
	if handedOff {
		return // the window already open took the files
	}
	warn(err) // then this window opens without taking later launches' files
	warn(desktop.MigrateAppFolder())
	a := app.NewWithID(desktop.AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	quitOnSignal(a)
	w := a.NewWindow("Fluxdesk")
	w.SetContent(ui.Create(a, w, paths, launches))
	w.ShowAndRun()
}

func warn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "fluxdesk: warning:", err)
	}
}

// quitOnSignal quits the app cleanly on SIGINT or SIGTERM, including one that
// arrives while the window is still being set up (Fyne listens for them only
// once its event loop runs). It stops the driver's loop rather than calling
// a.Quit: a.Quit marks the windows closing first, and a pointer event the
// loop handles before it stops then crashes Fyne's GLFW driver (a nil
// window when the cursor shape changes).
func quitOnSignal(a fyne.App) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		fyne.Do(a.Driver().Quit)
	}()
}
