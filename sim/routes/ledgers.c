/*
 * Ledgers (reference/cloud-api.md §13 "Ledger", particle-api-js.md §2.9), with {ns} = /v1
 * (the caller's sandbox), /v1/orgs/:org or /v1/products/:product (the product's
 * organization's ledgers, reached with the product's access rules, scope values limited to
 * that product and its devices; reference §13 lists the product routes without their
 * semantics: UNVERIFIED, docs/COMPATIBILITY.md):
 *   GET    {ns}/ledgers[?scope=&page=&per_page=&archived=]  {"ledger_definitions":[...],"meta"}
 *   POST   {ns}/ledgers  {"ledger":{name,scope,direction,description?}}   201 {"ledger":{...}}
 *   GET    {ns}/ledgers/:name                                              {"ledger":{...}}
 *   PUT    {ns}/ledgers/:name  {"ledger":{description}}                    {"ledger":{...}}
 *   DELETE {ns}/ledgers/:name                                  204 (archives it)
 *   GET    {ns}/ledgers/:name/instances[?page=&per_page=]      {"instances":[...],"meta"}
 *   GET    {ns}/ledgers/:name/instances/:value                 {"instance":{...}}
 *   PUT    {ns}/ledgers/:name/instances/:value[?set_mode=Replace|Merge] {"instance":{"data"}}
 *   DELETE {ns}/ledgers/:name/instances/:value                 204
 *   GET    {ns}/ledgers/:name/instances/:value/versions[?replaced_before=&replaced_after=]
 *   GET    {ns}/ledgers/:name/instances/:value/versions/:version
 * Who may call: the sandbox needs a developer token (customers and product tokens: 403); an
 * organization needs its team (404 unknown, 403 not a member; changes need a role that
 * develops). The scope value must be one the namespace owns (403 otherwise): for Owner
 * scope the username or the organization's id or slug, for Product scope one of its
 * products, for Device scope one of its devices. Upstream (device to cloud) instances are
 * written by devices (the control API: routes/ledger_control.c), so a PUT here is 403.
 * Errors: {"ok":false,"error"}, nothing changed.
 */
#include <stdio.h>
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_ledgers.h"
#include "pu_time.h"
#include "routes/sim_ledger_routes.h"
#include "routes/sim_routes.h"

#define LEDGER_PAGE_DEFAULT 25
#define LEDGER_PAGE_MAX 100

bool sim_ledger_namespace(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                          bool write, sim_ledger_ns *ns)
{
    const sim_model *m = ctx->model;
    const sim_principal *p = sim_caller(req);
    ns->org = SIM_NONE;
    ns->user = SIM_NONE;
    ns->product = SIM_NONE;
    if (httpd_request_param(req, "product")) {
        uint32_t product =
            sim_route_product_right(ctx, req, res, write ? SIM_RIGHT_DEVELOP : SIM_RIGHT_READ);
        if (product == SIM_NONE)
            return false;
        if (m->products[product].org == SIM_NONE) {
            sim_reply_fail(res, 404,
                           "This product belongs to no organization: its ledgers are the "
                           "sandbox's (/v1/ledgers)");
            return false;
        }
        ns->product = product;
        ns->org = m->products[product].org;
        snprintf(ns->key, sizeof(ns->key), "org:%s", m->orgs[ns->org].id);
        return true;
    }
    if (httpd_request_param(req, "org")) {
        ns->org = sim_route_org(ctx, req, res, write ? SIM_RIGHT_DEVELOP : SIM_RIGHT_READ);
        if (ns->org == SIM_NONE)
            return false;
        snprintf(ns->key, sizeof(ns->key), "org:%s", m->orgs[ns->org].id);
        return true;
    }
    if (p->kind != SIM_TOKEN_USER || p->user == SIM_NONE ||
        m->users[p->user].customer_of != SIM_NONE) {
        sim_reply_denied(res, "Sandbox ledgers need a developer token");
        return false;
    }
    ns->user = p->user;
    snprintf(ns->key, sizeof(ns->key), "user:%s", m->users[p->user].username);
    return true;
}

bool sim_ledger_scope_value(const sim_model *m, const sim_ledger_ns *ns, const char *scope,
                            const char *value, char *out, size_t out_size)
{
    if (strcmp(scope, "Owner") == 0) {
        if (ns->org != SIM_NONE && (strcmp(value, m->orgs[ns->org].id) == 0 ||
                                    strcmp(value, m->orgs[ns->org].slug) == 0)) {
            snprintf(out, out_size, "%s", m->orgs[ns->org].id);
            return true;
        }
        if (ns->user != SIM_NONE && strcmp(value, m->users[ns->user].username) == 0) {
            snprintf(out, out_size, "%s", value);
            return true;
        }
        return false;
    }
    if (strcmp(scope, "Product") == 0) {
        uint32_t product = sim_model_find_product(m, value);
        if (product == SIM_NONE || (ns->product != SIM_NONE && product != ns->product))
            return false;
        bool owned = ns->org != SIM_NONE ? m->products[product].org == ns->org
                                         : m->products[product].org == SIM_NONE &&
                                               sim_model_is_team_member(m, product, ns->user);
        snprintf(out, out_size, "%u", m->products[product].id);
        return owned;
    }
    uint32_t dev = sim_model_find_device_id(m, value);
    if (dev == SIM_NONE || (ns->product != SIM_NONE && m->devices[dev].product != ns->product))
        return false;
    const sim_device *d = &m->devices[dev];
    bool owned = ns->org != SIM_NONE
                     ? d->product != SIM_NONE && m->products[d->product].org == ns->org
                     : d->owner == ns->user ||
                           (d->product != SIM_NONE && m->products[d->product].org == SIM_NONE &&
                            sim_model_is_team_member(m, d->product, ns->user));
    snprintf(out, out_size, "%s", d->id);
    return owned;
}

/* A status from the ledger store: the wrapped object under @p key, 204, or the error. */
static void reply(httpd_response *res, unsigned int status, const char *key, json_t *out,
                  const char *why)
{
    if (status >= 400)
        sim_reply_fail(res, status, why);
    else if (!key)
        httpd_response_json(res, status, out);
    else
        httpd_response_json(res, status, json_pack("{s:o}", key, out));
}

/* page and per_page, or false after a 400. */
static bool paging(const httpd_request *req, httpd_response *res, long *page, long *per_page)
{
    *page = sim_query_long(req, "page", NULL, 1);
    *per_page = sim_query_long(req, "per_page", NULL, LEDGER_PAGE_DEFAULT);
    if (*page < 1 || *per_page < 1 || *per_page > LEDGER_PAGE_MAX) {
        sim_reply_fail(res, 400, "page must be 1 or more and per_page 1 to 100");
        return false;
    }
    return true;
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *scope = httpd_request_query(req, "scope");
    int archived = sim_parse_bool(httpd_request_query(req, "archived"));
    long page, per_page;
    if (!paging(req, res, &page, &per_page))
        return;
    if (httpd_request_query(req, "archived") && archived < 0) {
        sim_reply_fail(res, 400, "archived must be true or false");
        return;
    }
    if (scope && strcmp(scope, "Owner") != 0 && strcmp(scope, "Product") != 0 &&
        strcmp(scope, "Device") != 0) {
        sim_reply_fail(res, 400, "scope must be Owner, Product or Device");
        return;
    }
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns))
        httpd_response_json(
            res, 200, sim_ledger_list(ctx->ledgers, ns.key, scope, archived == 1, page, per_page));
    sim_model_unlock(ctx->model);
}

/* The body's "ledger" object, or NULL after a 400. */
static json_t *ledger_in(const httpd_request *req, httpd_response *res)
{
    json_t *in = json_object_get(httpd_request_body(req), "ledger");
    if (!json_is_object(in))
        sim_reply_fail(res, 400, "The body needs a \"ledger\" object");
    return json_is_object(in) ? in : NULL;
}

static void handle_create(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *in = ledger_in(req, res), *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    if (!in)
        return;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, true, &ns)) {
        unsigned int status =
            sim_ledger_create(ctx->ledgers, ns.key, in, sim_clock_now(ctx->clock), &out, &why);
        reply(res, status, "ledger", out, why);
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
            sim_ledger_get(ctx->ledgers, ns.key, httpd_request_param(req, "name"), &out, &why);
        reply(res, status, "ledger", out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *in = ledger_in(req, res), *out = NULL;
    const char *why = NULL;
    sim_ledger_ns ns;
    if (!in)
        return;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, true, &ns)) {
        unsigned int status =
            sim_ledger_update(ctx->ledgers, ns.key, httpd_request_param(req, "name"), in,
                              sim_clock_now(ctx->clock), &out, &why);
        reply(res, status, "ledger", out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_archive(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *why = NULL;
    sim_ledger_ns ns;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, true, &ns)) {
        unsigned int status =
            sim_ledger_archive(ctx->ledgers, ns.key, httpd_request_param(req, "name"),
                               sim_clock_now(ctx->clock), &why);
        if (status < 400)
            httpd_response_empty(res, 204);
        else
            sim_reply_fail(res, status, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_instance_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    long page, per_page;
    sim_ledger_ns ns;
    if (!paging(req, res, &page, &per_page))
        return;
    sim_model_lock(ctx->model);
    if (sim_ledger_namespace(ctx, req, res, false, &ns)) {
        unsigned int status = sim_ledger_instance_list(
            ctx->ledgers, ns.key, httpd_request_param(req, "name"), page, per_page, &out, &why);
        reply(res, status, NULL, out, why);
    }
    sim_model_unlock(ctx->model);
}

/* The namespace, the ledger (404) and the canonical scope value (403) of an instance route;
 * false after replying. */
typedef struct instance_at {
    sim_ledger_ns ns;
    const char *name;
    const char *direction;
    char value[64];
} instance_at;

static bool instance_route(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                           bool write, instance_at *at)
{
    const char *scope;
    bool archived;
    at->name = httpd_request_param(req, "name");
    if (!sim_ledger_namespace(ctx, req, res, write, &at->ns))
        return false;
    if (!sim_ledger_kind(ctx->ledgers, at->ns.key, at->name, &scope, &at->direction, &archived)) {
        sim_reply_fail(res, 404, "Ledger not found");
        return false;
    }
    if (!sim_ledger_scope_value(ctx->model, &at->ns, scope, httpd_request_param(req, "value"),
                                at->value, sizeof(at->value))) {
        sim_reply_denied(res, "The scope value is not one this ledger's owner has");
        return false;
    }
    return true;
}

static void handle_instance_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    instance_at at;
    sim_model_lock(ctx->model);
    if (instance_route(ctx, req, res, false, &at)) {
        unsigned int status =
            sim_ledger_instance_get(ctx->ledgers, at.ns.key, at.name, at.value, &out, &why);
        reply(res, status, "instance", out, why);
    }
    sim_model_unlock(ctx->model);
}

/* set_mode: 1 Merge, 0 Replace (the default), -1 anything else. */
static int merge_mode(const char *mode)
{
    if (!mode || strcmp(mode, "Replace") == 0)
        return 0;
    return strcmp(mode, "Merge") == 0 ? 1 : -1;
}

static void handle_instance_set(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    int merge = merge_mode(httpd_request_query(req, "set_mode"));
    json_t *instance = json_object_get(httpd_request_body(req), "instance");
    if (merge < 0) {
        sim_reply_fail(res, 400, "set_mode must be Replace or Merge");
        return;
    }
    if (!json_is_object(json_object_get(instance, "data"))) {
        sim_reply_fail(res, 400, "The body needs {\"instance\":{\"data\":{...}}}");
        return;
    }
    instance_at at;
    sim_model_lock(ctx->model);
    if (instance_route(ctx, req, res, true, &at)) {
        if (strcmp(at.direction, "Upstream") == 0)
            sim_reply_denied(res, "A device-to-cloud (Upstream) ledger is written by its devices");
        else {
            unsigned int status = sim_ledger_instance_set(
                ctx->ledgers, at.ns.key, at.name, at.value, json_object_get(instance, "data"),
                merge == 1, sim_clock_now(ctx->clock), &out, &why);
            reply(res, status, "instance", out, why);
        }
    }
    sim_model_unlock(ctx->model);
}

static void handle_instance_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *why = NULL;
    instance_at at;
    sim_model_lock(ctx->model);
    if (instance_route(ctx, req, res, true, &at)) {
        unsigned int status =
            sim_ledger_instance_delete(ctx->ledgers, at.ns.key, at.name, at.value, &why);
        if (status < 400)
            httpd_response_empty(res, 204);
        else
            sim_reply_fail(res, status, why);
    }
    sim_model_unlock(ctx->model);
}

/* An optional ISO 8601 query time into *ms (0 when absent); false after a 400. */
static bool query_time(const httpd_request *req, httpd_response *res, const char *name, int64_t *ms)
{
    const char *text = httpd_request_query(req, name);
    *ms = 0;
    if (text && *text && pu_time_parse_iso8601(text, ms) < 0) {
        sim_reply_fail(res, 400, "replaced_before and replaced_after must be ISO 8601 times");
        return false;
    }
    return true;
}

static void handle_versions(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    int64_t before, after;
    if (!query_time(req, res, "replaced_before", &before) ||
        !query_time(req, res, "replaced_after", &after))
        return;
    instance_at at;
    sim_model_lock(ctx->model);
    if (instance_route(ctx, req, res, false, &at)) {
        unsigned int status = sim_ledger_versions(ctx->ledgers, at.ns.key, at.name, at.value,
                                                  before, after, &out, &why);
        reply(res, status, NULL, out, why);
    }
    sim_model_unlock(ctx->model);
}

static void handle_version_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    json_t *out = NULL;
    const char *why = NULL;
    instance_at at;
    sim_model_lock(ctx->model);
    if (instance_route(ctx, req, res, false, &at)) {
        unsigned int status =
            sim_ledger_version_get(ctx->ledgers, at.ns.key, at.name, at.value,
                                   httpd_request_param(req, "version"), &out, &why);
        reply(res, status, "instance", out, why);
    }
    sim_model_unlock(ctx->model);
}

void sim_routes_ledgers(httpd_server *srv, sim_ctx *ctx)
{
    static const char *const bases[] = {"/v1/ledgers", "/v1/orgs/:org/ledgers",
                                        "/v1/products/:product/ledgers"};
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        static const struct {
            const char *method, *suffix;
            httpd_handler_fn *handler;
        } routes[] = {
            {"GET", "", handle_list},
            {"POST", "", handle_create},
            {"GET", "/:name", handle_get},
            {"PUT", "/:name", handle_update},
            {"DELETE", "/:name", handle_archive},
            {"GET", "/:name/instances", handle_instance_list},
            {"GET", "/:name/instances/:value", handle_instance_get},
            {"PUT", "/:name/instances/:value", handle_instance_set},
            {"DELETE", "/:name/instances/:value", handle_instance_delete},
            {"GET", "/:name/instances/:value/versions", handle_versions},
            {"GET", "/:name/instances/:value/versions/:version", handle_version_get},
        };
        for (size_t r = 0; r < sizeof(routes) / sizeof(routes[0]); r++) {
            char pattern[128];
            snprintf(pattern, sizeof(pattern), "%s%s", bases[i], routes[r].suffix);
            httpd_route_add(srv, routes[r].method, pattern, 0, routes[r].handler, ctx);
        }
    }
}
