// Command benchscore prints the SSIMULACRA 2 score of WebP outputs against
// their sources, for scripts/bench-auto.sh.
//
//	benchscore SOURCE OUTPUT [SOURCE OUTPUT]...
//
// Sources are PNG (decoded elsewhere, as the engine decodes them); outputs
// are WebP. It prints one line per pair: the score, then the output's path.
package main

import (
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"

	"github.com/chai2010/webp"

	"fluxdesk/engine/ssimulacra2"
)

func main() {
	args := os.Args[1:]
	if len(args) == 0 || len(args)%2 != 0 {
		fmt.Fprintln(os.Stderr, "usage: benchscore SOURCE OUTPUT [SOURCE OUTPUT]...")
		os.Exit(2)
	}
	for i := 0; i < len(args); i += 2 {
		s, err := score(args[i], args[i+1])
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchscore: %s: %v\n", args[i+1], err)
			os.Exit(1)
		}
		fmt.Printf("%.3f %s\n", s, args[i+1])
	}
}

// score compares one output with its source.
func score(src, out string) (float64, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		return 0, err
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return 0, err
	}
	d, err := webp.DecodeRGBA(data)
	if err != nil {
		return 0, err
	}
	return ssimulacra2.Score(nrgba(m), nrgba(d))
}

// nrgba lays an image out for the metric as straight RGBA.
func nrgba(m image.Image) ssimulacra2.Image {
	n, ok := m.(*image.NRGBA)
	if !ok {
		if r, isRGBA := m.(*image.RGBA); isRGBA {
			// libwebp's RGBA output is straight alpha in an image.RGBA.
			n = &image.NRGBA{Pix: r.Pix, Stride: r.Stride, Rect: r.Rect}
		} else {
			n = image.NewNRGBA(m.Bounds())
			draw.Draw(n, n.Bounds(), m, m.Bounds().Min, draw.Src)
		}
	}
	b := n.Bounds()
	return ssimulacra2.Image{Pix: n.Pix, Width: b.Dx(), Height: b.Dy(), Stride: n.Stride, Alpha: true}
}
