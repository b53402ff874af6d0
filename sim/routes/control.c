/*
 * The /sim/ control API for tests and demos (docs/SIM.md): device online/offline, setting
 * variables, publishing as a device, publisher periods, the clock, reset, status.
 * Any valid developer (user-kind) token may use it; it acts on every device.
 */
#include <stdlib.h>
#include <string.h>

#include "model/sim_behaviour.h"
#include "model/sim_claims.h"
#include "model/sim_logic.h"
#include "model/sim_tokens.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "routes/sim_routes.h"
#include "sim_version.h"

#define MAX_ADVANCE_MS (366LL * 24 * 3600 * 1000)
#define ADVANCE_EVENT_BUDGET 1000000

/* Control needs a developer token; replies 403 otherwise. */
static bool control_allowed(const httpd_request *req, httpd_response *res)
{
    if (sim_caller(req)->kind == SIM_TOKEN_USER)
        return true;
    sim_reply_fail(res, 403, "The control API needs a developer (user) token");
    return false;
}

/* :device by id, else the first device with that name. Model lock held. */
static uint32_t control_device(sim_model *m, const httpd_request *req, httpd_response *res)
{
    const char *key = httpd_request_param(req, "device");
    uint32_t dev = sim_model_find_device_id(m, key);
    for (uint32_t i = 0; dev == SIM_NONE && i < m->device_count; i++)
        if (m->devices[i].name && strcmp(m->devices[i].name, key) == 0)
            dev = i;
    if (dev == SIM_NONE)
        sim_reply_fail(res, 404, "Device not found");
    return dev;
}

static void set_online(const httpd_request *req, httpd_response *res, sim_ctx *ctx, bool online)
{
    if (!control_allowed(req, res))
        return;
    sim_model_lock(ctx->model);
    uint32_t dev = control_device(ctx->model, req, res);
    if (dev != SIM_NONE) {
        sim_model_set_online(ctx->model, dev, online);
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:s, s:b}", "ok", 1, "id", ctx->model->devices[dev].id,
                                      "online", online));
    }
    sim_model_unlock(ctx->model);
}

static void handle_online(const httpd_request *req, httpd_response *res, void *payload)
{
    set_online(req, res, payload, true);
}

static void handle_offline(const httpd_request *req, httpd_response *res, void *payload)
{
    set_online(req, res, payload, false);
}

/* PUT /sim/devices/:device/variables/:variable {"value": ...} */
static void handle_set_variable(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    if (!control_allowed(req, res))
        return;
    const char *value = httpd_request_arg(req, "value");
    if (!value) {
        sim_reply_fail(res, 400, "value is required");
        return;
    }
    sim_model_lock(m);
    uint32_t dev = control_device(m, req, res);
    if (dev != SIM_NONE) {
        uint32_t var = sim_device_find_var(m, dev, httpd_request_param(req, "variable"));
        if (var == SIM_NONE)
            sim_reply_fail(res, 404, "Variable not found");
        else if (!sim_device_set_var(m, dev, var, value))
            sim_reply_fail(res, 400, "value does not parse as the variable's type");
        else
            httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(m);
}

/* POST /sim/devices/:device/events {"name", "data", "private"} */
/* POST /sim/devices/:device/claim {"claim_code"}: the device presents a claim code, as its
 * firmware would after setup, and is claimed by the code's user or customer (sim_claims.h). */
static void handle_device_claim(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    if (!control_allowed(req, res))
        return;
    const char *code = json_string_value(json_object_get(httpd_request_body(req), "claim_code"));
    if (!code || !*code) {
        sim_reply_fail(res, 400, "claim_code must be a string");
        return;
    }
    sim_model_lock(m);
    uint32_t dev = control_device(m, req, res);
    const char *why = NULL;
    sim_claim_refusal refused = dev != SIM_NONE ? sim_claim_redeem(m, code, dev, &why) : 0;
    if (dev == SIM_NONE) {
        /* answered */
    } else if (refused != SIM_CLAIM_OK) {
        sim_reply_fail(res, (unsigned int)refused, why);
    } else {
        const sim_device *d = &m->devices[dev];
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:s, s:s}", "ok", 1, "id", d->id, "owner",
                                      m->users[d->owner].username));
    }
    sim_model_unlock(m);
}

static void handle_device_publish(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    if (!control_allowed(req, res))
        return;
    const char *name = httpd_request_arg(req, "name");
    const char *data = httpd_request_arg(req, "data");
    if (!name || !*name || strlen(name) > 64 || strchr(name, '\n') || strchr(name, '\r') ||
        (data && strlen(data) > 1024)) {
        sim_reply_fail(res, 400, "name (1 to 64 characters) is required; data up to 1024 bytes");
        return;
    }
    bool is_private = sim_parse_bool(httpd_request_arg(req, "private")) != 0;
    sim_model_lock(m);
    uint32_t dev = control_device(m, req, res);
    if (dev != SIM_NONE) {
        sim_model_emit_device_event(m, dev, name, data, is_private);
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(m);
}

/* PUT /sim/devices/:device/publishers/:publisher {"period_ms": N} (0 stops it) */
static void handle_publisher(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    if (!control_allowed(req, res))
        return;
    int64_t ms;
    if (pu_parse_int64(httpd_request_arg(req, "period_ms"), 0, MAX_ADVANCE_MS, &ms) != 0) {
        sim_reply_fail(res, 400, "period_ms (0 stops the publisher) is required");
        return;
    }
    sim_model_lock(m);
    uint32_t dev = control_device(m, req, res);
    if (dev != SIM_NONE) {
        uint32_t pub = sim_device_find_pub(m, dev, httpd_request_param(req, "publisher"));
        if (pub == SIM_NONE) {
            sim_reply_fail(res, 404, "Publisher not found");
        } else {
            sim_device_set_pub_period(m, dev, pub, ms);
            httpd_response_json(res, 200,
                                json_pack("{s:b, s:I}", "ok", 1, "period_ms", (json_int_t)ms));
        }
    }
    sim_model_unlock(m);
}

static json_t *clock_json(sim_ctx *ctx)
{
    int64_t now = sim_clock_now(ctx->clock);
    return json_pack("{s:o, s:I, s:b}", "now", sim_json_time(now), "now_ms", (json_int_t)now,
                     "paused", sim_clock_paused(ctx->clock));
}

static void handle_pause(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    if (!control_allowed(req, res))
        return;
    sim_clock_pause(ctx->clock);
    httpd_response_json(res, 200, json_pack("{s:b, s:o}", "ok", 1, "clock", clock_json(ctx)));
}

static void handle_resume(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    if (!control_allowed(req, res))
        return;
    sim_clock_resume(ctx->clock);
    httpd_response_json(res, 200, json_pack("{s:b, s:o}", "ok", 1, "clock", clock_json(ctx)));
}

/* POST /sim/clock/advance {"ms": N}: moves the clock and publishes what fell due before
 * replying, so a test sees the events as soon as the call returns. */
static void handle_advance(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    if (!control_allowed(req, res))
        return;
    int64_t ms;
    if (pu_parse_int64(httpd_request_arg(req, "ms"), 0, MAX_ADVANCE_MS, &ms) != 0) {
        sim_reply_fail(res, 400, "ms (0 to one year) is required");
        return;
    }
    sim_model_lock(ctx->model);
    sim_clock_advance(ctx->clock, ms);
    size_t n = sim_model_run_due(ctx->model, sim_clock_now(ctx->clock), ADVANCE_EVENT_BUDGET);
    sim_logic_run_schedules(ctx->logic, sim_clock_now(ctx->clock)); /* runs in the answer */
    sim_model_unlock(ctx->model);
    httpd_response_json(res, 200,
                        json_pack("{s:b, s:I, s:o}", "ok", 1, "published", (json_int_t)n, "clock",
                                  clock_json(ctx)));
}

static void handle_reset(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    char err[256];
    if (!control_allowed(req, res))
        return;
    if (ctx->reset(ctx->reset_payload, err, sizeof(err)) < 0)
        sim_reply_fail(res, 500, err);
    else
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
}

static void handle_status(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    if (!control_allowed(req, res))
        return;
    sim_model_lock(m);
    json_int_t online = 0, live_tokens = 0;
    for (uint32_t i = 0; i < m->device_count; i++)
        online += m->devices[i].online;
    int64_t wall = pu_time_now_ms();
    for (uint32_t i = 0; i < m->token_count; i++)
        live_tokens += !m->tokens[i].expires_ms || m->tokens[i].expires_ms > wall;
    json_t *body =
        json_pack("{s:s, s:I, s:o, s:{s:I, s:I, s:I}, s:I, s:I, s:I, s:I, s:I}", "version",
                  sim_version(), "seed", (json_int_t)m->seed, "clock", clock_json(ctx), "devices",
                  "total", (json_int_t)m->device_count, "online", online, "offline",
                  (json_int_t)m->device_count - online, "users", (json_int_t)m->user_count,
                  "products", (json_int_t)m->product_count, "tokens", live_tokens,
                  "events_published", (json_int_t)m->events_published, "sse_subscribers",
                  (json_int_t)httpd_sse_subscriber_count(ctx->hub));
    sim_model_unlock(m);
    httpd_response_json(res, 200, body);
}

void sim_routes_control(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/sim/status", 0, handle_status, ctx);
    httpd_route_add(srv, "POST", "/sim/reset", 0, handle_reset, ctx);
    httpd_route_add(srv, "POST", "/sim/clock/pause", 0, handle_pause, ctx);
    httpd_route_add(srv, "POST", "/sim/clock/resume", 0, handle_resume, ctx);
    httpd_route_add(srv, "POST", "/sim/clock/advance", 0, handle_advance, ctx);
    httpd_route_add(srv, "POST", "/sim/devices/:device/online", 0, handle_online, ctx);
    httpd_route_add(srv, "POST", "/sim/devices/:device/offline", 0, handle_offline, ctx);
    httpd_route_add(srv, "PUT", "/sim/devices/:device/variables/:variable", 0, handle_set_variable,
                    ctx);
    httpd_route_add(srv, "POST", "/sim/devices/:device/events", 0, handle_device_publish, ctx);
    httpd_route_add(srv, "POST", "/sim/devices/:device/claim", 0, handle_device_claim, ctx);
    httpd_route_add(srv, "PUT", "/sim/devices/:device/publishers/:publisher", 0, handle_publisher,
                    ctx);
}
