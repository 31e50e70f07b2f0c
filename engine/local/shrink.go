package local

// shrinkFactor returns the whole factor by which a w×h raster can be box
// filtered before a reduction to tw×th, leaving Catmull-Rom a reduction of
// two to four times; 1 when the reduction is too small to need it.
func shrinkFactor(w, h, tw, th int) int {
	return max(1, min(w/(2*tw), h/(2*th)))
}

// shrink averages blocks of k×k pixels of r into a raster over buf (the
// blocks of the last column and row may be smaller). It is cheap and exact,
// and spares the Catmull-Rom filter, whose cost and scratch memory grow
// with the size of its input, most of a large reduction. Alpha is averaged
// premultiplied, so transparent pixels give no colour to the result.
func shrink(r raster, k int, buf *buffer) raster {
	w, h := (r.width+k-1)/k, (r.height+k-1)/k
	out := newRaster(buf, w, h, r.alpha)
	bpp := r.bpp()
	sums := make([]uint64, 4*w)
	for oy := 0; oy < h; oy++ {
		clear(sums)
		y0, y1 := oy*k, min(oy*k+k, r.height)
		for y := y0; y < y1; y++ {
			row := r.pix[y*r.stride : y*r.stride+bpp*r.width]
			for x, ox := 0, 0; x < r.width; x, ox = x+k, ox+1 {
				s := sums[4*ox : 4*ox+4 : 4*ox+4]
				block := row[bpp*x : bpp*min(x+k, r.width)]
				for i := 0; i < len(block); i += bpp {
					p := block[i : i+bpp : i+bpp]
					if bpp == 3 {
						s[0] += uint64(p[0])
						s[1] += uint64(p[1])
						s[2] += uint64(p[2])
						continue
					}
					a := uint64(p[3])
					s[0] += uint64(p[0]) * a
					s[1] += uint64(p[1]) * a
					s[2] += uint64(p[2]) * a
					s[3] += a
				}
			}
		}
		dst := out.pix[oy*out.stride:]
		for ox := 0; ox < w; ox++ {
			s := sums[4*ox : 4*ox+4 : 4*ox+4]
			n := uint64((min(ox*k+k, r.width) - ox*k) * (y1 - y0))
			d := dst[bpp*ox : bpp*ox+bpp : bpp*ox+bpp]
			if bpp == 3 {
				d[0], d[1], d[2] = uint8((s[0]+n/2)/n), uint8((s[1]+n/2)/n), uint8((s[2]+n/2)/n)
				continue
			}
			a := s[3]
			if a == 0 {
				d[0], d[1], d[2], d[3] = 0, 0, 0, 0
				continue
			}
			d[0], d[1], d[2] = uint8((s[0]+a/2)/a), uint8((s[1]+a/2)/a), uint8((s[2]+a/2)/a)
			d[3] = uint8((a + n/2) / n)
		}
	}
	return out
}
