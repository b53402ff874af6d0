/* FNV-1a 64 over text: a small, stable hash for ids (hash tables, values derived from an
 * id). Not for anything an attacker may steer into collisions. */
#ifndef PU_HASH_H
#define PU_HASH_H

#include <stddef.h>
#include <stdint.h>

#define PU_FNV64_OFFSET 14695981039346656037ull

/* Continues hash @p h over the bytes of @p s (up to its NUL). */
uint64_t pu_fnv1a64_from(uint64_t h, const char *s);

/* FNV-1a 64 of @p s. */
uint64_t pu_fnv1a64(const char *s);

/* Continues hash @p h over @p len bytes at @p data (which may hold NULs). */
uint64_t pu_fnv1a64_bytes(uint64_t h, const void *data, size_t len);

/*
 * FNV-1a 64 of a tuple of values: each value is framed by a type tag and text by its length
 * (little-endian, so the hash does not depend on the host), so ("ab","c") and ("a","bc")
 * differ and a NULL text differs from "". The bridge stores these hashes as exactly-once
 * keys and derives partitions and scope tags from them: the framing never changes.
 */
typedef struct pu_tuple_hash {
    uint64_t h;
} pu_tuple_hash;

void pu_tuple_hash_init(pu_tuple_hash *t);
/* @p s NULL is the SQL NULL, distinct from "". */
void pu_tuple_hash_text(pu_tuple_hash *t, const char *s, size_t len);
void pu_tuple_hash_cstr(pu_tuple_hash *t, const char *s);
void pu_tuple_hash_int(pu_tuple_hash *t, int64_t v);
void pu_tuple_hash_double(pu_tuple_hash *t, double v);

#endif
