#include "api/csv.h"

#include <stdlib.h>
#include <string.h>

static void put(bridge_csv *c, const char *s, size_t n)
{
    if (c->failed) {
        return;
    }
    size_t need;
    if (__builtin_add_overflow(c->len, n + 1, &need)) {
        c->failed = true;
        return;
    }
    if (need > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < need) {
            if (__builtin_mul_overflow(cap, 2, &cap)) {
                c->failed = true;
                return;
            }
        }
        char *p = realloc(c->data, cap);
        if (p == NULL) {
            c->failed = true;
            return;
        }
        c->data = p;
        c->cap = cap;
    }
    memcpy(c->data + c->len, s, n);
    c->len += n;
    c->data[c->len] = '\0';
}

void bridge_csv_field(bridge_csv *c, const char *field, bool last)
{
    if (field[strcspn(field, ",\"\r\n")] != '\0') {
        put(c, "\"", 1);
        for (const char *p = field; *p; p++) {
            put(c, p, 1);
            if (*p == '"') {
                put(c, "\"", 1);
            }
        }
        put(c, "\"", 1);
    } else {
        put(c, field, strlen(field));
    }
    put(c, last ? "\r\n" : ",", last ? 2 : 1);
}

void bridge_csv_dispose(bridge_csv *c)
{
    free(c->data);
    memset(c, 0, sizeof *c);
}
