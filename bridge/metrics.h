/*
 * What GET /metrics shows and GET /readyz decides on. One bridge_metrics per bridge; every
 * field is a C11 atomic, so any thread may bump or read them without a lock. docs/BRIDGE.md
 * lists each metric as rendered (counters get the Prometheus "_total" suffix there).
 *
 * Lifetime: zero it (or bridge_metrics_init) before use; nothing to free.
 */
#ifndef BRIDGE_METRICS_H
#define BRIDGE_METRICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Upper bounds of the histogram buckets, in seconds (Prometheus "le"), above them +Inf. */
#define BRIDGE_HISTOGRAM_BOUNDS                                                                    \
    {                                                                                              \
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300                \
    }
#define BRIDGE_HISTOGRAM_BUCKETS 16 /* the 15 bounds and +Inf */

typedef struct bridge_histogram {
    atomic_ullong buckets[BRIDGE_HISTOGRAM_BUCKETS]; /* per bucket, not cumulative */
    atomic_ullong count;
    atomic_ullong sum_ms;
} bridge_histogram;

/* Adds one observation of @p ms milliseconds (negative counts as 0). */
void bridge_histogram_observe_ms(bridge_histogram *h, int64_t ms);

#define BRIDGE_METRICS_STREAMS 40 /* the user's stream and one per product (32), with room */
#define BRIDGE_STREAM_KEY_SIZE 96

/* One event stream's gauges, labelled by its key ("user", "product:<id>"). */
typedef struct bridge_stream_gauges {
    char key[BRIDGE_STREAM_KEY_SIZE]; /* written before registered is set, then constant */
    atomic_bool registered;
    atomic_bool connected;      /* true between the SDK's on_connect and on_disconnect */
    atomic_llong last_event_ms; /* epoch ms of the stream's last event; 0 = none yet */
    atomic_ullong events;       /* events received on it (GET /api/v1/fleet) */
    atomic_bool stopped;        /* it ended for good (not reconnecting) */
} bridge_stream_gauges;

/* Writes more Prometheus lines (of a part with metrics of its own, such as the report
 * exports) to @p f. */
typedef void bridge_metrics_lines_fn(FILE *f, void *payload);

typedef struct bridge_metrics {
    /* counters */
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
    atomic_ullong syncs;
    atomic_ullong sync_failures;
    atomic_ullong write_batches;
    atomic_ullong write_failures; /* batches the store refused at first (then retried) */
    atomic_ullong write_retries;  /* failed write attempts, each retried */
    /* gauges */
    atomic_ullong stream_connected;  /* streams connected now (bridge_metrics_stream_set) */
    atomic_ullong queue_depth;       /* records waiting for the writer */
    atomic_ullong writer_stalled;    /* 1 while a batch waits to be retried */
    atomic_llong oldest_unstored_ms; /* epoch ms when the oldest input still in the writer's
                                        queue was received; 0 when the queue is empty */
    atomic_llong last_sync_ms;       /* epoch ms of the last successful sync; 0 = none yet */
    atomic_llong sync_interval_ms;   /* the configured sync period (readiness allows two) */
    atomic_llong started_ms;         /* epoch ms the bridge started */
    /* histograms */
    bridge_histogram poll_latency;        /* a variable read, sent to answered */
    bridge_histogram write_batch_latency; /* one batch's store transaction */
    bridge_histogram ingest_lag;          /* an event's published_at to stored */
    /* per stream */
    atomic_uint stream_slots; /* slots handed out (may exceed BRIDGE_METRICS_STREAMS) */
    bridge_stream_gauges streams[BRIDGE_METRICS_STREAMS];
    /* the fleet sync (fleet_sync.h): products, customers and groups */
    atomic_ullong fleet_syncs;
    atomic_ullong fleet_sync_failures;
    atomic_ullong fleet_listings_refused;  /* 403/404: a product or organization not visible */
    atomic_ullong fleet_listings_failed;   /* other failures, logged */
    atomic_ullong fleet_listings_deferred; /* left for a later run: the budget was spent */
    bridge_histogram fleet_sync_latency;   /* one run of the fleet listings */
    /* event ids missed by a resumed stream (ingest/sse.c, the SDK's on_gap) */
    atomic_ullong stream_gaps;         /* gaps reported, sized or not */
    atomic_ullong stream_gap_ids;      /* ids skipped, summed over the gaps of known size */
    atomic_ullong stream_gaps_unsized; /* gaps of unknown size (the server restarted) */
    /* more lines rendered after the store's (export.h); set before the API serves, or NULL */
    bridge_metrics_lines_fn *more_lines;
    void *more_lines_payload;
    /* upkeep of the time-ordered tables after each sync (store_retention.c) */
    atomic_ullong partitions_created; /* PostgreSQL day partitions made */
    atomic_ullong partitions_dropped; /* and dropped past retention */
    atomic_ullong retention_rows_deleted;
    atomic_ullong maintenance_failures;
} bridge_metrics;

/* Zeroes @p m and records the start time and the sync period. */
void bridge_metrics_init(bridge_metrics *m, int64_t sync_interval_ms);

/* A slot for a stream's gauges, labelled @p key; NULL when every slot is taken (then give
 * the stream gauges of its own: it counts in stream_connected, unlabelled). Thread-safe. */
bridge_stream_gauges *bridge_metrics_stream_add(bridge_metrics *m, const char *key);

/* Marks the stream of @p g connected or not, keeping stream_connected equal to the number
 * of streams connected now. Returns whether the state changed. */
bool bridge_metrics_stream_set(bridge_metrics *m, bridge_stream_gauges *g, bool connected);

/* The streams registered (with a slot) and how many of them are connected now. */
void bridge_metrics_stream_counts(bridge_metrics *m, unsigned int *registered,
                                  unsigned int *connected);

struct bridge_fleet_result;

/* Records one run of the fleet sync (@p r, fleet_sync.h), which @p completed or failed (the
 * writer refused a set). */
void bridge_metrics_fleet_observe(bridge_metrics *m, const struct bridge_fleet_result *r,
                                  bool completed);

/* Renders every metric, then @p store_lines (extra Prometheus text, may be NULL), as the
 * Prometheus text exposition format (0.0.4) at @p now_ms, into a malloc'd string (free());
 * NULL on OOM. */
char *bridge_metrics_render(bridge_metrics *m, const char *store_lines, int64_t now_ms);

#endif
