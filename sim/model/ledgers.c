/* The ledger store (sim_ledgers.h): one JSON tree
 *   {ns: {name: {name, description, scope, direction, created_at, updated_at, archived_at,
 *                instances: {value: {scope_type, data, created_at, updated_at, version,
 *                                    versions: [{version, data, created_at, updated_at,
 *                                                replaced_at}, ...newest first]}}}}}
 * with times in ms, rendered into the documented objects on the way out. */
#include "model/sim_ledgers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_time.h"

struct sim_ledgers {
    json_t *store;
    sim_ledgers_saver *saver;
    void *saver_payload;
    sim_ledgers_observer *observer;
    void *observer_payload;
};

sim_ledgers *sim_ledgers_new(void)
{
    sim_ledgers *l = calloc(1, sizeof(*l));
    if (l && !(l->store = json_object())) {
        free(l);
        return NULL;
    }
    return l;
}

void sim_ledgers_free(sim_ledgers *l)
{
    if (!l)
        return;
    json_decref(l->store);
    free(l);
}

static void saved(sim_ledgers *l)
{
    if (l->saver)
        l->saver(l->store, l->saver_payload);
}

void sim_ledgers_observe(sim_ledgers *l, sim_ledgers_observer *observer, void *payload)
{
    l->observer = observer;
    l->observer_payload = payload;
}

static void changed(const sim_ledgers *l, const char *ns, const char *name, const char *change)
{
    if (l->observer)
        l->observer(ns, name, change, l->observer_payload);
}

void sim_ledgers_clear(sim_ledgers *l)
{
    json_object_clear(l->store);
    saved(l);
}

void sim_ledgers_restore(sim_ledgers *l, json_t *store, sim_ledgers_saver *saver, void *payload)
{
    if (json_is_object(store)) {
        json_decref(l->store);
        l->store = json_incref(store);
    }
    l->saver = saver;
    l->saver_payload = payload;
}

bool sim_ledger_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > SIM_LEDGER_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '-' || name[i] == '_'))
            return false;
    return true;
}

static json_t *iso(json_t *ms)
{
    char buf[PU_ISO8601_SIZE];
    return json_integer_value(ms) ? json_string(pu_time_iso8601(json_integer_value(ms), buf))
                                  : json_null();
}

static json_t *find_ledger(const sim_ledgers *l, const char *ns, const char *name)
{
    return json_object_get(json_object_get(l->store, ns), name ? name : "");
}

/* The ledger, or NULL with 404 in *status. */
static json_t *ledger_or_404(const sim_ledgers *l, const char *ns, const char *name,
                             unsigned int *status, const char **why)
{
    json_t *d = find_ledger(l, ns, name);
    if (!d) {
        *status = 404;
        *why = "Ledger not found";
    }
    return d;
}

static json_t *render_definition(const json_t *d)
{
    return json_pack("{s:O,s:O,s:O,s:O,s:o,s:o,s:o}", "name", json_object_get(d, "name"),
                     "description", json_object_get(d, "description"), "scope",
                     json_object_get(d, "scope"), "direction", json_object_get(d, "direction"),
                     "created_at", iso(json_object_get(d, "created_at")), "updated_at",
                     iso(json_object_get(d, "updated_at")), "archived_at",
                     iso(json_object_get(d, "archived_at")));
}

bool sim_ledger_kind(const sim_ledgers *l, const char *ns, const char *name, const char **scope,
                     const char **direction, bool *archived)
{
    json_t *d = find_ledger(l, ns, name);
    if (!d)
        return false;
    *scope = json_string_value(json_object_get(d, "scope"));
    *direction = json_string_value(json_object_get(d, "direction"));
    *archived = json_integer_value(json_object_get(d, "archived_at")) != 0;
    return true;
}

static bool one_of(const char *s, const char *a, const char *b, const char *c)
{
    return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0 || (c && strcmp(s, c) == 0));
}

/* Checks the description of @p in (absent, null or a string up to the limit). */
static bool description_ok(const json_t *in, const char **why)
{
    const json_t *v = json_object_get(in, "description");
    if (v && !json_is_null(v) &&
        (!json_is_string(v) || json_string_length(v) > SIM_LEDGER_DESCRIPTION_MAX)) {
        *why = "description must be a string of at most 256 bytes";
        return false;
    }
    return true;
}

unsigned int sim_ledger_create(sim_ledgers *l, const char *ns, const json_t *in, int64_t now,
                               json_t **out, const char **why)
{
    const char *name = json_string_value(json_object_get(in, "name"));
    const char *scope = json_string_value(json_object_get(in, "scope"));
    const char *direction = json_string_value(json_object_get(in, "direction"));
    *why = NULL;
    if (!json_is_object(in))
        *why = "the body needs a ledger object";
    else if (!sim_ledger_name_valid(name))
        *why = "name must be 1 to 32 lowercase letters, digits, '-' or '_'";
    else if (!one_of(scope, "Owner", "Product", "Device"))
        *why = "scope must be Owner, Product or Device";
    else if (!one_of(direction, "Downstream", "Upstream", NULL))
        *why = "direction must be Downstream or Upstream";
    else if (!description_ok(in, why))
        ;
    else if (find_ledger(l, ns, name)) {
        *why = "A ledger with this name already exists";
        return 409;
    }
    if (*why)
        return 400;
    json_t *space = json_object_get(l->store, ns);
    if (!space) {
        space = json_object();
        json_object_set_new(l->store, ns, space);
    }
    const char *description = json_string_value(json_object_get(in, "description"));
    json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:{}}", "name", name, "description",
                          description ? description : "", "scope", scope, "direction", direction,
                          "created_at", (json_int_t)now, "updated_at", (json_int_t)now,
                          "archived_at", (json_int_t)0, "instances");
    json_object_set_new(space, name, d);
    saved(l);
    *out = render_definition(d);
    return 201;
}

unsigned int sim_ledger_get(const sim_ledgers *l, const char *ns, const char *name, json_t **out,
                            const char **why)
{
    unsigned int status = 200;
    json_t *d = ledger_or_404(l, ns, name, &status, why);
    if (d)
        *out = render_definition(d);
    return status;
}

unsigned int sim_ledger_update(sim_ledgers *l, const char *ns, const char *name, const json_t *in,
                               int64_t now, json_t **out, const char **why)
{
    unsigned int status = 200;
    json_t *d = ledger_or_404(l, ns, name, &status, why);
    if (!d)
        return status;
    static const char *const fixed[] = {"name", "scope", "direction"};
    if (!json_is_object(in)) {
        *why = "the body needs a ledger object";
        return 400;
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        const json_t *v = json_object_get(in, fixed[i]);
        if (v && !json_equal(v, json_object_get(d, fixed[i]))) {
            *why = "name, scope and direction cannot change";
            return 400;
        }
    }
    if (!description_ok(in, why))
        return 400;
    const json_t *description = json_object_get(in, "description");
    if (description)
        json_object_set_new(
            d, "description",
            json_string(json_is_string(description) ? json_string_value(description) : ""));
    json_object_set_new(d, "updated_at", json_integer(now));
    saved(l);
    *out = render_definition(d);
    return 200;
}

unsigned int sim_ledger_archive(sim_ledgers *l, const char *ns, const char *name, int64_t now,
                                const char **why)
{
    unsigned int status = 200;
    json_t *d = ledger_or_404(l, ns, name, &status, why);
    if (d && !json_integer_value(json_object_get(d, "archived_at"))) {
        json_object_set_new(d, "archived_at", json_integer(now));
        json_object_set_new(d, "updated_at", json_integer(now));
        saved(l);
    }
    return status;
}

/* {"page","per_page","total_pages","total"} for @p total items; *first = the first index. */
static json_t *page_meta(size_t total, long page, long per_page, size_t *first)
{
    size_t pages = (total + (size_t)per_page - 1) / (size_t)per_page;
    *first = (size_t)(page - 1) * (size_t)per_page;
    return json_pack("{s:i,s:i,s:I,s:I}", "page", (int)page, "per_page", (int)per_page,
                     "total_pages", (json_int_t)pages, "total", (json_int_t)total);
}

json_t *sim_ledger_list(const sim_ledgers *l, const char *ns, const char *scope, bool archived,
                        long page, long per_page)
{
    json_t *matching = json_array();
    const char *name;
    json_t *d;
    json_object_foreach(json_object_get(l->store, ns), name, d)
    {
        bool is_archived = json_integer_value(json_object_get(d, "archived_at")) != 0;
        if (is_archived == archived &&
            (!scope || strcmp(scope, json_string_value(json_object_get(d, "scope"))) == 0))
            json_array_append_new(matching, render_definition(d));
    }
    size_t first;
    json_t *meta = page_meta(json_array_size(matching), page, per_page, &first);
    json_t *list = json_array();
    for (size_t i = first; i < json_array_size(matching) && i < first + (size_t)per_page; i++)
        json_array_append(list, json_array_get(matching, i));
    json_decref(matching);
    return json_pack("{s:o,s:o}", "ledger_definitions", list, "meta", meta);
}

/* ---- instances ---- */

static json_int_t data_size(const json_t *data)
{
    return (json_int_t)json_dumpb(data, NULL, 0, JSON_COMPACT);
}

/* The instance object of @p inst (or of a version @p v of it, with version and replaced_at). */
static json_t *render_instance(const char *name, const char *value, const json_t *inst,
                               const json_t *v)
{
    const json_t *src = v ? v : inst;
    json_t *data = json_object_get(src, "data");
    json_t *o = json_pack("{s:s,s:{s:O,s:s},s:I,s:O,s:o,s:o}", "name", name, "scope", "type",
                          json_object_get(inst, "scope_type"), "value", value, "size_bytes",
                          data_size(data), "data", data, "created_at",
                          iso(json_object_get(src, "created_at")), "updated_at",
                          iso(json_object_get(src, "updated_at")));
    if (v) {
        char version[24];
        snprintf(version, sizeof(version), "%lld",
                 (long long)json_integer_value(json_object_get(v, "version")));
        json_object_set_new(o, "version", json_string(version));
        json_object_set_new(o, "replaced_at", iso(json_object_get(v, "replaced_at")));
    }
    return o;
}

/* The instance, or NULL with 404 in *status. */
static json_t *instance_or_404(const sim_ledgers *l, const char *ns, const char *name,
                               const char *value, unsigned int *status, const char **why)
{
    json_t *d = ledger_or_404(l, ns, name, status, why);
    json_t *inst = d ? json_object_get(json_object_get(d, "instances"), value) : NULL;
    if (d && !inst) {
        *status = 404;
        *why = "Ledger instance not found";
    }
    return inst;
}

unsigned int sim_ledger_instance_get(const sim_ledgers *l, const char *ns, const char *name,
                                     const char *value, json_t **out, const char **why)
{
    unsigned int status = 200;
    json_t *inst = instance_or_404(l, ns, name, value, &status, why);
    if (inst)
        *out = render_instance(name, value, inst, NULL);
    return status;
}

/* Keeps the current data of @p inst as the newest version, dropping the oldest beyond the
 * limit. */
static void keep_version(json_t *inst, int64_t now)
{
    json_t *versions = json_object_get(inst, "versions");
    json_t *v = json_pack("{s:O,s:O,s:O,s:O,s:I}", "version", json_object_get(inst, "version"),
                          "data", json_object_get(inst, "data"), "created_at",
                          json_object_get(inst, "created_at"), "updated_at",
                          json_object_get(inst, "updated_at"), "replaced_at", (json_int_t)now);
    json_array_insert_new(versions, 0, v);
    while (json_array_size(versions) > SIM_LEDGER_VERSIONS_KEPT)
        json_array_remove(versions, json_array_size(versions) - 1);
}

unsigned int sim_ledger_instance_set(sim_ledgers *l, const char *ns, const char *name,
                                     const char *value, const json_t *data, bool merge, int64_t now,
                                     json_t **out, const char **why)
{
    unsigned int status = 200;
    json_t *d = ledger_or_404(l, ns, name, &status, why);
    if (!d)
        return status;
    if (json_integer_value(json_object_get(d, "archived_at"))) {
        *why = "The ledger is archived";
        return 400;
    }
    if (!json_is_object(data)) {
        *why = "instance.data must be a JSON object";
        return 400;
    }
    json_t *instances = json_object_get(d, "instances");
    json_t *inst = json_object_get(instances, value);
    json_t *next = json_deep_copy(merge && inst ? json_object_get(inst, "data") : data);
    if (merge && inst)
        json_object_update(next, (json_t *)data);
    if (data_size(next) > SIM_LEDGER_DATA_MAX) {
        json_decref(next);
        *why = "Ledger data is larger than 16384 bytes";
        return 413;
    }
    if (inst) {
        keep_version(inst, now);
        json_object_set_new(inst, "version",
                            json_integer(json_integer_value(json_object_get(inst, "version")) + 1));
    } else {
        inst = json_pack("{s:O,s:I,s:I,s:[]}", "scope_type", json_object_get(d, "scope"),
                         "created_at", (json_int_t)now, "version", (json_int_t)1, "versions");
        json_object_set_new(instances, value, inst);
    }
    json_object_set_new(inst, "data", next);
    json_object_set_new(inst, "updated_at", json_integer(now));
    saved(l);
    *out = render_instance(name, value, inst, NULL);
    changed(l, ns, name, "set");
    return 200;
}

unsigned int sim_ledger_instance_delete(sim_ledgers *l, const char *ns, const char *name,
                                        const char *value, const char **why)
{
    unsigned int status = 200;
    json_t *inst = instance_or_404(l, ns, name, value, &status, why);
    if (inst) {
        json_object_del(json_object_get(find_ledger(l, ns, name), "instances"), value);
        saved(l);
        changed(l, ns, name, "delete");
    }
    return status;
}

unsigned int sim_ledger_instance_list(const sim_ledgers *l, const char *ns, const char *name,
                                      long page, long per_page, json_t **out, const char **why)
{
    unsigned int status = 200;
    json_t *d = ledger_or_404(l, ns, name, &status, why);
    if (!d)
        return status;
    json_t *instances = json_object_get(d, "instances");
    size_t first, i = 0;
    json_t *meta = page_meta(json_object_size(instances), page, per_page, &first);
    json_t *list = json_array();
    const char *value;
    json_t *inst;
    json_object_foreach(instances, value, inst)
    {
        if (i >= first && i < first + (size_t)per_page)
            json_array_append_new(list, render_instance(name, value, inst, NULL));
        i++;
    }
    *out = json_pack("{s:o,s:o}", "instances", list, "meta", meta);
    return 200;
}

unsigned int sim_ledger_versions(const sim_ledgers *l, const char *ns, const char *name,
                                 const char *value, int64_t before_ms, int64_t after_ms,
                                 json_t **out, const char **why)
{
    unsigned int status = 200;
    json_t *inst = instance_or_404(l, ns, name, value, &status, why);
    if (!inst)
        return status;
    json_t *list = json_array();
    bool has_more = false;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(inst, "versions"), i, v)
    {
        int64_t replaced = json_integer_value(json_object_get(v, "replaced_at"));
        if ((before_ms && replaced >= before_ms) || (after_ms && replaced <= after_ms))
            continue;
        if (json_array_size(list) == SIM_LEDGER_VERSION_PAGE) {
            has_more = true;
            break;
        }
        json_array_append_new(list, render_instance(name, value, inst, v));
    }
    *out = json_pack("{s:o,s:{s:b}}", "versions", list, "meta", "has_more", has_more);
    return 200;
}

unsigned int sim_ledger_version_get(const sim_ledgers *l, const char *ns, const char *name,
                                    const char *value, const char *version, json_t **out,
                                    const char **why)
{
    unsigned int status = 200;
    json_t *inst = instance_or_404(l, ns, name, value, &status, why);
    if (!inst)
        return status;
    char *end = NULL;
    long long wanted = strtoll(version, &end, 10);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(inst, "versions"), i, v)
    {
        if (end != version && *end == '\0' &&
            json_integer_value(json_object_get(v, "version")) == wanted) {
            *out = render_instance(name, value, inst, v);
            return 200;
        }
    }
    *why = "Ledger instance version not found";
    return 404;
}
