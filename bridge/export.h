/*
 * Scheduled report exports (docs/BRIDGE.md "Report exports"): for each [export.<name>] of
 * the configuration, the report is built from the store every interval and written as a CSV
 * or JSON file atomically (export_file.h), or copied into the report_snapshots table through
 * the writer. A failed export is retried after retry_backoff,
 * doubling per retry, up to `retries` times; then it waits for its next interval. Each
 * export keeps a status (last success, last error, rows, counts) that GET /api/v1/exports
 * and /metrics show.
 *
 * Threads: bridge_exporter_start() runs the exports on a thread of their own; the status
 * readers may be called from any thread (a lock guards the status).
 */
#ifndef BRIDGE_EXPORT_H
#define BRIDGE_EXPORT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "export_spec.h"
#include "ingest/writer.h"
#include "store/store.h"

typedef struct bridge_exporter bridge_exporter;

/* An exporter of @p count specs (copied) reading @p store and writing table exports through
 * @p writer (both borrowed; they must outlive the exporter; @p writer may be NULL when no
 * export is a table). The first export of each is due at once. NULL when out of memory. */
bridge_exporter *bridge_exporter_new(const bridge_export_spec *specs, size_t count,
                                     bridge_store *store, bridge_writer *writer);

/* Runs every export due at @p now_ms once (on the caller's thread); returns how many ran.
 * The thread started by bridge_exporter_start() calls this; tests call it directly. */
size_t bridge_exporter_run_due(bridge_exporter *ex, int64_t now_ms);

/* Starts the export thread. 0, or -1 when the thread cannot start. */
int bridge_exporter_start(bridge_exporter *ex);

/* Stops the thread (if started) and frees. NULL-safe. */
void bridge_exporter_free(bridge_exporter *ex);

/* The status of every export, as a JSON array (a new reference; NULL when out of memory):
 * name, report, format, path, interval_s, rows, last_success, last_attempt, next_run (ISO
 * dates or null), last_error (null after a success), successes, failures, attempt. */
json_t *bridge_exporter_status_json(bridge_exporter *ex);

/* Writes the exports' Prometheus lines to @p f (bridge_metrics_render's hook). */
void bridge_exporter_write_metrics(FILE *f, void *exporter);

#endif
