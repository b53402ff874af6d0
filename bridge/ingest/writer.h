/*
 * bridge_writer: the one thing in the bridge that changes data.
 *
 * Inputs (SSE events, webhook posts, polled readings) are queued and written in batches (up
 * to batch_size, or whatever arrived within flush_interval_ms): the writer's thread
 * normalises each with the device's settings (cached, read on its own connection) and
 * writes the batch in one transaction together with each stream's Last-Event-ID. A push
 * copies its input.
 *
 * Commands (a device sync, a settings change from the API, a breaker state, a SIM, vitals
 * from a sync, a product's customers, groups or firmware) run on the same thread and
 * connection, in queue order with the inputs; their caller waits for the result
 * (writer_commands.c).
 *
 * Nothing is dropped: a batch the store refuses (disk full, database busy, server down) is
 * retried with growing delays (100 ms doubling to 5 s) for as long as it takes, and the
 * stream cursors it carries move only when it is stored. Meanwhile the queue applies
 * backpressure: it holds at most max_queue inputs, so pushes wait for room (a stream stops
 * reading, the poller slows down); offers (the webhook, which waits for its event to be
 * stored before it answers) and commands answer BRIDGE_WRITER_BUSY at once so their sender can come
 * back later (an offer also when the queue is full; a command waits for room then). One log line
 * says when writing starts failing and one when it recovers; the metrics say how many attempts
 * failed (write_retries), whether a batch waits (writer_stalled) and since when the oldest input
 * waits (oldest_unstored_ms).
 *
 * Threads: every function may be called from any thread, except that
 * bridge_writer_free must not race with the others.
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

/* The writer is stalled on a failing store (or, for an offer, its queue is full): nothing
 * was queued, try again later. */
#define BRIDGE_WRITER_BUSY (-3)

/* Told of each batch after its transaction committed, on the writer's thread, with the
 * batch's records (borrowed for the call; an event whose *stored_out is false was a
 * duplicate and wrote nothing). It must not wait on the writer: it runs between batches. */
typedef void bridge_writer_stored_fn(const bridge_record *recs, size_t count, void *payload);

typedef struct bridge_writer_options {
    const char *db_path;       /* the writer opens its own connection... */
    bridge_store *store;       /* ...unless this names one, which the writer then owns (a seam for
                                  tests that inject store faults) */
    unsigned int batch_size;   /* 0 = 5000 */
    int64_t flush_interval_ms; /* 0 = 10 */
    size_t max_queue;          /* 0 = 100000 */
    const bridge_device_defaults *defaults; /* settings for devices not in the store yet */
    bridge_partition partition;             /* events of other devices only move the cursor */
    bridge_metrics *metrics;                /* may be NULL */
    bridge_writer_stored_fn *on_stored;     /* may be NULL (the live stream, api/routes/stream.c) */
    void *on_stored_payload;
} bridge_writer_options;

/* Opens the store (or takes opts->store) and starts the thread. NULL with @p err on failure
 * (opts->store is closed then too). */
bridge_writer *bridge_writer_new(const bridge_writer_options *opts, char *err, size_t err_size);

/* Queues an event, waiting for room; @p stream and @p event_id (both may be NULL) name the
 * stream position to persist with it. 0, or -1 when the writer is stopping or out of
 * memory. */
int bridge_writer_push_event(bridge_writer *w, const bridge_event_in *ev, const char *stream,
                             const char *event_id);

/* The input was queued but is not stored yet: it will be, the sender may send it again (the
 * store's de-duplication keeps one). */
#define BRIDGE_WRITER_PENDING (-4)

/* Queues an event only if that needs no wait, then waits up to @p timeout_ms for it to be
 * stored, so that a sender told 0 can forget it (the webhook answers 200 only then: a
 * bridge killed after answering loses nothing). 0 stored; BRIDGE_WRITER_BUSY while the
 * writer is stalled or its queue full (nothing queued); BRIDGE_WRITER_PENDING; -1 when it
 * is stopping or out of memory. */
int bridge_writer_offer_event(bridge_writer *w, const bridge_event_in *ev, int64_t timeout_ms);

/* Queues a variable reading, waiting for room. 0, or -1 (stopping, out of memory). */
int bridge_writer_push_reading(bridge_writer *w, const bridge_reading_in *r);

/* True while a batch waits to be retried. */
bool bridge_writer_stalled(bridge_writer *w);

/*
 * A command: @p run is called on the writer's thread with its store, in queue order, and
 * the caller waits for its result. @p device_id (may be NULL) names a device whose settings
 * the command may change, so the writer forgets what it cached about it. Commands are tried
 * once: their callers can answer or redo (the sync runs again, the API client retries).
 * Returns what @p run returned, or BRIDGE_WRITER_BUSY while the writer is stalled, or
 * BRIDGE_STORE_ERROR when it is stopping; for anything but 0 a message goes to @p err.
 * The typed commands below are built on it.
 */
typedef int bridge_writer_command_fn(bridge_store *st, void *args);
int bridge_writer_command(bridge_writer *w, bridge_writer_command_fn *run, void *args,
                          const char *device_id, char *err, size_t err_size);

/* The store functions of the same names, as commands (see bridge_writer_command). */
int bridge_writer_device_sync(bridge_writer *w, const bridge_cloud_device *cd,
                              const bridge_device_defaults *defaults, int64_t now_ms,
                              bool *created_out, char *err, size_t err_size);
int bridge_writer_devices_mark_gone(bridge_writer *w, int product_id, const char *owner,
                                    int64_t synced_before_ms, size_t *marked_out, char *err,
                                    size_t err_size);
int bridge_writer_device_update_settings(bridge_writer *w, const char *particle_id,
                                         const bridge_settings_patch *patch, char *err,
                                         size_t err_size);
int bridge_writer_device_set_breaker(bridge_writer *w, const char *particle_id,
                                     const bridge_breaker_state *state, char *err, size_t err_size);
int bridge_writer_sim_upsert(bridge_writer *w, const bridge_sim *sim, char *err, size_t err_size);
int bridge_writer_vitals_put(bridge_writer *w, const bridge_vitals *v, bool *stored_out, char *err,
                             size_t err_size);
int bridge_writer_products_replace(bridge_writer *w, const char *owner,
                                   const bridge_product *products, size_t count, char *err,
                                   size_t err_size);
int bridge_writer_customers_replace(bridge_writer *w, int product_id,
                                    const bridge_customer *customers, size_t count, char *err,
                                    size_t err_size);
int bridge_writer_groups_replace(bridge_writer *w, int product_id, const bridge_group *groups,
                                 size_t count, char *err, size_t err_size);
int bridge_writer_product_firmware_replace(bridge_writer *w, int product_id,
                                           const bridge_product_firmware *firmware, size_t count,
                                           char *err, size_t err_size);
/* bridge_store_setting_put / _delete as commands (writer_settings.c). */
int bridge_writer_setting_put(bridge_writer *w, const char *name, const char *value, int64_t now_ms,
                              char *err, size_t err_size);
int bridge_writer_setting_delete(bridge_writer *w, const char *name, char *err, size_t err_size);
int bridge_writer_snapshot_replace(bridge_writer *w, const char *name, const char *const *row_json,
                                   size_t count, int64_t now_ms, char *err, size_t err_size);
/* The day partitions, then retention one batch per command until nothing older is left
 * (writer_maintain.c; see bridge_store_partitions_maintain, bridge_store_retention_batch).
 * Fills @p out. */
int bridge_writer_maintain(bridge_writer *w, int64_t now_ms, int64_t retention_ms,
                           bridge_maintenance *out, char *err, size_t err_size);

/* Waits until everything pushed so far is written (or @p timeout_ms passes).
 * 0, or -1 on timeout. */
int bridge_writer_flush(bridge_writer *w, int64_t timeout_ms);

/* Writes what is queued (retrying for as long as the store refuses it), stops the thread,
 * closes the store. NULL-safe. */
void bridge_writer_free(bridge_writer *w);

#endif
