/*
 * bridge_scheduler: polls every enabled variable of every enabled device at its
 * CheckInterval (the variable's, else the device's), under a global request budget, through
 * the per-device circuit breaker.
 *
 * libparticle's variable read is a blocking call, so "many requests in flight" is a pool of
 * worker threads, each with its own particle_client (a client is single-threaded by
 * contract). One scheduler thread decides what is due and hands jobs to the pool; results
 * go to the writer, breaker changes to the store. A 429 from the cloud pauses all polling
 * for its Retry-After.
 *
 * Threads: bridge_scheduler_reload and _set_policy may be called from any thread.
 */
#ifndef BRIDGE_SCHEDULER_H
#define BRIDGE_SCHEDULER_H

#include <stdint.h>

#include "breaker.h"
#include "ingest/writer.h"
#include "metrics.h"

typedef struct bridge_scheduler bridge_scheduler;

typedef struct bridge_scheduler_options {
    const char *db_path;          /* the scheduler opens its own store handle */
    const char *cloud_url;        /* NULL/"" = the SDK's default */
    const char *access_token;     /* copied into each worker's client */
    unsigned int workers;         /* threads = requests in flight; 0 = 4 */
    unsigned int budget_per_5min; /* global request budget; 0 = 9000 */
    long request_timeout_ms;      /* per variable read; 0 = 30000 */
    bridge_breaker_policy breaker;
    bridge_writer *writer;   /* borrowed */
    bridge_metrics *metrics; /* borrowed */
} bridge_scheduler_options;

/* Starts the scheduler and its workers (devices are loaded at once). NULL with @p err. */
bridge_scheduler *bridge_scheduler_new(const bridge_scheduler_options *opts, char *err,
                                       size_t err_size);

/* Reloads devices and settings from the store soon (after a sync or a settings change). */
void bridge_scheduler_reload(bridge_scheduler *s);

/* Replaces the breaker policy (config reload). */
void bridge_scheduler_set_policy(bridge_scheduler *s, const bridge_breaker_policy *p);

/* Stops polling, waits for requests in flight, frees. NULL-safe. */
void bridge_scheduler_free(bridge_scheduler *s);

#endif
