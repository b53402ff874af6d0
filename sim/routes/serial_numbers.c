/*
 * GET /v1/serial_numbers/:serial (reference/cloud-api.md §5.11): the device with that serial
 * number (any case), 200 {"ok":true,"deviceID","iccid"} (iccid for cellular devices only),
 * else 404 {"ok":false,"error"}. Any valid token may look a serial up: the serial number is
 * printed on the device, and the lookup is how an app finds the id to claim.
 *
 * Each caller (a user or customer by username, a product token by its product) has 50
 * lookups per hour of simulation time (§3.3, a sliding window); the 51st is 429 with
 * Retry-After and {"error":"too_many_requests","error_description"} (the reference documents
 * no 429 body: the simulator's, as for its other limits). Lookups that find nothing count.
 */
#include <stdio.h>

#include "pu_ratelimit.h"
#include "routes/sim_routes.h"

/* Whether the caller may look up one more serial now; replies 429 when not. Model lock
 * held (for the clock). */
static bool lookup_allowed(const sim_ctx *ctx, const httpd_request *req, httpd_response *res)
{
    const sim_principal *p = sim_caller(req);
    char key[32]; /* by index: indexes stay valid (deleted customers are kept) */
    if (p->kind == SIM_TOKEN_PRODUCT)
        snprintf(key, sizeof(key), "product:%u", (unsigned)p->product);
    else
        snprintf(key, sizeof(key), "user:%u", (unsigned)p->user);
    int64_t retry_ms = 0;
    if (pu_ratelimit_hit(ctx->serial_lookups, key, sim_model_now(ctx->model), &retry_ms))
        return true;
    char secs[24];
    snprintf(secs, sizeof(secs), "%lld", (long long)((retry_ms + 999) / 1000));
    httpd_response_header(res, "Retry-After", secs);
    char why[64];
    snprintf(why, sizeof(why), "Serial number lookups are limited to %d per hour",
             SIM_SERIAL_LOOKUPS_PER_HOUR);
    sim_reply_oauth_error(res, 429, "too_many_requests", why);
    return false;
}

static void handle_lookup(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t dev = SIM_NONE;
    if (!lookup_allowed(ctx, req, res)) {
        /* replied */
    } else if ((dev = sim_model_find_serial(m, httpd_request_param(req, "serial"))) == SIM_NONE) {
        sim_reply_fail(res, 404, "Serial number not found");
    } else {
        const sim_device *d = &m->devices[dev];
        json_t *o = json_pack("{s:b, s:s}", "ok", 1, "deviceID", d->id);
        if (d->iccid[0])
            json_object_set_new(o, "iccid", json_string(d->iccid));
        httpd_response_json(res, 200, o);
    }
    sim_model_unlock(m);
}

void sim_routes_serial_numbers(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/serial_numbers/:serial", 0, handle_lookup, ctx);
}
