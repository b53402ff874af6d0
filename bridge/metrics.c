#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct metric_def {
    const char *name;
    const char *type;
    const char *help;
    size_t offset;
} metric_def;

#define DEF(field, type, help)                                                                     \
    {                                                                                              \
        "particle_bridge_" #field, type, help, offsetof(bridge_metrics, field)                     \
    }

static const metric_def defs[] = {
    DEF(events_received, "counter", "Events received from SSE streams and webhooks."),
    DEF(events_stored, "counter", "Events stored for the first time."),
    DEF(events_other_partition, "counter",
        "Events of devices in another bridge's partition (not stored)."),
    DEF(duplicates_dropped, "counter", "Rows dropped because they were already stored."),
    DEF(measurements_stored, "counter", "Measurements stored."),
    DEF(status_posts_stored, "counter", "Status posts stored."),
    DEF(webhook_requests, "counter", "Webhook requests received."),
    DEF(webhook_rejected, "counter", "Webhook requests rejected (secret or body)."),
    DEF(polls, "counter", "Variable reads attempted."),
    DEF(poll_failures, "counter", "Variable reads that failed."),
    DEF(polls_skipped_faulted, "counter", "Variable reads skipped because the device is faulted."),
    DEF(rate_limited, "counter", "Cloud answers 429 Too Many Requests."),
    DEF(breaker_trips, "counter", "Times a device's circuit breaker opened."),
    DEF(stream_reconnects, "counter", "Event stream reconnects."),
    DEF(stream_connected, "gauge", "Event streams currently connected."),
    DEF(syncs, "counter", "Device syncs completed."),
    DEF(sync_failures, "counter", "Device syncs that failed."),
    DEF(write_batches, "counter", "Transactions written by the ingest writer."),
    DEF(write_failures, "counter", "Transactions that failed."),
    DEF(queue_depth, "gauge", "Records waiting for the ingest writer."),
};

char *bridge_metrics_render(bridge_metrics *m, const char *store_lines)
{
    size_t cap = 8192 + (store_lines ? strlen(store_lines) : 0);
    char *out = malloc(cap);
    if (out == NULL) {
        return NULL;
    }
    size_t len = 0;
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        atomic_ullong *v = (atomic_ullong *)(void *)((char *)m + defs[i].offset);
        int n = snprintf(out + len, cap - len, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n",
                         defs[i].name, defs[i].help, defs[i].name, defs[i].type, defs[i].name,
                         (unsigned long long)atomic_load(v));
        if (n < 0 || (size_t)n >= cap - len) {
            free(out);
            return NULL;
        }
        len += (size_t)n;
    }
    if (store_lines != NULL) {
        size_t n = strlen(store_lines);
        memcpy(out + len, store_lines, n + 1);
    }
    return out;
}
