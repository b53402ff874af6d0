/*
 * SIM card routes, user (/v1/sims...) and product (/v1/products/:product/sims...) variants
 * (reference/cloud-api.md §8, and the cellular status task of §7.6). The model is
 * model/sim_cards.h.
 *
 * Who may call: the user routes see the caller's own user SIMs; the product routes need
 * access to the product (sim_route_product: 404 unknown product, 403 otherwise) and see that
 * product's SIMs. An unknown or released ICCID is 404 {"ok":false,"error":"SIM card not
 * found"}; a SIM that exists but is not the caller's (through this route) is 403
 * {"error":"Permission Denied","info":...}; a bad action or data limit is 400
 * {"ok":false,"error":...}.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/sim_cards.h"
#include "pu_hash.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "routes/sim_routes.h"

#define DEFAULT_PER_PAGE 25
#define MAX_PER_PAGE 100 /* as for product devices (docs/SIM.md) */
#define MAX_IMPORT 1000  /* ICCIDs per import request */

/* 24 hex characters derived from a username: the SIM's user_id. */
static void user_id(const char *username, char out[25])
{
    uint64_t h = pu_fnv1a64(username), h2 = pu_fnv1a64_from(0x9e3779b97f4a7c15ull, username);
    snprintf(out, 25, "%016llx%08x", (unsigned long long)h, (unsigned)(h2 >> 32));
}

/* The SIM object of §8.1, with `iccid` beside the API's `_id` (particle-api-js reads
 * `iccid`), `mb_limit` and `imsi`. Model lock held. */
static json_t *card_json(const sim_model *m, uint32_t c, bool product_view, bool with_owner)
{
    const sim_card *s = &m->cards[c];
    const sim_device *d = s->device != SIM_NONE ? &m->devices[s->device] : NULL;
    bool telefonica = strncmp(s->iccid, "8934", 4) == 0;
    const char *action = sim_card_action_name(s->last_action);
    json_t *o = json_object();
    json_object_set_new(o, "_id", json_string(s->iccid));
    json_object_set_new(o, "iccid", json_string(s->iccid));
    json_object_set_new(o, "activations_count", json_integer(s->activations));
    json_object_set_new(o, "base_country_code", json_string("US"));
    json_object_set_new(o, "base_monthly_rate", json_integer(299));
    json_object_set_new(o, "deactivations_count", json_integer(s->deactivations));
    json_object_set_new(o, "first_activated_on", sim_json_time(s->first_activated_ms));
    json_object_set_new(o, "last_activated_on", sim_json_time(s->last_activated_ms));
    json_object_set_new(o, "last_activated_via",
                        json_string(s->product != SIM_NONE ? "product_import" : "user_setup"));
    json_object_set_new(o, "last_status_change_action", action ? json_string(action) : json_null());
    json_object_set_new(o, "last_status_change_action_error", json_string("no"));
    json_object_set_new(o, "msisdn", json_string(s->msisdn));
    json_object_set_new(o, "imsi", json_string(s->imsi));
    json_object_set_new(o, "overage_monthly_rate", json_integer(99));
    json_object_set_new(o, "status", json_string(sim_card_status_name(s->status)));
    json_object_set_new(o, "stripe_plan_slug", json_string("ParticleIoTSim"));
    json_object_set_new(o, "updated_at", sim_json_time(s->updated_ms));
    if (s->owner != SIM_NONE) {
        char uid[25];
        user_id(m->users[s->owner].username, uid);
        json_object_set_new(o, "user_id", json_string(uid));
    } else {
        json_object_set_new(o, "user_id", json_null());
    }
    json_object_set_new(o, "carrier", json_string(telefonica ? "telefonica" : "kore"));
    json_object_set_new(o, "last_device_id", d ? json_string(d->id) : json_null());
    json_object_set_new(o, "last_device_name", d && d->name ? json_string(d->name) : json_null());
    json_object_set_new(o, "mb_limit", s->mb_limit >= 0 ? json_integer(s->mb_limit) : json_null());
    if (product_view && s->product != SIM_NONE)
        json_object_set_new(o, "product_id", json_integer(m->products[s->product].id));
    if (with_owner && s->owner != SIM_NONE)
        json_object_set_new(o, "owner", json_string(m->users[s->owner].username));
    return o;
}

/* Sends @p body (stolen) with MB figures written to 10 significant digits (2.73, not
 * 2.7300000000000000). */
static void reply_usage(httpd_response *res, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(body);
    if (!text)
        abort();
    httpd_response_json_take(res, 200, text, strlen(text));
}

static json_t *date_json(int64_t ms)
{
    char buf[16];
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
    return json_string(buf);
}

static json_t *usage_days_json(const sim_usage_day *days, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:o, s:f, s:f}", "date", date_json(days[i].date_ms),
                                              "mbs_used", days[i].mb, "mbs_used_cumulative",
                                              days[i].cumulative_mb));
    return list;
}

/* :product (when the route has one) and :iccid for the caller; replies and returns
 * SIM_NONE on failure. *product_out gets the product or SIM_NONE. Model lock held. */
static uint32_t route_card(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                           uint32_t *product_out)
{
    uint32_t product = SIM_NONE;
    *product_out = SIM_NONE;
    if (httpd_request_param(req, "product") &&
        (product = sim_route_product(ctx, req, res)) == SIM_NONE)
        return SIM_NONE;
    unsigned int status = 404;
    uint32_t c = sim_cards_resolve(ctx->model, sim_caller(req), httpd_request_param(req, "iccid"),
                                   product, &status);
    if (c == SIM_NONE && status == 403)
        httpd_response_json(res, 403,
                            json_pack("{s:s, s:s}", "error", "Permission Denied", "info",
                                      "You do not have access to this SIM card"));
    else if (c == SIM_NONE)
        sim_reply_fail(res, 404, "SIM card not found");
    *product_out = product;
    return c;
}

typedef struct listed {
    const char *iccid;
    uint32_t card;
} listed;

static int cmp_iccid(const void *a, const void *b)
{
    return strcmp(((const listed *)a)->iccid, ((const listed *)b)->iccid);
}

static listed *listed_new(const sim_model *m)
{
    listed *l = malloc(((size_t)m->card_count + 1) * sizeof(*l));
    if (!l)
        abort();
    return l;
}

/* GET /v1/sims: the caller's user SIMs, by ICCID. */
static void handle_list_user(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    listed *ids = listed_new(m);
    size_t n = 0;
    for (uint32_t c = 0; c < m->card_count; c++)
        if (sim_cards_lists(m, sim_caller(req), c))
            ids[n++] = (listed){m->cards[c].iccid, c};
    qsort(ids, n, sizeof(*ids), cmp_iccid);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, card_json(m, ids[i].card, false, false));
    sim_model_unlock(m);
    free(ids);
    httpd_response_json(res, 200, json_pack("{s:o}", "sims", list));
}

/* GET /v1/products/:product/sims?iccid&deviceId&deviceName&page&perPage|per_page */
static void handle_list_product(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    long page = sim_query_long(req, "page", NULL, 1);
    long per_page = sim_query_long(req, "perPage", "per_page", DEFAULT_PER_PAGE);
    if (page < 1 || per_page < 1) {
        sim_reply_fail(res, 400, "Invalid page or perPage");
        return;
    }
    if (per_page > MAX_PER_PAGE)
        per_page = MAX_PER_PAGE;
    const char *f_iccid = httpd_request_query(req, "iccid");
    const char *f_id = httpd_request_query(req, "deviceId");
    const char *f_name = httpd_request_query(req, "deviceName");
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product == SIM_NONE) {
        sim_model_unlock(m);
        return;
    }
    listed *ids = listed_new(m);
    size_t n = 0;
    for (uint32_t c = 0; c < m->card_count; c++) {
        const sim_card *s = &m->cards[c];
        const sim_device *d = s->device != SIM_NONE ? &m->devices[s->device] : NULL;
        if (s->released || s->product != product || !pu_str_contains_nocase(s->iccid, f_iccid) ||
            !pu_str_contains_nocase(d ? d->id : NULL, f_id) ||
            !pu_str_contains_nocase(d ? d->name : NULL, f_name))
            continue;
        ids[n++] = (listed){s->iccid, c};
    }
    qsort(ids, n, sizeof(*ids), cmp_iccid);
    json_t *list = json_array();
    /* past the end (checked before multiplying, which could wrap) gives an empty page */
    size_t first =
        (size_t)(page - 1) <= n / (size_t)per_page ? (size_t)(page - 1) * (size_t)per_page : n;
    for (size_t k = first; k < n && k < first + (size_t)per_page; k++)
        json_array_append_new(list, card_json(m, ids[k].card, true, false));
    sim_model_unlock(m);
    free(ids);
    long total_pages = n ? (long)((n + (size_t)per_page - 1) / (size_t)per_page) : 1;
    httpd_response_json(res, 200,
                        json_pack("{s:o, s:{s:I, s:I, s:I, s:I}}", "sims", list, "meta",
                                  "total_pages", (json_int_t)total_pages, "page", (json_int_t)page,
                                  "per_page", (json_int_t)per_page, "total", (json_int_t)n));
}

/* GET (and HEAD) /v1/sims/:iccid. HEAD answers 204 without a body: particle-api-js checkSIM
 * resolves only on 204 (a 200 without a JSON body makes it reject). */
static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t c = route_card(ctx, req, res, &product);
    if (c != SIM_NONE && strcmp(httpd_request_method(req), "HEAD") == 0)
        httpd_response_empty(res, 204);
    else if (c != SIM_NONE)
        httpd_response_json(
            res, 200,
            json_pack("{s:o}", "sim", card_json(ctx->model, c, product != SIM_NONE, true)));
    sim_model_unlock(ctx->model);
}

/* The body's mb_limit: -1 when absent, -2 when not a whole number from 0 up. */
static long parse_mb_limit(const httpd_request *req)
{
    const char *v = httpd_request_arg(req, "mb_limit");
    if (!v)
        return -1;
    int64_t n;
    return pu_parse_int64(v, 0, LONG_MAX, &n) == 0 ? (long)n : -2;
}

/* PUT /v1/sims/:iccid {action, mb_limit} */
static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *action_text = httpd_request_arg(req, "action");
    sim_card_action action = sim_card_action_parse(action_text);
    long mb_limit = parse_mb_limit(req);
    char why[160];
    if (action_text && action == SIM_ACTION_NONE) {
        snprintf(why, sizeof(why), "Unknown action: %.64s (activate, deactivate or reactivate)",
                 action_text);
        sim_reply_fail(res, 400, why);
        return;
    }
    if (mb_limit == -2 || (!action_text && mb_limit < 0)) {
        sim_reply_fail(res, 400,
                       mb_limit == -2 ? "mb_limit must be a whole number of MB"
                                      : "action (activate, deactivate, reactivate) or mb_limit "
                                        "is required");
        return;
    }
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t c = route_card(ctx, req, res, &product);
    if (c != SIM_NONE) {
        const char *refused = sim_cards_update(ctx->model, c, action, mb_limit);
        if (refused)
            sim_reply_fail(res, 400, refused);
        else
            httpd_response_json(res, 200,
                                json_pack("{s:b, s:o}", "ok", 1, "sim",
                                          card_json(ctx->model, c, product != SIM_NONE, true)));
    }
    sim_model_unlock(ctx->model);
}

/* DELETE /v1/sims/:iccid: 202 while an active SIM's release is pending, else 204. */
static void handle_remove(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t c = route_card(ctx, req, res, &product);
    if (c != SIM_NONE) {
        if (sim_cards_release(ctx->model, c))
            httpd_response_json(res, 202, json_pack("{s:b}", "ok", 1));
        else
            httpd_response_empty(res, 204);
    }
    sim_model_unlock(ctx->model);
}

/* GET /v1/sims/:iccid/data_usage */
static void handle_usage(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t c = route_card(ctx, req, res, &product);
    if (c != SIM_NONE) {
        sim_usage_day days[SIM_USAGE_MAX_DAYS];
        size_t n = sim_cards_usage(ctx->model, c, days);
        reply_usage(res, json_pack("{s:s, s:o}", "iccid", ctx->model->cards[c].iccid,
                                   "usage_by_day", usage_days_json(days, n)));
    }
    sim_model_unlock(ctx->model);
}

/* GET /v1/products/:product/sims/data_usage: the product's SIMs summed per day. */
static void handle_fleet_usage(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product == SIM_NONE) {
        sim_model_unlock(m);
        return;
    }
    sim_usage_day total[SIM_USAGE_MAX_DAYS], days[SIM_USAGE_MAX_DAYS];
    size_t n = sim_cards_month_days(m, total);
    json_int_t active = 0;
    for (uint32_t c = 0; c < m->card_count; c++) {
        const sim_card *s = &m->cards[c];
        if (s->released || s->product != product)
            continue;
        active += s->status == SIM_CARD_ACTIVE;
        size_t k = sim_cards_usage(m, c, days); /* the same days as total */
        for (size_t i = 0; i < k && i < n; i++)
            total[i].mb += days[i].mb;
    }
    double cumulative = 0;
    for (size_t i = 0; i < n; i++) {
        total[i].mb = round(total[i].mb * 100.0) / 100.0;
        cumulative = round((cumulative + total[i].mb) * 100.0) / 100.0;
        total[i].cumulative_mb = cumulative;
    }
    sim_model_unlock(m);
    reply_usage(res,
                json_pack("{s:f, s:I, s:o}", "total_mbs_used", cumulative, "total_active_sim_cards",
                          active, "usage_by_day", usage_days_json(total, n)));
}

/* POST /v1/products/:product/sims {sims: [iccid, ...]} (JSON or sims[]= form). The cloud
 * queues the import and mails the result, so the answer is {"ok": true} whatever each
 * ICCID's fate (model/sim_cards.h: sim_cards_import). */
static void handle_import(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *sims = json_object_get(httpd_request_body(req), "sims");
    json_t *one = json_is_string(sims) ? json_pack("[O]", sims) : NULL; /* a form's sims=X */
    if (one)
        sims = one;
    size_t i;
    json_t *v;
    bool ok =
        json_is_array(sims) && json_array_size(sims) > 0 && json_array_size(sims) <= MAX_IMPORT;
    json_array_foreach(sims, i, v)
    {
        ok = ok && json_is_string(v) && *json_string_value(v);
    }
    if (!ok) {
        sim_reply_fail(res, 400, "sims must be a list of 1 to 1000 ICCIDs");
        json_decref(one);
        return;
    }
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product != SIM_NONE) {
        json_array_foreach(sims, i, v)
        {
            uint32_t c = sim_cards_find(m, json_string_value(v));
            if (c != SIM_NONE)
                sim_cards_import(m, c, product);
        }
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(m);
    json_decref(one);
}

/* GET /v1/sims/:iccid/status: the cellular status task of §7.6. */
static void handle_status(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    uint32_t product;
    sim_model_lock(m);
    uint32_t c = route_card(ctx, req, res, &product);
    if (c != SIM_NONE) {
        bool complete = sim_cards_status_task(m, c);
        const sim_card *s = &m->cards[c];
        char task[16];
        snprintf(task, sizeof(task), "%08x", (unsigned)(s->task_id * 2654435761u));
        json_t *status;
        if (complete) {
            bool active = s->status == SIM_CARD_ACTIVE;
            bool online = s->device != SIM_NONE && m->devices[s->device].online;
            status = json_pack("{s:b, s:b, s:b}", "connected", active && online, "gsm_connection",
                               active, "data_connection",
                               active && online && !sim_cards_over_limit(m, c));
        } else {
            status = json_pack("{s:n, s:n, s:n}", "connected", "gsm_connection", "data_connection");
        }
        json_t *meta = json_pack(
            "{s:o, s:o, s:o, s:s, s:s, s:s}", "created_at", sim_json_time(s->task_ms), "expires_at",
            sim_json_time(s->task_ms + SIM_STATUS_TASK_TTL_MS), "check_again_after",
            sim_json_time(s->task_ms + SIM_STATUS_TASK_PENDING_MS), "state",
            complete ? "complete" : "pending", "method", "async", "task_id", task);
        httpd_response_json(
            res, complete ? 200 : 202,
            json_pack("{s:b, s:o, s:o}", "ok", 1, "meta", meta, "sim_status", status));
    }
    sim_model_unlock(m);
}

void sim_routes_sim_cards(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/sims", 0, handle_list_user, ctx);
    httpd_route_add(srv, "GET", "/v1/sims/:iccid", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/sims/:iccid", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/sims/:iccid", 0, handle_remove, ctx);
    httpd_route_add(srv, "GET", "/v1/sims/:iccid/data_usage", 0, handle_usage, ctx);
    httpd_route_add(srv, "GET", "/v1/sims/:iccid/status", 0, handle_status, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/sims", 0, handle_list_product, ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/sims", 0, handle_import, ctx);
    /* before :iccid, which would take "data_usage" (cloud-api.md §14) */
    httpd_route_add(srv, "GET", "/v1/products/:product/sims/data_usage", 0, handle_fleet_usage,
                    ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/sims/:iccid", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/sims/:iccid", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/sims/:iccid", 0, handle_remove, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/sims/:iccid/data_usage", 0, handle_usage,
                    ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/sims/:iccid/status", 0, handle_status, ctx);
}
