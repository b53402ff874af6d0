#include "metrics.h"

#include <particle/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_sync.h"
#include "pu_str.h"
#include "pu_time.h"

static const double bounds[] = BRIDGE_HISTOGRAM_BOUNDS;
_Static_assert(sizeof bounds / sizeof bounds[0] + 1 == BRIDGE_HISTOGRAM_BUCKETS,
               "one bucket per bound, and +Inf");

void bridge_histogram_observe_ms(bridge_histogram *h, int64_t ms)
{
    if (ms < 0) {
        ms = 0;
    }
    size_t i = 0;
    while (i < sizeof bounds / sizeof bounds[0] && (double)ms / 1000.0 > bounds[i]) {
        i++;
    }
    atomic_fetch_add(&h->buckets[i], 1);
    atomic_fetch_add(&h->sum_ms, (unsigned long long)ms);
    atomic_fetch_add(&h->count, 1);
}

void bridge_metrics_init(bridge_metrics *m, int64_t sync_interval_ms)
{
    memset(m, 0, sizeof *m);
    atomic_store(&m->sync_interval_ms, sync_interval_ms);
    atomic_store(&m->started_ms, pu_time_now_ms());
}

bridge_stream_gauges *bridge_metrics_stream_add(bridge_metrics *m, const char *key)
{
    unsigned int i = atomic_fetch_add(&m->stream_slots, 1);
    if (i >= BRIDGE_METRICS_STREAMS) {
        return NULL;
    }
    bridge_stream_gauges *g = &m->streams[i];
    pu_strlcpy(g->key, key, sizeof g->key);
    atomic_store(&g->registered, true); /* seq_cst: the key is visible before this */
    return g;
}

bool bridge_metrics_stream_set(bridge_metrics *m, bridge_stream_gauges *g, bool connected)
{
    if (atomic_exchange(&g->connected, connected) == connected) {
        return false;
    }
    if (connected) {
        atomic_fetch_add(&m->stream_connected, 1);
    } else {
        atomic_fetch_sub(&m->stream_connected, 1);
    }
    return true;
}

void bridge_metrics_stream_counts(bridge_metrics *m, unsigned int *registered,
                                  unsigned int *connected)
{
    *registered = *connected = 0;
    for (size_t i = 0; i < BRIDGE_METRICS_STREAMS; i++) {
        if (atomic_load(&m->streams[i].registered)) {
            (*registered)++;
            *connected += atomic_load(&m->streams[i].connected) ? 1 : 0;
        }
    }
}

typedef struct counter_def {
    const char *name; /* without the particle_bridge_ prefix and the _total suffix */
    const char *help;
    size_t offset;
} counter_def;

#define COUNTER(field, help)                                                                       \
    {                                                                                              \
#field, help, offsetof(bridge_metrics, field)                                              \
    }

static const counter_def counters[] = {
    COUNTER(events_received, "Events received from SSE streams and webhooks."),
    COUNTER(events_stored, "Events stored for the first time."),
    COUNTER(events_other_partition,
            "Events of devices in another bridge's partition (not stored)."),
    COUNTER(duplicates_dropped, "Rows dropped because they were already stored."),
    COUNTER(measurements_stored, "Measurements stored."),
    COUNTER(status_posts_stored, "Status posts stored."),
    COUNTER(webhook_requests, "Webhook requests received."),
    COUNTER(webhook_rejected, "Webhook requests rejected (secret or body)."),
    COUNTER(polls, "Variable reads attempted."),
    COUNTER(poll_failures, "Variable reads that failed."),
    COUNTER(polls_skipped_faulted, "Variable reads skipped because the device is faulted."),
    COUNTER(rate_limited, "Cloud answers 429 Too Many Requests."),
    COUNTER(breaker_trips, "Times a device's circuit breaker opened."),
    COUNTER(stream_reconnects, "Event stream reconnect attempts."),
    COUNTER(syncs, "Device syncs completed."),
    COUNTER(sync_failures, "Device syncs that failed."),
    COUNTER(write_batches, "Transactions written by the ingest writer."),
    COUNTER(write_failures, "Batches the store refused at first (each then retried until stored)."),
    COUNTER(write_retries, "Failed batch write attempts, each retried."),
    COUNTER(fleet_syncs, "Fleet syncs (products, customers, groups) completed."),
    COUNTER(fleet_sync_failures, "Fleet syncs that failed (the writer refused a set)."),
    COUNTER(fleet_listings_refused,
            "Fleet listings answered 403 or 404 (a product or organization not visible)."),
    COUNTER(fleet_listings_failed, "Fleet listings that failed otherwise."),
    COUNTER(fleet_listings_deferred,
            "Fleet listings left for a later run because the request budget was spent."),
    COUNTER(stream_gaps, "Event stream resumes that may have missed events (docs/BRIDGE.md)."),
    COUNTER(stream_gap_ids,
            "Event ids skipped by stream gaps of known size (an upper bound on events missed)."),
    COUNTER(stream_gaps_unsized, "Event stream gaps of unknown size (the server restarted)."),
    COUNTER(partitions_created, "PostgreSQL day partitions created ahead of their rows."),
    COUNTER(partitions_dropped, "PostgreSQL day partitions dropped past [database] retention."),
    COUNTER(retention_rows_deleted,
            "Events, readings and status posts deleted past [database] retention."),
    COUNTER(maintenance_failures,
            "Runs of the tables' upkeep (partitions, retention) that failed."),
};

/* Seconds since @p then_ms, or +Inf when it never happened (0). */
static void put_age(FILE *f, int64_t now_ms, int64_t then_ms)
{
    if (then_ms <= 0) {
        fputs("+Inf\n", f);
    } else {
        fprintf(f, "%.3f\n", (double)(now_ms > then_ms ? now_ms - then_ms : 0) / 1000.0);
    }
}

static void put_head(FILE *f, const char *name, const char *type, const char *help)
{
    fprintf(f, "# HELP particle_bridge_%s %s\n# TYPE particle_bridge_%s %s\n", name, help, name,
            type);
}

static void put_histogram(FILE *f, const char *name, const char *help, bridge_histogram *h)
{
    put_head(f, name, "histogram", help);
    unsigned long long cumulative = 0;
    for (size_t i = 0; i < BRIDGE_HISTOGRAM_BUCKETS; i++) {
        cumulative += atomic_load(&h->buckets[i]);
        if (i < sizeof bounds / sizeof bounds[0]) {
            fprintf(f, "particle_bridge_%s_bucket{le=\"%g\"} %llu\n", name, bounds[i], cumulative);
        } else {
            fprintf(f, "particle_bridge_%s_bucket{le=\"+Inf\"} %llu\n", name, cumulative);
        }
    }
    /* _count is the +Inf bucket, as the format requires; under concurrent observations
     * _sum may already hold one that the buckets do not show yet */
    fprintf(f, "particle_bridge_%s_sum %.3f\n", name, (double)atomic_load(&h->sum_ms) / 1000.0);
    fprintf(f, "particle_bridge_%s_count %llu\n", name, cumulative);
}

static void put_gauge(FILE *f, const char *name, const char *help, unsigned long long value)
{
    put_head(f, name, "gauge", help);
    fprintf(f, "particle_bridge_%s %llu\n", name, value);
}

/* A label value: backslash, double quote and newline escaped, as the format requires. */
static void put_label(FILE *f, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == '"') {
            fputc('\\', f);
            fputc(*p, f);
        } else if (*p == '\n') {
            fputs("\\n", f);
        } else {
            fputc(*p, f);
        }
    }
}

static void put_streams(FILE *f, bridge_metrics *m, int64_t now_ms)
{
    put_head(f, "stream_up", "gauge", "1 while the event stream is connected, by stream.");
    for (size_t i = 0; i < BRIDGE_METRICS_STREAMS; i++) {
        bridge_stream_gauges *g = &m->streams[i];
        if (atomic_load(&g->registered)) {
            fputs("particle_bridge_stream_up{stream=\"", f);
            put_label(f, g->key);
            fprintf(f, "\"} %d\n", atomic_load(&g->connected) ? 1 : 0);
        }
    }
    put_head(f, "stream_last_event_age_seconds", "gauge",
             "Seconds since the stream's last event (+Inf before the first), by stream.");
    for (size_t i = 0; i < BRIDGE_METRICS_STREAMS; i++) {
        bridge_stream_gauges *g = &m->streams[i];
        if (atomic_load(&g->registered)) {
            fputs("particle_bridge_stream_last_event_age_seconds{stream=\"", f);
            put_label(f, g->key);
            fputs("\"} ", f);
            put_age(f, now_ms, atomic_load(&g->last_event_ms));
        }
    }
}

char *bridge_metrics_render(bridge_metrics *m, const char *store_lines, int64_t now_ms)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) {
        return NULL;
    }
    put_head(f, "build_info", "gauge", "Always 1; the labels name the versions.");
    fprintf(f, "particle_bridge_build_info{version=\"%s\",libparticle=\"%s\"} 1\n",
            PARTICLE_VERSION_STRING, particle_version());
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        const counter_def *c = &counters[i];
        atomic_ullong *v = (atomic_ullong *)(void *)((char *)m + c->offset);
        char name[96];
        snprintf(name, sizeof name, "%s_total", c->name);
        put_head(f, name, "counter", c->help);
        fprintf(f, "particle_bridge_%s %llu\n", name, (unsigned long long)atomic_load(v));
    }
    put_gauge(f, "stream_connected", "Event streams connected now.",
              atomic_load(&m->stream_connected));
    put_gauge(f, "queue_depth", "Records waiting for the ingest writer.",
              atomic_load(&m->queue_depth));
    put_gauge(f, "writer_stalled", "1 while a batch that failed waits to be retried.",
              atomic_load(&m->writer_stalled));
    put_head(f, "oldest_unstored_age_seconds", "gauge",
             "Age of the oldest input still waiting for the writer (0 when none waits).");
    int64_t oldest = atomic_load(&m->oldest_unstored_ms);
    fprintf(f, "particle_bridge_oldest_unstored_age_seconds %.3f\n",
            oldest > 0 && now_ms > oldest ? (double)(now_ms - oldest) / 1000.0 : 0.0);
    put_head(f, "last_sync_age_seconds", "gauge",
             "Seconds since the last successful device sync (+Inf before the first).");
    fputs("particle_bridge_last_sync_age_seconds ", f);
    put_age(f, now_ms, atomic_load(&m->last_sync_ms));
    put_head(f, "sync_interval_seconds", "gauge", "The configured device sync period.");
    fprintf(f, "particle_bridge_sync_interval_seconds %.3f\n",
            (double)atomic_load(&m->sync_interval_ms) / 1000.0);
    put_head(f, "uptime_seconds", "gauge", "Seconds since the bridge started.");
    fputs("particle_bridge_uptime_seconds ", f);
    put_age(f, now_ms, atomic_load(&m->started_ms));
    put_streams(f, m, now_ms);
    put_histogram(f, "poll_latency_seconds", "Variable reads, from sent to answered.",
                  &m->poll_latency);
    put_histogram(f, "write_batch_seconds", "Ingest writer transactions, one per batch.",
                  &m->write_batch_latency);
    put_histogram(f, "ingest_lag_seconds", "Events, from published_at to stored.", &m->ingest_lag);
    put_histogram(f, "fleet_sync_seconds",
                  "Fleet syncs (products, customers, groups), failed ones included.",
                  &m->fleet_sync_latency);
    if (store_lines != NULL) {
        fputs(store_lines, f);
    }
    if (m->more_lines != NULL) {
        m->more_lines(f, m->more_lines_payload);
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

void bridge_metrics_fleet_observe(bridge_metrics *m, const struct bridge_fleet_result *r,
                                  bool completed)
{
    atomic_fetch_add(completed ? &m->fleet_syncs : &m->fleet_sync_failures, 1);
    atomic_fetch_add(&m->fleet_listings_refused, r->refused);
    atomic_fetch_add(&m->fleet_listings_failed, r->failed);
    atomic_fetch_add(&m->fleet_listings_deferred, r->skipped);
    bridge_histogram_observe_ms(&m->fleet_sync_latency, r->elapsed_ms);
}
