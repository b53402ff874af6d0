/*
 * Device sync: lists the devices of the user scope and of every configured product (all
 * pages) through libparticle, and records them in the store: new devices get the default
 * settings, renames follow the cloud unless IgnoreRename, variables and functions follow
 * the cloud, devices no longer listed are kept and marked gone. A change of the connected
 * flag is recorded in the online/offline history and, per the device's notification
 * options, posted as a status post.
 *
 * Threads: one sync at a time per client and store handle (the caller's thread).
 */
#ifndef BRIDGE_SYNC_H
#define BRIDGE_SYNC_H

#include <particle/client.h>

#include "config.h"
#include "ingest/writer.h"
#include "store/store.h"

typedef struct bridge_sync_result {
    size_t seen;
    size_t created;
    size_t gone;
} bridge_sync_result;

/* One full sync. 0, or -1 with @p err (nothing is marked gone after a failed listing). */
int bridge_sync_once(particle_client *client, bridge_store *store, bridge_writer *writer,
                     const bridge_config *cfg, bridge_sync_result *result, char *err,
                     size_t err_size);

#endif
