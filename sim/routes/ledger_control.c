/*
 * The device side of ledgers in the control API (docs/SIM.md):
 *   PUT /sim/devices/:device/ledgers/:name[?set_mode=Replace|Merge]  {"data":{...}}
 *       the simulated device writes its instance of a device-to-cloud (Upstream) ledger:
 *       200 {"instance":{...}}; a cloud-to-device (Downstream) ledger is 403.
 *   GET /sim/devices/:device/ledgers/:name
 *       what the device sees of the ledger: its instance, 200 {"instance":{...}}.
 * The ledger is looked up in the namespace that owns the device: the organization of its
 * product, else its owner's sandbox. The instance is the device's own scope value: the
 * device id (Device scope), its product (Product) or the organization or owner (Owner).
 * Any developer token may use it, like the rest of the control API.
 */
#include <stdio.h>
#include <string.h>

#include "model/sim_ledgers.h"
#include "routes/sim_ledger_routes.h"

/* The device's namespace, the ledger's direction and the device's scope value; false
 * after replying (404 device or ledger, 403 a token that is not a developer's). */
typedef struct device_ledger {
    sim_ledger_ns ns;
    const char *name;
    const char *direction;
    char value[64];
} device_ledger;

static bool device_ledger_at(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                             device_ledger *at)
{
    const sim_model *m = ctx->model;
    if (sim_caller(req)->kind != SIM_TOKEN_USER) {
        sim_reply_fail(res, 403, "The control API needs a developer (user) token");
        return false;
    }
    uint32_t dev = sim_model_find_device_id(m, httpd_request_param(req, "device"));
    if (dev == SIM_NONE) {
        sim_reply_fail(res, 404, "Device not found");
        return false;
    }
    const sim_device *d = &m->devices[dev];
    at->ns.org = d->product != SIM_NONE ? m->products[d->product].org : SIM_NONE;
    at->ns.user = at->ns.org == SIM_NONE ? d->owner : SIM_NONE;
    at->ns.product = SIM_NONE;
    if (at->ns.org != SIM_NONE)
        snprintf(at->ns.key, sizeof(at->ns.key), "org:%s", m->orgs[at->ns.org].id);
    else if (at->ns.user != SIM_NONE)
        snprintf(at->ns.key, sizeof(at->ns.key), "user:%s", m->users[at->ns.user].username);
    else
        at->ns.key[0] = '\0'; /* an unclaimed developer device: no namespace has its ledgers */
    at->name = httpd_request_param(req, "name");
    const char *scope;
    bool archived;
    if (!sim_ledger_kind(ctx->ledgers, at->ns.key, at->name, &scope, &at->direction, &archived)) {
        sim_reply_fail(res, 404, "Ledger not found");
        return false;
    }
    const char *value = d->id;
    char product_id[16];
    if (strcmp(scope, "Product") == 0) {
        if (d->product == SIM_NONE) {
            sim_reply_fail(res, 400, "The device is in no product");
            return false;
        }
        snprintf(product_id, sizeof(product_id), "%u", m->products[d->product].id);
        value = product_id;
    } else if (strcmp(scope, "Owner") == 0) {
        value = at->ns.org != SIM_NONE ? m->orgs[at->ns.org].id : m->users[at->ns.user].username;
    }
    snprintf(at->value, sizeof(at->value), "%s", value);
    return true;
}

static void handle_device_set(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *mode = httpd_request_query(req, "set_mode");
    json_t *data = json_object_get(httpd_request_body(req), "data");
    json_t *out = NULL;
    const char *why = NULL;
    if (mode && strcmp(mode, "Replace") != 0 && strcmp(mode, "Merge") != 0) {
        sim_reply_fail(res, 400, "set_mode must be Replace or Merge");
        return;
    }
    if (!json_is_object(data)) {
        sim_reply_fail(res, 400, "The body needs {\"data\":{...}}");
        return;
    }
    device_ledger at;
    sim_model_lock(ctx->model);
    if (!device_ledger_at(ctx, req, res, &at)) {
        sim_model_unlock(ctx->model);
        return;
    }
    if (strcmp(at.direction, "Downstream") == 0) {
        sim_reply_fail(res, 403, "A cloud-to-device (Downstream) ledger is written by the cloud");
    } else {
        unsigned int status = sim_ledger_instance_set(ctx->ledgers, at.ns.key, at.name, at.value,
                                                      data, mode && strcmp(mode, "Merge") == 0,
                                                      sim_clock_now(ctx->clock), &out, &why);
        if (status >= 400)
            sim_reply_fail(res, status, why);
        else
            httpd_response_json(res, status, json_pack("{s:o}", "instance", out));
    }
    sim_model_unlock(ctx->model);
}

static void handle_device_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    device_ledger at;
    sim_model_lock(ctx->model);
    if (device_ledger_at(ctx, req, res, &at)) {
        unsigned int status =
            sim_ledger_instance_get(ctx->ledgers, at.ns.key, at.name, at.value, &out, &why);
        if (status >= 400)
            sim_reply_fail(res, status, why);
        else
            httpd_response_json(res, status, json_pack("{s:o}", "instance", out));
    }
    sim_model_unlock(ctx->model);
}

void sim_routes_ledger_control(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "PUT", "/sim/devices/:device/ledgers/:name", 0, handle_device_set, ctx);
    httpd_route_add(srv, "GET", "/sim/devices/:device/ledgers/:name", 0, handle_device_get, ctx);
}
