package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pulseDots is how many dots a pulse has, pulseDot a dot's diameter and
// pulseGap the space between two dots.
const (
	pulseDots = 3
	pulseDot  = 6
	pulseGap  = pulseDot / 2
)

// pulse shows that a row is being worked on: a row of dots, one of them
// bright, the bright one moving on at each step. It moves only when the
// row is set, at the queue's flushes (about ten times a second), and so
// costs no frames of its own. Fyne's Activity asks for a frame at every
// tick of its animation (60 a second): while a working row was on screen,
// as in a flood's first second, the whole window was drawn again as often
// as the UI goroutine could, and under a software renderer those frames
// took most of its time, so that a function posted to it waited behind
// one frame after another.
type pulse struct {
	widget.BaseWidget
	dots   [pulseDots]*canvas.Circle
	bright int
}

func newPulse() *pulse {
	p := &pulse{}
	for i := range p.dots {
		p.dots[i] = canvas.NewCircle(nil)
	}
	p.ExtendBaseWidget(p)
	p.colour()
	return p
}

// pulsePhase is the bright dot at time t: one step every flushInterval.
func pulsePhase(t time.Time) int {
	return int(t.UnixMilli()/flushInterval.Milliseconds()) % pulseDots
}

// show makes dot i the bright one, refreshing the dots only when it moves.
func (p *pulse) show(i int) {
	if i == p.bright {
		return
	}
	p.bright = i
	p.colour()
	for _, d := range p.dots {
		d.Refresh()
	}
}

// colour paints the bright dot in the foreground colour, the others dim.
func (p *pulse) colour() {
	for i, d := range p.dots {
		d.FillColor = theme.Color(theme.ColorNameDisabled)
		if i == p.bright {
			d.FillColor = theme.Color(theme.ColorNameForeground)
		}
	}
}

// Refresh picks up the theme's colours.
func (p *pulse) Refresh() {
	p.colour()
	p.BaseWidget.Refresh()
}

// CreateRenderer lays the dots out in a row, centred.
func (p *pulse) CreateRenderer() fyne.WidgetRenderer {
	objects := make([]fyne.CanvasObject, len(p.dots))
	for i, d := range p.dots {
		objects[i] = d
	}
	return &pulseRenderer{p: p, objects: objects}
}

type pulseRenderer struct {
	p       *pulse
	objects []fyne.CanvasObject
}

func (r *pulseRenderer) Layout(size fyne.Size) {
	x := (size.Width - r.MinSize().Width) / 2
	y := (size.Height - pulseDot) / 2
	for _, d := range r.p.dots {
		d.Move(fyne.NewPos(x, y))
		d.Resize(fyne.NewSquareSize(pulseDot))
		x += pulseDot + pulseGap
	}
}

func (r *pulseRenderer) MinSize() fyne.Size {
	return fyne.NewSize(pulseDots*pulseDot+(pulseDots-1)*pulseGap, pulseDot)
}

func (r *pulseRenderer) Refresh() {
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *pulseRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *pulseRenderer) Destroy()                     {}
