#include "sync.h"

#include <particle/devices.h>
#include <particle/particle.h>
#include <particle/value.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/normalise.h"
#include "pu_str.h"
#include "pu_time.h"
#include "sim_sync.h"
#include "vitals.h"

/* Stores the device's last known vitals (one request). A device offline and never heard
 * from cannot have any: it is skipped. A failure is reported and does not stop the sync. */
static void sync_vitals(particle_client *client, bridge_store *store, const char *id,
                        const char *product, bool connected, long long last_heard)
{
    if (!connected && last_heard <= 0) {
        return;
    }
    char err[256];
    bridge_vitals_outcome outcome;
    if (bridge_vitals_collect(client, store, id, product, &outcome, err, sizeof err) != 0) {
        fprintf(stderr, "particle-bridge: %s\n", err);
    }
}

/* Stores the SIM of a cellular device and its usage (two requests). A SIM the account does
 * not own leaves the DTO's Sim null; other failures are reported and do not stop the sync. */
static void sync_sim(particle_client *client, bridge_store *store, const char *id,
                     const char *product, const char *iccid, int64_t now)
{
    if (iccid == NULL || iccid[0] == '\0') {
        return;
    }
    char err[256];
    bridge_sim_outcome outcome;
    if (bridge_sim_sync(client, store, iccid, id, product, now, &outcome, err, sizeof err) != 0) {
        fprintf(stderr, "particle-bridge: %s\n", err);
    }
}

/* Records one device object of a listing (of @p product, NULL = the user scope). */
static int sync_device(particle_client *client, const char *product, const particle_value *dv,
                       bridge_store *store, bridge_writer *writer, const bridge_config *cfg,
                       int64_t now, bridge_sync_result *res)
{
    const char *id = particle_device_id(dv);
    if (id == NULL || id[0] == '\0') {
        return 0; /* nothing to key it by */
    }
    const particle_value *vars = particle_device_variables(dv);
    const particle_value *fns = particle_device_functions(dv);
    size_t nvars = vars ? particle_value_count(vars) : 0;
    size_t nfns = fns ? particle_value_count(fns) : 0;
    bridge_variable *bv = calloc(nvars ? nvars : 1, sizeof *bv);
    const char **fn_names = calloc(nfns ? nfns : 1, sizeof *fn_names);
    if (bv == NULL || fn_names == NULL) {
        free(bv);
        free(fn_names);
        return -1;
    }
    size_t nv = 0, nf = 0;
    for (size_t i = 0; i < nvars; i++) {
        const char *name = particle_value_key_at(vars, i);
        const char *type = particle_value_string(particle_value_at(vars, i));
        if (name != NULL && pu_strlcpy(bv[nv].name, name, sizeof bv[nv].name)) {
            pu_strlcpy(bv[nv].type, type ? type : "", sizeof bv[nv].type);
            nv++;
        }
    }
    for (size_t i = 0; i < nfns; i++) {
        const char *name = particle_value_string(particle_value_at(fns, i));
        if (name != NULL && strlen(name) < BRIDGE_NAME_SIZE) {
            fn_names[nf++] = name;
        }
    }
    const particle_value *last_app = particle_value_get(dv, "last_app");
    const particle_value *iccid = particle_value_get(dv, "iccid");
    long long last_heard = particle_device_last_heard_ms(dv);
    bool connected = particle_device_online(dv) == 1;
    bridge_cloud_device cd = {
        .particle_id = id,
        .name = particle_device_name(dv),
        .product_id = (int)particle_device_product_id(dv),
        .platform_id = (int)particle_device_platform_id(dv),
        .connected = connected,
        .last_app = last_app ? particle_value_string(last_app) : NULL,
        .last_heard_ms = last_heard > 0 ? last_heard : 0,
        .iccid = iccid ? particle_value_string(iccid) : NULL,
        .variables = bv,
        .variable_count = nv,
        .has_variables = vars != NULL,
        .functions = fn_names,
        .function_count = nf,
        .has_functions = fns != NULL,
    };
    bool created = false, changed = false;
    int rc = bridge_store_device_sync(store, &cd, &cfg->defaults, now, &created);
    if (rc == 0 && !created) {
        rc = bridge_store_device_set_connected(store, id, connected, now, &changed);
    }
    free(bv);
    free(fn_names);
    if (rc != 0) {
        return -1;
    }
    res->seen++;
    res->created += created;
    sync_vitals(client, store, id, product, connected, last_heard);
    sync_sim(client, store, id, product, iccid ? particle_value_string(iccid) : NULL, now);
    if (changed && writer != NULL) {
        /* The stream may have missed the spark/status event: notify from the flag. */
        bridge_device d;
        if (bridge_store_device_get(store, id, &d) == 0) {
            const bridge_notify_option *o = connected ? &d.online_notify : &d.offline_notify;
            if (o->post_status_message) {
                char *text = bridge_notify_text(o->message, d.name[0] ? d.name : id, id);
                if (text != NULL) {
                    bridge_writer_push_post(writer, id, connected ? "online" : "offline", "", text,
                                            now);
                    free(text);
                }
            }
            bridge_device_dispose(&d);
        }
    }
    return 0;
}

static void describe(char *err, size_t err_size, const char *what, const char *store_msg)
{
    const particle_error *e = particle_error_last();
    if (store_msg != NULL) {
        snprintf(err, err_size, "%s: %s", what, store_msg);
    } else if (e->http_status > 0) {
        snprintf(err, err_size, "%s: %s (HTTP %d)", what, e->message, e->http_status);
    } else {
        snprintf(err, err_size, "%s: %s", what, e->message);
    }
}

int bridge_sync_once(particle_client *client, bridge_store *store, bridge_writer *writer,
                     const bridge_config *cfg, bridge_sync_result *result, char *err,
                     size_t err_size)
{
    bridge_sync_result res = {0};
    int64_t started = pu_time_now_ms();
    if (cfg->user_scope) {
        particle_doc *doc = NULL;
        if (particle_devices_list(&doc, client, NULL) != 0) {
            describe(err, err_size, "listing the user's devices", NULL);
            return -1;
        }
        const particle_value *arr = particle_doc_root(doc);
        for (size_t i = 0; i < particle_value_count(arr); i++) {
            if (sync_device(client, NULL, particle_value_at(arr, i), store, writer, cfg, started,
                            &res) != 0) {
                describe(err, err_size, "storing a device", bridge_store_errmsg(store));
                particle_doc_free(doc);
                return -1;
            }
        }
        particle_doc_free(doc);
    }
    for (size_t p = 0; p < cfg->product_count; p++) {
        particle_device_list_options lo;
        particle_device_list_options_init(&lo, PARTICLE_DEVICE_LIST_OPTIONS_VERSION);
        lo.product = cfg->products[p];
        lo.per_page = 100;
        particle_device_iter *it = NULL;
        char what[128];
        snprintf(what, sizeof what, "listing the devices of product %s", cfg->products[p]);
        if (particle_device_iter_new(&it, client, &lo) != 0) {
            describe(err, err_size, what, NULL);
            return -1;
        }
        for (;;) {
            const particle_value *dv = NULL;
            if (particle_device_iter_next(&dv, it) != 0) {
                describe(err, err_size, what, NULL);
                particle_device_iter_free(it);
                return -1;
            }
            if (dv == NULL) {
                break;
            }
            if (sync_device(client, cfg->products[p], dv, store, writer, cfg, started, &res) != 0) {
                describe(err, err_size, "storing a device", bridge_store_errmsg(store));
                particle_device_iter_free(it);
                return -1;
            }
        }
        particle_device_iter_free(it);
    }
    /* Every scope was listed completely: what was not seen is gone from the cloud. */
    if (bridge_store_devices_mark_gone(store, -1, started, &res.gone) != 0) {
        describe(err, err_size, "marking devices gone", bridge_store_errmsg(store));
        return -1;
    }
    if (result != NULL) {
        *result = res;
    }
    return 0;
}
