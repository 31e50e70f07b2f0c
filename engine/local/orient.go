package local

// uprightSize returns the size of a w×h image once turned upright according
// to EXIF orientation o: orientations 5 to 8 swap width and height.
func uprightSize(w, h, o int) (int, int) {
	if o >= 5 && o <= 8 {
		return h, w
	}
	return w, h
}

// orient returns r turned upright according to EXIF orientation o, writing
// into buf. Orientation 1 (or an invalid value) returns r unchanged.
func orient(r raster, o int, buf *buffer) raster {
	if o < 2 || o > 8 {
		return r
	}
	w, h := uprightSize(r.width, r.height, o)
	out := newRaster(buf, w, h, r.alpha)
	bpp, s := r.bpp(), r.stride
	last := (r.height - 1) * s
	right := (r.width - 1) * bpp
	for y := 0; y < h; y++ {
		// Each output row is a walk through the source from start by step.
		var start, step int
		switch o {
		case 2: // mirrored left to right
			start, step = y*s+right, -bpp
		case 3: // rotated 180°
			start, step = last-y*s+right, -bpp
		case 4: // mirrored top to bottom
			start, step = last-y*s, bpp
		case 5: // mirrored along the top-left diagonal
			start, step = y*bpp, s
		case 6: // needs turning 90° clockwise
			start, step = last+y*bpp, -s
		case 7: // mirrored along the top-right diagonal
			start, step = last+right-y*bpp, -s
		case 8: // needs turning 90° counter-clockwise
			start, step = right-y*bpp, s
		}
		dst := out.pix[y*out.stride : y*out.stride+w*bpp]
		if bpp == 3 {
			for d, p := 0, start; d < len(dst); d, p = d+3, p+step {
				src := r.pix[p : p+3 : p+3]
				dst[d], dst[d+1], dst[d+2] = src[0], src[1], src[2]
			}
			continue
		}
		for d, p := 0, start; d < len(dst); d, p = d+4, p+step {
			src := r.pix[p : p+4 : p+4]
			dst[d], dst[d+1], dst[d+2], dst[d+3] = src[0], src[1], src[2], src[3]
		}
	}
	return out
}
