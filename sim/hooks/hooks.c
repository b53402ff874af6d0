/* The integrations store (hooks.h): lifecycle, changes and the integration object. */
#include "hooks/hooks.h"

#include <stdlib.h>
#include <string.h>

#include "pu_str.h"
#include "pu_time.h"
#include "routes/sim_routes.h"

/* hook_events.c: the worker's report of a finished request. */
int64_t sim_hooks_delivered(void *payload, sim_hook_job *job, const sim_hook_outcome *out);

sim_hooks *sim_hooks_new(sim_model *m, const sim_hooks_options *opts)
{
    sim_hooks *h = calloc(1, sizeof(*h));
    if (!h)
        abort();
    h->model = m;
    if (opts)
        h->opts = *opts;
    if (!h->opts.retries)
        h->opts.retries = 3;
    if (!h->opts.retry_ms)
        h->opts.retry_ms = 1000;
    if (!h->opts.disable_after)
        h->opts.disable_after = 10;
    h->rng = (uint64_t)pu_time_now_ms() ^ (uint64_t)(uintptr_t)h;
    h->delivery = sim_hook_delivery_new(&h->opts.delivery, sim_hooks_delivered, h);
    return h;
}

void sim_hooks_observe(sim_hooks *h, sim_hooks_observer *fn, void *payload)
{
    h->observer = fn;
    h->observer_payload = payload;
}

static void notify(sim_hooks *h, sim_hooks_change change, const sim_hook *hook)
{
    if (h->observer)
        h->observer(h->observer_payload, h, change, hook);
}

void sim_hooks_changed(sim_hooks *h, const sim_hook *hook)
{
    notify(h, SIM_HOOK_SAVED, hook);
}

int sim_hooks_start(sim_hooks *h)
{
    return sim_hook_delivery_start(h->delivery);
}

void sim_hooks_stop(sim_hooks *h)
{
    sim_hook_delivery_stop(h->delivery);
}

static void dispose_logs(sim_hook *hook)
{
    for (uint32_t i = 0; i < SIM_HOOK_LOG_MAX; i++) {
        free(hook->logs[i].event);
        free(hook->logs[i].error);
        free(hook->logs[i].response);
    }
    memset(hook->logs, 0, sizeof(hook->logs));
    hook->log_count = hook->log_next = 0;
}

static void dispose(sim_hook *hook)
{
    json_decref(hook->settings);
    dispose_logs(hook);
}

void sim_hooks_free(sim_hooks *h)
{
    if (!h)
        return;
    sim_hook_delivery_free(h->delivery);
    for (uint32_t i = 0; i < h->count; i++)
        dispose(&h->items[i]);
    free(h->items);
    free(h);
}

void sim_hooks_clear(sim_hooks *h)
{
    for (uint32_t i = 0; i < h->count; i++) {
        sim_hook_delivery_cancel(h->delivery, h->items[i].id);
        dispose(&h->items[i]);
    }
    h->count = 0;
    notify(h, SIM_HOOKS_CLEARED, NULL);
}

static sim_hook *add(sim_hooks *h, const char *id, sim_hook_scope scope, uint32_t owner,
                     int64_t created_ms, json_t *settings)
{
    if (h->count == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->items = realloc(h->items, h->cap * sizeof(*h->items));
        if (!h->items)
            abort();
    }
    sim_hook *hook = &h->items[h->count++];
    memset(hook, 0, sizeof(*hook));
    pu_strlcpy(hook->id, id, sizeof(hook->id));
    hook->scope = scope;
    hook->owner = owner;
    hook->created_ms = created_ms;
    hook->settings = settings;
    hook->disabled = json_is_true(json_object_get(settings, "disabled"));
    return hook;
}

sim_hook *sim_hooks_create(sim_hooks *h, sim_hook_scope scope, uint32_t owner, json_t *settings)
{
    char id[25];
    pu_random_hex(id, 12, &h->rng);
    sim_hook *hook = add(h, id, scope, owner, sim_model_now(h->model), settings);
    notify(h, SIM_HOOK_SAVED, hook);
    return hook;
}

void sim_hooks_restore(sim_hooks *h, const char *id, sim_hook_scope scope, uint32_t owner,
                       int64_t created_ms, json_t *settings)
{
    add(h, id, scope, owner, created_ms, settings);
}

sim_hook *sim_hooks_find(sim_hooks *h, const char *id, sim_hook_scope scope, uint32_t owner)
{
    for (uint32_t i = 0; i < h->count; i++) {
        sim_hook *hook = &h->items[i];
        if (hook->scope == scope && hook->owner == owner && strcmp(hook->id, id) == 0)
            return hook;
    }
    return NULL;
}

void sim_hooks_replace(sim_hooks *h, sim_hook *hook, json_t *settings)
{
    json_decref(hook->settings);
    hook->settings = settings;
    bool disabled = json_is_true(json_object_get(settings, "disabled"));
    if (hook->disabled && !disabled)
        hook->consecutive_failures = 0; /* enabled again: a fresh start */
    hook->disabled = disabled;
    if (disabled)
        hook->dropped += sim_hook_delivery_cancel(h->delivery, hook->id);
    notify(h, SIM_HOOK_SAVED, hook);
}

void sim_hooks_delete(sim_hooks *h, sim_hook *hook)
{
    sim_hook_delivery_cancel(h->delivery, hook->id);
    notify(h, SIM_HOOK_DELETED, hook);
    dispose(hook);
    size_t i = (size_t)(hook - h->items);
    memmove(hook, hook + 1, (h->count - i - 1) * sizeof(*hook));
    h->count--;
}

/* The last deliveries, newest first; with @p failures_only only those that failed. */
static json_t *render_logs(const sim_hook *hook, bool failures_only)
{
    json_t *logs = json_array();
    for (uint32_t k = 0; k < hook->log_count; k++) {
        const sim_hook_log *l =
            &hook->logs[(hook->log_next + SIM_HOOK_LOG_MAX - 1 - k) % SIM_HOOK_LOG_MAX];
        if (failures_only && l->error == NULL)
            continue;
        json_t *o = json_pack("{s:o, s:s, s:b}", "time", sim_json_time(l->at_ms), "event", l->event,
                              "ok", l->error == NULL);
        if (l->status)
            json_object_set_new(o, "status", json_integer(l->status));
        if (l->error)
            json_object_set_new(o, "error", json_string(l->error));
        if (l->response)
            json_object_set_new(o, "response", json_string(l->response));
        json_array_append_new(logs, o);
    }
    return logs;
}

json_t *sim_hooks_render(const sim_hooks *h, const sim_hook *hook, bool with_logs)
{
    json_t *o = json_deep_copy(hook->settings);
    json_object_set_new(o, "id", json_string(hook->id));
    json_object_set_new(o, "integration_type", json_string("Webhook"));
    json_object_set_new(o, "created_at", sim_json_time(hook->created_ms));
    json_object_set_new(o, "disabled", json_boolean(hook->disabled));
    if (hook->scope == SIM_HOOK_PRODUCT)
        json_object_set_new(o, "product_id", json_integer(h->model->products[hook->owner].id));
    json_object_set_new(o, "counters",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:i}", "sent", (json_int_t)hook->sent,
                                  "succeeded", (json_int_t)hook->succeeded, "failed",
                                  (json_int_t)hook->failed, "retried", (json_int_t)hook->retried,
                                  "dropped", (json_int_t)hook->dropped, "consecutive_failures",
                                  (int)hook->consecutive_failures));
    /* the auth password is a secret: shown masked, as the console does */
    json_t *auth = json_object_get(o, "auth");
    if (auth)
        json_object_set_new(auth, "password", json_string("********"));
    /* the names libparticle and particlectl read (docs/COMPATIBILITY.md): failed deliveries
     * in a row, successful ones in all, and on GET the failures among the logs */
    json_object_set_new(o, "errorCount", json_integer((json_int_t)hook->consecutive_failures));
    json_object_set_new(o, "successCount", json_integer((json_int_t)hook->succeeded));
    if (with_logs) {
        json_object_set_new(o, "logs", render_logs(hook, false));
        json_object_set_new(o, "errors", render_logs(hook, true));
    }
    return o;
}
