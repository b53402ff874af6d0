/*
 * Counters for GET /metrics. One bridge_metrics per bridge; every field is a C11 atomic, so
 * any thread may bump or read them without a lock.
 */
#ifndef BRIDGE_METRICS_H
#define BRIDGE_METRICS_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct bridge_metrics {
    atomic_ullong events_received; /* from SSE and webhooks, before deduplication */
    atomic_ullong events_stored;
    atomic_ullong events_other_partition; /* of devices another bridge owns: not stored */
    atomic_ullong duplicates_dropped;     /* rows of any kind already stored */
    atomic_ullong measurements_stored;
    atomic_ullong status_posts_stored;
    atomic_ullong webhook_requests;
    atomic_ullong webhook_rejected; /* bad secret or bad body */
    atomic_ullong polls;            /* variable reads attempted */
    atomic_ullong poll_failures;
    atomic_ullong polls_skipped_faulted;
    atomic_ullong rate_limited; /* 429s seen from the cloud */
    atomic_ullong breaker_trips;
    atomic_ullong stream_reconnects;
    atomic_ullong stream_connected; /* 1 while every configured stream is up */
    atomic_ullong syncs;
    atomic_ullong sync_failures;
    atomic_ullong write_batches;
    atomic_ullong write_failures;    /* batches the store refused at first (then retried) */
    atomic_ullong write_retries;     /* failed write attempts, each retried */
    atomic_ullong writer_stalled;    /* gauge: 1 while a batch waits to be retried */
    atomic_ullong queue_depth;       /* records waiting for the writer */
    atomic_llong oldest_unstored_ms; /* epoch ms when the oldest input still queued (or being
                                        written) was received; 0 when there is none */
} bridge_metrics;

/* Renders the counters and @p store_lines (extra Prometheus text, may be NULL) as the
 * Prometheus text exposition format into a malloc'd string (free()); NULL on OOM. */
char *bridge_metrics_render(bridge_metrics *m, const char *store_lines);

#endif
