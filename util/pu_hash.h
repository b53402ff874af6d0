/* FNV-1a 64 over text: a small, stable hash for ids (hash tables, values derived from an
 * id). Not for anything an attacker may steer into collisions. */
#ifndef PU_HASH_H
#define PU_HASH_H

#include <stdint.h>

#define PU_FNV64_OFFSET 14695981039346656037ull

/* Continues hash @p h over the bytes of @p s (up to its NUL). */
uint64_t pu_fnv1a64_from(uint64_t h, const char *s);

/* FNV-1a 64 of @p s. */
uint64_t pu_fnv1a64(const char *s);

#endif
