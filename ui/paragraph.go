package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// paragraph returns wrapped text laid out at width. A wrapping label
// measures its height from its current width, which is zero until it is
// laid out, so in a dialog or a box it would ask for one line per word;
// giving it a width from the start keeps its height to the lines it needs.
func paragraph(text string, width float32) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	pad := theme.InnerPadding()
	size := fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{})
	lines := math.Ceil(float64(size.Width)/float64(width-2*pad)) + 1 // word breaks waste some of each line
	height := float32(lines)*(size.Height+theme.LineSpacing()) + 2*pad
	return container.NewGridWrap(fyne.NewSize(width, height), l)
}
