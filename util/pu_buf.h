/*
 * pu_buf: a growable byte buffer for building response bodies and other text. The bytes are
 * kept NUL-terminated (data[len] == '\0') so they can be read as a C string, and the data
 * is malloc'd, so a caller can take it and later free() it.
 *
 * Out of memory aborts (server policy, like pu_xstrdup): no function here fails. Lengths
 * are checked for overflow.
 *
 * Threads: a buffer is used by one thread at a time.
 */
#ifndef PU_BUF_H
#define PU_BUF_H

#include <stddef.h>

typedef struct pu_buf {
    char *data; /* NULL until the first append or reserve */
    size_t len; /* bytes used, not counting the terminating NUL */
    size_t cap; /* bytes allocated */
} pu_buf;

/* An empty buffer (allocates nothing). */
void pu_buf_init(pu_buf *b);
/* Frees the data and leaves the buffer empty. NULL-safe. */
void pu_buf_dispose(pu_buf *b);
/* Makes room for @p more bytes beyond len (plus the NUL) without reallocating later. */
void pu_buf_reserve(pu_buf *b, size_t more);
/* Appends @p n bytes of @p p. */
void pu_buf_append(pu_buf *b, const void *p, size_t n);
/* Appends the C string @p s. */
void pu_buf_append_str(pu_buf *b, const char *s);
/* Appends one byte. */
void pu_buf_append_char(pu_buf *b, char c);
/*
 * Hands the data over: returns the malloc'd, NUL-terminated bytes (caller frees with free())
 * and stores their length in *len_out (may be NULL); the buffer is left empty. An empty
 * buffer gives a malloc'd "".
 */
char *pu_buf_take(pu_buf *b, size_t *len_out);

#endif
