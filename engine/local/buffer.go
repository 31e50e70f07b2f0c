package local

// #include <stdlib.h>
import "C"

import "unsafe"

// buffer is reusable pixel memory allocated outside the Go heap. Kept on
// the Go heap, a worker's large buffers would count as live data and let
// the garbage collector's heap goal, twice the live data, grow by as much
// again; outside it, peak memory stays close to what the workers use.
//
// A nil *buffer hands out ordinary Go memory.
type buffer struct {
	mem []byte
}

// get returns n bytes of the buffer, replacing it with a larger one when
// needed; the previous contents are not kept.
func (b *buffer) get(n int) []byte {
	if b == nil {
		return make([]byte, n)
	}
	if cap(b.mem) < n {
		b.free()
		p := C.malloc(C.size_t(n))
		if p == nil {
			panic("out of memory for pixels")
		}
		b.mem = unsafe.Slice((*byte)(p), n)
	}
	return b.mem[:n]
}

// size returns the buffer's capacity in bytes.
func (b *buffer) size() int {
	return cap(b.mem)
}

// free releases the buffer's memory; the buffer stays usable.
func (b *buffer) free() {
	if b.mem != nil {
		C.free(unsafe.Pointer(&b.mem[:1][0]))
		b.mem = nil
	}
}
