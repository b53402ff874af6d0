/* FNV-1a 64 (pu_hash.h). */
#include "pu_hash.h"

#include <string.h>

#define FNV64_PRIME 1099511628211ull

uint64_t pu_fnv1a64_from(uint64_t h, const char *s)
{
    return pu_fnv1a64_bytes(h, s, strlen(s));
}

uint64_t pu_fnv1a64_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * FNV64_PRIME;
    }
    return h;
}

uint64_t pu_fnv1a64(const char *s)
{
    return pu_fnv1a64_from(PU_FNV64_OFFSET, s);
}

static void tuple_u64(pu_tuple_hash *t, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
    t->h = pu_fnv1a64_bytes(t->h, b, sizeof b);
}

void pu_tuple_hash_init(pu_tuple_hash *t)
{
    t->h = PU_FNV64_OFFSET;
}

void pu_tuple_hash_text(pu_tuple_hash *t, const char *s, size_t len)
{
    if (s == NULL) {
        t->h = pu_fnv1a64_bytes(t->h, "n", 1);
        return;
    }
    t->h = pu_fnv1a64_bytes(t->h, "t", 1);
    tuple_u64(t, (uint64_t)len);
    t->h = pu_fnv1a64_bytes(t->h, s, len);
}

void pu_tuple_hash_cstr(pu_tuple_hash *t, const char *s)
{
    pu_tuple_hash_text(t, s, s != NULL ? strlen(s) : 0);
}

void pu_tuple_hash_int(pu_tuple_hash *t, int64_t v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    t->h = pu_fnv1a64_bytes(t->h, "i", 1);
    tuple_u64(t, u);
}

void pu_tuple_hash_double(pu_tuple_hash *t, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    t->h = pu_fnv1a64_bytes(t->h, "r", 1);
    tuple_u64(t, u);
}
