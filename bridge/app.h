/*
 * bridge_app: one running particle-bridge: the store, the ingest writer, the API server,
 * the poll scheduler, the event streams and the periodic device sync, wired together.
 * main.c runs one; tests run one in-process.
 *
 * Threads: new, reload, flush and free from one controlling thread.
 */
#ifndef BRIDGE_APP_H
#define BRIDGE_APP_H

#include <stddef.h>

#include "config.h"
#include "metrics.h"

typedef struct bridge_app bridge_app;

/* Starts everything for @p cfg (copied). The first device sync runs before this returns,
 * so the API answers with the fleet at once; a failed first sync is logged, not fatal
 * (the bridge keeps serving what it stored and retries). NULL with @p err. */
bridge_app *bridge_app_new(const bridge_config *cfg, char *err, size_t err_size);

/* The API's bound port (useful with port 0). */
unsigned short bridge_app_port(const bridge_app *app);

bridge_metrics *bridge_app_metrics(bridge_app *app);

/* Applies a reloaded config: device defaults, notification texts, breaker policy and sync
 * interval take effect; the listen address, port, database, cloud URL, token, scopes and
 * API key need a restart (a note names the ones that changed). Writes notes into @p note. */
void bridge_app_reload(bridge_app *app, const bridge_config *cfg, char *note, size_t note_size);

/* Runs a device sync now and waits for it. 0, or -1 with @p err. */
int bridge_app_sync_now(bridge_app *app, char *err, size_t err_size);

/* Waits until what was received so far is stored. 0, or -1 on timeout. */
int bridge_app_flush(bridge_app *app, long timeout_ms);

/* Stops the streams, the scheduler and the server, stores everything received, frees.
 * NULL-safe. */
void bridge_app_free(bridge_app *app);

#endif
