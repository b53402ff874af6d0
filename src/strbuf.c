#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "pu_str.h"

void particle__buf_init(particle__buf *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max;
}

int particle__buf_append(particle__buf *b, const void *data, size_t len)
{
    size_t need;
    if (__builtin_add_overflow(b->len, len, &need) || need > b->max) {
        b->too_big = true;
        return -1;
    }
    if (need + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need + 1) {
            if (__builtin_mul_overflow(cap, 2, &cap)) {
                return -1;
            }
        }
        char *p = particle__realloc(b->data, cap);
        if (p == NULL) {
            return -1;
        }
        b->data = p;
        b->cap = cap;
    }
    if (len > 0) {
        memcpy(b->data + b->len, data, len);
    }
    b->len = need;
    b->data[b->len] = '\0';
    return 0;
}

int particle__buf_puts(particle__buf *b, const char *s)
{
    return particle__buf_append(b, s, strlen(s));
}

int particle__buf_add_param(particle__buf *b, const char *key, const char *value)
{
    char *k = pu_percent_encode(key);
    char *v = pu_percent_encode(value);
    int rc = -1;
    if (k != NULL && v != NULL && (b->len == 0 || particle__buf_append(b, "&", 1) == 0) &&
        particle__buf_puts(b, k) == 0 && particle__buf_append(b, "=", 1) == 0 &&
        particle__buf_puts(b, v) == 0) {
        rc = 0;
    }
    if (v != NULL) {
        /* values may be passwords or tokens */
        pu_secure_zero(v, strlen(v));
    }
    particle__free(k);
    particle__free(v);
    return rc;
}

void particle__buf_dispose(particle__buf *b, bool wipe)
{
    if (wipe && b->data != NULL) {
        pu_secure_zero(b->data, b->cap);
    }
    particle__free(b->data);
    memset(b, 0, sizeof(*b));
}
