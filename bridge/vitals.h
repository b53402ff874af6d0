/*
 * Device vitals for the bridge's sync (cloud-api.md §7): collecting a device's last known
 * vitals through libparticle (GET /v1/diagnostics/:id/last) and, once per device, the
 * history the cloud kept from before (GET /v1/diagnostics/:id), flattened with
 * ingest/vitals_flatten.h and stored through the writer. Vitals that arrive as
 * spark/device/diagnostics/update events are flattened by the normaliser and written with
 * their event.
 *
 * Threads: bridge_vitals_collect uses the client it is given on the caller's thread and
 * stores with a writer command.
 */
#ifndef BRIDGE_VITALS_H
#define BRIDGE_VITALS_H

#include <stdbool.h>
#include <stdint.h>

#include <particle/client.h>

#include "ingest/writer.h"
#include "store/store.h"

/* What bridge_vitals_collect() did. */
typedef enum bridge_vitals_outcome {
    BRIDGE_VITALS_STORED,    /* new vitals were stored */
    BRIDGE_VITALS_DUPLICATE, /* the cloud's last vitals were stored already */
    BRIDGE_VITALS_NONE       /* the cloud has none for the device yet (404) */
} bridge_vitals_outcome;

/*
 * Fetches the last known vitals of @p device_id (through the product route when @p product
 * is non-NULL: a product id or slug) and stores them through @p writer with source "sync".
 * One request. Returns 0 with *outcome_out set, or -1 with a reason in @p err (a failed
 * request other than 404, an answer without updated_at or payload, a store error or a
 * stalled writer).
 */
int bridge_vitals_collect(particle_client *client, bridge_writer *writer, const char *device_id,
                          const char *product, bridge_vitals_outcome *outcome_out, char *err,
                          size_t err_size);

/*
 * Backfills the vitals the cloud kept from before the bridge ran: GET /v1/diagnostics/:id
 * (the cloud's default range, about 30 days; through the product route when @p product is
 * non-NULL), each record stored through @p writer with source "history" (a record stored
 * already counts as a duplicate, so a repeated backfill stores nothing twice). One request.
 * 0 with *stored_out (the records new to the store), or -1 with a reason in @p err.
 */
int bridge_vitals_backfill(particle_client *client, bridge_writer *writer, const char *device_id,
                           const char *product, size_t *stored_out, char *err, size_t err_size);

#endif
