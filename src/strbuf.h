/* A growable byte buffer with a hard cap, for response bodies, query strings and form
 * bodies. Always NUL-terminated after a successful append. */
#ifndef PARTICLE_STRBUF_H
#define PARTICLE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct particle__buf {
    char *data;   /* NULL until the first append */
    size_t len;   /* bytes used, without the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* appends beyond this many bytes fail */
    bool too_big; /* an append failed because of max */
} particle__buf;

/* Empty buffer that refuses to grow beyond @p max bytes. */
void particle__buf_init(particle__buf *b, size_t max);

/* Appends @p len bytes. Returns 0, or -1 (too_big set, or out of memory); the buffer is
 * left as it was on failure. */
int particle__buf_append(particle__buf *b, const void *data, size_t len);

/* Appends a NUL-terminated string. Same returns as particle__buf_append(). */
int particle__buf_puts(particle__buf *b, const char *s);

/* Appends "key=value" percent-encoded (RFC 3986 unreserved kept), preceded by '&' unless
 * the buffer is empty: builds query strings and x-www-form-urlencoded bodies. */
int particle__buf_add_param(particle__buf *b, const char *key, const char *value);

/* Frees the memory, overwriting it first when @p wipe (bodies that carry secrets). */
void particle__buf_dispose(particle__buf *b, bool wipe);

#endif
