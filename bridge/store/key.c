#include "store/key.h"

#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static void mix(bridge_key *k, const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = k->h;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * FNV_PRIME;
    }
    k->h = h;
}

/* Little-endian bytes, so the key does not depend on the host's byte order. */
static void mix_u64(bridge_key *k, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
    mix(k, b, sizeof b);
}

void bridge_key_init(bridge_key *k)
{
    k->h = FNV_OFFSET;
}

void bridge_key_text(bridge_key *k, const char *s, size_t len)
{
    if (s == NULL) {
        mix(k, "n", 1);
        return;
    }
    mix(k, "t", 1);
    mix_u64(k, (uint64_t)len);
    mix(k, s, len);
}

void bridge_key_cstr(bridge_key *k, const char *s)
{
    bridge_key_text(k, s, s != NULL ? strlen(s) : 0);
}

void bridge_key_int(bridge_key *k, int64_t v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    mix(k, "i", 1);
    mix_u64(k, u);
}

void bridge_key_double(bridge_key *k, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    mix(k, "r", 1);
    mix_u64(k, u);
}

int64_t bridge_key_final(const bridge_key *k)
{
    int64_t out;
    memcpy(&out, &k->h, sizeof out); /* same bits, no implementation-defined conversion */
    return out;
}
