/* The backend-independent half of the store: the call-through wrappers and record helpers. */
#include "store/store.h"

#include "store/postgres.h"

#include <stdlib.h>
#include <string.h>

void bridge_device_dispose(bridge_device *dev)
{
    if (dev == NULL) {
        return;
    }
    free(dev->variables);
    free(dev->functions);
    dev->variables = NULL;
    dev->variable_count = 0;
    dev->functions = NULL;
    dev->function_count = 0;
}

void bridge_device_list_free(bridge_device *devs, size_t count)
{
    if (devs == NULL) {
        return;
    }
    for (size_t i = 0; i < count; i++) {
        bridge_device_dispose(&devs[i]);
    }
    free(devs);
}

void bridge_sim_dispose(bridge_sim *sim)
{
    if (sim == NULL) {
        return;
    }
    free(sim->usage);
    sim->usage = NULL;
    sim->usage_count = 0;
}

bridge_store *bridge_store_open(const char *database, char *err, size_t err_size)
{
    if (bridge_store_is_postgres_uri(database)) {
        return bridge_store_open_postgres(database, err, err_size);
    }
    return bridge_store_open_sqlite(database, err, err_size);
}

void bridge_store_close(bridge_store *st)
{
    if (st != NULL) {
        st->ops->close(st);
    }
}

const char *bridge_store_errmsg(const bridge_store *st)
{
    return st->ops->errmsg(st);
}

int bridge_store_device_sync(bridge_store *st, const bridge_cloud_device *cd,
                             const bridge_device_defaults *defaults, int64_t now_ms,
                             bool *created_out)
{
    return st->ops->device_sync(st, cd, defaults, now_ms, created_out);
}

int bridge_store_devices_mark_gone(bridge_store *st, int product_id, const char *owner,
                                   int64_t synced_before_ms, size_t *marked_out)
{
    return st->ops->devices_mark_gone(st, product_id, owner, synced_before_ms, marked_out);
}

int bridge_store_device_get(bridge_store *st, const char *particle_id, bridge_device *out)
{
    return st->ops->device_get(st, particle_id, out);
}

int bridge_store_device_list(bridge_store *st, bridge_device **out, size_t *count_out)
{
    return st->ops->device_list(st, out, count_out);
}

int bridge_store_device_update_settings(bridge_store *st, const char *particle_id,
                                        const bridge_settings_patch *patch)
{
    return st->ops->device_update_settings(st, particle_id, patch);
}

int bridge_store_device_set_breaker(bridge_store *st, const char *particle_id,
                                    const bridge_breaker_state *state)
{
    return st->ops->device_set_breaker(st, particle_id, state);
}

int bridge_store_device_set_connected(bridge_store *st, const char *particle_id, bool connected,
                                      int64_t ts_ms, bool *changed_out)
{
    return st->ops->device_set_connected(st, particle_id, connected, ts_ms, changed_out);
}

int bridge_store_sim_upsert(bridge_store *st, const bridge_sim *sim)
{
    return st->ops->sim_upsert(st, sim);
}

int bridge_store_sim_get(bridge_store *st, const char *iccid, bridge_sim *out)
{
    return st->ops->sim_get(st, iccid, out);
}

int bridge_store_write_batch(bridge_store *st, const bridge_record *recs, size_t count,
                             bridge_write_result *result)
{
    return st->ops->write_batch(st, recs, count, result);
}

int bridge_store_measurements_query(bridge_store *st, const bridge_query *q,
                                    bridge_measurement_fn *cb, void *payload)
{
    return st->ops->measurements_query(st, q, cb, payload);
}

int bridge_store_latest_measurements(bridge_store *st, const char *device_id,
                                     bridge_measurement_fn *cb, void *payload)
{
    return st->ops->latest_measurements(st, device_id, cb, payload);
}

int bridge_store_status_posts_query(bridge_store *st, const bridge_query *q,
                                    bridge_status_post_fn *cb, void *payload)
{
    return st->ops->status_posts_query(st, q, cb, payload);
}

int bridge_store_cursor_get(bridge_store *st, const char *stream, char *out, size_t out_size)
{
    return st->ops->cursor_get(st, stream, out, out_size);
}

int bridge_store_stats(bridge_store *st, bridge_store_counts *out)
{
    return st->ops->stats(st, out);
}

int bridge_store_vitals_put(bridge_store *st, const bridge_vitals *v, bool *stored_out)
{
    return st->ops->vitals_put(st, v, stored_out);
}

int bridge_store_vitals_last(bridge_store *st, const char *device_id, bridge_vitals_fn *cb,
                             void *payload)
{
    return st->ops->vitals_last(st, device_id, cb, payload);
}

int bridge_store_vitals_history(bridge_store *st, const bridge_query *q, bridge_vitals_fn *cb,
                                void *payload)
{
    return st->ops->vitals_history(st, q, cb, payload);
}
