/* The bridge's integration in the cloud (webhook_sync.h), through libparticle's integration
 * calls. */
#include "webhook_sync.h"

#include <jansson.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_log.h"
#include "pu_str.h"
#include "pu_time.h"

/* The header ingest/webhook.c reads the shared secret from. */
#define SECRET_HEADER "X-Webhook-Secret"
/* The receiver's path under the bridge's public URL (bridge/api/routes.c). */
#define RECEIVER_PATH "/api/v1/webhook"
#define INTEGRATION_NAME "particle-bridge"
#define ID_SIZE 128

/* What the integration must look like. */
typedef struct wanted {
    char url[600];
    char *headers; /* {"X-Webhook-Secret": secret} as JSON text; wiped and freed by dispose */
    particle_integration_scope scope;
} wanted;

static void wanted_dispose(wanted *w)
{
    if (w->headers != NULL) {
        pu_secure_zero(w->headers, strlen(w->headers));
        free(w->headers);
        w->headers = NULL;
    }
}

static int wanted_init(wanted *w, const bridge_config *cfg, char *err, size_t err_size)
{
    memset(w, 0, sizeof *w);
    size_t len = strlen(cfg->webhook_public_url);
    while (len > 0 && cfg->webhook_public_url[len - 1] == '/') {
        len--;
    }
    int n =
        snprintf(w->url, sizeof w->url, "%.*s%s", (int)len, cfg->webhook_public_url, RECEIVER_PATH);
    if (n < 0 || (size_t)n >= sizeof w->url) {
        snprintf(err, err_size, "[webhook] public_url is too long");
        return -1;
    }
    json_t *headers = json_pack("{s:s}", SECRET_HEADER, cfg->webhook_secret);
    w->headers = headers != NULL ? json_dumps(headers, JSON_COMPACT) : NULL;
    if (headers != NULL) { /* the tree's copy of the secret goes too */
        pu_secure_zero((char *)json_string_value(json_object_get(headers, SECRET_HEADER)),
                       strlen(cfg->webhook_secret));
    }
    json_decref(headers);
    if (w->headers == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    w->scope.product = cfg->webhook_product[0] != '\0' ? cfg->webhook_product : NULL;
    return 0;
}

void bridge_webhook_setting_name(const bridge_config *cfg, char *out, size_t size)
{
    snprintf(out, size, "webhook_integration:%s",
             cfg->webhook_product[0] != '\0' ? cfg->webhook_product : "user");
}

static void settings_of(particle_integration_options *o, const bridge_config *cfg, const wanted *w)
{
    particle_integration_options_init(o, PARTICLE_INTEGRATION_OPTIONS_VERSION);
    o->event = cfg->webhook_events;
    o->url = w->url;
    o->request_type = "POST";
    o->name = INTEGRATION_NAME;
    o->headers = w->headers;
    o->disabled = PARTICLE_NO;
}

static bool same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Whether @p it is the integration as configured. */
static bool in_sync(const particle_integration *it, const bridge_config *cfg, const wanted *w)
{
    const char *secret = particle_value_string(particle_value_get(it->headers, SECRET_HEADER));
    return same(it->event, cfg->webhook_events) && same(it->url, w->url) &&
           same(it->request_type, "POST") && same(secret, cfg->webhook_secret) &&
           it->disabled != PARTICLE_YES;
}

static int fail_sdk(int rc, const char *doing, char *err, size_t err_size)
{
    snprintf(err, err_size, "%s: %s (%s)", doing, particle_error_last()->message,
             particle_strerror(rc));
    return -1;
}

static int remember(bridge_store *store, bridge_writer *writer, const char *name, const char *id,
                    char *err, size_t err_size)
{
    if (writer != NULL) {
        return id != NULL
                   ? bridge_writer_setting_put(writer, name, id, pu_time_now_ms(), err, err_size)
                   : bridge_writer_setting_delete(writer, name, err, err_size);
    }
    int rc = id != NULL ? bridge_store_setting_put(store, name, id, pu_time_now_ms())
                        : bridge_store_setting_delete(store, name);
    if (rc != 0) {
        snprintf(err, err_size, "store: %s", bridge_store_errmsg(store));
        return -1;
    }
    return 0;
}

/*
 * The integration this bridge owns: the stored id if the cloud still has it, else one in
 * scope that posts to the bridge's URL. *out NULL when there is none. Returns 0 or -1.
 */
static int find_current(particle_client *client, bridge_store *store, const char *setting,
                        const wanted *w, particle_integration **out, char *err, size_t err_size)
{
    *out = NULL;
    char id[ID_SIZE];
    int rc = bridge_store_setting_get(store, setting, id, sizeof id);
    if (rc != 0 && rc != BRIDGE_STORE_NOTFOUND) {
        snprintf(err, err_size, "store: %s", bridge_store_errmsg(store));
        return -1;
    }
    if (rc == 0) {
        rc = particle_integration_get(out, client, &w->scope, id);
        if (rc == 0) {
            return 0;
        }
        if (rc != PARTICLE_ENOTFOUND) {
            return fail_sdk(rc, "reading the webhook integration", err, err_size);
        }
        pu_log(PU_LOG_INFO, "webhook", "integration %s is gone from the cloud", id);
    }
    particle_integrations *list = NULL;
    rc = particle_integration_list(&list, client, &w->scope);
    if (rc != 0) {
        return fail_sdk(rc, "listing integrations", err, err_size);
    }
    const char *adopt = NULL;
    for (size_t i = 0; adopt == NULL && i < particle_integrations_count(list); i++) {
        const particle_integration *it = particle_integrations_at(list, i);
        if (same(it->url, w->url) && it->id != NULL) {
            adopt = it->id;
        }
    }
    rc = adopt != NULL ? particle_integration_get(out, client, &w->scope, adopt) : 0;
    particle_integrations_free(list);
    return rc != 0 ? fail_sdk(rc, "reading the webhook integration", err, err_size) : 0;
}

int bridge_webhook_sync(particle_client *client, bridge_store *store, bridge_writer *writer,
                        const bridge_config *cfg, bridge_webhook_action *action_out, char *err,
                        size_t err_size)
{
    char setting[128];
    bridge_webhook_setting_name(cfg, setting, sizeof setting);
    wanted w;
    if (wanted_init(&w, cfg, err, err_size) != 0) {
        wanted_dispose(&w);
        return -1;
    }
    particle_integration *current = NULL;
    int error = find_current(client, store, setting, &w, &current, err, err_size);
    particle_integration_options o;
    settings_of(&o, cfg, &w);
    particle_integration *changed = NULL;
    const char *id = NULL;
    if (error == 0 && current != NULL && in_sync(current, cfg, &w)) {
        *action_out = BRIDGE_WEBHOOK_IN_SYNC;
        id = current->id;
    } else if (error == 0 && current != NULL) {
        int rc = particle_integration_edit(&changed, client, &w.scope, current->id, &o);
        error = rc != 0 ? fail_sdk(rc, "editing the webhook integration", err, err_size) : 0;
        *action_out = BRIDGE_WEBHOOK_EDITED;
        id = current->id;
    } else if (error == 0) {
        int rc = particle_integration_create(&changed, client, &w.scope, &o);
        error = rc != 0 ? fail_sdk(rc, "creating the webhook integration", err, err_size) : 0;
        *action_out = BRIDGE_WEBHOOK_CREATED;
        id = changed != NULL ? changed->id : NULL;
        if (error == 0 && id == NULL) {
            snprintf(err, err_size, "creating the webhook integration: the answer has no id");
            error = -1;
        }
    }
    if (error == 0) {
        /* written every time: a lost setting (a new database) is restored on the next sync */
        error = remember(store, writer, setting, id, err, err_size);
    }
    if (error == 0 && *action_out != BRIDGE_WEBHOOK_IN_SYNC) {
        pu_log(PU_LOG_INFO, "webhook", "integration %s %s: events %s to %s", id,
               *action_out == BRIDGE_WEBHOOK_CREATED ? "created" : "brought back in line",
               cfg->webhook_events, w.url);
    }
    particle_integration_free(current);
    particle_integration_free(changed);
    wanted_dispose(&w);
    return error;
}

int bridge_webhook_remove(particle_client *client, bridge_store *store, bridge_writer *writer,
                          const bridge_config *cfg, bridge_webhook_action *action_out, char *err,
                          size_t err_size)
{
    char setting[128];
    bridge_webhook_setting_name(cfg, setting, sizeof setting);
    wanted w;
    if (wanted_init(&w, cfg, err, err_size) != 0) {
        wanted_dispose(&w);
        return -1;
    }
    particle_integration *current = NULL;
    int error = find_current(client, store, setting, &w, &current, err, err_size);
    *action_out = BRIDGE_WEBHOOK_ABSENT;
    if (error == 0 && current != NULL) {
        int rc = particle_integration_delete(client, &w.scope, current->id);
        if (rc == 0 || rc == PARTICLE_ENOTFOUND) {
            *action_out = BRIDGE_WEBHOOK_REMOVED;
            pu_log(PU_LOG_INFO, "webhook", "integration %s deleted", current->id);
        } else {
            error = fail_sdk(rc, "deleting the webhook integration", err, err_size);
        }
    }
    if (error == 0) {
        error = remember(store, writer, setting, NULL, err, err_size);
    }
    particle_integration_free(current);
    wanted_dispose(&w);
    return error;
}

int bridge_webhook_remove_command(const bridge_config *cfg)
{
    char err[1024];
    bridge_store *store = bridge_store_open(cfg->database_path, err, sizeof err);
    if (store == NULL) {
        pu_log(PU_LOG_ERROR, "webhook", "%s", err);
        return 1;
    }
    particle_client_options co;
    particle_client_options_init(&co, PARTICLE_CLIENT_OPTIONS_VERSION);
    co.base_url = cfg->cloud_url[0] != '\0' ? cfg->cloud_url : NULL;
    co.access_token = cfg->access_token;
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    co.request_timeout_ms = cfg->request_timeout_ms;
    particle_client *client = NULL;
    int status = 1;
    bridge_webhook_action action;
    if (particle_client_new(&client, &co) != 0) {
        pu_log(PU_LOG_ERROR, "webhook", "cloud client: %s", particle_error_last()->message);
    } else if (bridge_webhook_remove(client, store, NULL, cfg, &action, err, sizeof err) != 0) {
        pu_log(PU_LOG_ERROR, "webhook", "%s", err);
    } else {
        if (action == BRIDGE_WEBHOOK_ABSENT) {
            pu_log(PU_LOG_INFO, "webhook", "no webhook integration of this bridge to delete");
        }
        status = 0;
    }
    particle_client_free(client);
    bridge_store_close(store);
    return status;
}
