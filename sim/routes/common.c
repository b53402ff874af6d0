/* Helpers shared by the route groups: errors, lookups, the device object. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_hash.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "routes/sim_routes.h"

const sim_principal *sim_caller(const httpd_request *req)
{
    return httpd_request_user(req);
}

void sim_reply_oauth_error(httpd_response *res, unsigned int status, const char *error,
                           const char *description)
{
    httpd_response_json(res, status,
                        json_pack("{s:s, s:s}", "error", error, "error_description", description));
}

void sim_reply_fail(httpd_response *res, unsigned int status, const char *message)
{
    httpd_response_json(res, status, json_pack("{s:b, s:s}", "ok", 0, "error", message));
}

void sim_reply_permission_denied(httpd_response *res)
{
    httpd_response_json(res, 403,
                        json_pack("{s:s, s:s}", "error", "Permission Denied", "info",
                                  "I didn't recognize that device name or ID, try opening "
                                  "https://api.particle.io/v1/devices?access_token=undefined"));
}

void sim_reply_timed_out(const sim_ctx *ctx, httpd_response *res)
{
    sim_reply_fail(res, 400, "Timed out.");
    if (ctx->offline_delay_ms)
        httpd_response_delay(res, ctx->offline_delay_ms);
}

void sim_reply_after_round_trip(const sim_ctx *ctx, httpd_response *res)
{
    if (ctx->device_latency_ms)
        httpd_response_delay(res, ctx->device_latency_ms);
}

long sim_query_long(const httpd_request *req, const char *name, const char *alias, long dflt)
{
    const char *v = httpd_request_query(req, name);
    if (!v && alias)
        v = httpd_request_query(req, alias);
    if (!v || !*v)
        return dflt;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    return (*end || errno) ? -1 : n;
}

int sim_parse_bool(const char *s)
{
    bool v;
    return pu_parse_bool(s, &v) == 0 ? v : -1;
}

uint32_t sim_route_product(const sim_ctx *ctx, const httpd_request *req, httpd_response *res)
{
    const char *key = httpd_request_param(req, "product");
    uint32_t p = key ? sim_model_find_product(ctx->model, key) : SIM_NONE;
    if (p == SIM_NONE) {
        httpd_response_json(res, 404,
                            json_pack("{s:b, s:s}", "ok", 0, "error", "Product not found"));
        return SIM_NONE;
    }
    if (!sim_model_can_access_product(ctx->model, sim_caller(req), p)) {
        httpd_response_json(res, 403,
                            json_pack("{s:s, s:s}", "error", "Permission Denied", "info",
                                      "You do not have access to this product"));
        return SIM_NONE;
    }
    return p;
}

uint32_t sim_route_device(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                          uint32_t *product_out)
{
    uint32_t product = SIM_NONE;
    *product_out = SIM_NONE;
    if (httpd_request_param(req, "product")) {
        const char *key = httpd_request_param(req, "product");
        product = sim_model_find_product(ctx->model, key);
        if (product == SIM_NONE) {
            httpd_response_json(res, 404,
                                json_pack("{s:b, s:s}", "ok", 0, "error", "Product not found"));
            return SIM_NONE;
        }
    }
    const char *id = httpd_request_param(req, "device");
    uint32_t dev =
        id ? sim_model_resolve_device(ctx->model, sim_caller(req), id, product) : SIM_NONE;
    if (dev == SIM_NONE) {
        sim_reply_permission_denied(res);
        return SIM_NONE;
    }
    *product_out = product;
    return dev;
}

json_t *sim_json_time(int64_t ms)
{
    char buf[PU_ISO8601_SIZE];
    return ms ? json_string(pu_time_iso8601(ms, buf)) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *const VAR_TYPE_NAMES[] = {"int32", "double", "string", "bool"};

const char *sim_var_type_name(sim_var_type type)
{
    return VAR_TYPE_NAMES[type];
}

/* BLE setup secret: 15 characters of [A-Z0-9] derived from the id (stable per device). */
void sim_device_mobile_secret(const char *id, char out[16])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    uint64_t h = pu_fnv1a64(id);
    for (int i = 0; i < 15; i++) {
        out[i] = alphabet[h % 32];
        h = h / 32 ^ (h << 59) ^ 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
    }
    out[15] = '\0';
}

json_t *sim_device_json(const sim_model *m, uint32_t dev, bool product_view, bool with_owner)
{
    const sim_device *d = &m->devices[dev];
    const sim_template *t = &m->templates[d->tmpl];
    const sim_product *p = d->product != SIM_NONE ? &m->products[d->product] : NULL;
    int64_t now = sim_model_now(m);
    char ip[16], secret[16];
    snprintf(ip, sizeof(ip), "%u.%u.%u.%u", d->ip >> 24, (d->ip >> 16) & 255, (d->ip >> 8) & 255,
             d->ip & 255);
    sim_device_mobile_secret(d->id, secret);

    json_t *fns = json_array();
    for (uint32_t i = 0; i < t->fn_count; i++)
        json_array_append_new(fns, json_string(t->fns[i].name));
    json_t *vars = json_object();
    for (uint32_t i = 0; i < t->var_count; i++)
        json_object_set_new(vars, t->vars[i].name, json_string(sim_var_type_name(t->vars[i].type)));

    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(d->id));
    json_object_set_new(o, "name", str_or_null(d->name));
    if (with_owner && d->owner != SIM_NONE)
        json_object_set_new(o, "owner", json_string(m->users[d->owner].username));
    json_object_set_new(o, "last_ip_address", json_string(ip));
    json_object_set_new(o, "last_heard", sim_json_time(d->online ? now : d->last_heard_ms));
    json_object_set_new(o, "last_handshake_at", sim_json_time(d->last_handshake_ms));
    json_object_set_new(o, "product_id", json_integer(p ? p->id : d->platform_id));
    json_object_set_new(o, "online", json_boolean(d->online));
    json_object_set_new(o, "connected", json_boolean(d->online));
    json_object_set_new(o, "platform_id", json_integer(d->platform_id));
    json_object_set_new(o, "cellular", json_boolean(d->cellular));
    json_object_set_new(o, "notes", str_or_null(d->notes));
    json_object_set_new(o, "functions", fns);
    json_object_set_new(o, "variables", vars);
    json_object_set_new(o, "status", json_string("normal"));
    json_object_set_new(o, "serial_number", json_string(d->serial));
    if (d->cellular) {
        json_object_set_new(o, "iccid", json_string(d->iccid));
        json_object_set_new(o, "imei", json_string(d->imei));
    } else {
        char mac[18];
        snprintf(mac, sizeof(mac), "%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", d->id + 12, d->id + 14,
                 d->id + 16, d->id + 18, d->id + 20, d->id + 22);
        json_object_set_new(o, "mac_wifi", json_string(mac));
    }
    json_object_set_new(o, "mobile_secret", json_string(secret));
    json_object_set_new(o, "system_firmware_version", json_string(d->system_firmware));
    json_object_set_new(o, "firmware_updates_enabled", json_boolean(d->updates_enabled));
    json_object_set_new(o, "firmware_updates_forced", json_boolean(d->updates_forced));
    json_object_set_new(o, "device_protection", json_pack("{s:s}", "status", "disabled"));
    if (product_view && p) {
        json_t *groups = json_array();
        for (uint32_t g = 0; g < p->group_count; g++)
            if (d->groups & (1u << g))
                json_array_append_new(groups, json_string(p->groups[g]));
        json_object_set_new(o, "firmware_product_id", json_integer(p->id));
        json_object_set_new(o, "groups", groups);
        json_object_set_new(o, "firmware_version", json_integer(d->firmware_version));
        json_object_set_new(o, "desired_firmware_version",
                            d->desired_firmware_version < 0
                                ? json_null()
                                : json_integer(d->desired_firmware_version));
        json_object_set_new(o, "targeted_firmware_release_version",
                            json_integer(d->desired_firmware_version < 0
                                             ? d->firmware_version
                                             : d->desired_firmware_version));
        json_object_set_new(o, "development", json_boolean(d->development));
        json_object_set_new(o, "quarantined", json_boolean(d->quarantined));
        json_object_set_new(o, "denied", json_boolean(d->denied));
    }
    return o;
}

void sim_routes_register(httpd_server *srv, sim_ctx *ctx)
{
    /* The hot route first: it is a literal path no other pattern is meant to take. */
    sim_routes_device_list(srv, ctx);
    sim_routes_auth(srv, ctx);
    sim_routes_control(srv, ctx);
    /* Stream routes before the device routes: "/v1/devices/events" is not a device. */
    sim_routes_events(srv, ctx);
    sim_routes_devices(srv, ctx);
    sim_routes_product_devices(srv, ctx);
    sim_routes_variables(srv, ctx);
    sim_routes_functions(srv, ctx);
    sim_routes_integrations(srv, ctx);
    sim_routes_diagnostics(srv, ctx);
    sim_routes_sims(srv, ctx);
}
