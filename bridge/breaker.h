/*
 * The per-device circuit breaker. Consecutive failures raise FaultCount; at the threshold
 * the device is Faulted and skipped until CircuitBreakerResetAt. Then one attempt goes
 * through (half-open): a success closes the breaker, a failure faults it again with twice
 * the previous reset delay (capped). Pure functions on a bridge_breaker_state.
 */
#ifndef BRIDGE_BREAKER_H
#define BRIDGE_BREAKER_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

typedef struct bridge_breaker_policy {
    unsigned int threshold; /* failures in a row that fault the device */
    int64_t reset_ms;       /* first reset delay */
    int64_t max_reset_ms;   /* cap of the growing delay */
} bridge_breaker_policy;

/* True when a request may go to the device now (closed, or faulted and due for a try). */
bool bridge_breaker_allows(const bridge_breaker_state *s, int64_t now_ms);

/* Records a success; returns true when the state changed. */
bool bridge_breaker_success(bridge_breaker_state *s);

/* Records a failure; returns true when this failure faulted the device (a trip). */
bool bridge_breaker_failure(bridge_breaker_state *s, const bridge_breaker_policy *p,
                            int64_t now_ms);

#endif
