/*
 * sim_hooks: the simulator's integrations (webhooks) and their delivery
 * (reference/cloud-api.md §10, docs/SIM.md "Webhooks").
 *
 * An integration belongs to a user (/v1/integrations, /v1/webhooks), a product
 * (/v1/products/:p/integrations) or an organization (/v1/orgs/:org/integrations). Its
 * settings are kept as the validated JSON the client sent (sim_hooks_validate): every field
 * of the reference's integration object is stored and shown back. For each event the model
 * publishes (sim_hooks_on_event, called from the event sink) every enabled integration whose
 * event prefix, scope and device filter match renders a request (hook_request.c) and hands it
 * to the delivery worker (hook_delivery.h); when it ends the worker calls back here to count
 * it, log it, publish hook-sent / hook-response / hook-error events, retry it or give up,
 * and disable an integration after too many failed deliveries in a row.
 *
 * Retries (UNVERIFIED in the reference; docs/COMPATIBILITY.md): no response, a timeout, a 5xx
 * or a 429 is retried up to `retries` times, after retry_ms, 2*retry_ms, 4*retry_ms...; a
 * 4xx other than 429 and a refused address are not. A delivery that fails after its retries
 * counts towards `disable_after` consecutive failures, which disable the integration
 * ("disabled": true on GET, with the counters); PUT with "disabled": false enables it again.
 *
 * Threads: the model lock guards everything here (the routes and the event sink hold it;
 * the worker takes it to report). Lock order: model lock, then the worker's queue lock.
 */
#ifndef SIM_HOOKS_H
#define SIM_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hooks/hook_delivery.h"
#include "model/sim_model.h"

#define SIM_HOOK_LOG_MAX 10    /* last deliveries shown on GET ("logs") */
#define SIM_HOOK_CHUNK 512     /* hook-response / hook-error event data size */
#define SIM_HOOK_EVENT_MAX 64  /* event name prefix */
#define SIM_HOOK_TEXT_MAX 8192 /* any template or string setting */

typedef enum sim_hook_scope { SIM_HOOK_USER, SIM_HOOK_PRODUCT, SIM_HOOK_ORG } sim_hook_scope;

typedef struct sim_hook_log {
    int64_t at_ms;
    char *event;    /* the event name it delivered */
    long status;    /* HTTP status; 0 = none */
    char *error;    /* NULL on success */
    char *response; /* the first SIM_HOOK_CHUNK bytes of the response body */
} sim_hook_log;

typedef struct sim_hook {
    char id[25];
    sim_hook_scope scope;
    uint32_t owner; /* user, product or organization index */
    int64_t created_ms;
    json_t *settings; /* validated: event, url, requestType, name and the optional fields */
    bool disabled;
    uint64_t sent, succeeded, failed, retried, dropped;
    uint32_t consecutive_failures;
    sim_hook_log logs[SIM_HOOK_LOG_MAX]; /* ring: next at log_next */
    uint32_t log_next, log_count;
} sim_hook;

typedef struct sim_hooks_options {
    sim_hook_delivery_options delivery;
    unsigned int retries;       /* 0 = 3 */
    unsigned int retry_ms;      /* first retry delay; 0 = 1000 */
    unsigned int disable_after; /* consecutive failed deliveries; 0 = 10 */
} sim_hooks_options;

/* What changed, for an observer (persistence: hook_persist.c). */
typedef enum sim_hooks_change {
    SIM_HOOK_SAVED,   /* @p hook was created or its settings replaced */
    SIM_HOOK_DELETED, /* @p hook is about to go */
    SIM_HOOKS_CLEARED /* every integration went (no @p hook) */
} sim_hooks_change;
struct sim_hooks;
typedef void sim_hooks_observer(void *payload, const struct sim_hooks *h, sim_hooks_change change,
                                const sim_hook *hook);

typedef struct sim_hooks {
    sim_model *model; /* borrowed */
    sim_hooks_options opts;
    sim_hook *items;
    uint32_t count, cap;
    uint64_t rng;
    sim_hook_delivery *delivery;
    sim_hooks_observer *observer; /* NULL: none (no --state) */
    void *observer_payload;
} sim_hooks;

/* ---- lifecycle (no lock) ---- */
sim_hooks *sim_hooks_new(sim_model *m, const sim_hooks_options *opts);
/* Tells @p fn (under the model lock) of every change to the integrations' settings. */
void sim_hooks_observe(sim_hooks *h, sim_hooks_observer *fn, void *payload);
int sim_hooks_start(sim_hooks *h); /* the delivery worker: 0 or -1 */
void sim_hooks_stop(sim_hooks *h);
void sim_hooks_free(sim_hooks *h); /* NULL-safe; stops first */
/* Drops every integration (the control API's reset; model lock held). */
void sim_hooks_clear(sim_hooks *h);

/* ---- the routes (model lock held) ---- */
/* Checks a create (@p previous NULL) or edit (@p previous: the current settings, whose
 * event, url and requestType stay when the body leaves them out) body. Returns NULL and the
 * settings to store in *out, or why the body is refused (a 400 message). */
const char *sim_hooks_validate(const json_t *body, const json_t *previous, json_t **out);
/* Creates an integration of @p scope / @p owner with @p settings (taken). */
sim_hook *sim_hooks_create(sim_hooks *h, sim_hook_scope scope, uint32_t owner, json_t *settings);
/* The integration @p id of that scope and owner, or NULL. */
sim_hook *sim_hooks_find(sim_hooks *h, const char *id, sim_hook_scope scope, uint32_t owner);
/* Replaces the settings (taken) of @p hook; its "disabled" setting enables or disables it. */
void sim_hooks_replace(sim_hooks *h, sim_hook *hook, json_t *settings);
void sim_hooks_delete(sim_hooks *h, sim_hook *hook);
/* Tells the observer that @p hook's settings changed in place (the delivery disabled it). */
void sim_hooks_changed(sim_hooks *h, const sim_hook *hook);
/* The integration object: settings, id, created_at, integration_type, counters, and with
 * @p with_logs the last deliveries ("logs"). */
json_t *sim_hooks_render(const sim_hooks *h, const sim_hook *hook, bool with_logs);
/* Delivers one sample event (@p data, from device @p device_id) now; NULL, or why not. */
const char *sim_hooks_test(sim_hooks *h, sim_hook *hook, const char *data, const char *device_id);

/* ---- the event sink (model lock held) ---- */
void sim_hooks_on_event(sim_hooks *h, const sim_event *ev);

/* ---- --state (hook_persist.c; model lock held) ---- */
/* Puts back a stored integration (the observer is not told). */
void sim_hooks_restore(sim_hooks *h, const char *id, sim_hook_scope scope, uint32_t owner,
                       int64_t created_ms, json_t *settings);

#endif
