//go:build !nolibjpeg

package local

/*
#cgo pkg-config: libjpeg
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

enum { FX_OK, FX_FAILED, FX_TRUNCATED, FX_MISMATCH };

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	int truncated;
} fx_error;

// A fatal libjpeg error returns to fx_decode_rgb instead of ending the process.
static void fx_error_exit(j_common_ptr c) {
	longjmp(((fx_error *)c->err)->jump, 1);
}

// Warnings are not printed; those meaning that data is missing are remembered.
static void fx_emit_message(j_common_ptr c, int level) {
	int code = c->err->msg_code;
	if (level < 0 && (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER)) {
		((fx_error *)c->err)->truncated = 1;
	}
}

// fx_decode_rgb decodes a JPEG of the given size into packed RGB rows with
// libjpeg's fancy chroma upsampling. On failure it writes libjpeg's message.
static int fx_decode_rgb(const unsigned char *data, size_t size, unsigned char *out,
		size_t stride, unsigned width, unsigned height, char *msg) {
	struct jpeg_decompress_struct cinfo;
	fx_error err;
	cinfo.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = fx_error_exit;
	err.pub.emit_message = fx_emit_message;
	err.truncated = 0;
	if (setjmp(err.jump)) {
		err.pub.format_message((j_common_ptr)&cinfo, msg);
		jpeg_destroy_decompress(&cinfo);
		return FX_FAILED;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, size);
	jpeg_read_header(&cinfo, TRUE);
	if (cinfo.image_width != width || cinfo.image_height != height ||
			cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
		jpeg_destroy_decompress(&cinfo);
		return FX_MISMATCH;
	}
	cinfo.out_color_space = JCS_EXT_RGB;
	jpeg_start_decompress(&cinfo);
	JSAMPROW rows[16];
	while (cinfo.output_scanline < cinfo.output_height) {
		unsigned n = cinfo.output_height - cinfo.output_scanline;
		if (n > 16) n = 16;
		for (unsigned i = 0; i < n; i++) {
			rows[i] = out + (cinfo.output_scanline + i) * stride;
		}
		jpeg_read_scanlines(&cinfo, rows, n);
	}
	jpeg_destroy_decompress(&cinfo);
	return err.truncated ? FX_TRUNCATED : FX_OK;
}
*/
import "C"

import (
	"strings"
	"unsafe"
)

// decodeJPEG decodes a JPEG into a raster over buf with the system's
// libjpeg-turbo, straight to RGB. CMYK and YCCK images, which libjpeg cannot
// turn into RGB, go to the Go decoder.
func decodeJPEG(data []byte, info source, buf *buffer) (raster, error) {
	if info.components == 4 {
		return decodeJPEGGo(data, buf)
	}
	r := newRaster(buf, info.width, info.height, false)
	var msg [C.JMSG_LENGTH_MAX]C.char
	switch C.fx_decode_rgb((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)),
		(*C.uchar)(unsafe.Pointer(&r.pix[0])), C.size_t(r.stride),
		C.uint(info.width), C.uint(info.height), &msg[0]) {
	case C.FX_OK:
		return r, nil
	case C.FX_TRUNCATED:
		return r, failf(ErrCorrupt, "the JPEG data ends early (the file is truncated or damaged)")
	case C.FX_MISMATCH:
		return decodeJPEGGo(data, buf)
	}
	reason := C.GoString(&msg[0])
	if strings.HasPrefix(reason, "Unsupported") {
		return r, failf(ErrUnsupported, "this JPEG file uses a feature that cannot be read: %s", reason)
	}
	return r, failf(ErrCorrupt, "the JPEG file is damaged: %s", reason)
}
