#include "pu_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_CAP 256

void pu_buf_init(pu_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void pu_buf_dispose(pu_buf *b)
{
    if (!b)
        return;
    free(b->data);
    pu_buf_init(b);
}

static void out_of_memory(void)
{
    fprintf(stderr, "pu_buf: out of memory\n");
    abort();
}

void pu_buf_reserve(pu_buf *b, size_t more)
{
    size_t need;
    if (__builtin_add_overflow(b->len, more, &need) || __builtin_add_overflow(need, 1, &need))
        out_of_memory();
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : MIN_CAP;
    while (cap < need) {
        if (__builtin_mul_overflow(cap, 2, &cap))
            cap = need;
    }
    char *n = realloc(b->data, cap);
    if (!n)
        out_of_memory();
    b->data = n;
    b->cap = cap;
    b->data[b->len] = '\0';
}

void pu_buf_append(pu_buf *b, const void *p, size_t n)
{
    pu_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pu_buf_append_str(pu_buf *b, const char *s)
{
    pu_buf_append(b, s, strlen(s));
}

void pu_buf_append_char(pu_buf *b, char c)
{
    pu_buf_append(b, &c, 1);
}

char *pu_buf_take(pu_buf *b, size_t *len_out)
{
    pu_buf_reserve(b, 0); /* an empty buffer still gives a "" */
    char *data = b->data;
    if (len_out)
        *len_out = b->len;
    pu_buf_init(b);
    return data;
}
