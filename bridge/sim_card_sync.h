/*
 * SIM cards for the bridge (cloud-api.md §8): during a device sync, a device with an ICCID
 * gets its SIM and this billing period's daily usage fetched through libparticle
 * (GET /v1/sims/:iccid, .../data_usage and .../status, the product variants for a product's
 * devices) and stored through the writer (bridge_writer_sim_upsert), which fills the DTO's
 * `Sim` and the `sims` and `data-usage` and `cellular-status` reports.
 *
 * Threads: uses the client and the (read) store handle it is given on the caller's thread;
 * the write is a writer command.
 */
#ifndef BRIDGE_SIM_CARD_SYNC_H
#define BRIDGE_SIM_CARD_SYNC_H

#include <stdint.h>

#include <particle/client.h>

#include "ingest/writer.h"
#include "store/store.h"

/* What bridge_sim_card_sync() did. */
typedef enum bridge_sim_card_outcome {
    BRIDGE_SIM_CARD_STORED,  /* the SIM and its usage were stored */
    BRIDGE_SIM_CARD_NOT_OURS /* the cloud answered 403/404: a SIM the account does not own; the
                           DTO's Sim stays null (a SIM stored earlier is left as it was) */
} bridge_sim_card_outcome;

/*
 * Fetches SIM @p iccid of device @p device_id (through the product route when @p product
 * is non-NULL: a product id or slug) and its usage, reads what @p store holds of the SIM,
 * and stores them through @p writer at @p now_ms (the date
 * added of a SIM seen for the first time), with its cellular network status: the first call
 * starts the cloud's status task (§7.6), a later one stores its result (until then the last
 * known status stays). Three requests.
 * Returns 0 with *outcome_out set, or -1 with a reason in @p err (a failed request other
 * than 403/404, an answer that is not a SIM, a store error or a stalled writer).
 */
int bridge_sim_card_sync(particle_client *client, bridge_store *store, bridge_writer *writer,
                         const char *iccid, const char *device_id, const char *product,
                         int64_t now_ms, bridge_sim_card_outcome *outcome_out, char *err,
                         size_t err_size);

#endif
