#include "pu_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_str.h"

#define MIN_CAP 64

static void *c_realloc(void *ptr, size_t size)
{
    return realloc(ptr, size);
}

static void c_free(void *ptr)
{
    free(ptr);
}

static const pu_allocator c_library = {c_realloc, c_free};

static const pu_allocator *allocator(const pu_buf *b)
{
    return b->alloc != NULL ? b->alloc : &c_library;
}

void pu_buf_init(pu_buf *b, size_t max_bytes, const pu_allocator *alloc)
{
    memset(b, 0, sizeof(*b));
    b->max_bytes = max_bytes;
    b->alloc = alloc;
}

void pu_buf_xinit(pu_buf *b)
{
    pu_buf_init(b, PU_BUF_UNLIMITED, NULL);
    b->abort_on_error = true;
}

void pu_buf_keep_secret(pu_buf *b)
{
    b->secret = true;
}

static void release(pu_buf *b, char *data, size_t cap)
{
    if (data != NULL && b->secret) {
        pu_secure_zero(data, cap);
    }
    allocator(b)->free_fn(data);
}

void pu_buf_dispose(pu_buf *b)
{
    if (b == NULL) {
        return;
    }
    release(b, b->data, b->cap);
    b->data = NULL;
    b->len = b->cap = 0;
    b->error = 0;
}

/* Records the first error; a buffer that may not fail ends the process instead. */
static int fail(pu_buf *b, int error)
{
    if (b->abort_on_error) {
        fprintf(stderr, "pu_buf: %s\n", error == PU_BUF_ENOMEM ? "out of memory" : "too big");
        abort();
    }
    b->error = error;
    return error;
}

/* Moves the data to @p cap bytes. In secret mode the old block is wiped, so the bytes are
 * copied by hand rather than left behind by realloc. */
static int grow(pu_buf *b, size_t cap)
{
    char *data;
    if (b->secret) {
        data = allocator(b)->realloc_fn(NULL, cap);
        if (data != NULL && b->data != NULL) {
            memcpy(data, b->data, b->len + 1);
            release(b, b->data, b->cap);
        }
    } else {
        data = allocator(b)->realloc_fn(b->data, cap);
    }
    if (data == NULL) {
        return fail(b, PU_BUF_ENOMEM);
    }
    b->data = data;
    b->cap = cap;
    b->data[b->len] = '\0';
    return 0;
}

int pu_buf_reserve(pu_buf *b, size_t more)
{
    size_t need;
    if (b->error != 0) {
        return b->error;
    }
    if (__builtin_add_overflow(b->len, more, &need) || need > b->max_bytes ||
        __builtin_add_overflow(need, 1, &need)) {
        return fail(b, PU_BUF_ETOOBIG);
    }
    if (need <= b->cap) {
        return 0;
    }
    size_t cap = b->cap > MIN_CAP ? b->cap : MIN_CAP;
    while (cap < need) {
        if (__builtin_mul_overflow(cap, 2, &cap)) {
            cap = need;
        }
    }
    /* Never allocate past the cap (plus the NUL) only because of doubling. */
    if (b->max_bytes < cap - 1) {
        cap = b->max_bytes + 1;
    }
    return grow(b, cap);
}

int pu_buf_append_grow(pu_buf *b, const void *p, size_t n)
{
    int rc = pu_buf_reserve(b, n);
    if (rc != 0) {
        return rc;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int pu_buf_append_str(pu_buf *b, const char *s)
{
    return pu_buf_append(b, s, strlen(s));
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

int pu_buf_append_percent_encoded(pu_buf *b, const char *s)
{
    static const char digits[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        const unsigned char *run = p;
        while (*p != '\0' && unreserved(*p)) {
            p++;
        }
        if (pu_buf_append(b, run, (size_t)(p - run)) != 0) {
            return b->error;
        }
        if (*p != '\0') {
            char esc[3] = {'%', digits[*p >> 4], digits[*p & 0xf]};
            if (pu_buf_append(b, esc, sizeof(esc)) != 0) {
                return b->error;
            }
            p++;
        }
    }
    return b->error;
}

int pu_buf_append_param(pu_buf *b, const char *key, const char *value)
{
    if (b->len > 0) {
        pu_buf_append_char(b, '&');
    }
    pu_buf_append_percent_encoded(b, key);
    pu_buf_append_char(b, '=');
    return pu_buf_append_percent_encoded(b, value);
}

int pu_buf_error(const pu_buf *b)
{
    return b->error;
}

char *pu_buf_take(pu_buf *b, size_t *len_out)
{
    if (b->error == 0) {
        (void)pu_buf_reserve(b, 0); /* an empty buffer still gives a "" */
    }
    if (b->error != 0) {
        pu_buf_dispose(b);
        return NULL;
    }
    char *data = b->data;
    if (len_out != NULL) {
        *len_out = b->len;
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return data;
}
