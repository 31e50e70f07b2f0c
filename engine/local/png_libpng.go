//go:build !nolibjpeg

package local

/*
#cgo pkg-config: libpng
#include <setjmp.h>
#include <string.h>
#include <png.h>

enum { FX_PNG_OK, FX_PNG_FAILED, FX_PNG_TRUNCATED };
enum { FX_PNG_MSG = 200 };

typedef struct {
	const unsigned char *data;
	size_t size, pos;
	int truncated;
	char msg[FX_PNG_MSG];
} fx_png_src;

// libpng reads the file from memory; running past its end is truncation.
static void fx_png_read(png_structp png, png_bytep out, size_t n) {
	fx_png_src *src = png_get_io_ptr(png);
	if (n > src->size - src->pos) {
		src->truncated = 1;
		png_error(png, "the data ends early");
	}
	memcpy(out, src->data + src->pos, n);
	src->pos += n;
}

// A libpng error returns to fx_decode_png with its message kept.
static void fx_png_error(png_structp png, png_const_charp msg) {
	fx_png_src *src = png_get_error_ptr(png);
	strncpy(src->msg, msg, FX_PNG_MSG - 1);
	src->msg[FX_PNG_MSG - 1] = 0;
	png_longjmp(png, 1);
}

// Warnings (a damaged ancillary chunk, extra data after the image) are not
// printed: the image is still read, as Go's decoder reads it.
static void fx_png_warning(png_structp png, png_const_charp msg) {}

// fx_decode_png decodes a PNG of the given size into 8-bit RGB rows, or
// RGBA rows with straight alpha when alpha is set, whatever its colour type
// and depth: 16-bit samples are rounded, palettes, grey and tRNS expanded,
// interlacing undone. Ancillary chunks other than tRNS are skipped, so no
// gamma or colour correction is applied. On failure it writes libpng's
// message to msg.
static int fx_decode_png(const unsigned char *data, size_t size, unsigned char *out,
		size_t stride, unsigned width, unsigned height, int alpha, char *msg) {
	fx_png_src src = {data, size, 0, 0, ""};
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, fx_png_error, fx_png_warning);
	if (png == NULL) {
		strcpy(msg, "out of memory");
		return FX_PNG_FAILED;
	}
	png_infop info = png_create_info_struct(png);
	if (info == NULL || setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		strcpy(msg, info == NULL ? "out of memory" : src.msg);
		return src.truncated ? FX_PNG_TRUNCATED : FX_PNG_FAILED;
	}
	png_set_read_fn(png, &src, fx_png_read);
	png_set_user_limits(png, width, height);
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
	// Every chunk's CRC is still checked, and it covers the image data too:
	// zlib's own Adler-32 sum over the inflated data adds nothing but time.
	png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
	png_read_info(png, info);
	if (png_get_image_width(png, info) != width || png_get_image_height(png, info) != height) {
		png_error(png, "the image size differs from the header's");
	}
	int type = png_get_color_type(png, info);
	png_set_expand(png);
	png_set_scale_16(png);
	if (!(type & PNG_COLOR_MASK_COLOR)) {
		png_set_gray_to_rgb(png);
	}
	int has_alpha = (type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS);
	if (alpha && !has_alpha) {
		png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	} else if (!alpha && has_alpha) {
		png_set_strip_alpha(png);
	}
	int passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != stride) {
		png_error(png, "unexpected row layout");
	}
	for (int p = 0; p < passes; p++) {
		for (unsigned y = 0; y < height; y++) {
			png_read_row(png, out + y * stride, NULL);
		}
	}
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	return FX_PNG_OK;
}
*/
import "C"

import "unsafe"

// decodePNG decodes a PNG into a raster over buf with the system's libpng,
// straight to RGB, or to RGBA when the file declares transparency.
func decodePNG(data []byte, info source, buf *buffer) (raster, error) {
	r := newRaster(buf, info.width, info.height, pngTransparent(data))
	var msg [C.FX_PNG_MSG]C.char
	switch C.fx_decode_png((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)),
		(*C.uchar)(unsafe.Pointer(&r.pix[0])), C.size_t(r.stride),
		C.uint(info.width), C.uint(info.height), C.int(boolInt(r.alpha)), &msg[0]) {
	case C.FX_PNG_OK:
		r.dropOpaqueAlpha()
		return r, nil
	case C.FX_PNG_TRUNCATED:
		return r, errTruncated(fmtPNG)
	}
	return r, failf(ErrCorrupt, "the PNG file is damaged: %s", C.GoString(&msg[0]))
}

// pngTransparent reports whether a PNG declares transparency: an alpha
// channel in its colour type, or a tRNS chunk before the image data.
func pngTransparent(data []byte) bool {
	const colorType, alphaBit = 8 + 8 + 9, 4 // in the IHDR chunk, which comes first
	if len(data) > colorType && data[colorType]&alphaBit != 0 {
		return true
	}
	found := false
	pngChunks(data, func(typ string, _ []byte) bool {
		found = found || typ == "tRNS"
		return typ != "IDAT"
	})
	return found
}

// boolInt returns 1 for true and 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
