/* SenML packs filled from the store (senml_store.h). */
#include <stdlib.h>
#include <string.h>

#include "api/senml_store.h"
#include "pu_str.h"

/* The devices met so far while describing one pack, each loaded once. */
typedef struct device_cache {
    bridge_store *st;
    bridge_device *devices;
    size_t count;
    size_t cap;
    int error;
} device_cache;

static const bridge_device *cached_device(device_cache *c, const char *device_id)
{
    for (size_t i = 0; i < c->count; i++) {
        if (strcmp(c->devices[i].particle_id, device_id) == 0) {
            return &c->devices[i];
        }
    }
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        bridge_device *grown = realloc(c->devices, cap * sizeof *grown);
        if (grown == NULL) {
            c->error = -1;
            return NULL;
        }
        c->devices = grown;
        c->cap = cap;
    }
    bridge_device *d = &c->devices[c->count];
    memset(d, 0, sizeof *d);
    int rc = bridge_store_device_get(c->st, device_id, d);
    if (rc == BRIDGE_STORE_NOTFOUND) {
        /* Readings of a device no longer stored: numbers without a unit. Remember the id so
         * the store is asked once. */
        memset(d, 0, sizeof *d);
        pu_strlcpy(d->particle_id, device_id, sizeof d->particle_id);
    } else if (rc != 0) {
        c->error = rc;
        return NULL;
    }
    c->count++;
    return d;
}

static int describe(const char *device_id, const char *name, bridge_senml_kind *kind, char *unit,
                    size_t unit_size, void *payload)
{
    device_cache *c = payload;
    const bridge_device *d = cached_device(c, device_id);
    if (d == NULL) {
        return c->error;
    }
    for (size_t i = 0; i < d->variable_count; i++) {
        const bridge_variable *v = &d->variables[i];
        if (strcmp(v->name, name) == 0) {
            if (strcmp(v->type, "bool") == 0) {
                *kind = BRIDGE_SENML_BOOL;
            }
            pu_strlcpy(unit, v->unit, unit_size);
            break;
        }
    }
    return 0;
}

int bridge_senml_describe_from_store(bridge_senml_pack *pack, bridge_store *st)
{
    device_cache c = {.st = st};
    int rc = bridge_senml_pack_describe(pack, describe, &c);
    bridge_device_list_free(c.devices, c.count);
    return rc;
}

/* ---- one device's latest values ---- */

typedef struct collect {
    bridge_senml_pack *pack;
    int error;
} collect;

static int add_measurement(const bridge_measurement *m, void *payload)
{
    collect *c = payload;
    bridge_senml_value v = {.device_id = m->device_id,
                            .name = m->name,
                            .kind = BRIDGE_SENML_NUMBER,
                            .number = m->value,
                            .ts_ms = m->ts_ms};
    c->error = bridge_senml_pack_add(c->pack, &v);
    return c->error;
}

static int add_variable_post(const bridge_page_row *row, void *payload)
{
    collect *c = payload;
    const bridge_status_post *p = row->post;
    if (strcmp(p->kind, "variable") != 0) {
        return 0; /* an event's text under the same name */
    }
    bridge_senml_value v = {.device_id = p->device_id,
                            .name = p->name,
                            .kind = BRIDGE_SENML_STRING,
                            .text = p->message,
                            .ts_ms = p->ts_ms};
    c->error = bridge_senml_pack_add(c->pack, &v);
    return c->error;
}

static int fill_latest(bridge_store *st, const bridge_device *d, collect *c)
{
    int rc = bridge_store_latest_measurements(st, d->particle_id, add_measurement, c);
    for (size_t i = 0; rc == 0 && i < d->variable_count; i++) {
        if (strcmp(d->variables[i].type, "string") != 0) {
            continue;
        }
        /* The newest post under the variable's name; when that is an event's text (an event
         * named like the variable), the variable's value is left out of the pack. */
        bridge_page_query q = {.device_id = d->particle_id,
                               .name = d->variables[i].name,
                               .descending = true,
                               .limit = 1};
        rc = bridge_store_status_posts_page(st, &q, add_variable_post, c);
    }
    if (c->error != 0) {
        return -1;
    }
    return rc != 0 ? rc : bridge_senml_describe_from_store(c->pack, st);
}

void *bridge_senml_device_latest(bridge_store *st, const bridge_device *d, bool cbor,
                                 size_t *len_out, int *error)
{
    collect c = {bridge_senml_pack_new(), 0};
    if (c.pack == NULL) {
        *error = -1;
        return NULL;
    }
    *error = fill_latest(st, d, &c);
    void *out = NULL;
    if (*error == 0) {
        out = cbor ? (void *)bridge_senml_pack_cbor(c.pack, len_out)
                   : (void *)bridge_senml_pack_json(c.pack, len_out);
        *error = out == NULL ? -1 : 0;
    }
    bridge_senml_pack_free(c.pack);
    return out;
}
