/*
 * Events: publishing (POST /v1/devices/events, /v1/products/:product/events), the SSE stream
 * routes of reference/cloud-api.md §6.1, and the model's event sink that frames events for
 * the hub. Each published event carries a small context (who may see it); each subscriber a
 * filter (what it asked for); the hub matches them with stream_filter().
 */
#include <stdlib.h>
#include <string.h>

#include "hooks/hooks.h"
#include "model/sim_logic.h"
#include "model/sim_tokens.h"
#include "pu_parse.h"
#include "pu_ratelimit.h"
#include "pu_str.h"
#include "pu_time.h"
#include "routes/sim_routes.h"

#define MAX_EVENT_NAME 64
#define MAX_EVENT_DATA 1024 /* Device OS and the cloud cap event data at 1024 bytes */
#define MAX_PREFIX 256

typedef struct event_ctx {
    uint32_t device, owner, product;
    uint32_t org; /* the product's organization, or SIM_NONE */
    bool is_private;
    char name[];
} event_ctx;

typedef struct stream_filter_spec {
    uint32_t device, owner, product; /* SIM_NONE = any */
    uint32_t org;                    /* events of this organization's products; SIM_NONE = any */
    bool public_mode;                /* /v1/events: public events plus the viewer's own */
    uint32_t viewer_user, viewer_product;
    struct pu_ratelimit *gauge; /* open-stream count to give back, or NULL */
    char ip[64];
    /* The token that opened the stream: the stream ends when it is revoked or expires. */
    char token[SIM_TOKEN_LEN + 1];
    int64_t token_expires_ms; /* wall clock; 0 = never */
    char prefix[];
} stream_filter_spec;

static bool stream_filter(const void *event_ctx_p, void *sub_payload)
{
    const event_ctx *ev = event_ctx_p;
    const stream_filter_spec *f = sub_payload;
    if (f->device != SIM_NONE && ev->device != f->device)
        return false;
    if (f->product != SIM_NONE && ev->product != f->product)
        return false;
    if (f->org != SIM_NONE && ev->org != f->org)
        return false;
    if (f->owner != SIM_NONE && ev->owner != f->owner)
        return false;
    if (f->public_mode && ev->is_private &&
        !(f->viewer_user != SIM_NONE && ev->owner == f->viewer_user) &&
        !(f->viewer_product != SIM_NONE && ev->product == f->viewer_product))
        return false;
    return strncmp(ev->name, f->prefix, strlen(f->prefix)) == 0;
}

static void free_filter(void *p)
{
    stream_filter_spec *f = p;
    if (f && f->gauge)
        pu_ratelimit_release(f->gauge, f->ip);
    free(f);
}

void sim_events_sink(const sim_event *ev, void *payload)
{
    sim_ctx *ctx = payload;
    size_t len = strlen(ev->name);
    event_ctx *ec = malloc(sizeof(*ec) + len + 1);
    if (!ec)
        abort();
    ec->device = ev->device;
    ec->owner = ev->owner;
    ec->product = ev->product;
    /* The sink runs under the model lock: the product's organization can be read here. */
    ec->org = ev->product != SIM_NONE ? ctx->model->products[ev->product].org : SIM_NONE;
    ec->is_private = ev->is_private;
    memcpy(ec->name, ev->name, len + 1);
    /* ttl is a number, as particle-api-js types it and particle-cli prints it (§6.3). */
    json_t *data = json_pack("{s:o, s:i, s:o, s:s}", "data",
                             ev->data ? json_string(ev->data) : json_null(), "ttl", ev->ttl,
                             "published_at", sim_json_time(ev->published_ms), "coreid", ev->coreid);
    char *text = json_dumps(data, JSON_COMPACT);
    json_decref(data);
    if (!text)
        abort();
    httpd_sse_publish(ctx->hub, ev->name, text, ec, free);
    free(text);
    if (ctx->hooks)
        sim_hooks_on_event(ctx->hooks, ev);    /* webhooks: queued, sent by their own thread */
    if (ctx->logic && ev->product != SIM_NONE) /* Event triggers of logic functions */
        sim_logic_on_event(ctx->logic, ctx->model->products[ev->product].id, ev->name,
                           ev->published_ms);
}

/* ---- streams ---- */

/* The prefix is the rest of the path after "events/", percent-decoded by httpd. */
static stream_filter_spec *new_filter(const httpd_request *req)
{
    const char *prefix = httpd_request_param(req, "prefix");
    if (!prefix)
        prefix = "";
    size_t len = strlen(prefix);
    if (len > MAX_PREFIX)
        return NULL;
    stream_filter_spec *f = calloc(1, sizeof(*f) + len + 1);
    if (!f)
        abort();
    f->device = f->owner = f->product = f->org = SIM_NONE;
    f->viewer_user = f->viewer_product = SIM_NONE;
    memcpy(f->prefix, prefix, len + 1);
    return f;
}

static uint64_t last_event_id(const httpd_request *req)
{
    const char *h = httpd_request_header(req, "Last-Event-ID");
    if (!h || !*h)
        return 0;
    int64_t v;
    return pu_parse_int64(h, 0, INT64_MAX, &v) == 0 ? (uint64_t)v : 0;
}

/* Notes the caller's token in @p f, so that the stream ends with the token. */
static void remember_token(sim_ctx *ctx, const httpd_request *req, stream_filter_spec *f)
{
    const sim_principal *p = sim_caller(req);
    if (!p)
        return;
    pu_strlcpy(f->token, p->token, sizeof(f->token));
    sim_model_lock(ctx->model);
    uint32_t t = sim_token_find(ctx->model, p->token, NULL);
    f->token_expires_ms = t != SIM_NONE ? ctx->model->tokens[t].expires_ms : 0;
    sim_model_unlock(ctx->model);
}

/* Hands @p f to the hub (or frees it after replying an error). */
static void open_stream(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                        stream_filter_spec *f)
{
    remember_token(ctx, req, f);
    if (ctx->streams) {
        pu_strlcpy(f->ip, httpd_request_client_ip(req), sizeof(f->ip));
        if (!pu_ratelimit_acquire(ctx->streams, f->ip)) {
            free(f);
            httpd_response_header(res, "Retry-After", "60");
            sim_reply_fail(res, 429, "Too many open event streams from this address");
            return;
        }
        f->gauge = ctx->streams;
    }
    httpd_response_sse(res, ctx->hub, stream_filter, f, free_filter, last_event_id(req));
}

static void handle_events_no_prefix(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    sim_reply_fail(res, 400, "event prefix filter is required");
}

/* GET /v1/events/:prefix: public events plus the caller's own private ones. */
static void handle_public_stream(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const sim_principal *p = sim_caller(req);
    stream_filter_spec *f = new_filter(req);
    if (!f || !f->prefix[0]) {
        free(f);
        sim_reply_fail(res, 400, "event prefix filter is required");
        return;
    }
    f->public_mode = true;
    if (p->kind == SIM_TOKEN_PRODUCT)
        f->viewer_product = p->product;
    else
        f->viewer_user = p->user;
    open_stream(ctx, req, res, f);
}

/* GET /v1/devices/events[/:prefix]: the caller's devices ("mine"). */
static void handle_mine_stream(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const sim_principal *p = sim_caller(req);
    stream_filter_spec *f = new_filter(req);
    if (!f) {
        sim_reply_fail(res, 400, "event prefix filter too long");
        return;
    }
    if (p->kind == SIM_TOKEN_PRODUCT)
        f->product = p->product;
    else
        f->owner = p->user;
    open_stream(ctx, req, res, f);
}

/* On /v1/orgs/:org/... routes: the caller must see the organization, and :product (if
 * any) must be one of its products. Replies and returns false otherwise. Model lock held. */
static bool org_route_ok(const sim_ctx *ctx, const httpd_request *req, httpd_response *res)
{
    if (!httpd_request_param(req, "org"))
        return true;
    uint32_t org = sim_route_org(ctx, req, res, SIM_RIGHT_READ);
    if (org == SIM_NONE)
        return false;
    const char *key = httpd_request_param(req, "product");
    uint32_t product = key ? sim_model_find_product(ctx->model, key) : SIM_NONE;
    if (key && (product == SIM_NONE || ctx->model->products[product].org != org)) {
        sim_reply_fail(res, 404, "Product not found");
        return false;
    }
    return true;
}

/* GET /v1/devices/:device/events[/:prefix] and the product device variants. */
static void handle_device_stream(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product = SIM_NONE;
    sim_model_lock(ctx->model);
    uint32_t dev =
        org_route_ok(ctx, req, res) ? sim_route_device(ctx, req, res, &product) : SIM_NONE;
    sim_model_unlock(ctx->model);
    if (dev == SIM_NONE)
        return;
    stream_filter_spec *f = new_filter(req);
    if (!f) {
        sim_reply_fail(res, 400, "event prefix filter too long");
        return;
    }
    f->device = dev;
    open_stream(ctx, req, res, f);
}

/* GET /v1/orgs/:org/events[/:prefix]: events of the organization's products. */
static void handle_org_stream(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t org = sim_route_org(ctx, req, res, SIM_RIGHT_READ);
    sim_model_unlock(ctx->model);
    if (org == SIM_NONE)
        return;
    stream_filter_spec *f = new_filter(req);
    if (!f) {
        sim_reply_fail(res, 400, "event prefix filter too long");
        return;
    }
    f->org = org;
    open_stream(ctx, req, res, f);
}

/* GET /v1/products/:product/events[/:prefix] and the organization variant. */
static void handle_product_stream(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t product = org_route_ok(ctx, req, res) ? sim_route_product(ctx, req, res) : SIM_NONE;
    sim_model_unlock(ctx->model);
    if (product == SIM_NONE)
        return;
    stream_filter_spec *f = new_filter(req);
    if (!f) {
        sim_reply_fail(res, 400, "event prefix filter too long");
        return;
    }
    f->product = product;
    open_stream(ctx, req, res, f);
}

/* ---- publishing ---- */

static bool valid_event_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > MAX_EVENT_NAME)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20)
            return false;
    return true;
}

/* Reads name/data/private/ttl; replies 400 and returns false when they are unusable. */
static bool publish_args(const httpd_request *req, httpd_response *res, const char **name,
                         const char **data, bool *is_private, int *ttl)
{
    *name = httpd_request_arg(req, "name");
    *data = httpd_request_arg(req, "data");
    if (!*name || !valid_event_name(*name)) {
        sim_reply_fail(res, 400, "Event name is required (1 to 64 characters)");
        return false;
    }
    if (*data && strlen(*data) > MAX_EVENT_DATA) {
        sim_reply_fail(res, 400, "Event data is limited to 1024 bytes");
        return false;
    }
    /* Events are private unless the caller asks otherwise (UNVERIFIED; docs/SIM.md). */
    *is_private = sim_parse_bool(httpd_request_arg(req, "private")) != 0;
    const char *t = httpd_request_arg(req, "ttl");
    *ttl = 60;
    if (t && *t) {
        int64_t v;
        if (pu_parse_int64(t, 1, 16777215, &v) != 0) {
            sim_reply_fail(res, 400, "ttl must be a whole number of seconds (1 to 16777215)");
            return false;
        }
        *ttl = (int)v;
    }
    return true;
}

static void handle_publish(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const sim_principal *p = sim_caller(req);
    const char *name, *data;
    bool is_private;
    int ttl;
    if (!publish_args(req, res, &name, &data, &is_private, &ttl))
        return;
    sim_model_lock(ctx->model);
    /* API-published events have coreid "api" (UNVERIFIED; what integration tests use). */
    sim_event ev = {.name = name,
                    .data = data,
                    .ttl = ttl,
                    .published_ms = sim_model_now(ctx->model),
                    .coreid = "api",
                    .device = SIM_NONE,
                    .owner = p->kind == SIM_TOKEN_PRODUCT ? SIM_NONE : p->user,
                    .product = p->kind == SIM_TOKEN_USER ? SIM_NONE : p->product,
                    .is_private = is_private};
    sim_model_emit(ctx->model, &ev);
    sim_model_unlock(ctx->model);
    httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
}

static void handle_product_publish(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const char *name, *data;
    bool is_private;
    int ttl;
    if (!publish_args(req, res, &name, &data, &is_private, &ttl))
        return;
    const char *as_device = httpd_request_arg(req, "as_device_id");
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product == SIM_NONE) {
        sim_model_unlock(m);
        return;
    }
    uint32_t dev = SIM_NONE;
    if (as_device) {
        dev = sim_model_find_device_id(m, as_device);
        if (dev == SIM_NONE || m->devices[dev].product != product) {
            sim_model_unlock(m);
            sim_reply_fail(res, 400, "as_device_id must be a device of this product");
            return;
        }
    }
    sim_event ev = {.name = name,
                    .data = data,
                    .ttl = ttl,
                    .published_ms = sim_model_now(m),
                    .coreid = dev != SIM_NONE ? m->devices[dev].id : "api",
                    .device = dev,
                    .owner = dev != SIM_NONE ? m->devices[dev].owner : SIM_NONE,
                    .product = product,
                    .is_private = is_private};
    sim_model_emit(m, &ev);
    sim_model_unlock(m);
    httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- streams end with their token ---- */

static bool opened_with_token(const void *token, void *sub_payload)
{
    const stream_filter_spec *f = sub_payload;
    return f->token[0] && strcmp(f->token, token) == 0;
}

static bool token_expired(const void *now_ms, void *sub_payload)
{
    const stream_filter_spec *f = sub_payload;
    return f->token_expires_ms && f->token_expires_ms <= *(const int64_t *)now_ms;
}

/* Model observer (model lock held; the hub lock comes after it, as for publishing). */
static void on_token_change(const sim_model *m, const sim_change *change, void *payload)
{
    sim_ctx *ctx = payload;
    if (change->kind == SIM_CHANGED_TOKEN_REVOKED || change->kind == SIM_CHANGED_TOKEN_EXPIRED)
        httpd_sse_close_where(ctx->hub, opened_with_token, m->tokens[change->index].token);
}

void sim_events_close_expired(sim_ctx *ctx, int64_t now_ms)
{
    httpd_sse_close_where(ctx->hub, token_expired, &now_ms);
}

void sim_routes_events(httpd_server *srv, sim_ctx *ctx)
{
    sim_model_observe(ctx->model, on_token_change, ctx);
    const unsigned int s = SIM_ROUTE_RL_STREAM;
    httpd_route_add(srv, "GET", "/v1/events", s, handle_events_no_prefix, ctx);
    httpd_route_add(srv, "GET", "/v1/events/*prefix", s, handle_public_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/devices/events", s, handle_mine_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/devices/events/*prefix", s, handle_mine_stream, ctx);
    httpd_route_add(srv, "POST", "/v1/devices/events", 0, handle_publish, ctx);
    httpd_route_add(srv, "GET", "/v1/devices/:device/events", s, handle_device_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/devices/:device/events/*prefix", s, handle_device_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/events", s, handle_product_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/events/*prefix", s, handle_product_stream,
                    ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/events", 0, handle_product_publish, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/devices/:device/events", s,
                    handle_device_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/devices/:device/events/*prefix", s,
                    handle_device_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/events", s, handle_org_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/events/*prefix", s, handle_org_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/products/:product/events", s, handle_product_stream,
                    ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/products/:product/events/*prefix", s,
                    handle_product_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/products/:product/devices/:device/events", s,
                    handle_device_stream, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/products/:product/devices/:device/events/*prefix", s,
                    handle_device_stream, ctx);
}
