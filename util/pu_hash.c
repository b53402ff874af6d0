/* FNV-1a 64 (pu_hash.h). */
#include "pu_hash.h"

#define FNV64_PRIME 1099511628211ull

uint64_t pu_fnv1a64_from(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * FNV64_PRIME;
    }
    return h;
}

uint64_t pu_fnv1a64(const char *s)
{
    return pu_fnv1a64_from(PU_FNV64_OFFSET, s);
}
