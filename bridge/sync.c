#include "sync.h"

#include <particle/devices.h>
#include <particle/particle.h>
#include <particle/value.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_sync.h"
#include "pu_log.h"
#include "pu_str.h"
#include "pu_time.h"
#include "report_data_sync.h"
#include "sim_card_sync.h"
#include "vitals.h"

/* What one sync run carries from device to device. */
typedef struct sync_run {
    particle_client *client;
    bridge_store *store;
    bridge_writer *writer;
    bridge_budget *budget;
    bridge_sync_state *state;
    const bridge_config *cfg;
    char owner[BRIDGE_OWNER_SIZE]; /* this bridge's scope tag, stamped on what it syncs */
    int64_t started;
    bool device_skipped; /* the current device's details were cut short by the budget */
    char store_err[256]; /* why the writer refused the last command */
    bridge_sync_result res;
} sync_run;

/* Whether the device being recorded (the res.seen-th of this run, from 0) is in this run's share of
 * per-device details: a window of details_per_sync devices that moves on by as much each run, so a
 * large fleet is covered in turn instead of costing a request per device per sync. */
static bool in_details_window(const sync_run *run)
{
    size_t n = run->cfg->details_per_sync, total = run->state->last_seen;
    if (n == 0) {
        return false;
    }
    if (total == 0) {
        return run->res.seen < n; /* the first run does not know the fleet's size yet */
    }
    if (n >= total) {
        return true;
    }
    size_t offset = (run->res.seen % total + total - run->state->details_cursor % total) % total;
    return offset < n;
}

/* Takes @p requests from the budget for one optional detail, all or none; false (counted)
 * when the budget cannot cover them. */
static bool details_budget(sync_run *run, unsigned int requests)
{
    if (bridge_budget_take_n(run->budget, requests, NULL)) {
        return true;
    }
    /* counted once per device, whether its vitals, its SIM or both wait */
    run->res.details_skipped += !run->device_skipped;
    run->device_skipped = true;
    return false;
}

/* After a failed request: a 429 pauses everyone who draws on the budget. */
static void note_failure(sync_run *run, const char *err)
{
    bridge_budget_note_failure(run->budget);
    pu_log(PU_LOG_WARN, "sync", "%s", err);
}

/* The first time the bridge fetches a device's vitals, it stores the history the cloud kept
 * of them (one request); a setting remembers that it did, so it happens once per device. */
static void backfill_vitals(sync_run *run, const char *id, const char *product)
{
    char name[BRIDGE_ID_SIZE + 32], done[32], err[256];
    snprintf(name, sizeof name, "vitals_backfilled:%s", id);
    if (!run->cfg->report_data ||
        bridge_store_setting_get(run->store, name, done, sizeof done) != BRIDGE_STORE_NOTFOUND ||
        !details_budget(run, 1)) {
        return;
    }
    size_t stored = 0;
    particle_error_clear();
    if (bridge_vitals_backfill(run->client, run->writer, id, product, &stored, err, sizeof err) !=
        0) {
        note_failure(run, err);
        return;
    }
    char count[32];
    snprintf(count, sizeof count, "%zu", stored);
    if (bridge_writer_setting_put(run->writer, name, count, run->started, err, sizeof err) != 0) {
        pu_log(PU_LOG_WARN, "sync", "remembering the vitals backfill of %s: %s", id, err);
    }
}

/* Stores the device's last known vitals (one request). A device offline and never heard
 * from cannot have any: it is skipped. A failure is reported and does not stop the sync. */
static void sync_vitals(sync_run *run, const char *id, const char *product, bool connected,
                        long long last_heard)
{
    if ((!connected && last_heard <= 0) || !details_budget(run, 1)) {
        return;
    }
    char err[256];
    bridge_vitals_outcome outcome;
    particle_error_clear(); /* note_failure reads the record: no stale 429 from before */
    if (bridge_vitals_collect(run->client, run->writer, id, product, &outcome, err, sizeof err) !=
        0) {
        note_failure(run, err);
        return;
    }
    /* after the last vitals, so those keep their source "sync" */
    if (outcome != BRIDGE_VITALS_NONE) {
        backfill_vitals(run, id, product);
    }
}

/* Stores the SIM of a cellular device, its usage and network status (three requests). A SIM the
 * account does not own leaves the DTO's Sim null; other failures are reported and do not stop the
 * sync. */
static void sync_sim(sync_run *run, const char *id, const char *product, const char *iccid)
{
    if (iccid == NULL || iccid[0] == '\0' || !details_budget(run, 3)) {
        return;
    }
    char err[256];
    bridge_sim_card_outcome outcome;
    particle_error_clear();
    if (bridge_sim_card_sync(run->client, run->store, run->writer, iccid, id, product, run->started,
                             &outcome, err, sizeof err) != 0) {
        note_failure(run, err);
    }
}

/* A change of the connected flag seen by the sync (the stream may have missed the
 * spark/status event) goes the way of that event: through the writer and the normaliser,
 * which record it and post what the device's notification options ask for. */
static int note_connection(sync_run *run, const char *id, bool connected)
{
    bridge_event_in ev = {id,           "spark/status", connected ? "online" : "offline",
                          run->started, run->started,   "sync"};
    return bridge_writer_push_event(run->writer, &ev, NULL, NULL);
}

/* Records one device object of a listing (of @p product, NULL = the user scope). */
static int sync_device(sync_run *run, const char *product, const particle_value *dv)
{
    int64_t now = run->started;
    const char *id = particle_device_id(dv);
    if (id == NULL || id[0] == '\0') {
        return 0; /* nothing to key it by */
    }
    if (!bridge_partition_owns(&run->cfg->partition, id)) {
        return 0; /* another bridge's share of the fleet */
    }
    const particle_value *vars = particle_device_variables(dv);
    const particle_value *fns = particle_device_functions(dv);
    /* a product listing gives each device's groups: none listed means it is in none */
    const particle_value *groups = product != NULL ? particle_value_get(dv, "groups") : NULL;
    size_t nvars = vars ? particle_value_count(vars) : 0;
    size_t nfns = fns ? particle_value_count(fns) : 0;
    size_t ngroups = groups ? particle_value_count(groups) : 0;
    bridge_variable *bv = calloc(nvars ? nvars : 1, sizeof *bv);
    const char **fn_names = calloc(nfns ? nfns : 1, sizeof *fn_names);
    const char **group_names = calloc(ngroups ? ngroups : 1, sizeof *group_names);
    if (bv == NULL || fn_names == NULL || group_names == NULL) {
        free(bv);
        free(fn_names);
        free(group_names);
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
    size_t ng = 0;
    for (size_t i = 0; i < ngroups; i++) {
        const char *name = particle_value_string(particle_value_at(groups, i));
        if (name != NULL && name[0] != '\0') {
            group_names[ng++] = name;
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
        .owner = run->owner,
        .variables = bv,
        .variable_count = nv,
        .has_variables = vars != NULL,
        .functions = fn_names,
        .function_count = nf,
        .has_functions = fns != NULL,
        .groups = group_names,
        .group_count = ng,
        .has_groups = product != NULL,
        /* a product listing gives each device's firmware (cloud-api.md 5.1) */
        .firmware_version = particle_device_firmware_version(dv),
        .targeted_firmware_version = particle_device_targeted_firmware_release_version(dv),
        .desired_firmware_version = particle_device_desired_firmware_version(dv),
        .firmware_updates_enabled = particle_device_firmware_updates_enabled(dv),
        .firmware_updates_forced = particle_device_firmware_updates_forced(dv),
        .has_firmware = product != NULL,
    };
    bridge_device known;
    bool was_connected = connected;
    if (bridge_store_device_get(run->store, id, &known) == 0) {
        was_connected = known.connected;
        bridge_device_dispose(&known);
    }
    bool created = false;
    int rc = bridge_writer_device_sync(run->writer, &cd, &run->cfg->defaults, now, &created,
                                       run->store_err, sizeof run->store_err);
    if (rc == 0) { /* the whole object, for the Device Information report */
        rc = bridge_report_data_device(run->writer, dv, cd.product_id, now, run->store_err,
                                       sizeof run->store_err);
    }
    if (rc == 0 && !created && connected != was_connected) {
        rc = note_connection(run, id, connected);
        if (rc != 0) {
            snprintf(run->store_err, sizeof run->store_err, "the writer is stopping");
        }
    }
    free(bv);
    free(fn_names);
    free(group_names);
    if (rc != 0) {
        return -1;
    }
    if (in_details_window(run)) {
        run->res.details++;
        run->device_skipped = false;
        sync_vitals(run, id, product, connected, last_heard);
        sync_sim(run, id, product, iccid ? particle_value_string(iccid) : NULL);
    }
    run->res.seen++;
    run->res.created += created;
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

/* Takes one listing request from the budget, waiting for it a while. */
static bool listing_budget(sync_run *run, char *err, size_t err_size, const char *what)
{
    if (bridge_budget_take_wait(run->budget, BRIDGE_BUDGET_LISTING_WAIT_MS)) {
        return true;
    }
    snprintf(err, err_size, "%s: the request budget is spent (or the cloud asked to wait)", what);
    return false;
}

static int sync_user_scope(sync_run *run, char *err, size_t err_size)
{
    static const char what[] = "listing the user's devices";
    if (!listing_budget(run, err, err_size, what)) {
        return -1;
    }
    particle_doc *doc = NULL;
    if (particle_device_list(&doc, run->client, NULL) != 0) {
        describe(err, err_size, what, NULL);
        return -1;
    }
    const particle_value *arr = particle_doc_root(doc);
    int rc = 0;
    for (size_t i = 0; i < particle_value_count(arr) && rc == 0; i++) {
        if ((rc = sync_device(run, NULL, particle_value_at(arr, i))) != 0) {
            describe(err, err_size, "storing a device", run->store_err);
        }
    }
    particle_doc_free(doc);
    return rc;
}

static int sync_product(sync_run *run, const char *product, char *err, size_t err_size)
{
    enum { PER_PAGE = 100 };
    particle_device_list_options lo;
    particle_device_list_options_init(&lo, PARTICLE_DEVICE_LIST_OPTIONS_VERSION);
    lo.product = product;
    lo.per_page = PER_PAGE;
    particle_device_iter *it = NULL;
    char what[128];
    snprintf(what, sizeof what, "listing the devices of product %s", product);
    if (particle_device_iter_new(&it, run->client, &lo) != 0) {
        describe(err, err_size, what, NULL);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0; i++) {
        /* the iterator asks for the next page when the previous one is used up */
        if (i % PER_PAGE == 0 && !listing_budget(run, err, err_size, what)) {
            rc = -1;
            break;
        }
        const particle_value *dv = NULL;
        if (particle_device_iter_next(&dv, it) != 0) {
            describe(err, err_size, what, NULL);
            rc = -1;
        } else if (dv == NULL) {
            break;
        } else if (sync_device(run, product, dv) != 0) {
            describe(err, err_size, "storing a device", run->store_err);
            rc = -1;
        }
    }
    particle_device_iter_free(it);
    return rc;
}

int bridge_sync_once(particle_client *client, bridge_store *store, bridge_writer *writer,
                     bridge_budget *budget, bridge_sync_state *state, const bridge_config *cfg,
                     bridge_sync_result *result, char *err, size_t err_size)
{
    sync_run run = {.client = client,
                    .store = store,
                    .writer = writer,
                    .budget = budget,
                    .state = state,
                    .cfg = cfg,
                    .started = pu_time_now_ms()};
    bridge_config_scope_tag(cfg, run.owner, sizeof run.owner);
    if (cfg->user_scope && sync_user_scope(&run, err, err_size) != 0) {
        return -1;
    }
    for (size_t p = 0; p < cfg->product_count; p++) {
        if (sync_product(&run, cfg->products[p], err, err_size) != 0) {
            return -1;
        }
    }
    /* Every scope was listed completely: what was not seen is gone from the cloud. Devices
     * other bridges sync (another scope or partition on a shared database) are not ours. */
    if (bridge_writer_devices_mark_gone(writer, -1, run.owner, run.started, &run.res.gone,
                                        run.store_err, sizeof run.store_err) != 0) {
        describe(err, err_size, "marking devices gone", run.store_err);
        return -1;
    }
    /* products, customers and groups: refusals and failed listings do not fail the run */
    int fleet_rc = bridge_fleet_sync(client, writer, budget, cfg, run.owner, &state->fleet,
                                     &run.res.fleet, err, err_size);
    if (result != NULL) { /* the fleet's figures also of a failed run: the metrics count it */
        result->fleet = run.res.fleet;
    }
    if (fleet_rc != 0) {
        return -1;
    }
    if (run.res.seen > 0) {
        state->details_cursor = (state->details_cursor + cfg->details_per_sync) % run.res.seen;
    }
    state->last_seen = run.res.seen;
    if (result != NULL) {
        *result = run.res;
    }
    return 0;
}
