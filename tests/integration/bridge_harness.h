/*
 * bridge_harness: what the bridge's integration tests share. particle-sim runs in-process on
 * loopback port 0, a scratch directory holds the bridge's SQLite file, a bridge_config points
 * the bridge at the simulator, and the bridge's REST API is called through the test HTTP
 * client (tests/support/http_client.h).
 *
 * Use: bridge_harness_open() (directory + simulator), optionally put another database in
 * h->db, bridge_harness_configure() (the config), the test's own config fields and
 * bridge_config_validate(), then bridge_harness_start_app() in the test;
 * bridge_harness_close() in the teardown. A test whose cmocka state is the harness itself:
 * bridge_harness_new() and bridge_harness_validate() in its setup, bridge_harness_teardown()
 * as its teardown.
 *
 * Header-only (static inline): only integration tests link the simulator and bridge_core.
 * Ownership: the harness owns the simulator, the app, the config and the scratch directory.
 * Thread-safety: one harness per test, used from the test's thread.
 */
#ifndef BRIDGE_HARNESS_H
#define BRIDGE_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "http_client.h"
#include "server.h"

/* Every API call is bounded; the bridge answers from its store well within this. */
#define BRIDGE_HARNESS_TIMEOUT_MS 15000

typedef struct bridge_harness {
    char dir[512]; /* the scratch directory; "" until created */
    char db[1024]; /* <dir>/bridge.db, or a database the test puts here before configure */
    sim_server *sim;
    bridge_app *app; /* NULL until bridge_harness_start_app */
    bridge_config cfg;
} bridge_harness;

/* Stops the app and the simulator, wipes the config and removes the scratch directory.
 * Safe on a harness that was zeroed and only partly opened. */
static inline void bridge_harness_close(bridge_harness *h)
{
    bridge_app_free(h->app);
    h->app = NULL;
    sim_server_free(h->sim);
    h->sim = NULL;
    bridge_config_dispose(&h->cfg);
    if (h->dir[0] != '\0') { /* only a directory this harness created */
        char cmd[700];
        int n = snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
        if (n < 0 || (size_t)n >= sizeof cmd || system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", h->dir);
        }
        h->dir[0] = '\0';
    }
}

/* Creates $TMPDIR/<prefix>-XXXXXX (TMPDIR unset: /tmp), sets h->db to <dir>/bridge.db and
 * starts the simulator with @p so on port 0 (whatever so->port says). @p h must be zeroed.
 * Returns 0, or -1 with the reason on stderr and everything undone. */
static inline int bridge_harness_open(bridge_harness *h, const char *prefix,
                                      const sim_server_options *so)
{
    char dir[sizeof h->dir], err[512];
    const char *base = getenv("TMPDIR");
    int n = snprintf(dir, sizeof dir, "%s/%s-XXXXXX", base && *base ? base : "/tmp", prefix);
    if (n < 0 || (size_t)n >= sizeof dir || mkdtemp(dir) == NULL) {
        fprintf(stderr, "cannot create a scratch directory for %s\n", prefix);
        return -1;
    }
    memcpy(h->dir, dir, sizeof dir);
    snprintf(h->db, sizeof h->db, "%s/bridge.db", h->dir);
    sim_server_options opts = *so;
    opts.port = 0;
    if (sim_server_new(&h->sim, &opts, err, sizeof err) != 0 ||
        sim_server_start(h->sim, err, sizeof err) != 0) {
        fprintf(stderr, "sim: %s\n", err);
        bridge_harness_close(h);
        return -1;
    }
    return 0;
}

/* The config's defaults, then the simulator as the cloud (with @p token), @p key as the API
 * key, h->db as the database and port 0. The caller adds its own fields and validates. */
static inline void bridge_harness_configure(bridge_harness *h, const char *token, const char *key)
{
    bridge_config_defaults(&h->cfg);
    snprintf(h->cfg.cloud_url, sizeof h->cfg.cloud_url, "http://127.0.0.1:%u",
             sim_server_port(h->sim));
    snprintf(h->cfg.access_token, sizeof h->cfg.access_token, "%s", token);
    snprintf(h->cfg.api_key, sizeof h->cfg.api_key, "%s", key);
    snprintf(h->cfg.database_path, sizeof h->cfg.database_path, "%s", h->db);
    h->cfg.port = 0;
}

/* Starts the bridge from h->cfg; fails the test if it does not start. */
static inline void bridge_harness_start_app(bridge_harness *h)
{
    char err[512];
    h->app = bridge_app_new(&h->cfg, err, sizeof err);
    if (h->app == NULL) {
        fail_msg("bridge: %s", err);
    }
}

/* A zeroed harness on the heap, opened (bridge_harness_open) and configured
 * (bridge_harness_configure); NULL, with the reason on stderr, if it cannot start. */
static inline bridge_harness *bridge_harness_new(const char *prefix, const sim_server_options *so,
                                                 const char *token, const char *key)
{
    bridge_harness *h = calloc(1, sizeof *h);
    if (h == NULL || bridge_harness_open(h, prefix, so) != 0) {
        free(h);
        return NULL;
    }
    bridge_harness_configure(h, token, key);
    return h;
}

/* bridge_config_validate() on h->cfg; fails the test with the reason. */
static inline void bridge_harness_validate(bridge_harness *h)
{
    char err[256];
    if (bridge_config_validate(&h->cfg, err, sizeof err) != 0) {
        fail_msg("config: %s", err);
    }
}

/* A cmocka teardown for a state that is a bridge_harness_new() harness: closes and frees it. */
static inline int bridge_harness_teardown(void **state)
{
    bridge_harness *h = *state;
    bridge_harness_close(h);
    free(h);
    return 0;
}

/* @p method @p path on 127.0.0.1:@p port with "Authorization: Bearer <token>", "Accept:
 * <accept>" (NULL: application/json) and, when there is a @p body, "Content-Type:
 * application/json". Fails the test unless the exchange completed; dispose the reply. */
static inline http_reply bridge_harness_http(unsigned short port, const char *method,
                                             const char *path, const char *token,
                                             const char *accept, const char *body)
{
    char url[512];
    http_headers hdrs;
    http_call call = {
        .method = method,
        .url = http_url(url, sizeof url, port, path),
        .headers = http_headers_bearer(&hdrs, token, accept ? accept : "application/json",
                                       body ? "application/json" : NULL),
        .body = body,
        .body_len = body ? strlen(body) : 0,
        .timeout_ms = BRIDGE_HARNESS_TIMEOUT_MS,
    };
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    return r;
}

/* bridge_harness_http() against the running bridge with its API key. */
static inline http_reply bridge_harness_api(bridge_harness *h, const char *method, const char *path,
                                            const char *accept, const char *body)
{
    return bridge_harness_http(bridge_app_port(h->app), method, path, h->cfg.api_key, accept, body);
}

#endif
