/*
 * How the fleet is organised, for the bridge (cloud-api.md section 9). Part of each sync,
 * after the devices are listed (the product device listing brings each device's groups,
 * which the device sync stores with the device):
 *
 *   - the products the account sees: the user's (GET /v1/user/products) and each configured
 *     organization's (GET /v1/orgs/:org/products); a configured product none of them lists
 *     is asked for by itself (GET /v1/products/:product);
 *   - for each configured product, its device groups (GET /v1/products/:product/groups),
 *     every page of its customers (GET /v1/products/:product/customers) and its firmware
 *     versions (GET /v1/products/:product/firmware, cloud-api.md 9.6).
 *
 * Each set is stored whole through a writer command (ingest/writer.h), replacing the stored
 * one: the products as the set this bridge lists (its scope tag), the customers, groups
 * and firmware per product. A set whose listing failed is left as stored. Every request
 * draws on the shared budget (budget.h) as the per-device details do: when it is spent the
 * remaining listings wait for a later run (a set not listed whole stays as stored), and a
 * 429 pauses the budget for everyone. A 403 or 404 (a product or organization this token
 * may not see) is logged once per product or organization, until it answers again, and does
 * not stop the sync; other failures of a request are logged each time and do not stop it
 * either.
 *
 * Threads: the caller's (the sync's) thread, with the sync's client.
 */
#ifndef BRIDGE_FLEET_SYNC_H
#define BRIDGE_FLEET_SYNC_H

#include <particle/particle.h>
#include <stdbool.h>
#include <stdint.h>

#include "budget.h"
#include "config.h"
#include "ingest/writer.h"

/* What one run leaves for the next (zero-initialise before the first): for the user, each
 * organization and each configured product, the kinds of listing that answered 403/404
 * (fleet_sync.c). A target's refusal is logged when the first one comes. */
typedef struct bridge_fleet_state {
    unsigned char refusals[1 + BRIDGE_MAX_ORGS + BRIDGE_MAX_PRODUCTS];
} bridge_fleet_state;

typedef struct bridge_fleet_result {
    size_t products;    /* products stored (0 when the set was left as stored) */
    size_t customers;   /* customers stored, over every configured product */
    size_t groups;      /* groups stored, over every configured product */
    size_t refused;     /* listings answered 403/404 */
    size_t failed;      /* listings that failed otherwise (logged) */
    size_t skipped;     /* listings left for a later run: the budget was spent */
    size_t firmware;    /* product firmware versions stored, over every configured product */
    int64_t elapsed_ms; /* how long the run took (metrics.h), failed runs included */
    bool ran;           /* set by every run, failed ones included */
} bridge_fleet_result;

/*
 * One run: lists and stores as above. @p owner is the bridge's scope tag
 * (bridge_config_scope_tag). Returns 0, or -1 with @p err when the writer refused a set (a
 * stalled writer fails the run; the next one does it again) or out of memory.
 */
int bridge_fleet_sync(particle_client *client, bridge_writer *writer, bridge_budget *budget,
                      const bridge_config *cfg, const char *owner, bridge_fleet_state *state,
                      bridge_fleet_result *result, char *err, size_t err_size);

#endif
