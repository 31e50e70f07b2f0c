package local

import (
	"image"
	"image/color"
)

// ycbcrToRGB converts a YCbCr image (as decoded by image/jpeg) to packed RGB.
// Chroma that was subsampled by two is upsampled with the triangle filter
// libjpeg calls "fancy upsampling" (3/4 nearer sample, 1/4 farther one),
// which gives the encoder the same pixels it would get from libjpeg; other
// ratios repeat the nearest sample.
func ycbcrToRGB(m *image.YCbCr, dst []byte, stride int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	fx, fy := chromaFactors(m.SubsampleRatio)
	cw := (w + fx - 1) / fx
	ch := (h + fy - 1) / fy
	colCb, colCr := make([]int32, cw), make([]int32, cw)
	cb, cr := make([]uint8, w), make([]uint8, w)
	for y := 0; y < h; y++ {
		verticalSums(colCb, m.Cb, m.CStride, y, fy, ch)
		verticalSums(colCr, m.Cr, m.CStride, y, fy, ch)
		horizontal(cb, colCb, fx)
		horizontal(cr, colCr, fx)
		yrow := m.Y[y*m.YStride : y*m.YStride+w]
		out := dst[y*stride : y*stride+3*w]
		for x, yy := range yrow {
			out[3*x], out[3*x+1], out[3*x+2] = color.YCbCrToRGB(yy, cb[x], cr[x])
		}
	}
}

// chromaFactors returns the horizontal and vertical subsampling factors.
func chromaFactors(r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}

// verticalSums fills sums with the chroma of image row y, scaled by 4: for a
// vertical factor of two, 3× the nearer chroma row plus the farther one.
func verticalSums(sums []int32, plane []uint8, cstride, y, fy, ch int) {
	near := plane[(y/fy)*cstride:]
	if fy != 2 {
		for i := range sums {
			sums[i] = 4 * int32(near[i])
		}
		return
	}
	farRow := y/2 - 1
	if y%2 == 1 {
		farRow = y/2 + 1
	}
	farRow = max(0, min(farRow, ch-1))
	far := plane[farRow*cstride:]
	for i := range sums {
		sums[i] = 3*int32(near[i]) + int32(far[i])
	}
}

// horizontal upsamples one row of 4× scaled chroma sums into out.
func horizontal(out []uint8, sums []int32, fx int) {
	last := len(sums) - 1
	switch fx {
	case 2:
		for x := range out {
			c := x / 2
			if x%2 == 0 {
				out[x] = uint8((3*sums[c] + sums[max(c-1, 0)] + 8) >> 4)
			} else {
				out[x] = uint8((3*sums[c] + sums[min(c+1, last)] + 7) >> 4)
			}
		}
	default:
		for x := range out {
			out[x] = uint8((sums[x/fx] + 2) >> 2)
		}
	}
}
