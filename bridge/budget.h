/*
 * bridge_budget: the one request budget every part of the bridge that calls the cloud
 * draws from (the poller, the device sync and what it fetches per device), so that together
 * they stay under the cloud's limit (about 10,000 requests per 5 minutes per IP,
 * reference/cloud-api.md §3.3), and the one pause after a 429: when the cloud says
 * Retry-After, nobody asks before it runs out.
 *
 * Threads: every function may be called from any thread.
 */
#ifndef BRIDGE_BUDGET_H
#define BRIDGE_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bridge_budget bridge_budget;

/* @p per_5min requests per sliding 5 minutes (0 = 9000). NULL when out of memory. */
bridge_budget *bridge_budget_new(unsigned int per_5min);

/* Takes one request. False when the budget is spent or a 429 pause runs; then
 * *retry_in_ms (may be NULL) says when to ask again. */
bool bridge_budget_take(bridge_budget *b, int64_t *retry_in_ms);

/* Takes @p n requests at once, all or none (requests that only make sense together). */
bool bridge_budget_take_n(bridge_budget *b, unsigned int n, int64_t *retry_in_ms);

/* Like bridge_budget_take, but waits (at most @p max_wait_ms) for the budget. */
bool bridge_budget_take_wait(bridge_budget *b, int64_t max_wait_ms);

/* Pauses every request for @p retry_after_ms after a 429 (<= 0: a default of 5 s). */
void bridge_budget_pause(bridge_budget *b, long retry_after_ms);

/* After a failed cloud request (the calling thread's particle_error_last()): a 429 pauses
 * every request for its Retry-After. True when it was a 429. */
bool bridge_budget_note_failure(bridge_budget *b);

/* How long a listing request (a page of devices, products, customers, groups) waits for the
 * budget before its sync gives up. */
#define BRIDGE_BUDGET_LISTING_WAIT_MS 10000

/* Monotonic time until which requests are paused (0 when not paused). */
int64_t bridge_budget_paused_until(bridge_budget *b);

void bridge_budget_free(bridge_budget *b); /* NULL-safe */

#endif
