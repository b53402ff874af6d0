/*
 * bridge_writer: the single writer between ingest and the store.
 *
 * Producers (SSE streams, the webhook receiver, poll workers, sync) push inputs; the
 * writer's thread takes them in batches (up to batch_size, or whatever arrived within
 * flush_interval_ms), normalises each with the device's settings (cached; see
 * bridge_writer_settings_changed), and writes the batch in one transaction together with
 * each stream's Last-Event-ID. A push copies its input. When the queue holds max_queue
 * inputs a push waits for room (backpressure on the stream, never unbounded memory).
 *
 * Threads: every function may be called from any thread, except that
 * bridge_writer_free must not race with pushes.
 */
#ifndef BRIDGE_WRITER_H
#define BRIDGE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/normalise.h"
#include "metrics.h"
#include "partition.h"
#include "store/store.h"

typedef struct bridge_writer bridge_writer;

typedef struct bridge_writer_options {
    const char *db_path;                    /* the writer opens its own connection */
    unsigned int batch_size;                /* 0 = 5000 */
    int64_t flush_interval_ms;              /* 0 = 10 */
    size_t max_queue;                       /* 0 = 100000 */
    const bridge_device_defaults *defaults; /* settings for devices not in the store yet */
    bridge_partition partition;             /* events of other devices only move the cursor */
    bridge_metrics *metrics;                /* may be NULL */
} bridge_writer_options;

/* Opens the store and starts the thread. NULL with @p err on failure. */
bridge_writer *bridge_writer_new(const bridge_writer_options *opts, char *err, size_t err_size);

/* Queues an event; @p stream and @p event_id (both may be NULL) name the stream position to
 * persist with it. 0, or -1 when the writer is stopping or out of memory. */
int bridge_writer_push_event(bridge_writer *w, const bridge_event_in *ev, const char *stream,
                             const char *event_id);

/* Queues a variable reading. */
int bridge_writer_push_reading(bridge_writer *w, const bridge_reading_in *r);

/* Queues a status post made elsewhere (e.g. an online change seen by sync). */
int bridge_writer_push_post(bridge_writer *w, const char *device_id, const char *kind,
                            const char *name, const char *message, int64_t ts_ms);

/* Forgets cached device settings (call after a settings change or a sync). */
void bridge_writer_settings_changed(bridge_writer *w);

/* Waits until everything pushed so far is written (or @p timeout_ms passes).
 * 0, or -1 on timeout. */
int bridge_writer_flush(bridge_writer *w, int64_t timeout_ms);

/* Writes what is queued, stops the thread, closes the store. NULL-safe. */
void bridge_writer_free(bridge_writer *w);

#endif
