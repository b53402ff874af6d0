#include "report_data_sync.h"

#include <jansson.h>
#include <particle/error.h>
#include <particle/sims.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_PAGE 100

typedef struct put_args {
    const bridge_cloud_object *objects;
    size_t count;
    const char *replace_kind; /* NULL = upsert only */
    int replace_product;
    int64_t synced_before_ms;
} put_args;

static int run_put(bridge_store *st, void *args)
{
    const put_args *a = args;
    return bridge_store_objects_put(st, a->objects, a->count, a->replace_kind, a->replace_product,
                                    a->synced_before_ms);
}

static int put(bridge_writer *w, const put_args *a, char *err, size_t err_size)
{
    return bridge_writer_command(w, run_put, (void *)a, NULL, err, err_size) == 0
               ? 0
               : BRIDGE_REPORT_DATA_STORE_FAILED;
}

static int out_of_memory(char *err, size_t err_size)
{
    snprintf(err, err_size, "out of memory");
    return BRIDGE_REPORT_DATA_STORE_FAILED;
}

/* @p v as compact JSON text without @p drop (a key to leave out, or NULL); malloc'd. */
static char *json_without(const particle_value *v, const char *drop)
{
    char *text = NULL;
    if (particle_value_to_json(&text, v, 0) != 0) {
        return NULL;
    }
    json_t *j = json_loads(text, 0, NULL);
    particle_free(text);
    if (j == NULL) {
        return NULL;
    }
    if (drop != NULL) {
        json_object_del(j, drop);
    }
    char *out = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return out;
}

int bridge_report_data_device(bridge_writer *w, const particle_value *device, int product_id,
                              int64_t now_ms, char *err, size_t err_size)
{
    const char *id = particle_value_string(particle_value_get(device, "id"));
    if (id == NULL || id[0] == '\0') {
        return 0;
    }
    char *json = json_without(device, "mobile_secret"); /* a secret: not for reports */
    if (json == NULL) {
        return out_of_memory(err, err_size);
    }
    bridge_cloud_object o = {BRIDGE_OBJECT_DEVICE, id, product_id, json, now_ms};
    put_args a = {.objects = &o, .count = 1};
    int rc = put(w, &a, err, err_size);
    free(json);
    return rc;
}

/* The objects of one listing, their texts owned. */
typedef struct object_set {
    bridge_cloud_object *items;
    char **texts; /* two per item: key and JSON */
    size_t count, cap;
} object_set;

static void set_free(object_set *set)
{
    for (size_t i = 0; i < 2 * set->count; i++) {
        free(set->texts[i]);
    }
    free(set->items);
    free(set->texts);
}

/* Adds a copy of @p key and the JSON of @p v. False when out of memory. */
static bool set_add(object_set *set, const char *kind, const char *key, const particle_value *v,
                    int product_id, int64_t now_ms)
{
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        bridge_cloud_object *items = realloc(set->items, cap * sizeof *items);
        if (items != NULL) {
            set->items = items;
        }
        char **texts = items != NULL ? realloc(set->texts, 2 * cap * sizeof *texts) : NULL;
        if (texts == NULL) {
            return false;
        }
        set->texts = texts;
        set->cap = cap;
    }
    char *k = strdup(key), *json = json_without(v, NULL);
    if (k == NULL || json == NULL) {
        free(k);
        free(json);
        return false;
    }
    set->texts[2 * set->count] = k;
    set->texts[2 * set->count + 1] = json;
    set->items[set->count++] = (bridge_cloud_object){kind, k, product_id, json, now_ms};
    return true;
}

int bridge_report_data_sims(particle_client *client, bridge_writer *w, const char *product,
                            int product_id, int64_t now_ms, size_t *count_out, char *err,
                            size_t err_size)
{
    particle_sim_list_options lo;
    particle_sim_list_options_init(&lo, PARTICLE_SIM_LIST_OPTIONS_VERSION);
    lo.product = product;
    lo.per_page = SIM_PAGE;
    particle_sim_iter *it = NULL;
    int rc = particle_sim_iter_new(&it, client, &lo);
    if (rc != 0) {
        return rc;
    }
    object_set set = {0};
    const particle_value *sim = NULL;
    while ((rc = particle_sim_iter_next(&sim, it)) == 0 && sim != NULL) {
        const char *iccid = particle_value_string(particle_value_get(sim, "iccid"));
        if (iccid == NULL || iccid[0] == '\0') {
            continue;
        }
        if (!set_add(&set, BRIDGE_OBJECT_SIM, iccid, sim, product_id, now_ms)) {
            rc = out_of_memory(err, err_size);
            break;
        }
    }
    particle_sim_iter_free(it);
    if (rc == 0) {
        put_args a = {set.items, set.count, BRIDGE_OBJECT_SIM, product_id, now_ms};
        rc = put(w, &a, err, err_size);
        *count_out = set.count;
    }
    set_free(&set);
    return rc;
}

int bridge_report_data_fleet_usage(particle_client *client, bridge_writer *w, const char *product,
                                   int product_id, int64_t now_ms, size_t *count_out, char *err,
                                   size_t err_size)
{
    particle_doc *doc = NULL;
    int rc = particle_product_sims_data_usage(&doc, client, product);
    if (rc != 0) {
        return rc;
    }
    const particle_value *days = particle_value_get(particle_doc_root(doc), "usage_by_day");
    object_set set = {0};
    for (size_t i = 0; rc == 0 && i < particle_value_count(days); i++) {
        const particle_value *day = particle_value_at(days, i);
        const char *date = particle_value_string(particle_value_get(day, "date"));
        char key[96];
        if (date == NULL || date[0] == '\0') {
            continue;
        }
        snprintf(key, sizeof key, "%d:%s", product_id, date);
        if (!set_add(&set, BRIDGE_OBJECT_FLEET_USAGE, key, day, product_id, now_ms)) {
            rc = out_of_memory(err, err_size);
        }
    }
    particle_doc_free(doc);
    if (rc == 0) {
        put_args a = {set.items, set.count, BRIDGE_OBJECT_FLEET_USAGE, product_id, now_ms};
        rc = put(w, &a, err, err_size);
        *count_out = set.count;
    }
    set_free(&set);
    return rc;
}
