/*
 * Get Variable Value on demand: reading a device's variables now, through libparticle
 * (GET /v1/devices/:id/:name), for GET /api/v1/reports/variable-values/live. The rows have
 * the columns of the variable-values report with Source "live"; each read takes one request
 * from the bridge's budget (the same one the poller and the sync draw on).
 *
 * Threads: any; each call uses a client of its own.
 */
#ifndef BRIDGE_REPORTS_LIVE_H
#define BRIDGE_REPORTS_LIVE_H

#include <jansson.h>
#include <stdint.h>

#include "budget.h"
#include "store/store.h"

/* What a live read needs; borrowed, it must outlive the API. */
typedef struct bridge_live_reads {
    const char *cloud_url;    /* NULL = the SDK's default */
    const char *access_token; /* never logged */
    bridge_budget *budget;
    int64_t timeout_ms;
} bridge_live_reads;

/* Reads variable @p name of @p device (NULL = every variable the store knows of it) into
 * @p rows. 0; 404 when the device (or the variable) is unknown to the store, 429 when the
 * budget is spent, 502 when the cloud refused or failed a read; @p err says which. */
int bridge_report_variables_live(const bridge_live_reads *live, bridge_store *st,
                                 const char *device, const char *name, json_t *rows, char *err,
                                 size_t err_size);

#endif
