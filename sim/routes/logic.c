/*
 * Logic functions (reference/particle-api-js.md §2.8, cloud-api.md §13 "Logic"), with
 * {ns} = /v1 (the caller's sandbox) or /v1/orgs/:org, as for ledgers (sim_ledger_namespace):
 *   GET    {ns}/logic/functions[?today_stats=true]           {"logic_functions":[...]}
 *   POST   {ns}/logic/functions  {"logic_function":{...}}     201 {"logic_function":{...}}
 *   GET    {ns}/logic/functions/:id                           {"logic_function":{...}}
 *   PUT    {ns}/logic/functions/:id  {"logic_function":{...}} {"logic_function":{...}}
 *   DELETE {ns}/logic/functions/:id                           204
 *   GET    {ns}/logic/functions/:id/runs                      {"logic_runs":[...]}
 *   GET    {ns}/logic/functions/:id/runs/:run                 {"logic_run":{...}}
 *   GET    {ns}/logic/functions/:id/runs/:run/logs            {"logs":[...]}
 *   POST   {ns}/logic/execute                                 501 (no JavaScript engine)
 * An Event trigger's product_id must be a product of the namespace (403 otherwise).
 * Errors: {"ok":false,"error"}, nothing changed. The model (model/sim_logic.h) records runs
 * when triggers fire: events (the event sink), ledger changes (the observer below) and
 * schedules (the server's ticker).
 */
#include <stdio.h>
#include <string.h>

#include "model/sim_ledgers.h"
#include "model/sim_logic.h"
#include "routes/sim_ledger_routes.h"
#include "routes/sim_routes.h"

/* Reply with a model status: the object wrapped under @p key, 204, or the error. */
static void reply(httpd_response *res, unsigned int status, const char *key, json_t *out,
                  const char *why)
{
    if (status >= 400)
        sim_reply_fail(res, status, why);
    else if (status == 204)
        httpd_response_empty(res, 204);
    else if (!key)
        httpd_response_json(res, status, out);
    else
        httpd_response_json(res, status, json_pack("{s:o}", key, out));
}

/* "user:<username>" or "org:<org id>": the owner_id of the namespace's functions. */
static void owner_of(const sim_ctx *ctx, const sim_ledger_ns *ns, char *out, size_t size)
{
    if (ns->org != SIM_NONE)
        snprintf(out, size, "org:%s", ctx->model->orgs[ns->org].id);
    else
        snprintf(out, size, "user:%s", ctx->model->users[ns->user].username);
}

/* "user:<username>" of the caller (created_by, updated_by). */
static void caller_of(const sim_ctx *ctx, const httpd_request *req, char *out, size_t size)
{
    const sim_principal *p = sim_caller(req);
    snprintf(out, size, "user:%s",
             p->user != SIM_NONE ? ctx->model->users[p->user].username : "unknown");
}

/* The body's "logic_function" object, or NULL after a 400. */
static const json_t *function_in(const httpd_request *req, httpd_response *res)
{
    const json_t *in = json_object_get(httpd_request_body(req), "logic_function");
    if (!json_is_object(in))
        sim_reply_fail(res, 400, "The body needs a \"logic_function\" object");
    return json_is_object(in) ? in : NULL;
}

/* Are the products of @p in's Event triggers the namespace's? False after a 403. */
static bool products_owned(const sim_ctx *ctx, const sim_ledger_ns *ns, const json_t *in,
                           httpd_response *res)
{
    json_t *products = sim_logic_trigger_products(in);
    bool ok = true;
    size_t i;
    json_t *p;
    json_array_foreach(products, i, p)
    {
        char id[32], canonical[32];
        snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT, json_integer_value(p));
        if (!sim_ledger_scope_value(ctx->model, ns, "Product", id, canonical, sizeof(canonical))) {
            sim_reply_denied(res, "An Event trigger names a product this owner does not have");
            ok = false;
            break;
        }
    }
    json_decref(products);
    return ok;
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *stats_text = httpd_request_query(req, "today_stats");
    int stats = sim_parse_bool(stats_text);
    if (stats_text && stats < 0) {
        sim_reply_fail(res, 400, "today_stats must be true or false");
        return;
    }
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns))
        httpd_response_json(
            res, 200, sim_logic_list(ctx->logic, ns.key, stats == 1, sim_clock_now(ctx->clock)));
    sim_model_unlock(ctx->model);
}

static void handle_create(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const json_t *in = function_in(req, res);
    json_t *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    if (!in)
        return;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, true, &ns) && products_owned(ctx, &ns, in, res)) {
        char owner[128], by[160];
        owner_of(ctx, &ns, owner, sizeof(owner));
        caller_of(ctx, req, by, sizeof(by));
        unsigned int status = sim_logic_create(ctx->logic, ns.key, owner, by, in,
                                               sim_clock_now(ctx->clock), &out, &why);
        reply(res, status, "logic_function", out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns)) {
        unsigned int status =
            sim_logic_get(ctx->logic, ns.key, httpd_request_param(req, "id"), &out, &why);
        reply(res, status, "logic_function", out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const json_t *in = function_in(req, res);
    json_t *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    if (!in)
        return;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, true, &ns) && products_owned(ctx, &ns, in, res)) {
        char by[160];
        caller_of(ctx, req, by, sizeof(by));
        unsigned int status = sim_logic_update(ctx->logic, ns.key, httpd_request_param(req, "id"),
                                               by, in, sim_clock_now(ctx->clock), &out, &why);
        reply(res, status, "logic_function", out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *why = NULL;
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, true, &ns)) {
        unsigned int status =
            sim_logic_delete(ctx->logic, ns.key, httpd_request_param(req, "id"), &why);
        reply(res, status, NULL, NULL, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_runs(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns)) {
        unsigned int status =
            sim_logic_runs(ctx->logic, ns.key, httpd_request_param(req, "id"), &out, &why);
        reply(res, status, NULL, out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_run(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns)) {
        unsigned int status = sim_logic_run_get(ctx->logic, ns.key, httpd_request_param(req, "id"),
                                                httpd_request_param(req, "run"), &out, &why);
        reply(res, status, NULL, out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_run_logs(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns)) {
        unsigned int status = sim_logic_run_logs(ctx->logic, ns.key, httpd_request_param(req, "id"),
                                                 httpd_request_param(req, "run"), &out, &why);
        reply(res, status, NULL, out, why);
    }
    sim_model_unlock(ctx->model);
}

/* No JavaScript engine: 501 with a body particle-api-js and particle-cli print (the text
 * in error_description too, which particle-api-js appends to its message). UNVERIFIED
 * choice, docs/COMPATIBILITY.md. */
static void handle_execute(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    if (!json_is_object(httpd_request_body(req))) {
        sim_reply_fail(res, 400, "The body needs a JSON object {event, source}");
        return;
    }
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns))
        httpd_response_json(res, 501,
                            json_pack("{s:b, s:s, s:s}", "ok", 0, "error", SIM_LOGIC_NO_ENGINE,
                                      "error_description", SIM_LOGIC_NO_ENGINE));
    sim_model_unlock(ctx->model);
}

void sim_logic_ledger_observer(const char *ns, const char *ledger, const char *change_type,
                               void *payload)
{
    sim_ctx *ctx = payload;
    sim_logic_on_ledger_change(ctx->logic, ns, ledger, change_type, sim_clock_now(ctx->clock));
}

void sim_routes_logic(httpd_server *srv, sim_ctx *ctx)
{
    static const char *const bases[] = {"/v1/logic", "/v1/orgs/:org/logic"};
    static const struct {
        const char *method, *suffix;
        httpd_handler_fn *handler;
    } routes[] = {
        {"POST", "/execute", handle_execute},
        {"GET", "/functions", handle_list},
        {"POST", "/functions", handle_create},
        {"GET", "/functions/:id", handle_get},
        {"PUT", "/functions/:id", handle_update},
        {"DELETE", "/functions/:id", handle_delete},
        {"GET", "/functions/:id/runs", handle_runs},
        {"GET", "/functions/:id/runs/:run", handle_run},
        {"GET", "/functions/:id/runs/:run/logs", handle_run_logs},
    };
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
        for (size_t r = 0; r < sizeof(routes) / sizeof(routes[0]); r++) {
            char pattern[128];
            snprintf(pattern, sizeof(pattern), "%s%s", bases[i], routes[r].suffix);
            httpd_route_add(srv, routes[r].method, pattern, 0, routes[r].handler, ctx);
        }
}
