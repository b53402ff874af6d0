/* POST /v1/devices/:device/:function and its product variant (reference/cloud-api.md §5.7). */
#include <stdio.h>
#include <string.h>

#include "model/sim_behaviour.h"
#include "routes/sim_routes.h"

/* Device OS 1.x+ accepts 622 bytes (the legacy limit was 63); UNVERIFIED, see docs/SIM.md. */
#define MAX_ARG_BYTES 622

static void handle_function(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const char *name = httpd_request_param(req, "function");
    /* particle-api-js sends "args", the docs and curl examples "arg": accept both. */
    const char *arg = httpd_request_arg(req, "arg");
    if (!arg)
        arg = httpd_request_arg(req, "args");
    const char *format = httpd_request_arg(req, "format");
    if (arg && strlen(arg) > MAX_ARG_BYTES) {
        sim_reply_fail(res, 400, "Argument too long");
        return;
    }
    uint32_t product;
    sim_model_lock(m);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev == SIM_NONE) {
        sim_model_unlock(m);
        return;
    }
    uint32_t fn = sim_device_find_fn(m, dev, name);
    const sim_device *d = &m->devices[dev];
    if (fn == SIM_NONE) {
        char msg[160];
        snprintf(msg, sizeof(msg), "Function %s not found", name);
        sim_reply_fail(res, 404, msg);
    } else if (!d->online) {
        sim_reply_timed_out(ctx, res);
    } else {
        int32_t rv = sim_device_call_fn(m, dev, fn, arg);
        if (format && strcmp(format, "raw") == 0) {
            char text[16];
            snprintf(text, sizeof(text), "%d", (int)rv);
            httpd_response_text(res, 200, NULL, text, strlen(text));
        } else {
            httpd_response_json(res, 200,
                                json_pack("{s:s, s:o, s:b, s:i}", "id", d->id, "name",
                                          d->name ? json_string(d->name) : json_null(), "connected",
                                          1, "return_value", (int)rv));
        }
        sim_reply_after_round_trip(ctx, res);
    }
    sim_model_unlock(m);
}

void sim_routes_functions(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/devices/:device/:function", 0, handle_function, ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/devices/:device/:function", 0,
                    handle_function, ctx);
}
