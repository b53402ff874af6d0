/*
 * pu_buf: the one growable byte buffer of the tree, in the manner of curl's dynbuf.
 *
 *  - A size cap: a buffer never holds more than its max_bytes (every buffer fed by the
 *    network has one; see CONVENTIONS "Every growable buffer fed by the network has a cap").
 *  - A sticky error: once an append fails (cap or out of memory) every later append fails
 *    with the same code and leaves the buffer alone, so a caller can append many pieces and
 *    check pu_buf_error() (or the result of pu_buf_take()) once at the end.
 *  - Explicit length; the bytes are kept NUL-terminated (data[len] == '\0') once the buffer
 *    has storage, so they can be read as a C string.
 *  - An optional allocator pair, so the SDK's buffers go through its own allocator
 *    (particle__realloc/particle__free) and its OOM tests reach them. NULL = the C library.
 *  - Secret mode (pu_buf_keep_secret): every byte the buffer gives back to the allocator is
 *    overwritten first, on growth and on dispose, for bodies that carry tokens or passwords.
 *
 * Servers that cannot go on after out of memory initialise with pu_buf_xinit(): no cap, the
 * C library, and any failure aborts the process (like pu_xstrdup), so they need not check.
 *
 * Threads: a buffer is used by one thread at a time.
 */
#ifndef PU_BUF_H
#define PU_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Error codes; 0 is success. */
enum { PU_BUF_ENOMEM = -1, PU_BUF_ETOOBIG = -2 };

/* An allocator pair. realloc_fn(NULL, n) must allocate; free_fn(NULL) must do nothing. */
typedef struct pu_allocator {
    void *(*realloc_fn)(void *ptr, size_t size);
    void (*free_fn)(void *ptr);
} pu_allocator;

typedef struct pu_buf {
    char *data;                /* NULL until the first append or reserve */
    size_t len;                /* bytes used, not counting the terminating NUL */
    size_t cap;                /* bytes allocated */
    size_t max_bytes;          /* appends that would make len exceed this fail */
    const pu_allocator *alloc; /* NULL = realloc/free */
    int error;                 /* sticky: 0, PU_BUF_ENOMEM or PU_BUF_ETOOBIG */
    bool secret;               /* wipe memory before giving it back */
    bool abort_on_error;       /* pu_buf_xinit(): a failure aborts the process */
} pu_buf;

/* A zeroed pu_buf is empty and may be disposed, but appends to it fail until it is
 * initialised. */

/* No cap beyond what a size_t can count. */
#define PU_BUF_UNLIMITED ((size_t)-1)

/* An empty buffer (allocates nothing) that holds at most @p max_bytes bytes and takes its
 * memory from @p alloc (NULL = the C library; the pair must outlive the buffer). */
void pu_buf_init(pu_buf *b, size_t max_bytes, const pu_allocator *alloc);

/* Server policy: no cap, the C library, and any failure aborts (nothing to check). */
void pu_buf_xinit(pu_buf *b);

/* From now on memory is overwritten before it is freed or left behind by a reallocation. */
void pu_buf_keep_secret(pu_buf *b);

/* Frees the data (wiping it in secret mode) and leaves an empty buffer with the same cap,
 * allocator and modes, and no error. NULL-safe. */
void pu_buf_dispose(pu_buf *b);

/* Empties the buffer but keeps its storage, and clears the error. */
static inline void pu_buf_reset(pu_buf *b)
{
    b->len = 0;
    b->error = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

/* Makes room for @p more bytes beyond len (plus the NUL). Returns 0 or the error. */
int pu_buf_reserve(pu_buf *b, size_t more);

/* pu_buf_append() when the bytes do not fit the storage: grows it (or fails). */
int pu_buf_append_grow(pu_buf *b, const void *p, size_t n);

/* Appends @p n bytes of @p p (p may be NULL when n is 0). Returns 0 or the (sticky) error;
 * on failure the contents are left as they were. Inline because parsers (pu_sse) append a
 * few bytes per line: the common case, room in the storage, is a copy. The storage never
 * exceeds max_bytes + 1, so fitting in it also keeps within the cap. */
static inline int pu_buf_append(pu_buf *b, const void *p, size_t n)
{
    if (b->error != 0 || n >= b->cap - b->len) {
        return pu_buf_append_grow(b, p, n);
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Appends the C string @p s. Same returns as pu_buf_append(). */
int pu_buf_append_str(pu_buf *b, const char *s);

/* Appends one byte. Same returns as pu_buf_append(). */
static inline int pu_buf_append_char(pu_buf *b, char c)
{
    return pu_buf_append(b, &c, 1);
}

/* Appends @p s percent-encoded: everything but RFC 3986 unreserved characters becomes %XX. */
int pu_buf_append_percent_encoded(pu_buf *b, const char *s);

/* Appends "key=value", both percent-encoded, preceded by '&' unless the buffer is empty:
 * builds query strings and application/x-www-form-urlencoded bodies. */
int pu_buf_append_param(pu_buf *b, const char *key, const char *value);

/* 0, or the error that stopped an earlier append. */
int pu_buf_error(const pu_buf *b);

/* The contents as a C string: "" while the buffer has no storage. Borrowed from @p b. */
static inline const char *pu_buf_str(const pu_buf *b)
{
    return b->data != NULL ? b->data : "";
}

/*
 * Hands the data over: returns the NUL-terminated bytes, allocated with the buffer's
 * allocator (caller frees with its free_fn, free() for the C library), and stores their
 * length in *len_out (may be NULL); the buffer is left empty with no error. An empty buffer
 * gives an allocated "". NULL when an earlier append failed or out of memory: the data is
 * then freed (wiped in secret mode).
 */
char *pu_buf_take(pu_buf *b, size_t *len_out);

#endif
