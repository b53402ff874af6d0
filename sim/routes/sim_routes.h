/*
 * The simulator's HTTP routes: each file registers one group (auth, devices, variables,
 * functions, events, control) on an httpd server, and translates requests into model calls.
 * Handlers take the model lock for as long as they read or change the model, and build
 * their JSON under it.
 *
 * Error bodies follow reference/cloud-api.md §3.2: {"error","error_description"} for auth,
 * {"ok":false,"error"} for device operations, {"error":"Permission Denied","info"} for
 * unknown or foreign devices.
 */
#ifndef SIM_ROUTES_H
#define SIM_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "clock.h"
#include "httpd.h"
#include "model/sim_accounts.h"
#include "model/sim_model.h"

/* Back to the initial fleet (the control API's reset): 0, or -1 with a message in @p err. */
typedef int sim_reset_fn(void *payload, char *err, size_t err_size);

/* Extra route flags (beside HTTPD_ROUTE_PUBLIC) read by the server's before hook. */
#define SIM_ROUTE_RL_AUTH 0x100u   /* counts against the token-route limit (100 / 5 min) */
#define SIM_ROUTE_RL_STREAM 0x200u /* an SSE stream open (100 / 5 min, 100 open per IP) */

/* GET /v1/serial_numbers/:serial per caller and hour (reference/cloud-api.md §3.3). */
#define SIM_SERIAL_LOOKUPS_PER_HOUR 50

typedef struct sim_ctx {
    sim_model *model;
    sim_clock *clock;
    httpd_sse_hub *hub;
    unsigned int offline_delay_ms;
    unsigned int device_latency_ms;
    sim_reset_fn *reset; /* the server's, for POST /sim/reset */
    void *reset_payload;
    /* Open-stream gauge per client IP; NULL when rate limits are off. */
    struct pu_ratelimit *streams;
    /* Rendered device objects (routes/device_render.h); guarded by the model lock. */
    struct sim_render_cache *render;
    /* Serial number lookups per caller: 50 an hour of simulation time (§3.3, §5.11). */
    struct pu_ratelimit *serial_lookups;
    /* Integrations and their delivery (hooks/hooks.h); guarded by the model lock. */
    struct sim_hooks *hooks;
    /* Environment variables (model/sim_env.h); guarded by the model lock. */
    struct sim_env *env;
    /* Ledger definitions and instances (model/sim_ledgers.h); guarded by the model lock. */
    struct sim_ledgers *ledgers;
    /* Firmware libraries (model/sim_libraries.h); guarded by the model lock. */
    struct sim_libraries *libraries;
    /* Logic functions and their runs (model/sim_logic.h); guarded by the model lock. */
    struct sim_logic *logic;
    /* API users' scopes (model/sim_api_users.h); guarded by the model lock. */
    struct sim_api_users *api_users;
    /* Configuration JSON Schemas set with PUT (model/sim_config_schemas.h); guarded by the
     * model lock. */
    struct sim_config_schemas *config_schemas;
} sim_ctx;

/* Registers every group in the order routing needs (specific before general). */
void sim_routes_register(httpd_server *srv, sim_ctx *ctx);
void sim_routes_auth(httpd_server *srv, sim_ctx *ctx);
void sim_routes_events(httpd_server *srv, sim_ctx *ctx);
/* Ends the event streams whose token has expired by @p now_ms (wall clock); the server's
 * ticker calls it. Revoked tokens end their streams at once (a model observer). */
void sim_events_close_expired(sim_ctx *ctx, int64_t now_ms);
/* GET /v1/devices alone: registered first, as the router tries routes in order and this is
 * the route clients poll. */
void sim_routes_device_list(httpd_server *srv, sim_ctx *ctx);
void sim_routes_devices(httpd_server *srv, sim_ctx *ctx);
void sim_routes_product_devices(httpd_server *srv, sim_ctx *ctx);
void sim_routes_variables(httpd_server *srv, sim_ctx *ctx);
void sim_routes_functions(httpd_server *srv, sim_ctx *ctx);
void sim_routes_control(httpd_server *srv, sim_ctx *ctx);
void sim_routes_integrations(httpd_server *srv, sim_ctx *ctx);
void sim_routes_sim_cards(httpd_server *srv, sim_ctx *ctx);
void sim_routes_diagnostics(httpd_server *srv, sim_ctx *ctx);
void sim_routes_groups(httpd_server *srv, sim_ctx *ctx);
void sim_routes_claims(httpd_server *srv, sim_ctx *ctx);
void sim_routes_serial_numbers(httpd_server *srv, sim_ctx *ctx);
/* Firmware (issue 13): product firmware, compile/binaries, build targets, control. */
void sim_routes_firmware(httpd_server *srv, sim_ctx *ctx);
void sim_routes_flash(httpd_server *srv, sim_ctx *ctx);
void sim_routes_build_targets(httpd_server *srv, sim_ctx *ctx);
void sim_routes_control_firmware(httpd_server *srv, sim_ctx *ctx);
/* PUT /v1/devices/:device with a multipart "file" part: flashes it (routes/flash.c) and
 * returns true; false (nothing answered) for any other update. */
bool sim_flash_request(sim_ctx *ctx, const httpd_request *req, httpd_response *res);

void sim_routes_products(httpd_server *srv, sim_ctx *ctx);
void sim_routes_orgs(httpd_server *srv, sim_ctx *ctx);
void sim_routes_team(httpd_server *srv, sim_ctx *ctx);
void sim_routes_clients(httpd_server *srv, sim_ctx *ctx);
void sim_routes_customers(httpd_server *srv, sim_ctx *ctx);
void sim_routes_product_config(httpd_server *srv, sim_ctx *ctx);

/* Accounts (routes/user.c), provisioning and device protection (routes/provisioning.c),
 * and the retired mesh routes (routes/retired.c). */
void sim_routes_user(httpd_server *srv, sim_ctx *ctx);
void sim_routes_provisioning(httpd_server *srv, sim_ctx *ctx);
void sim_routes_retired(httpd_server *srv, sim_ctx *ctx);
/* POST /v1/devices with {product_id} and no device id: self-provisioning (a handler). */
void sim_route_provision(const httpd_request *req, httpd_response *res, void *payload);

/* Environment variables (routes/env.c). */
void sim_routes_env(httpd_server *srv, sim_ctx *ctx);
/* Tracker locations of a product (routes/locations.c). */
void sim_routes_locations(httpd_server *srv, sim_ctx *ctx);

/* The model's event sink (payload: the sim_ctx): frames events for the SSE hub. */
void sim_events_sink(const sim_event *ev, void *payload);

/* The caller resolved by the before hook; NULL on public routes. */
const sim_principal *sim_caller(const httpd_request *req);

/* {"error": error, "error_description": description} */
void sim_reply_oauth_error(httpd_response *res, unsigned int status, const char *error,
                           const char *description);
/* {"ok": false, "error": message} */
void sim_reply_fail(httpd_response *res, unsigned int status, const char *message);
/* 403 Permission Denied body of §3.2. */
void sim_reply_permission_denied(httpd_response *res);
/* The offline-device timeout: 400 {"ok":false,"error":"Timed out."} after the delay. */
void sim_reply_timed_out(const sim_ctx *ctx, httpd_response *res);

/* Holds an answer that came from an online device for the round trip to it
 * (--device-latency-ms), without holding a server thread. */
void sim_reply_after_round_trip(const sim_ctx *ctx, httpd_response *res);

/* Query argument @p name (or @p alias, may be NULL) as a number: @p dflt when absent or
 * empty, -1 when it is not a whole number (callers treat negatives as invalid). */
long sim_query_long(const httpd_request *req, const char *name, const char *alias, long dflt);

/* A boolean query argument as pu_parse_bool() reads it ("true"/"1"/"yes"/"on" and their
 * opposites, any case): 1 or 0, and -1 for anything else (or NULL, an absent argument). */
int sim_parse_bool(const char *s);

/*
 * Resolves the :product route parameter (if the route has one) and :device for the caller.
 * On failure replies (404 for an unknown product, 403 Permission Denied otherwise) and
 * returns SIM_NONE. *product_out gets the product index or SIM_NONE. Model lock held.
 */
uint32_t sim_route_device(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                          uint32_t *product_out);
/* Resolves :product for product-level routes; replies and returns SIM_NONE on failure. */
uint32_t sim_route_product(const sim_ctx *ctx, const httpd_request *req, httpd_response *res);

/* "Authorization: Basic base64(user:secret)" split in place (wipe it after use). */
typedef struct sim_basic_creds {
    char buf[512];
    const char *user;
    const char *secret;
} sim_basic_creds;
/* Fills @p out from the request's Basic header; false when absent or malformed. */
bool sim_basic_auth(const httpd_request *req, sim_basic_creds *out);

/* ---- account routes (routes/account_common.c) ---- */
/* sim_route_product, and then @p right on it (sim_model_product_right): 403 when the caller
 * is on the team but its role lacks the right. */
uint32_t sim_route_product_right(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                                 sim_right right);
/* Resolves :org for the caller: 404 unknown, 403 not on its team (or lacking @p right). */
uint32_t sim_route_org(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                       sim_right right);
/* 403 {"error":"Permission Denied","info": info}. */
void sim_reply_denied(httpd_response *res, const char *info);
/* A refused change: 400 (SIM_INVALID), 404 (SIM_NOT_FOUND), 409 (SIM_CONFLICT), with
 * {"ok":false,"error": why}. */
void sim_reply_result(httpd_response *res, sim_result r, const char *why);
/* The product object of reference/cloud-api.md §9.1 (model lock held). */
json_t *sim_render_product(const sim_model *m, uint32_t product);

/* Ledgers (routes/ledgers.c) and their device side in the control API
 * (routes/ledger_control.c). */
void sim_routes_ledgers(httpd_server *srv, sim_ctx *ctx);
void sim_routes_ledger_control(httpd_server *srv, sim_ctx *ctx);

/* Logic functions (routes/logic.c), and the ledger observer (sim_ledgers_observe) that
 * fires their LedgerChange triggers (payload: the sim_ctx). */
void sim_routes_logic(httpd_server *srv, sim_ctx *ctx);
void sim_logic_ledger_observer(const char *ns, const char *ledger, const char *change_type,
                               void *payload);

/* ISO-8601 string (or null for 0). */
json_t *sim_json_time(int64_t ms);
/* Firmware libraries (issue 14): routes/libraries.c. */
void sim_routes_libraries(httpd_server *srv, sim_ctx *ctx);

#endif
