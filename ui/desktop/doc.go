// Package desktop is how Fluxdesk sits on the desktop, apart from its
// window: the application ID its menu entry and its folders are named after,
// and the hand-off that makes a second launch give its files to the window
// already open instead of opening another one. It imports no Fyne package.
package desktop
