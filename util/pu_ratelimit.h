/*
 * pu_ratelimit: per-key request limits, for servers (e.g. per client IP).
 *
 * A window limiter allows `limit` hits per `window_ms` per key, using the sliding-window
 * counter: the count of the current fixed window plus the previous window's count weighted
 * by how much of it still overlaps the sliding window. It needs O(1) memory per key and is
 * within one window's rounding of an exact log. Keys beyond max_keys evict the least
 * recently used one. Keys are told apart by their first 63 bytes (an IPv6 text address
 * fits). A gauge limiter counts things held open (e.g. streams) per key.
 *
 * Threads: every function may be called from any thread (an internal mutex).
 */
#ifndef PU_RATELIMIT_H
#define PU_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pu_ratelimit pu_ratelimit;

/* A window limiter (@p window_ms > 0) or, with @p window_ms == 0, a gauge of at most
 * @p limit concurrent holds per key. @p max_keys 0 = 4096. Aborts on OOM. */
pu_ratelimit *pu_ratelimit_new(unsigned int limit, int64_t window_ms, size_t max_keys);
void pu_ratelimit_free(pu_ratelimit *rl); /* NULL-safe */

/* Window limiter: counts a hit for @p key at @p now_ms when allowed and returns true; when
 * the limit is reached returns false and sets *retry_after_ms (time until a hit would be
 * allowed again, at least 1). */
bool pu_ratelimit_hit(pu_ratelimit *rl, const char *key, int64_t now_ms, int64_t *retry_after_ms);

/* Window limiter: pu_ratelimit_hit for @p n hits at once, all or none (a request that costs
 * several, or several requests that only make sense together). n = 0 is always allowed;
 * n above the limit never is. */
bool pu_ratelimit_hit_n(pu_ratelimit *rl, const char *key, int64_t now_ms, unsigned int n,
                        int64_t *retry_after_ms);

/* Gauge: takes one hold for @p key if fewer than limit are held; true on success. */
bool pu_ratelimit_acquire(pu_ratelimit *rl, const char *key);
/* Gauge: gives one hold back. */
void pu_ratelimit_release(pu_ratelimit *rl, const char *key);

#endif
