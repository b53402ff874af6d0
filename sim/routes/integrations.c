/*
 * Integrations (webhooks) of reference/cloud-api.md §10, at three scopes:
 *   /v1/integrations, /v1/webhooks                          the caller's own (a user token)
 *   /v1/products/:product/integrations, .../webhooks        a product's
 *   /v1/orgs/:org/integrations                              an organization's (particle-cli)
 * under each:
 *   GET    <base>                 200 bare array of integration objects
 *   POST   <base>                 201 {"ok":true, ...integration, "hookUrl"}
 *   GET    <base>/:id             200 {"integration": {..., "logs": [...]}}
 *   PUT    <base>/:id             200 {"integration": {...}}: replaces the settings (no merge;
 *                                 event, url and requestType stay when left out)
 *   DELETE <base>/:id             204
 *   POST   <base>/:id/test        200 {"pass": true|false, "data": null[, "error"]}: queues one
 *                                 sample event (data "test-event", device "api"); what the
 *                                 server answers comes as hook-* events and in the logs
 *
 * Who may call: user routes need a developer's own token (403 for product and customer
 * tokens); product and organization routes follow the team (404 unknown, 403 not on it) and
 * changes need a role that develops (sim_route_product_right / sim_route_org). An
 * integration of another owner is 404, as an unknown one. Settings: hooks/hooks.h.
 */
#include <string.h>

#include "hooks/hooks.h"
#include "routes/sim_routes.h"

typedef struct hook_owner {
    sim_hook_scope scope;
    uint32_t owner;
} hook_owner;

/* The scope and owner the route names, checked for the caller; replies and returns false
 * when refused (model lock held). */
static bool route_owner(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                        sim_right right, hook_owner *out)
{
    if (httpd_request_param(req, "product")) {
        out->scope = SIM_HOOK_PRODUCT;
        out->owner = sim_route_product_right(ctx, req, res, right);
    } else if (httpd_request_param(req, "org")) {
        out->scope = SIM_HOOK_ORG;
        out->owner = sim_route_org(ctx, req, res, right);
    } else {
        const sim_principal *p = sim_caller(req);
        out->scope = SIM_HOOK_USER;
        out->owner = p->kind == SIM_TOKEN_USER ? p->user : SIM_NONE;
        if (out->owner == SIM_NONE)
            sim_reply_denied(res, "A user's own integrations need that user's access token");
    }
    return out->owner != SIM_NONE;
}

/* The :id integration of the route's owner; replies and returns NULL when refused. */
static sim_hook *route_hook(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                            sim_right right)
{
    hook_owner o;
    if (!route_owner(ctx, req, res, right, &o))
        return NULL;
    sim_hook *hook = sim_hooks_find(ctx->hooks, httpd_request_param(req, "id"), o.scope, o.owner);
    if (!hook)
        sim_reply_fail(res, 404, "Integration not found");
    return hook;
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    hook_owner o;
    if (route_owner(ctx, req, res, SIM_RIGHT_READ, &o)) {
        json_t *list = json_array();
        for (uint32_t i = 0; i < ctx->hooks->count; i++) {
            const sim_hook *hook = &ctx->hooks->items[i];
            if (hook->scope == o.scope && hook->owner == o.owner)
                json_array_append_new(list, sim_hooks_render(ctx->hooks, hook, false));
        }
        httpd_response_json(res, 200, list);
    }
    sim_model_unlock(ctx->model);
}

static void handle_create(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    hook_owner o;
    if (!route_owner(ctx, req, res, SIM_RIGHT_DEVELOP, &o))
        goto done;
    json_t *settings;
    const char *why = sim_hooks_validate(httpd_request_body(req), NULL, &settings);
    if (why) {
        sim_reply_fail(res, 400, why);
        goto done;
    }
    sim_hook *hook = sim_hooks_create(ctx->hooks, o.scope, o.owner, settings);
    json_t *body = sim_hooks_render(ctx->hooks, hook, false);
    json_object_set_new(body, "ok", json_true());
    const char *host = httpd_request_header(req, "Host");
    char url[512];
    snprintf(url, sizeof(url), "http://%s/v1/webhooks/%s", host ? host : "127.0.0.1", hook->id);
    json_object_set_new(body, "hookUrl", json_string(url));
    httpd_response_json(res, 201, body);
done:
    sim_model_unlock(ctx->model);
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    sim_hook *hook = route_hook(ctx, req, res, SIM_RIGHT_READ);
    if (hook)
        httpd_response_json(
            res, 200, json_pack("{s:o}", "integration", sim_hooks_render(ctx->hooks, hook, true)));
    sim_model_unlock(ctx->model);
}

static void handle_edit(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    sim_hook *hook = route_hook(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (hook) {
        json_t *settings;
        const char *why = sim_hooks_validate(httpd_request_body(req), hook->settings, &settings);
        if (why) {
            sim_reply_fail(res, 400, why);
        } else {
            sim_hooks_replace(ctx->hooks, hook, settings);
            httpd_response_json(
                res, 200,
                json_pack("{s:o}", "integration", sim_hooks_render(ctx->hooks, hook, false)));
        }
    }
    sim_model_unlock(ctx->model);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    sim_hook *hook = route_hook(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (hook) {
        sim_hooks_delete(ctx->hooks, hook);
        httpd_response_empty(res, 204);
    }
    sim_model_unlock(ctx->model);
}

static void handle_test(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *body = httpd_request_body(req);
    const char *data = json_string_value(json_object_get(body, "data"));
    const char *device = json_string_value(json_object_get(body, "device_id"));
    sim_model_lock(ctx->model);
    sim_hook *hook = route_hook(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (hook) {
        const char *why = sim_hooks_test(ctx->hooks, hook, data ? data : "test-event",
                                         device && *device ? device : "api");
        json_t *reply = json_pack("{s:b, s:n}", "pass", why == NULL, "data");
        if (why)
            json_object_set_new(reply, "error", json_string(why));
        httpd_response_json(res, 200, reply);
    }
    sim_model_unlock(ctx->model);
}

/* The six routes under @p base ("/v1/integrations" and the like). */
static void add_scope(httpd_server *srv, sim_ctx *ctx, const char *base)
{
    char path[128];
    httpd_route_add(srv, "GET", base, 0, handle_list, ctx);
    httpd_route_add(srv, "POST", base, 0, handle_create, ctx);
    snprintf(path, sizeof(path), "%s/:id/test", base);
    httpd_route_add(srv, "POST", path, 0, handle_test, ctx);
    snprintf(path, sizeof(path), "%s/:id", base);
    httpd_route_add(srv, "GET", path, 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", path, 0, handle_edit, ctx);
    httpd_route_add(srv, "DELETE", path, 0, handle_delete, ctx);
}

void sim_routes_integrations(httpd_server *srv, sim_ctx *ctx)
{
    add_scope(srv, ctx, "/v1/integrations");
    add_scope(srv, ctx, "/v1/webhooks");
    add_scope(srv, ctx, "/v1/products/:product/integrations");
    add_scope(srv, ctx, "/v1/products/:product/webhooks");
    add_scope(srv, ctx, "/v1/orgs/:org/integrations");
}
