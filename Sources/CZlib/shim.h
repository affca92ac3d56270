#include <zlib.h>

/* inflateInit2 is a macro; Swift cannot call it. */
static inline int agora_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

/* deflateInit2 is a macro too; the tests use it to write zip files and gzip answers. */
static inline int agora_deflate_init(z_stream *stream, int window_bits) {
    return deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}
