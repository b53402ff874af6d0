/*
 * Environment variables (reference/cloud-api.md §13, particle-api-js.md §2.11), at four
 * scopes whose base {env} is /v1/env (the caller's sandbox), /v1/orgs/:org/env,
 * /v1/products/:product/env and /v1/env/:device:
 *   GET    {env}          200 listing {last_snapshot, latest, on_device?, created_at, ...}
 *   PATCH  {env}          200 listing; body {ops:[{op:"Set"|"Unset", key, value?}]}
 *   PUT    {env}/:key     200 listing; body {value}
 *   DELETE {env}/:key     200 listing; 404 when the scope does not own :key
 *   GET    {env}/render   200 {env, last_updated_at, rollout_at, rollout_by}
 *   GET    {env}/rollout  200 {from_snapshot:{changes, unchanged}, from_device?}
 *   POST   {env}/rollout  200 {success:true}; body {when:"Immediate"|"Connect"}
 * The sandbox and device scopes share /v1/env/...: the literal render/rollout routes are
 * registered first, a GET or PATCH of /v1/env/:x is a device, a PUT or DELETE of
 * /v1/env/:x is a sandbox variable (the method decides, as particle-api-js builds them).
 *
 * Who may call: the sandbox needs a user token (403 otherwise); an organization or product
 * needs its team (404 unknown, 403 not on the team; changes need a role that develops); a
 * device needs access to it (403 Permission Denied), and changes are refused to customer
 * tokens. Bad input is 400 {"ok":false,"error"} with nothing changed.
 */
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_env.h"
#include "routes/sim_routes.h"

/* The caller's username for created_by/updated_by/rollout_by; NULL for product tokens. */
static const char *caller_name(const sim_model *m, const httpd_request *req)
{
    const sim_principal *p = sim_caller(req);
    return p->user != SIM_NONE ? m->users[p->user].username : NULL;
}

/* Resolves the route's scope for the caller into *out; replies and returns false when it
 * cannot (see the header comment). @p change: the call changes the scope. */
static bool route_scope(sim_ctx *ctx, const httpd_request *req, httpd_response *res, bool change,
                        sim_env_scope *out)
{
    const sim_principal *p = sim_caller(req);
    if (httpd_request_param(req, "org")) {
        out->kind = SIM_ENV_ORG;
        out->index = sim_route_org(ctx, req, res, change ? SIM_RIGHT_DEVELOP : SIM_RIGHT_READ);
    } else if (httpd_request_param(req, "product")) {
        out->kind = SIM_ENV_PRODUCT;
        out->index = change ? sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP)
                            : sim_route_product(ctx, req, res);
    } else if (httpd_request_param(req, "device")) {
        uint32_t product;
        out->kind = SIM_ENV_DEVICE;
        out->index = sim_route_device(ctx, req, res, &product);
        if (out->index != SIM_NONE && change && p->kind == SIM_TOKEN_CUSTOMER) {
            sim_reply_denied(res, "Customers cannot change environment variables");
            out->index = SIM_NONE;
        }
    } else {
        out->kind = SIM_ENV_SANDBOX;
        out->index = p->kind == SIM_TOKEN_USER ? p->user : SIM_NONE;
        if (out->index == SIM_NONE)
            sim_reply_denied(res, "The sandbox needs a user's access token");
    }
    return out->index != SIM_NONE;
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_env_scope s;
    sim_model_lock(ctx->model);
    if (route_scope(ctx, req, res, false, &s))
        httpd_response_json(res, 200, sim_env_list_json(ctx->env, ctx->model, s));
    sim_model_unlock(ctx->model);
}

/* Checks @p ops and applies them to scope @p s; answers the new listing (lock held). */
static void apply_ops_locked(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                             sim_env_scope s, json_t *ops)
{
    const char *bad = sim_env_check_ops(ops);
    if (!bad)
        bad = sim_env_apply(ctx->env, ctx->model, s, ops, sim_clock_now(ctx->clock),
                            caller_name(ctx->model, req));
    if (bad) {
        sim_reply_fail(res, 400, bad);
        return;
    }
    sim_env_changed(ctx->env);
    httpd_response_json(res, 200, sim_env_list_json(ctx->env, ctx->model, s));
}

/* apply_ops_locked() on the route's scope, once the caller may change it. */
static void apply_ops(sim_ctx *ctx, const httpd_request *req, httpd_response *res, json_t *ops)
{
    sim_env_scope s;
    sim_model_lock(ctx->model);
    if (route_scope(ctx, req, res, true, &s))
        apply_ops_locked(ctx, req, res, s, ops);
    sim_model_unlock(ctx->model);
}

static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    apply_ops(payload, req, res, json_object_get(httpd_request_body(req), "ops"));
}

static void handle_set(const httpd_request *req, httpd_response *res, void *payload)
{
    json_t *ops =
        json_pack("[{s:s, s:s, s:O}]", "op", "Set", "key", httpd_request_param(req, "key"), "value",
                  json_object_get(httpd_request_body(req), "value"));
    if (!ops) /* no value: a Set without one, refused by the check */
        ops = json_pack("[{s:s, s:s}]", "op", "Set", "key", httpd_request_param(req, "key"));
    apply_ops(payload, req, res, ops);
    json_decref(ops);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *key = httpd_request_param(req, "key");
    sim_env_scope s;
    sim_model_lock(ctx->model);
    if (!route_scope(ctx, req, res, true, &s)) {
        /* answered */
    } else if (!sim_env_has_own(ctx->env, ctx->model, s, key)) {
        sim_reply_fail(res, 404, "Environment variable not found in this scope");
    } else {
        json_t *ops = json_pack("[{s:s, s:s}]", "op", "Unset", "key", key);
        apply_ops_locked(ctx, req, res, s, ops);
        json_decref(ops);
    }
    sim_model_unlock(ctx->model);
}

static void handle_render(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_env_scope s;
    sim_model_lock(ctx->model);
    if (route_scope(ctx, req, res, false, &s))
        httpd_response_json(res, 200, sim_env_render_json(ctx->env, ctx->model, s));
    sim_model_unlock(ctx->model);
}

static void handle_review(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_env_scope s;
    sim_model_lock(ctx->model);
    if (route_scope(ctx, req, res, false, &s))
        httpd_response_json(res, 200, sim_env_review_json(ctx->env, ctx->model, s));
    sim_model_unlock(ctx->model);
}

static void handle_rollout(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *when = json_string_value(json_object_get(httpd_request_body(req), "when"));
    sim_env_scope s;
    sim_model_lock(ctx->model);
    if (!route_scope(ctx, req, res, true, &s))
        goto done;
    if (!when || (strcmp(when, "Immediate") != 0 && strcmp(when, "Connect") != 0)) {
        sim_reply_fail(res, 400, "when must be \"Immediate\" or \"Connect\"");
        goto done;
    }
    sim_env_rollout(ctx->env, ctx->model, s, strcmp(when, "Immediate") == 0,
                    sim_clock_now(ctx->clock), caller_name(ctx->model, req));
    sim_env_changed(ctx->env);
    httpd_response_json(res, 200, json_pack("{s:b}", "success", 1));
done:
    sim_model_unlock(ctx->model);
}

/* The seven routes under @p base ("/v1/env", "/v1/orgs/:org/env", ...). */
static void add_scope(httpd_server *srv, sim_ctx *ctx, const char *base)
{
    static const struct {
        const char *method, *tail;
        httpd_handler_fn *handler;
    } routes[] = {
        {"GET", "/render", handle_render},    {"GET", "/rollout", handle_review},
        {"POST", "/rollout", handle_rollout}, {"GET", "", handle_list},
        {"PATCH", "", handle_update},         {"PUT", "/:key", handle_set},
        {"DELETE", "/:key", handle_delete},
    };
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        char pattern[128];
        snprintf(pattern, sizeof(pattern), "%s%s", base, routes[i].tail);
        httpd_route_add(srv, routes[i].method, pattern, 0, routes[i].handler, ctx);
    }
}

void sim_routes_env(httpd_server *srv, sim_ctx *ctx)
{
    /* the sandbox's literal render/rollout routes and its /:key routes come first, then the
     * device scope's /v1/env/:device routes (GET/PATCH only reach it) */
    add_scope(srv, ctx, "/v1/env");
    add_scope(srv, ctx, "/v1/env/:device");
    add_scope(srv, ctx, "/v1/orgs/:org/env");
    add_scope(srv, ctx, "/v1/products/:product/env");
}
