/* SenML packs (senml.h): collecting, describing, base values, and the JSON encoding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/senml.h"
#include "api/senml_plan.h"
#include "pu_str.h"
#include "store/store.h"

typedef struct record {
    char *device_id;
    char *name;   /* as stored */
    char *mapped; /* bridge_senml_name */
    bridge_senml_kind kind;
    double number;
    char *text;
    char unit[BRIDGE_UNIT_SIZE];
    int64_t ts_ms;
} record;

struct bridge_senml_pack {
    record *records;
    size_t count;
    size_t cap;
};

bridge_senml_pack *bridge_senml_pack_new(void)
{
    return calloc(1, sizeof(bridge_senml_pack));
}

void bridge_senml_pack_free(bridge_senml_pack *pack)
{
    if (pack == NULL) {
        return;
    }
    for (size_t i = 0; i < pack->count; i++) {
        free(pack->records[i].device_id);
        free(pack->records[i].name);
        free(pack->records[i].mapped);
        free(pack->records[i].text);
    }
    free(pack->records);
    free(pack);
}

static bool allowed_in_name(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == ':' || c == '.' || c == '/' || c == '_';
}

void bridge_senml_name(const char *in, char *out, size_t out_size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if (allowed_in_name(*p)) {
            if (o + 1 >= out_size) {
                break;
            }
            out[o++] = (char)*p;
        } else {
            if (o + 3 >= out_size) {
                break;
            }
            out[o++] = '_';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 0xF];
        }
    }
    if (out_size > 0) {
        out[o] = '\0';
    }
}

static char *mapped_name(const char *name)
{
    size_t size = 3 * strlen(name) + 1;
    char *out = malloc(size);
    if (out != NULL) {
        bridge_senml_name(name, out, size);
    }
    return out;
}

int bridge_senml_pack_add(bridge_senml_pack *pack, const bridge_senml_value *v)
{
    if (pack->count == pack->cap) {
        size_t cap = pack->cap ? pack->cap * 2 : 64;
        record *grown = realloc(pack->records, cap * sizeof *grown);
        if (grown == NULL) {
            return -1;
        }
        pack->records = grown;
        pack->cap = cap;
    }
    record *r = &pack->records[pack->count];
    memset(r, 0, sizeof *r);
    r->device_id = strdup(v->device_id);
    r->name = strdup(v->name);
    r->mapped = mapped_name(v->name);
    r->text = v->kind == BRIDGE_SENML_STRING ? strdup(v->text ? v->text : "") : NULL;
    if (r->device_id == NULL || r->name == NULL || r->mapped == NULL ||
        (v->kind == BRIDGE_SENML_STRING && r->text == NULL)) {
        free(r->device_id);
        free(r->name);
        free(r->mapped);
        free(r->text);
        return -1;
    }
    r->kind = v->kind;
    r->number = v->number;
    pu_strlcpy(r->unit, v->unit ? v->unit : "", sizeof r->unit);
    r->ts_ms = v->ts_ms;
    pack->count++;
    return 0;
}

int bridge_senml_pack_describe(bridge_senml_pack *pack, bridge_senml_describe_fn *describe,
                               void *payload)
{
    for (size_t i = 0; i < pack->count; i++) {
        record *r = &pack->records[i];
        if (r->kind != BRIDGE_SENML_NUMBER) {
            continue;
        }
        int rc = describe(r->device_id, r->name, &r->kind, r->unit, sizeof r->unit, payload);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

size_t bridge_senml_pack_count(const bridge_senml_pack *pack)
{
    return pack->count;
}

bool bridge_senml_is_whole(double x)
{
    return isfinite(x) && x == floor(x) && fabs(x) < 9007199254740992.0; /* 2^53 */
}

/* The base unit: the most used unit when every record has one and it is used twice or more
 * (a record without a unit would otherwise inherit it); NULL otherwise. Units come from a
 * registry of 58 names, so the distinct ones are counted in a small table. */
static const char *base_unit(const bridge_senml_pack *pack)
{
    struct {
        const char *unit;
        size_t uses;
    } seen[64];
    size_t distinct = 0;
    for (size_t i = 0; i < pack->count; i++) {
        const char *u = pack->records[i].unit;
        if (u[0] == '\0') {
            return NULL;
        }
        size_t k = 0;
        while (k < distinct && strcmp(seen[k].unit, u) != 0) {
            k++;
        }
        if (k == distinct) {
            if (distinct == sizeof seen / sizeof seen[0]) {
                return NULL; /* not registry names: no base unit */
            }
            seen[distinct].unit = u;
            seen[distinct++].uses = 0;
        }
        seen[k].uses++;
    }
    const char *best = NULL;
    size_t best_uses = 1;
    for (size_t k = 0; k < distinct; k++) {
        if (seen[k].uses > best_uses) {
            best = seen[k].unit;
            best_uses = seen[k].uses;
        }
    }
    return best;
}

int bridge_senml_pack_walk(const bridge_senml_pack *pack, bridge_senml_field_fn *fn, void *payload)
{
    const char *bu = base_unit(pack);
    bool relative = pack->count >= 2;
    int64_t bt_ms = pack->count ? pack->records[0].ts_ms : 0;
    for (size_t i = 0; i < pack->count; i++) {
        const record *r = &pack->records[i];
        bridge_senml_fields f = {.n = r->mapped, .kind = r->kind};
        char bn[3 * 64 + 32]; /* "urn:dev:particle:" + a mapped id + ":" */
        if (i == 0 || strcmp(r->device_id, pack->records[i - 1].device_id) != 0) {
            char id[3 * 64 + 1];
            bridge_senml_name(r->device_id, id, sizeof id);
            snprintf(bn, sizeof bn, "urn:dev:particle:%s:", id);
            f.bn = bn;
        }
        if (i == 0 && bu != NULL) {
            f.bu = bu;
        }
        if (r->unit[0] != '\0' && (bu == NULL || strcmp(r->unit, bu) != 0)) {
            f.u = r->unit;
        }
        if (relative) {
            if (i == 0) {
                f.has_bt = true;
                f.bt = (double)bt_ms / 1000.0;
            }
            f.has_t = r->ts_ms != bt_ms;
            f.t = (double)(r->ts_ms - bt_ms) / 1000.0;
        } else {
            f.has_t = true;
            f.t = (double)r->ts_ms / 1000.0;
        }
        if (r->kind == BRIDGE_SENML_STRING) {
            f.vs = r->text;
        } else if (r->kind == BRIDGE_SENML_BOOL) {
            f.vb = r->number != 0;
        } else {
            f.v = r->number;
        }
        int rc = fn(&f, payload);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* ---- JSON ---- */

static json_t *json_number(double x)
{
    return bridge_senml_is_whole(x) ? json_integer((json_int_t)x) : json_real(x);
}

static int add_json_record(const bridge_senml_fields *f, void *payload)
{
    json_t *rec = json_object();
    if (rec == NULL) {
        return -1;
    }
    int rc = 0;
    if (f->bn) {
        rc |= json_object_set_new(rec, "bn", json_string(f->bn));
    }
    if (f->has_bt) {
        rc |= json_object_set_new(rec, "bt", json_number(f->bt));
    }
    if (f->bu) {
        rc |= json_object_set_new(rec, "bu", json_string(f->bu));
    }
    rc |= json_object_set_new(rec, "n", json_string(f->n));
    if (f->u) {
        rc |= json_object_set_new(rec, "u", json_string(f->u));
    }
    if (f->kind == BRIDGE_SENML_STRING) {
        rc |= json_object_set_new(rec, "vs", json_string(f->vs));
    } else if (f->kind == BRIDGE_SENML_BOOL) {
        rc |= json_object_set_new(rec, "vb", json_boolean(f->vb));
    } else {
        rc |= json_object_set_new(rec, "v", json_number(f->v));
    }
    if (f->has_t) {
        rc |= json_object_set_new(rec, "t", json_number(f->t));
    }
    rc |= json_array_append_new(payload, rec);
    return rc;
}

char *bridge_senml_pack_json(const bridge_senml_pack *pack, size_t *len_out)
{
    json_t *array = json_array();
    if (array == NULL || bridge_senml_pack_walk(pack, add_json_record, array) != 0) {
        json_decref(array);
        return NULL;
    }
    char *text = json_dumps(array, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(array);
    *len_out = text ? strlen(text) : 0;
    return text;
}
