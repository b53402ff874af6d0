/*
 * The bridge's own integration in the Particle cloud ([webhook] in config.h): one webhook
 * that sends the events named by `events` to `<public_url>/api/v1/webhook` with the shared
 * secret in the X-Webhook-Secret header that ingest/webhook.c checks.
 *
 * bridge_webhook_sync() makes it exist as configured: it creates it when there is none,
 * edits it when it drifted (event prefix, URL, method, secret, or disabled by the cloud),
 * and leaves it alone when it matches. Its id is kept in the store's settings
 * (bridge_store_setting_*) so a restart reuses it; without a stored id an integration that
 * already posts to the same URL is adopted rather than duplicated. bridge_webhook_remove()
 * deletes it and forgets the id.
 *
 * The secret goes only into the request body and is never logged. Store writes go through
 * @p writer when one runs (the app), else straight to @p store (a one-shot command).
 *
 * Threads: the caller's, with the client and store handle it owns.
 */
#ifndef BRIDGE_WEBHOOK_SYNC_H
#define BRIDGE_WEBHOOK_SYNC_H

#include <particle/client.h>

#include "config.h"
#include "ingest/writer.h"
#include "store/store.h"

/* What a call did. */
typedef enum bridge_webhook_action {
    BRIDGE_WEBHOOK_IN_SYNC, /* it existed as configured: nothing sent but reads */
    BRIDGE_WEBHOOK_CREATED,
    BRIDGE_WEBHOOK_EDITED,
    BRIDGE_WEBHOOK_REMOVED,
    BRIDGE_WEBHOOK_ABSENT /* removal found nothing to delete */
} bridge_webhook_action;

/* The store setting that holds the integration's id for @p cfg's scope, into @p out. */
void bridge_webhook_setting_name(const bridge_config *cfg, char *out, size_t size);

/* Creates or fixes the integration (cfg->webhook_manage must be set). 0, or -1 with @p err. */
int bridge_webhook_sync(particle_client *client, bridge_store *store, bridge_writer *writer,
                        const bridge_config *cfg, bridge_webhook_action *action_out, char *err,
                        size_t err_size);

/* Deletes the integration (the stored one, else one posting to the bridge's URL) and
 * forgets its id. 0, or -1 with @p err. */
int bridge_webhook_remove(particle_client *client, bridge_store *store, bridge_writer *writer,
                          const bridge_config *cfg, bridge_webhook_action *action_out, char *err,
                          size_t err_size);

/* particle-bridge --remove-webhook: bridge_webhook_remove() on a store and a client of its
 * own, logging the outcome. Returns the exit status (0, or 1 after a logged error). */
int bridge_webhook_remove_command(const bridge_config *cfg);

#endif
