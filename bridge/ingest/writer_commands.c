/* The store's write functions as writer commands: each packs its arguments, runs the store
 * function on the writer's thread (bridge_writer_command) and hands back what it returned. */
#include "ingest/writer.h"

typedef struct device_sync_args {
    const bridge_cloud_device *cd;
    const bridge_device_defaults *defaults;
    int64_t now_ms;
    bool *created_out;
} device_sync_args;

static int run_device_sync(bridge_store *st, void *args)
{
    device_sync_args *a = args;
    return bridge_store_device_sync(st, a->cd, a->defaults, a->now_ms, a->created_out);
}

int bridge_writer_device_sync(bridge_writer *w, const bridge_cloud_device *cd,
                              const bridge_device_defaults *defaults, int64_t now_ms,
                              bool *created_out, char *err, size_t err_size)
{
    device_sync_args a = {cd, defaults, now_ms, created_out};
    return bridge_writer_command(w, run_device_sync, &a, cd->particle_id, err, err_size);
}

typedef struct mark_gone_args {
    int product_id;
    const char *owner;
    int64_t synced_before_ms;
    size_t *marked_out;
} mark_gone_args;

static int run_mark_gone(bridge_store *st, void *args)
{
    mark_gone_args *a = args;
    return bridge_store_devices_mark_gone(st, a->product_id, a->owner, a->synced_before_ms,
                                          a->marked_out);
}

int bridge_writer_devices_mark_gone(bridge_writer *w, int product_id, const char *owner,
                                    int64_t synced_before_ms, size_t *marked_out, char *err,
                                    size_t err_size)
{
    mark_gone_args a = {product_id, owner, synced_before_ms, marked_out};
    return bridge_writer_command(w, run_mark_gone, &a, NULL, err, err_size);
}

typedef struct settings_args {
    const char *particle_id;
    const bridge_settings_patch *patch;
} settings_args;

static int run_update_settings(bridge_store *st, void *args)
{
    settings_args *a = args;
    return bridge_store_device_update_settings(st, a->particle_id, a->patch);
}

int bridge_writer_device_update_settings(bridge_writer *w, const char *particle_id,
                                         const bridge_settings_patch *patch, char *err,
                                         size_t err_size)
{
    settings_args a = {particle_id, patch};
    return bridge_writer_command(w, run_update_settings, &a, particle_id, err, err_size);
}

typedef struct breaker_args {
    const char *particle_id;
    const bridge_breaker_state *state;
} breaker_args;

static int run_set_breaker(bridge_store *st, void *args)
{
    breaker_args *a = args;
    return bridge_store_device_set_breaker(st, a->particle_id, a->state);
}

int bridge_writer_device_set_breaker(bridge_writer *w, const char *particle_id,
                                     const bridge_breaker_state *state, char *err, size_t err_size)
{
    breaker_args a = {particle_id, state};
    return bridge_writer_command(w, run_set_breaker, &a, NULL, err, err_size);
}

static int run_sim_upsert(bridge_store *st, void *args)
{
    return bridge_store_sim_upsert(st, args);
}

int bridge_writer_sim_upsert(bridge_writer *w, const bridge_sim *sim, char *err, size_t err_size)
{
    /* the store takes the SIM as const; the command only passes it through */
    return bridge_writer_command(w, run_sim_upsert, (void *)sim, NULL, err, err_size);
}

typedef struct vitals_args {
    const bridge_vitals *v;
    bool *stored_out;
} vitals_args;

static int run_vitals_put(bridge_store *st, void *args)
{
    vitals_args *a = args;
    return bridge_store_vitals_put(st, a->v, a->stored_out);
}

int bridge_writer_vitals_put(bridge_writer *w, const bridge_vitals *v, bool *stored_out, char *err,
                             size_t err_size)
{
    vitals_args a = {v, stored_out};
    return bridge_writer_command(w, run_vitals_put, &a, NULL, err, err_size);
}

typedef struct products_args {
    const char *owner;
    const bridge_product *products;
    size_t count;
} products_args;

static int run_products_replace(bridge_store *st, void *args)
{
    products_args *a = args;
    return bridge_store_products_replace(st, a->owner, a->products, a->count);
}

int bridge_writer_products_replace(bridge_writer *w, const char *owner,
                                   const bridge_product *products, size_t count, char *err,
                                   size_t err_size)
{
    products_args a = {owner, products, count};
    return bridge_writer_command(w, run_products_replace, &a, NULL, err, err_size);
}

/* A product's customers or groups: the set and its product. */
typedef struct product_set_args {
    int product_id;
    const void *items;
    size_t count;
} product_set_args;

static int run_customers_replace(bridge_store *st, void *args)
{
    product_set_args *a = args;
    return bridge_store_customers_replace(st, a->product_id, a->items, a->count);
}

int bridge_writer_customers_replace(bridge_writer *w, int product_id,
                                    const bridge_customer *customers, size_t count, char *err,
                                    size_t err_size)
{
    product_set_args a = {product_id, customers, count};
    return bridge_writer_command(w, run_customers_replace, &a, NULL, err, err_size);
}

static int run_groups_replace(bridge_store *st, void *args)
{
    product_set_args *a = args;
    return bridge_store_groups_replace(st, a->product_id, a->items, a->count);
}

int bridge_writer_groups_replace(bridge_writer *w, int product_id, const bridge_group *groups,
                                 size_t count, char *err, size_t err_size)
{
    product_set_args a = {product_id, groups, count};
    return bridge_writer_command(w, run_groups_replace, &a, NULL, err, err_size);
}

static int run_product_firmware_replace(bridge_store *st, void *args)
{
    product_set_args *a = args;
    return bridge_store_product_firmware_replace(st, a->product_id, a->items, a->count);
}

int bridge_writer_product_firmware_replace(bridge_writer *w, int product_id,
                                           const bridge_product_firmware *firmware, size_t count,
                                           char *err, size_t err_size)
{
    product_set_args a = {product_id, firmware, count};
    return bridge_writer_command(w, run_product_firmware_replace, &a, NULL, err, err_size);
}

typedef struct snapshot_args {
    const char *name;
    const char *const *row_json;
    size_t count;
    int64_t now_ms;
} snapshot_args;

static int run_snapshot_replace(bridge_store *st, void *args)
{
    snapshot_args *a = args;
    return bridge_store_snapshot_replace(st, a->name, a->row_json, a->count, a->now_ms);
}

int bridge_writer_snapshot_replace(bridge_writer *w, const char *name, const char *const *row_json,
                                   size_t count, int64_t now_ms, char *err, size_t err_size)
{
    snapshot_args a = {name, row_json, count, now_ms};
    return bridge_writer_command(w, run_snapshot_replace, &a, NULL, err, err_size);
}
