/*
 * The natural keys of the rows the store ingests, as the 64-bit hashes it stores.
 *
 * Ingest tables keep a UNIQUE index on (time, key), two integers, instead of a wide UNIQUE
 * index over TEXT columns, which made every insert several times more expensive. The key
 * is util's tuple hash (pu_hash.h: FNV-1a 64, each field framed by a type tag and text by
 * its length) over the row's natural key. A false duplicate needs two different rows with
 * the same millisecond and the same 64-bit key: with m rows in one millisecond the chance is
 * about m^2 / 2^65, nil in practice.
 *
 * The SQLite driver registers the same hash as the SQL function bridge_key(...), so the
 * migration that introduced the keys computed them for the rows stored before. The framing
 * and field order below must never change: stored keys would stop matching.
 *
 * Threads: plain values; no shared state.
 */
#ifndef BRIDGE_KEY_H
#define BRIDGE_KEY_H

#include <stdint.h>

/* (device_id, name, published_at_ms, data); data may be NULL. */
int64_t bridge_key_event(const char *device_id, const char *name, int64_t published_at_ms,
                         const char *data);
/* (device_id, name, ts_ms, source) */
int64_t bridge_key_measurement(const char *device_id, const char *name, int64_t ts_ms,
                               const char *source);
/* (device_id, kind, name, ts_ms, message) */
int64_t bridge_key_status_post(const char *device_id, const char *kind, const char *name,
                               int64_t ts_ms, const char *message);

/* The hash as the signed integer the databases store (same bits). */
int64_t bridge_key_of(uint64_t hash);

#endif
