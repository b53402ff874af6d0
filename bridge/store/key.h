/*
 * bridge_key: the 64-bit dedup key of a stored row, built from its natural key's fields.
 *
 * Ingest tables keep a UNIQUE index on (time, key), two integers, instead of a wide UNIQUE
 * index over TEXT columns, which made every insert several times more expensive. The key
 * is FNV-1a 64 over the fields, each framed by a type tag and, for text, its length, so
 * ("ab","c") and ("a","bc") differ and NULL differs from "". A false duplicate needs two
 * different rows with the same millisecond and the same 64-bit key: with m rows in one
 * millisecond the chance is about m^2 / 2^65, nil in practice.
 *
 * The same function is registered in SQLite as bridge_key(...) (store/sqlite.c), so the
 * migrations compute keys for rows stored before. Both must stay bit-identical.
 *
 * Threads: plain values; no shared state.
 */
#ifndef BRIDGE_KEY_H
#define BRIDGE_KEY_H

#include <stddef.h>
#include <stdint.h>

typedef struct bridge_key {
    uint64_t h;
} bridge_key;

void bridge_key_init(bridge_key *k);
/* @p s NULL is the SQL NULL, distinct from "". */
void bridge_key_text(bridge_key *k, const char *s, size_t len);
void bridge_key_cstr(bridge_key *k, const char *s);
void bridge_key_int(bridge_key *k, int64_t v);
/* For a REAL argument of the SQL function (not used by the natural keys). */
void bridge_key_double(bridge_key *k, double v);
/* The key, as the signed integer SQLite stores (same bits). */
int64_t bridge_key_final(const bridge_key *k);

#endif
