/* GET /v1/devices/:device/:variable and its product variant (reference/cloud-api.md §5.6). */
#include <string.h>

#include "model/sim_behaviour.h"
#include "routes/sim_routes.h"

static json_t *value_json(const sim_value *v)
{
    switch (v->type) {
    case SIM_VAR_INT32:
        return json_integer((json_int_t)v->num);
    case SIM_VAR_DOUBLE:
        return json_real(v->num);
    case SIM_VAR_BOOL:
        return json_boolean(v->num != 0);
    case SIM_VAR_STRING:
        return json_string(v->text);
    }
    return json_null();
}

static void handle_variable(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const char *name = httpd_request_param(req, "variable");
    const char *format = httpd_request_query(req, "format");
    uint32_t product;
    sim_model_lock(m);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev == SIM_NONE) {
        sim_model_unlock(m);
        return;
    }
    uint32_t var = sim_device_find_var(m, dev, name);
    const sim_device *d = &m->devices[dev];
    if (var == SIM_NONE) {
        sim_reply_fail(res, 404, "Variable not found");
    } else if (!d->online) {
        sim_reply_timed_out(ctx, res);
    } else {
        sim_value v;
        sim_device_read_var(m, dev, var, &v);
        if (format && strcmp(format, "raw") == 0) {
            char text[1100];
            sim_value_format(&v, text, sizeof(text));
            httpd_response_text(res, 200, NULL, text, strlen(text));
        } else {
            int64_t now = sim_model_now(m);
            json_t *info = json_pack(
                "{s:o, s:s, s:b, s:o, s:o, s:s, s:I}", "name",
                d->name ? json_string(d->name) : json_null(), "deviceID", d->id, "connected", 1,
                "last_handshake_at", sim_json_time(d->last_handshake_ms), "last_heard",
                sim_json_time(now), "last_app", "", "product_id",
                (json_int_t)(d->product != SIM_NONE ? m->products[d->product].id : d->platform_id));
            httpd_response_json(res, 200,
                                json_pack("{s:s, s:s, s:o, s:o}", "cmd", "VarReturn", "name", name,
                                          "result", value_json(&v), "coreInfo", info));
        }
        sim_reply_after_round_trip(ctx, res);
    }
    sim_model_unlock(m);
}

void sim_routes_variables(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/devices/:device/:variable", 0, handle_variable, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/devices/:device/:variable", 0,
                    handle_variable, ctx);
}
