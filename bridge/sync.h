/*
 * Device sync: lists the devices of the user scope and of every configured product (all
 * pages) through libparticle, and records them in the store: new devices get the default
 * settings, renames follow the cloud unless IgnoreRename, variables and functions follow
 * the cloud, devices no longer listed are kept and marked gone. A change of the connected
 * flag goes to the writer as a spark/status event (source "sync"), so the normaliser
 * records it in the online/offline history and, per the device's notification options,
 * posts a status message, as it does for the stream's.
 *
 * The sync reads through its own store handle and changes data only through the writer's
 * commands (ingest/writer.h).
 *
 * With a partition (config.h), only the devices of this bridge's share are recorded. Each
 * recorded device is stamped with the bridge's scope tag, and only devices with this tag
 * (or none yet) are marked gone, so bridges sharing a database leave each other's alone.
 *
 * A product listing also gives each device's groups and firmware (firmware_version,
 * targeted_firmware_release_version, desired_firmware_version, firmware_updates_enabled
 * and _forced), stored with the device. After the devices, the run lists the products,
 * customers, groups and product firmware (fleet_sync.h).
 *
 * Per-device details (last known vitals: one request; the SIM and its usage of a cellular
 * device: two) are fetched for details_per_sync devices per run, a window that moves on
 * each run, so the whole fleet is covered in turn. Every request draws on the bridge's
 * budget (budget.h): listing pages wait for it a little, details are skipped when it is
 * spent (they come with a later run), and a 429 pauses the budget for everyone.
 *
 * Threads: one sync at a time per client and store handle (the caller's thread).
 */
#ifndef BRIDGE_SYNC_H
#define BRIDGE_SYNC_H

#include <particle/client.h>

#include "budget.h"
#include "config.h"
#include "fleet_sync.h"
#include "ingest/writer.h"
#include "store/store.h"

typedef struct bridge_sync_result {
    size_t seen;
    size_t created;
    size_t gone;
    size_t details;            /* devices whose details this run looked at */
    size_t details_skipped;    /* of those, skipped because the budget was spent */
    bridge_fleet_result fleet; /* products, customers and groups (fleet_sync.h) */
} bridge_sync_result;

/* What one run leaves for the next (zero-initialise before the first). */
typedef struct bridge_sync_state {
    size_t details_cursor; /* where the next window of per-device details starts */
    size_t last_seen;      /* devices the previous run listed */
    bridge_fleet_state fleet;
} bridge_sync_state;

/* One full sync, reading through @p store and writing through @p writer. 0, or -1 with @p err
 * (nothing is marked gone after a failed listing; a stalled writer fails the run, the next
 * one does it again). A failed run fills only result->fleet, and that only when the fleet
 * listings ran (result->fleet.ran); zero @p result before the call. */
int bridge_sync_once(particle_client *client, bridge_store *store, bridge_writer *writer,
                     bridge_budget *budget, bridge_sync_state *state, const bridge_config *cfg,
                     bridge_sync_result *result, char *err, size_t err_size);

#endif
