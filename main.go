// Command fluxdesk compresses images: without a subcommand it opens the
// Fluxdesk window, with one it runs on the command line without a display.
package main

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"fluxdesk/assets"
	"fluxdesk/ui"
	"fluxdesk/ui/cli"
	_ "fluxdesk/ui/locale" // before Fyne reads the locale
)

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	runGUI()
}

func runGUI() {
	a := app.NewWithID("app.fluxdesk.desktop")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Fluxdesk")
	w.SetContent(ui.Create(a, w))
	w.Resize(fyne.NewSize(720, 480))
	w.ShowAndRun()
}
