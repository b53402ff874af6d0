/*
 * Integrations and events (hooks.h): which integrations an event triggers, and what a
 * finished delivery publishes (reference/cloud-api.md §10.7): hook-sent/<event> when the
 * request reached the server, hook-response/<event>/<n> with the 2xx response body (through
 * responseTemplate, to responseTopic when set) and hook-error/<event>/<n> on a failure (to
 * errorResponseTopic when set), in SIM_HOOK_CHUNK-byte chunks of at most the delivery's body
 * cap. They come from "particle-internal" and trigger no integration themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hooks/hook_request.h"
#include "hooks/hooks.h"
#include "pu_str.h"
#include "pu_time.h"

#define INTERNAL "particle-internal"

int64_t sim_hooks_delivered(void *payload, sim_hook_job *job, const sim_hook_outcome *out);

/* Is @p ev one that @p hook sees (scope, device filter; prefix checked by the caller)? */
static bool in_scope(const sim_hooks *h, const sim_hook *hook, const sim_event *ev)
{
    const json_t *s = hook->settings;
    const char *device = json_string_value(json_object_get(s, "deviceID"));
    if (device && strcasecmp(device, ev->coreid) != 0)
        return false;
    switch (hook->scope) {
    case SIM_HOOK_USER:
        /* mydevices (the default): the owner's own events; else also everyone's public ones */
        return ev->owner == hook->owner ||
               (json_is_false(json_object_get(s, "mydevices")) && !ev->is_private);
    case SIM_HOOK_PRODUCT:
        return ev->product == hook->owner;
    case SIM_HOOK_ORG:
        return ev->product != SIM_NONE && h->model->products[ev->product].org == hook->owner;
    }
    return false;
}

static void product_id_of(const sim_model *m, const sim_event *ev, char out[16])
{
    out[0] = '\0';
    if (ev->product != SIM_NONE)
        snprintf(out, 16, "%u", m->products[ev->product].id);
    else if (ev->device != SIM_NONE) /* a developer device: its platform, as the cloud does */
        snprintf(out, 16, "%u", (unsigned)m->devices[ev->device].platform_id);
}

/* Renders and queues one delivery; counts it as dropped when the queue is full. */
static void submit(sim_hooks *h, sim_hook *hook, const sim_hook_vars *vars)
{
    sim_hook_job *job = sim_hook_request_build(hook->settings, hook->id, vars);
    if (!sim_hook_delivery_submit(h->delivery, job)) {
        sim_hook_job_free(job);
        hook->dropped++;
    }
}

void sim_hooks_on_event(sim_hooks *h, const sim_event *ev)
{
    if (h->count == 0 || strcmp(ev->coreid, INTERNAL) == 0)
        return;
    json_t *custom = NULL;
    bool parsed = false;
    char published[PU_ISO8601_SIZE], product[16];
    for (uint32_t i = 0; i < h->count; i++) {
        sim_hook *hook = &h->items[i];
        const char *prefix = json_string_value(json_object_get(hook->settings, "event"));
        if (hook->disabled || strncmp(ev->name, prefix, strlen(prefix)) != 0 ||
            !in_scope(h, hook, ev))
            continue;
        if (!parsed) {
            custom = sim_hook_custom_fields(ev->data);
            pu_time_iso8601(ev->published_ms, published);
            product_id_of(h->model, ev, product);
            parsed = true;
        }
        sim_hook_vars vars = {.event_name = ev->name,
                              .event_value = ev->data,
                              .device_id = ev->coreid,
                              .published_at = published,
                              .product_id = product,
                              .custom = custom};
        submit(h, hook, &vars);
    }
    json_decref(custom);
}

const char *sim_hooks_test(sim_hooks *h, sim_hook *hook, const char *data, const char *device_id)
{
    char published[PU_ISO8601_SIZE];
    pu_time_iso8601(sim_model_now(h->model), published);
    json_t *custom = sim_hook_custom_fields(data);
    sim_hook_vars vars = {.event_name = json_string_value(json_object_get(hook->settings, "event")),
                          .event_value = data,
                          .device_id = device_id,
                          .published_at = published,
                          .product_id = "",
                          .custom = custom};
    uint64_t dropped = hook->dropped;
    submit(h, hook, &vars);
    json_decref(custom);
    return hook->dropped != dropped ? "the delivery queue is full; try again later" : NULL;
}

/* ---- what a finished delivery reports ---- */

static sim_hook *find_any(sim_hooks *h, const char *id)
{
    for (uint32_t i = 0; i < h->count; i++)
        if (strcmp(h->items[i].id, id) == 0)
            return &h->items[i];
    return NULL;
}

static void emit(sim_hooks *h, const sim_hook *hook, const char *name, const char *data)
{
    sim_event ev = {.name = name,
                    .data = data,
                    .ttl = 60,
                    .published_ms = sim_model_now(h->model),
                    .coreid = INTERNAL,
                    .device = SIM_NONE,
                    .owner = hook->scope == SIM_HOOK_USER ? hook->owner : SIM_NONE,
                    .product = hook->scope == SIM_HOOK_PRODUCT ? hook->owner : SIM_NONE,
                    .is_private = true};
    sim_model_emit(h->model, &ev);
}

/* @p text in chunks to "<topic>/<n>". */
static void emit_chunks(sim_hooks *h, const sim_hook *hook, const char *topic, const char *text,
                        size_t len)
{
    char name[512], chunk[SIM_HOOK_CHUNK + 1];
    for (size_t off = 0, n = 0; off < len; off += SIM_HOOK_CHUNK, n++) {
        size_t k = len - off < SIM_HOOK_CHUNK ? len - off : SIM_HOOK_CHUNK;
        memcpy(chunk, text + off, k);
        chunk[k] = '\0';
        snprintf(name, sizeof(name), "%s/%zu", topic, n);
        emit(h, hook, name, chunk);
    }
}

/* The topic setting @p key rendered for the job's event, or "<dflt>/<event>". */
static char *topic(const sim_hook *hook, const char *key, const char *dflt,
                   const sim_hook_vars *vars)
{
    pu_buf b;
    pu_buf_init(&b, 256, NULL);
    const char *t = json_string_value(json_object_get(hook->settings, key));
    if (t) {
        sim_hook_template_render(&b, t, vars);
    } else {
        pu_buf_append_str(&b, dflt);
        pu_buf_append_char(&b, '/');
        pu_buf_append_str(&b, vars->event_name);
    }
    char *s = pu_buf_take(&b, NULL);
    return s ? s : pu_xstrdup(dflt);
}

static void log_delivery(sim_hook *hook, const sim_hook_job *job, const sim_hook_outcome *out,
                         int64_t now)
{
    sim_hook_log *l = &hook->logs[hook->log_next];
    free(l->event);
    free(l->error);
    free(l->response);
    l->at_ms = now;
    l->event = pu_xstrdup(job->event_name);
    l->status = out->status;
    char why[96];
    if (out->error) {
        l->error = pu_xstrdup(out->error);
    } else if (out->status < 200 || out->status > 299) {
        snprintf(why, sizeof(why), "the server answered HTTP %ld", out->status);
        l->error = pu_xstrdup(why);
    } else {
        l->error = NULL;
    }
    size_t n = out->body_len < SIM_HOOK_CHUNK ? out->body_len : SIM_HOOK_CHUNK;
    l->response = n ? pu_xstrdup(out->body) : NULL;
    if (l->response)
        l->response[n] = '\0';
    hook->log_next = (hook->log_next + 1) % SIM_HOOK_LOG_MAX;
    if (hook->log_count < SIM_HOOK_LOG_MAX)
        hook->log_count++;
}

static void publish_response(sim_hooks *h, const sim_hook *hook, const sim_hook_vars *vars,
                             const sim_hook_outcome *out)
{
    if (out->body_len == 0)
        return;
    const char *tmpl = json_string_value(json_object_get(hook->settings, "responseTemplate"));
    char *t = topic(hook, "responseTopic", "hook-response", vars);
    if (tmpl) {
        sim_hook_vars rv = *vars;
        rv.custom = sim_hook_custom_fields(out->body);
        pu_buf b;
        pu_buf_xinit(&b);
        sim_hook_template_render(&b, tmpl, &rv);
        json_decref(rv.custom);
        size_t len;
        char *text = pu_buf_take(&b, &len);
        emit_chunks(h, hook, t, text, len);
        free(text);
    } else {
        emit_chunks(h, hook, t, out->body, out->body_len);
    }
    free(t);
}

static void publish_error(sim_hooks *h, const sim_hook *hook, const sim_hook_vars *vars,
                          const sim_hook_outcome *out)
{
    char *t = topic(hook, "errorResponseTopic", "hook-error", vars);
    char why[96];
    const char *text = out->body_len ? out->body : out->error;
    if (!text) {
        snprintf(why, sizeof(why), "HTTP %ld", out->status);
        text = why;
    }
    emit_chunks(h, hook, t, text, out->body_len ? out->body_len : strlen(text));
    free(t);
}

static bool retryable(const sim_hook_outcome *out)
{
    if (out->refused)
        return false;
    return out->status == 0 || out->status == 429 || out->status >= 500;
}

int64_t sim_hooks_delivered(void *payload, sim_hook_job *job, const sim_hook_outcome *out)
{
    sim_hooks *h = payload;
    int64_t retry = -1;
    sim_model_lock(h->model);
    sim_hook *hook = find_any(h, job->hook_id);
    if (!hook || hook->disabled)
        goto done; /* deleted or disabled while the request was out: nothing to report */
    sim_hook_vars vars = {.event_name = job->event_name,
                          .event_value = job->event_data,
                          .device_id = job->device_id,
                          .published_at = job->published_at,
                          .product_id = job->product_id};
    bool ok = out->status >= 200 && out->status <= 299;
    hook->sent++;
    log_delivery(hook, job, out, sim_model_now(h->model));
    if (out->status) {
        char name[SIM_HOOK_EVENT_MAX * 4];
        snprintf(name, sizeof(name), "hook-sent/%s", job->event_name);
        emit(h, hook, name, "undefined"); /* the data the reference shows (§6.3) */
    }
    if (ok) {
        hook->succeeded++;
        hook->consecutive_failures = 0;
        publish_response(h, hook, &vars, out);
        goto done;
    }
    hook->failed++;
    publish_error(h, hook, &vars, out);
    if (retryable(out) && job->attempt < h->opts.retries) {
        hook->retried++;
        retry = (int64_t)h->opts.retry_ms << job->attempt;
        goto done;
    }
    if (++hook->consecutive_failures >= h->opts.disable_after) {
        hook->disabled = true;
        json_object_set_new(hook->settings, "disabled", json_true());
        hook->dropped += sim_hook_delivery_cancel(h->delivery, hook->id);
        sim_hooks_changed(h, hook);
    }
done:
    sim_model_unlock(h->model);
    return retry;
}
