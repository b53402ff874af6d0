/* The store's domain layer: devices (sync from the cloud, settings, breaker, connected) and
 * SIMs. */
#include "store/domain.h"

#include <stdlib.h>
#include <string.h>

#include "pu_str.h"

/* ---- reading devices ---- */

/* One row of BRIDGE_DEVICE_COLUMNS. */
static void read_device_row(bridge_store *st, bridge_stmt *s, bridge_device *d)
{
    const bridge_driver *dv = st->drv;
    memset(d, 0, sizeof *d);
    bridge_db_column_copy(st, s, 0, d->particle_id, sizeof d->particle_id);
    bridge_db_column_copy(st, s, 1, d->name, sizeof d->name);
    d->product_id = (int)dv->column_int(s, 2);
    d->platform_id = (int)dv->column_int(s, 3);
    d->check_interval_ms = dv->column_int(s, 4);
    d->date_added_ms = dv->column_int(s, 5);
    d->connected = dv->column_bool(s, 6);
    d->enabled = dv->column_bool(s, 7);
    bridge_db_column_copy(st, s, 8, d->last_app, sizeof d->last_app);
    d->last_heard_ms = dv->column_int(s, 9);
    d->publish_unknown_as_measurements = dv->column_bool(s, 10);
    d->publish_unknown_as_status_posts = dv->column_bool(s, 11);
    d->online_notify.post_status_message = dv->column_bool(s, 12);
    bridge_db_column_copy(st, s, 13, d->online_notify.message, sizeof d->online_notify.message);
    d->offline_notify.post_status_message = dv->column_bool(s, 14);
    bridge_db_column_copy(st, s, 15, d->offline_notify.message, sizeof d->offline_notify.message);
    d->fault_count = (int)dv->column_int(s, 16);
    d->faulted = dv->column_bool(s, 17);
    d->breaker_reset_at_ms = dv->column_int(s, 18);
    d->breaker_trips = (int)dv->column_int(s, 19);
    d->ignore_rename = dv->column_bool(s, 20);
    bridge_db_column_copy(st, s, 21, d->iccid, sizeof d->iccid);
    d->gone = dv->column_bool(s, 22);
    bridge_db_column_copy(st, s, 23, d->owner, sizeof d->owner);
}

static int load_device_children(bridge_store *st, bridge_device *d)
{
    bridge_value id[] = {bridge_v_text(d->particle_id)};
    bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_VAR_SELECT_DEV, id, 1);
    size_t cap = 0;
    int rc = BRIDGE_STORE_ERROR;
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    while ((rc = st->drv->step(s)) == BRIDGE_ROW) {
        if (!bridge_db_grow((void **)&d->variables, &cap, d->variable_count,
                            sizeof *d->variables)) {
            st->drv->reset(s);
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "out of memory");
        }
        bridge_variable *v = &d->variables[d->variable_count++];
        memset(v, 0, sizeof *v);
        bridge_db_column_copy(st, s, 0, v->name, sizeof v->name);
        bridge_db_column_copy(st, s, 1, v->type, sizeof v->type);
        v->enabled = st->drv->column_bool(s, 2);
        v->check_interval_ms = st->drv->column_int(s, 3);
        bridge_db_column_copy(st, s, 4, v->unit, sizeof v->unit);
    }
    st->drv->reset(s);
    if (rc != BRIDGE_DONE || (s = bridge_db_query(st, BRIDGE_STMT_FN_SELECT_DEV, id, 1)) == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    cap = 0;
    while ((rc = st->drv->step(s)) == BRIDGE_ROW) {
        if (!bridge_db_grow((void **)&d->functions, &cap, d->function_count,
                            sizeof *d->functions)) {
            st->drv->reset(s);
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "out of memory");
        }
        bridge_db_column_copy(st, s, 0, d->functions[d->function_count++], BRIDGE_NAME_SIZE);
    }
    st->drv->reset(s);
    return rc == BRIDGE_DONE ? 0 : BRIDGE_STORE_ERROR;
}

int bridge_store_device_get(bridge_store *st, const char *particle_id, bridge_device *out)
{
    memset(out, 0, sizeof *out);
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_value id[] = {bridge_v_text(particle_id)};
    bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_DEV_SELECT_ONE, id, 1);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        int rc = st->drv->step(s);
        if (rc == BRIDGE_ROW) {
            read_device_row(st, s, out);
        } else if (rc == BRIDGE_DONE) {
            error = bridge_db_fail(st, BRIDGE_STORE_NOTFOUND, "device %s not found", particle_id);
        }
        st->drv->reset(s);
        if (rc == BRIDGE_ROW) {
            error = load_device_children(st, out);
        }
    }
    bridge_db_leave(st);
    if (error != 0) {
        bridge_device_dispose(out);
    }
    return error;
}

/* The devices statement @p id selects (DEVICE_COLUMNS), each with its variables and functions. */
static int devices_from(bridge_store *st, bridge_stmt_id id, const bridge_value *p, int n,
                        bridge_device **out, size_t *count_out)
{
    bridge_device *devs = NULL;
    size_t count = 0, cap = 0;
    int error = BRIDGE_STORE_ERROR;
    *out = NULL;
    *count_out = 0;
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_stmt *s = bridge_db_query(st, id, p, n);
    if (s == NULL) {
        goto done;
    }
    int rc;
    while ((rc = st->drv->step(s)) == BRIDGE_ROW) {
        if (!bridge_db_grow((void **)&devs, &cap, count, sizeof *devs)) {
            rc = bridge_db_fail(st, BRIDGE_STORE_ERROR, "out of memory");
            break;
        }
        read_device_row(st, s, &devs[count++]);
    }
    st->drv->reset(s);
    if (rc != BRIDGE_DONE) {
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        if (load_device_children(st, &devs[i]) != 0) {
            goto done;
        }
    }
    *out = devs;
    *count_out = count;
    devs = NULL;
    error = 0;
done:
    bridge_db_leave(st);
    bridge_device_list_free(devs, count);
    return error;
}

int bridge_store_device_list(bridge_store *st, bridge_device **out, size_t *count_out)
{
    return devices_from(st, BRIDGE_STMT_DEV_SELECT_ALL, NULL, 0, out, count_out);
}

static bridge_value tristate(int v)
{
    return v < 0 ? (bridge_value){.type = BRIDGE_VALUE_NULL} : bridge_v_bool(v != 0);
}

int bridge_store_devices_page(bridge_store *st, const bridge_device_page_query *q,
                              bridge_device **out, size_t *count_out)
{
    bridge_value key = q->by_last_heard ? bridge_v_int(q->after ? q->key_last_heard : INT64_MAX)
                                        : bridge_v_text(q->after ? q->key_name : "");
    bridge_value p[] = {
        bridge_v_text(q->product),
        bridge_v_text(q->group),
        tristate(q->connected),
        tristate(q->faulted),
        tristate(q->gone),
        bridge_v_count_or_null(q->platform_id),
        bridge_v_text(q->name_prefix),
        key,
        bridge_v_text(q->after && q->key_id != NULL ? q->key_id : ""),
        bridge_v_int(q->limit > 0 ? q->limit : BRIDGE_DEFAULT_QUERY_LIMIT),
    };
    return devices_from(st,
                        q->by_last_heard ? BRIDGE_STMT_DEV_PAGE_HEARD : BRIDGE_STMT_DEV_PAGE_NAME,
                        p, BRIDGE_NPARAMS(p), out, count_out);
}

/* ---- sync from the cloud ---- */

static int sync_variables(bridge_store *st, const bridge_cloud_device *cd)
{
    /* Remove the variables the cloud no longer lists, keep the settings of the others. */
    bridge_device current = {0};
    pu_strlcpy(current.particle_id, cd->particle_id, sizeof current.particle_id);
    int error = load_device_children(st, &current);
    for (size_t i = 0; error == 0 && i < current.variable_count; i++) {
        bool listed = false;
        for (size_t j = 0; j < cd->variable_count && !listed; j++) {
            listed = strcmp(current.variables[i].name, cd->variables[j].name) == 0;
        }
        if (!listed) {
            bridge_value p[] = {bridge_v_text(cd->particle_id),
                                bridge_v_text(current.variables[i].name)};
            error = bridge_db_run(st, BRIDGE_STMT_VAR_DELETE, p, BRIDGE_NPARAMS(p), NULL);
        }
    }
    bridge_device_dispose(&current);
    for (size_t j = 0; error == 0 && j < cd->variable_count; j++) {
        bridge_value p[] = {bridge_v_text(cd->particle_id), bridge_v_text(cd->variables[j].name),
                            bridge_v_text(cd->variables[j].type)};
        error = bridge_db_run(st, BRIDGE_STMT_VAR_UPSERT, p, BRIDGE_NPARAMS(p), NULL);
    }
    return error;
}

static int sync_functions(bridge_store *st, const bridge_cloud_device *cd)
{
    bridge_value id[] = {bridge_v_text(cd->particle_id)};
    int error = bridge_db_run(st, BRIDGE_STMT_FN_DELETE_DEV, id, 1, NULL);
    for (size_t i = 0; error == 0 && i < cd->function_count; i++) {
        bridge_value p[] = {bridge_v_text(cd->particle_id), bridge_v_text(cd->functions[i])};
        error = bridge_db_run(st, BRIDGE_STMT_FN_INSERT, p, BRIDGE_NPARAMS(p), NULL);
    }
    return error;
}

static int device_sync_locked(bridge_store *st, const bridge_cloud_device *cd,
                              const bridge_device_defaults *df, int64_t now_ms, bool *created)
{
    bridge_value insert[] = {
        bridge_v_text(cd->particle_id),
        bridge_v_text(cd->name ? cd->name : ""),
        bridge_v_int(cd->product_id),
        bridge_v_int(cd->platform_id),
        bridge_v_int(df->check_interval_ms),
        bridge_v_int(now_ms),
        bridge_v_bool(cd->connected),
        bridge_v_bool(df->enabled),
        bridge_v_text(cd->last_app ? cd->last_app : ""),
        bridge_v_int(cd->last_heard_ms),
        bridge_v_bool(df->publish_unknown_as_measurements),
        bridge_v_bool(df->publish_unknown_as_status_posts),
        bridge_v_bool(df->online_notify.post_status_message),
        bridge_v_text(df->online_notify.message),
        bridge_v_bool(df->offline_notify.post_status_message),
        bridge_v_text(df->offline_notify.message),
        bridge_v_text(cd->iccid ? cd->iccid : ""),
        bridge_v_text(cd->owner ? cd->owner : ""),
    };
    uint64_t inserted = 0;
    int error =
        bridge_db_run(st, BRIDGE_STMT_DEV_INSERT, insert, BRIDGE_NPARAMS(insert), &inserted);
    if (error != 0) {
        return error;
    }
    *created = inserted > 0;
    if (!*created) {
        /* Known: the cloud's facts change, the operator's settings stay. */
        bridge_value update[] = {
            bridge_v_text(cd->particle_id),
            bridge_v_text(cd->name ? cd->name : ""),
            bridge_v_int(cd->product_id),
            bridge_v_int(cd->platform_id),
            bridge_v_text(cd->last_app),
            bridge_v_int(cd->last_heard_ms),
            bridge_v_text(cd->iccid),
            bridge_v_int(now_ms),
            bridge_v_text(cd->owner ? cd->owner : ""),
        };
        error =
            bridge_db_run(st, BRIDGE_STMT_DEV_UPDATE_SYNC, update, BRIDGE_NPARAMS(update), NULL);
    }
    if (error == 0 && cd->has_variables) {
        error = sync_variables(st, cd);
    }
    if (error == 0 && cd->has_functions) {
        error = sync_functions(st, cd);
    }
    if (error == 0 && cd->has_groups) {
        error = bridge_db_device_groups_replace(st, cd->particle_id, cd->groups, cd->group_count);
    }
    if (error == 0) {
        error = bridge_db_device_firmware_sync(st, cd, now_ms);
    }
    return error;
}

int bridge_store_device_sync(bridge_store *st, const bridge_cloud_device *cd,
                             const bridge_device_defaults *defaults, int64_t now_ms,
                             bool *created_out)
{
    if (cd->particle_id == NULL || cd->particle_id[0] == '\0') {
        return bridge_db_fail(st, BRIDGE_STORE_ERROR, "device without id");
    }
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bool created = false;
    int error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(st, device_sync_locked(st, cd, defaults, now_ms, &created));
    }
    bridge_db_leave(st);
    if (error == 0 && created_out != NULL) {
        *created_out = created;
    }
    return error;
}

int bridge_store_devices_mark_gone(bridge_store *st, int product_id, const char *owner,
                                   int64_t synced_before_ms, size_t *marked_out)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    /* owner NULL binds NULL: any owner */
    bridge_value p[] = {bridge_v_int(product_id), bridge_v_int(synced_before_ms),
                        bridge_v_text(owner)};
    uint64_t marked = 0;
    int error = bridge_db_run(st, BRIDGE_STMT_DEV_MARK_GONE, p, BRIDGE_NPARAMS(p), &marked);
    bridge_db_leave(st);
    if (error == 0 && marked_out != NULL) {
        *marked_out = (size_t)marked;
    }
    return error;
}

/* ---- settings, breaker, connected ---- */

static int update_settings_locked(bridge_store *st, const char *id, const bridge_settings_patch *p)
{
    bridge_value dev[] = {
        bridge_v_text(id),
        bridge_v_bool(p->has_check_interval),
        bridge_v_int(p->check_interval_ms),
        bridge_v_bool(p->has_enabled),
        bridge_v_bool(p->enabled),
        bridge_v_bool(p->has_publish_measurements),
        bridge_v_bool(p->publish_unknown_as_measurements),
        bridge_v_bool(p->has_publish_status_posts),
        bridge_v_bool(p->publish_unknown_as_status_posts),
        bridge_v_bool(p->has_online_notify),
        bridge_v_bool(p->online_notify.post_status_message),
        bridge_v_text(p->online_notify.message),
        bridge_v_bool(p->has_offline_notify),
        bridge_v_bool(p->offline_notify.post_status_message),
        bridge_v_text(p->offline_notify.message),
        bridge_v_bool(p->has_ignore_rename),
        bridge_v_bool(p->ignore_rename),
    };
    uint64_t changed = 0;
    int error =
        bridge_db_run(st, BRIDGE_STMT_DEV_UPDATE_SETTINGS, dev, BRIDGE_NPARAMS(dev), &changed);
    if (error == 0 && changed == 0) {
        return bridge_db_fail(st, BRIDGE_STORE_NOTFOUND, "device %s not found", id);
    }
    for (size_t i = 0; error == 0 && i < p->variable_count; i++) {
        const bridge_variable_patch *v = &p->variables[i];
        bridge_value var[] = {bridge_v_text(id),
                              bridge_v_text(v->name),
                              bridge_v_bool(v->has_enabled),
                              bridge_v_bool(v->enabled),
                              bridge_v_bool(v->has_check_interval),
                              bridge_v_int(v->check_interval_ms),
                              bridge_v_bool(v->has_unit),
                              bridge_v_text(v->unit ? v->unit : "")};
        error =
            bridge_db_run(st, BRIDGE_STMT_VAR_UPDATE_SETTINGS, var, BRIDGE_NPARAMS(var), &changed);
        if (error == 0 && changed == 0) {
            return bridge_db_fail(st, BRIDGE_STORE_NOTFOUND, "device %s has no variable %s", id,
                                  v->name);
        }
    }
    return error;
}

int bridge_store_device_update_settings(bridge_store *st, const char *particle_id,
                                        const bridge_settings_patch *patch)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(st, update_settings_locked(st, particle_id, patch));
    }
    bridge_db_leave(st);
    return error;
}

int bridge_store_device_set_breaker(bridge_store *st, const char *particle_id,
                                    const bridge_breaker_state *b)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_value p[] = {bridge_v_text(particle_id), bridge_v_int(b->fault_count),
                        bridge_v_bool(b->faulted), bridge_v_int(b->reset_at_ms),
                        bridge_v_int(b->trips)};
    uint64_t changed = 0;
    int error = bridge_db_run(st, BRIDGE_STMT_DEV_SET_BREAKER, p, BRIDGE_NPARAMS(p), &changed);
    if (error == 0 && changed == 0) {
        error = bridge_db_fail(st, BRIDGE_STORE_NOTFOUND, "device %s not found", particle_id);
    }
    bridge_db_leave(st);
    return error;
}

static int set_connected_locked(bridge_store *st, const char *id, bool connected, int64_t ts_ms,
                                bool *changed_out)
{
    bridge_value flag[] = {bridge_v_text(id), bridge_v_bool(connected)};
    uint64_t changed = 0;
    int error =
        bridge_db_run(st, BRIDGE_STMT_DEV_SET_CONNECTED, flag, BRIDGE_NPARAMS(flag), &changed);
    if (error == 0 && changed > 0) {
        bridge_value history[] = {bridge_v_text(id), bridge_v_int(ts_ms), bridge_v_bool(connected),
                                  bridge_v_text("sync")};
        error = bridge_db_run(st, BRIDGE_STMT_CONN_INSERT, history, BRIDGE_NPARAMS(history), NULL);
    }
    *changed_out = error == 0 && changed > 0;
    return error;
}

int bridge_store_device_set_connected(bridge_store *st, const char *particle_id, bool connected,
                                      int64_t ts_ms, bool *changed_out)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bool changed = false;
    int error = bridge_db_begin(st);
    if (error == 0) {
        error =
            bridge_db_finish(st, set_connected_locked(st, particle_id, connected, ts_ms, &changed));
    }
    bridge_db_leave(st);
    if (changed_out != NULL) {
        *changed_out = error == 0 && changed;
    }
    return error;
}

/* ---- SIMs ---- */

static int sim_upsert_locked(bridge_store *st, const bridge_sim *sim)
{
    bridge_value p[] = {
        bridge_v_text(sim->iccid),
        bridge_v_text(sim->device_id),
        bridge_v_text(sim->base_country_code),
        bridge_v_real(sim->base_monthly_rate),
        bridge_v_real(sim->overage_monthly_rate),
        bridge_v_int(sim->first_activated_on_ms),
        bridge_v_int(sim->last_activated_on_ms),
        bridge_v_text(sim->imsi),
        bridge_v_real(sim->limit_mb),
        bridge_v_text(sim->status),
        bridge_v_text(sim->carrier),
        bridge_v_text(sim->last_status_change_action),
        bridge_v_text(sim->last_status_change_action_error),
        bridge_v_int(sim->last_updated_ms),
        bridge_v_int(sim->date_added_ms),
        bridge_v_int(sim->network.connected),
        bridge_v_int(sim->network.gsm),
        bridge_v_int(sim->network.data),
        bridge_v_int(sim->network.checked_ms),
    };
    int error = bridge_db_run(st, BRIDGE_STMT_SIM_UPSERT, p, BRIDGE_NPARAMS(p), NULL);
    for (size_t i = 0; error == 0 && i < sim->usage_count; i++) {
        bridge_value u[] = {bridge_v_text(sim->iccid), bridge_v_int(sim->usage[i].date_ms),
                            bridge_v_real(sim->usage[i].used_mb),
                            bridge_v_real(sim->usage[i].cumulative_mb)};
        error = bridge_db_run(st, BRIDGE_STMT_SIM_USAGE_UPSERT, u, BRIDGE_NPARAMS(u), NULL);
    }
    return error;
}

int bridge_store_sim_upsert(bridge_store *st, const bridge_sim *sim)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(st, sim_upsert_locked(st, sim));
    }
    bridge_db_leave(st);
    return error;
}

/* One row of BRIDGE_SIM_COLUMNS. */
static void read_sim_row(bridge_store *st, bridge_stmt *s, bridge_sim *out)
{
    const bridge_driver *dv = st->drv;
    bridge_db_column_copy(st, s, 0, out->iccid, sizeof out->iccid);
    bridge_db_column_copy(st, s, 1, out->device_id, sizeof out->device_id);
    bridge_db_column_copy(st, s, 2, out->base_country_code, sizeof out->base_country_code);
    out->base_monthly_rate = dv->column_real(s, 3);
    out->overage_monthly_rate = dv->column_real(s, 4);
    out->first_activated_on_ms = dv->column_int(s, 5);
    out->last_activated_on_ms = dv->column_int(s, 6);
    bridge_db_column_copy(st, s, 7, out->imsi, sizeof out->imsi);
    out->limit_mb = dv->column_real(s, 8);
    bridge_db_column_copy(st, s, 9, out->status, sizeof out->status);
    bridge_db_column_copy(st, s, 10, out->carrier, sizeof out->carrier);
    bridge_db_column_copy(st, s, 11, out->last_status_change_action,
                          sizeof out->last_status_change_action);
    bridge_db_column_copy(st, s, 12, out->last_status_change_action_error,
                          sizeof out->last_status_change_action_error);
    out->last_updated_ms = dv->column_int(s, 13);
    out->date_added_ms = dv->column_int(s, 14);
    out->network.connected = (int)dv->column_int(s, 15);
    out->network.gsm = (int)dv->column_int(s, 16);
    out->network.data = (int)dv->column_int(s, 17);
    out->network.checked_ms = dv->column_int(s, 18);
}

static int sim_get_locked(bridge_store *st, const char *iccid, bridge_sim *out)
{
    bridge_value id[] = {bridge_v_text(iccid)};
    bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_SIM_SELECT, id, 1);
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    int rc = st->drv->step(s);
    if (rc == BRIDGE_ROW) {
        read_sim_row(st, s, out);
    }
    st->drv->reset(s);
    if (rc != BRIDGE_ROW) {
        return rc == BRIDGE_DONE
                   ? bridge_db_fail(st, BRIDGE_STORE_NOTFOUND, "sim %s not found", iccid)
                   : BRIDGE_STORE_ERROR;
    }
    if ((s = bridge_db_query(st, BRIDGE_STMT_SIM_USAGE_SELECT, id, 1)) == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    size_t cap = 0;
    while ((rc = st->drv->step(s)) == BRIDGE_ROW) {
        if (!bridge_db_grow((void **)&out->usage, &cap, out->usage_count, sizeof *out->usage)) {
            rc = bridge_db_fail(st, BRIDGE_STORE_ERROR, "out of memory");
            break;
        }
        bridge_sim_usage *u = &out->usage[out->usage_count++];
        u->date_ms = st->drv->column_int(s, 0);
        u->used_mb = st->drv->column_real(s, 1);
        u->cumulative_mb = st->drv->column_real(s, 2);
    }
    st->drv->reset(s);
    return rc == BRIDGE_DONE ? 0 : BRIDGE_STORE_ERROR;
}

int bridge_store_sim_get(bridge_store *st, const char *iccid, bridge_sim *out)
{
    memset(out, 0, sizeof *out);
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = sim_get_locked(st, iccid, out);
    bridge_db_leave(st);
    if (error != 0) {
        bridge_sim_dispose(out);
    }
    return error;
}
