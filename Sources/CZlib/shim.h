#include <zlib.h>

// zlib's init functions are macros that pass the library version and the stream's size;
// Swift cannot call macros, so these wrap them.
static inline int czlib_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

// A raw deflate stream (no header or trailer), for blocks compressed in parallel and joined
// into one gzip member, as pigz does.
static inline int czlib_deflate_init_raw(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}
