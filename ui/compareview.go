package ui

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/image/draw"
)

// splitGrab is how close to the split line (in Fyne units) a drag must
// start to move the line rather than pan.
const splitGrab = 16

// compareView shows two images of the same picture over each other: the
// "before" left of a split line, the "after" right of it. Drag the line to
// move it, tap to put it there; at 100 % drag elsewhere to pan.
type compareView struct {
	widget.BaseWidget

	before, after *image.RGBA // after is scaled to before's size
	actual        bool        // 100 %: one image pixel per screen pixel
	split         float32     // position of the line, 0–1 of the width
	pan           fyne.Position
	dragSplit     bool
	dragging      bool

	raster *canvas.Raster
	fit    struct { // the images scaled to fit, for the last size drawn
		w, h          int
		before, after *image.RGBA
	}
	frame *image.RGBA
	scale float32 // raster pixels per Fyne unit, from the last draw

	// onZoom is told when the zoom changes (to update the zoom buttons).
	onZoom func(actual bool)
}

func newCompareView() *compareView {
	v := &compareView{split: 0.5, scale: 1}
	v.raster = canvas.NewRaster(v.draw)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer draws the raster.
func (v *compareView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.raster)
}

// MinSize leaves room for a useful comparison.
func (v *compareView) MinSize() fyne.Size { return fyne.NewSize(320, 240) }

// setImages shows before and after; after is stretched to before's size so
// that the two line up even when the output was scaled down.
func (v *compareView) setImages(before, after image.Image) {
	v.before = toRGBA(before, before.Bounds().Dx(), before.Bounds().Dy())
	v.after = toRGBA(after, v.before.Bounds().Dx(), v.before.Bounds().Dy())
	v.fit.before, v.fit.after = nil, nil
	v.raster.Refresh()
}

// setActual switches between fitting the window and 100 %.
func (v *compareView) setActual(actual bool) {
	v.actual = actual
	v.pan = fyne.Position{}
	if v.onZoom != nil {
		v.onZoom(actual)
	}
	v.raster.Refresh()
}

// Tapped puts the split line where the user tapped.
func (v *compareView) Tapped(e *fyne.PointEvent) {
	v.moveSplit(e.Position.X)
}

// DoubleTapped toggles between fit and 100 %.
func (v *compareView) DoubleTapped(*fyne.PointEvent) {
	v.setActual(!v.actual)
}

// Dragged moves the split line when the drag started on it, else pans.
func (v *compareView) Dragged(e *fyne.DragEvent) {
	if !v.dragging {
		v.dragging = true
		lineX := v.split * v.Size().Width
		start := e.Position.X - e.Dragged.DX
		v.dragSplit = !v.actual || abs32(start-lineX) <= splitGrab
	}
	if v.dragSplit {
		v.moveSplit(e.Position.X)
		return
	}
	v.pan = v.pan.Add(fyne.NewPos(e.Dragged.DX, e.Dragged.DY))
	v.raster.Refresh()
}

// DragEnd ends a drag.
func (v *compareView) DragEnd() {
	v.dragging = false
}

func (v *compareView) moveSplit(x float32) {
	w := v.Size().Width
	if w <= 0 {
		return
	}
	v.split = min(max(x/w, 0), 1)
	v.raster.Refresh()
}

// draw composes the frame: background, both images cut at the split, and
// the line.
func (v *compareView) draw(w, h int) image.Image {
	if v.frame == nil || v.frame.Bounds().Dx() != w || v.frame.Bounds().Dy() != h {
		v.frame = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	dst := v.frame
	draw.Draw(dst, dst.Bounds(), image.NewUniform(theme.Color(theme.ColorNameBackground)), image.Point{}, draw.Src)
	if size := v.Size(); size.Width > 0 {
		v.scale = float32(w) / size.Width
	}
	if v.before == nil {
		return dst
	}
	before, after, origin := v.placed(w, h)
	splitX := int(v.split * float32(w))
	area := before.Bounds().Add(origin).Intersect(dst.Bounds())
	left := area
	left.Max.X = min(left.Max.X, splitX)
	right := area
	right.Min.X = max(right.Min.X, splitX)
	if !left.Empty() {
		draw.Draw(dst, left, before, left.Min.Sub(origin), draw.Src)
	}
	if !right.Empty() {
		draw.Draw(dst, right, after, right.Min.Sub(origin), draw.Src)
	}
	v.drawLine(dst, splitX)
	return dst
}

// placed returns the images at the zoom in force and where their top-left
// corner goes in a w×h frame.
func (v *compareView) placed(w, h int) (before, after *image.RGBA, origin image.Point) {
	iw, ih := v.before.Bounds().Dx(), v.before.Bounds().Dy()
	if v.actual {
		// Centre, then pan, kept within the image's edges.
		x := (w-iw)/2 + int(v.pan.X*v.scale)
		y := (h-ih)/2 + int(v.pan.Y*v.scale)
		x = clampOrigin(x, w, iw)
		y = clampOrigin(y, h, ih)
		return v.before, v.after, image.Pt(x, y)
	}
	s := min(float32(w)/float32(iw), float32(h)/float32(ih), 1)
	dw, dh := max(1, int(float32(iw)*s)), max(1, int(float32(ih)*s))
	if v.fit.before == nil || v.fit.w != dw || v.fit.h != dh {
		v.fit.w, v.fit.h = dw, dh
		v.fit.before, v.fit.after = toRGBA(v.before, dw, dh), toRGBA(v.after, dw, dh)
	}
	return v.fit.before, v.fit.after, image.Pt((w-dw)/2, (h-dh)/2)
}

// clampOrigin keeps an image of size n within a view of size view: centred
// when smaller, never showing a gap at an edge when larger.
func clampOrigin(x, view, n int) int {
	if n <= view {
		return (view - n) / 2
	}
	return min(max(x, view-n), 0)
}

// drawLine draws the split line with a contrasting edge, and its handle.
func (v *compareView) drawLine(dst *image.RGBA, x int) {
	h := dst.Bounds().Dy()
	lineW := max(2, int(2*v.scale))
	line := image.Rect(x-lineW/2, 0, x+lineW-lineW/2, h)
	edge := line.Inset(-1)
	draw.Draw(dst, edge, image.NewUniform(color.NRGBA{0, 0, 0, 120}), image.Point{}, draw.Over)
	draw.Draw(dst, line, image.NewUniform(color.White), image.Point{}, draw.Src)
	r := int(10 * v.scale)
	handle := image.Rect(x-r, h/2-r, x+r, h/2+r)
	draw.Draw(dst, handle.Inset(-1), image.NewUniform(color.NRGBA{0, 0, 0, 120}), image.Point{}, draw.Over)
	draw.Draw(dst, handle, image.NewUniform(theme.Color(theme.ColorNamePrimary)), image.Point{}, draw.Src)
}

// toRGBA returns img as an RGBA image of w×h, scaled smoothly if needed.
func toRGBA(img image.Image, w, h int) *image.RGBA {
	if rgba, ok := img.(*image.RGBA); ok && rgba.Bounds() == image.Rect(0, 0, w, h) {
		return rgba
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	b := img.Bounds()
	if b.Dx() == w && b.Dy() == h {
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	} else {
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	}
	return dst
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}
