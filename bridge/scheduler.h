/*
 * bridge_scheduler: polls every enabled variable of every enabled device at its
 * CheckInterval (the variable's, else the device's), under a global request budget, through
 * the per-device circuit breaker.
 *
 * One thread decides what is due and keeps up to `concurrency` reads in flight at once on
 * a particle_multi (libcurl multi: one client, shared keep-alive connections, no thread per
 * request). It reads devices through its own store handle; results and breaker changes go
 * to the writer (a full writer queue makes the poller wait: it slows down rather than
 * losing what it read). Every read takes one
 * request of the bridge's budget; a 429 pauses the budget (so all polling, and the sync)
 * for its Retry-After. Reads are tried once, the next is the next due
 * time (the breaker counts failures).
 *
 * Threads: bridge_scheduler_reload and _set_policy may be called from any thread.
 */
#ifndef BRIDGE_SCHEDULER_H
#define BRIDGE_SCHEDULER_H

#include <stdint.h>

#include "breaker.h"
#include "budget.h"
#include "ingest/writer.h"
#include "metrics.h"

typedef struct bridge_scheduler bridge_scheduler;

typedef struct bridge_scheduler_options {
    const char *db_path;      /* the scheduler opens its own (read) store handle */
    const char *cloud_url;    /* NULL/"" = the SDK's default */
    const char *access_token; /* copied into the poller's client */
    unsigned int concurrency; /* variable reads in flight at once; 0 = 16, at most 1024 */
    bridge_budget *budget;    /* borrowed: the request budget shared with the sync */
    const char *owner;        /* poll only devices with this scope tag (or none yet);
                                 NULL = every device */
    long request_timeout_ms;  /* per variable read; 0 = 30000 */
    bridge_breaker_policy breaker;
    bridge_writer *writer;   /* borrowed */
    bridge_metrics *metrics; /* borrowed */
} bridge_scheduler_options;

/* Starts the scheduler thread (devices are loaded at once). NULL with @p err. */
bridge_scheduler *bridge_scheduler_new(const bridge_scheduler_options *opts, char *err,
                                       size_t err_size);

/* Reloads devices and settings from the store soon (after a sync or a settings change). */
void bridge_scheduler_reload(bridge_scheduler *s);

/* Replaces the breaker policy (config reload). */
void bridge_scheduler_set_policy(bridge_scheduler *s, const bridge_breaker_policy *p);

/* Stops polling, drops the reads in flight (what they would have read is polled again
 * after a restart), frees. NULL-safe. */
void bridge_scheduler_free(bridge_scheduler *s);

#endif
