/* The library listing with its filters, sort and pages, and the versions of one library
 * (sim_libraries.h). Lookups and the rendering of one item are in library_lookup.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/library_store.h"
#include "pu_str.h"

/* One entry of the listing: the library and the version the caller sees. */
typedef struct listed {
    const char *name;
    const json_t *lib, *ver;
} listed;

/* The sort: up to SORT_KEYS_MAX keys, each with its direction. The qsort comparator reads
 * them from here (model lock held). */
#define SORT_KEYS_MAX 8
typedef enum { BY_NAME, BY_INSTALLS, BY_DATE, BY_OFFICIAL, BY_VERIFIED, BY_FEATURED } sort_by;
static struct {
    sort_by by;
    int dir; /* 1 ascending (flags: set ones first), -1 descending */
} sort_keys[SORT_KEYS_MAX];
static size_t sort_key_count;

static int compare_int(json_int_t x, json_int_t y)
{
    return x < y ? -1 : x > y;
}

static int compare_key(const listed *a, const listed *b, sort_by by)
{
    switch (by) {
    case BY_NAME:
        return strcasecmp(a->name, b->name);
    case BY_INSTALLS:
        return compare_int(json_integer_value(json_object_get(a->lib, "installs")),
                           json_integer_value(json_object_get(b->lib, "installs")));
    case BY_DATE:
        return compare_int(json_integer_value(json_object_get(a->ver, "created_ms")),
                           json_integer_value(json_object_get(b->ver, "created_ms")));
    default: { /* a flag: set ones first */
        const char *flag = by == BY_OFFICIAL   ? "official"
                           : by == BY_VERIFIED ? "verified"
                                               : "featured";
        return compare_int(json_is_true(json_object_get(b->lib, flag)),
                           json_is_true(json_object_get(a->lib, flag)));
    }
    }
}

static int compare(const void *pa, const void *pb)
{
    const listed *a = pa, *b = pb;
    for (size_t i = 0; i < sort_key_count; i++) {
        int c = compare_key(a, b, sort_keys[i].by) * sort_keys[i].dir;
        if (c != 0)
            return c;
    }
    return strcasecmp(a->name, b->name); /* ties: by name */
}

/* One key: [-]name, [-]installs, [-]date, [-]official, [-]verified, [-]featured, or
 * [-]popularity (= -installs). */
static bool add_sort_key(const char *key)
{
    int dir = 1;
    if (*key == '-') {
        dir = -1;
        key++;
    }
    static const struct {
        const char *name;
        sort_by by;
        int dir;
    } keys[] = {{"name", BY_NAME, 1},           {"installs", BY_INSTALLS, 1},
                {"date", BY_DATE, 1},           {"official", BY_OFFICIAL, 1},
                {"verified", BY_VERIFIED, 1},   {"featured", BY_FEATURED, 1},
                {"popularity", BY_INSTALLS, -1}};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(key, keys[i].name) == 0 && sort_key_count < SORT_KEYS_MAX) {
            sort_keys[sort_key_count].by = keys[i].by;
            sort_keys[sort_key_count++].dir = dir * keys[i].dir;
            return true;
        }
    return false;
}

/* A comma-separated list of keys (particle-cli's community list sends
 * "official,verified,popularity,name"); NULL or "" = name. */
static bool parse_sort(const char *sort)
{
    sort_key_count = 0;
    if (!sort || !*sort)
        return add_sort_key("name");
    if (sort[strlen(sort) - 1] == ',')
        return false; /* an empty last key */
    char key[32];
    while (*sort) {
        const char *comma = strchr(sort, ',');
        size_t n = comma ? (size_t)(comma - sort) : strlen(sort);
        if (n == 0 || n >= sizeof(key))
            return false;
        memcpy(key, sort, n);
        key[n] = '\0';
        if (!add_sort_key(key))
            return false;
        sort += n + (comma ? 1 : 0);
    }
    return true;
}

static const char *const SCOPES[] = {"all",    "official", "verified", "featured",
                                     "public", "private",  "mine"};

static bool scope_known(const char *scope)
{
    for (size_t i = 0; i < sizeof(SCOPES) / sizeof(SCOPES[0]); i++)
        if (strcmp(scope, SCOPES[i]) == 0)
            return true;
    return false;
}

/* Whether the library is in scope @p scope for @p user (the version seen is @p ver). */
static bool in_scope(const char *scope, const json_t *lib, const json_t *ver, const char *user)
{
    bool public_ = strcmp(json_string_value(json_object_get(ver, "visibility")), "public") == 0;
    if (strcmp(scope, "all") == 0)
        return true;
    if (strcmp(scope, "public") == 0)
        return public_;
    if (strcmp(scope, "private") == 0)
        return !public_;
    if (strcmp(scope, "mine") == 0)
        return sim_library_mine(lib, user);
    return json_is_true(json_object_get(lib, scope)); /* official, verified, featured */
}

/* Whether comma list @p list holds an entry for which @p match holds. */
static bool any_of(const char *list, bool (*match)(const char *item, const void *ctx),
                   const void *ctx)
{
    char item[128];
    while (*list) {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);
        snprintf(item, sizeof(item), "%.*s", (int)(n < sizeof(item) ? n : sizeof(item) - 1), list);
        if (item[0] && match(item, ctx))
            return true;
        list += n + (comma ? 1 : 0);
    }
    return false;
}

static bool arch_matches(const char *wanted, const void *ctx)
{
    const json_t *archs = ctx;
    for (size_t i = 0; i < json_array_size(archs); i++) {
        const char *a = json_string_value(json_array_get(archs, i));
        if (a && (strcmp(a, "*") == 0 || strcasecmp(a, wanted) == 0))
            return true;
    }
    return false;
}

typedef struct scope_ctx {
    const json_t *lib, *ver;
    const char *user;
} scope_ctx;

static bool scope_matches(const char *scope, const void *ctx)
{
    const scope_ctx *s = ctx;
    return in_scope(scope, s->lib, s->ver, s->user);
}

static bool scope_unknown(const char *scope, const void *ctx)
{
    (void)ctx;
    return !scope_known(scope);
}

static bool wanted(const sim_library_query *q, const char *name, const json_t *lib,
                   const json_t *ver, const char *user)
{
    const json_t *attrs = json_object_get(ver, "attributes");
    if (q->filter && *q->filter) {
        const char *sentence = json_string_value(json_object_get(attrs, "sentence"));
        if (!pu_str_contains_nocase(name, q->filter) &&
            !(sentence && pu_str_contains_nocase(sentence, q->filter)))
            return false;
    }
    if (q->category && *q->category) {
        const char *category = json_string_value(json_object_get(attrs, "category"));
        if (!category || strcasecmp(category, q->category) != 0)
            return false;
    }
    if (q->architectures && *q->architectures &&
        !any_of(q->architectures, arch_matches, json_object_get(attrs, "architectures")))
        return false;
    scope_ctx s = {lib, ver, user};
    if (!in_scope(q->scope && *q->scope ? q->scope : "all", lib, ver, user))
        return false;
    return !(q->exclude_scopes && any_of(q->exclude_scopes, scope_matches, &s));
}

/* Page @p page of @p limit (defaults and the cap applied) of @p items into a data array. */
static json_t *page_of(const listed *items, size_t n, long page, long limit,
                       const sim_library_view *v)
{
    if (limit <= 0)
        limit = SIM_LIBRARY_PAGE_DEFAULT;
    if (limit > SIM_LIBRARY_PAGE_MAX)
        limit = SIM_LIBRARY_PAGE_MAX;
    if (page <= 0)
        page = 1;
    json_t *data = json_array();
    size_t first = (size_t)(page - 1) * (size_t)limit;
    for (size_t i = first; i < n && i < first + (size_t)limit; i++)
        json_array_append_new(data, sim_library_item(items[i].name, items[i].lib, items[i].ver, v));
    return data;
}

unsigned int sim_library_list(const sim_libraries *l, const sim_library_view *v,
                              const sim_library_query *q, json_t **out, const char **why)
{
    if (!parse_sort(q->sort)) {
        *why = "Unknown sort: name, installs, date, official, verified, featured or popularity, "
               "comma-separated, '-' first for descending";
        return 400;
    }
    if ((q->scope && *q->scope && !scope_known(q->scope)) ||
        (q->exclude_scopes && any_of(q->exclude_scopes, scope_unknown, NULL))) {
        *why = "Unknown scope: use all, official, verified, featured, public, private or mine";
        return 400;
    }
    size_t n = 0, cap = json_object_size(l->libraries);
    listed *items = calloc(cap ? cap : 1, sizeof(*items));
    if (!items)
        abort();
    const char *name;
    json_t *lib;
    json_object_foreach(l->libraries, name, lib)
    {
        const json_t *ver = sim_library_visible_latest(lib, v->user, NULL);
        if (ver && wanted(q, name, lib, ver, v->user))
            items[n++] = (listed){name, lib, ver};
    }
    qsort(items, n, sizeof(*items), compare);
    *out = json_pack("{s:o}", "data", page_of(items, n, q->page, q->limit, v));
    free(items);
    return 200;
}

unsigned int sim_library_versions(const sim_libraries *l, const sim_library_view *v,
                                  const char *name, long page, long limit, json_t **out,
                                  const char **why)
{
    const char *key = NULL;
    const json_t *lib = sim_library_find(l, name, &key);
    if (!lib || !sim_library_visible_latest(lib, v->user, NULL)) {
        *why = "Library not found";
        return 404;
    }
    const json_t *versions = json_object_get(lib, "versions");
    bool mine = sim_library_mine(lib, v->user);
    size_t n = 0;
    listed *items = calloc(json_array_size(versions) + 1, sizeof(*items));
    if (!items)
        abort();
    for (size_t i = json_array_size(versions); i-- > 0;) { /* newest first */
        const json_t *ver = json_array_get(versions, i);
        if (mine || strcmp(json_string_value(json_object_get(ver, "visibility")), "public") == 0)
            items[n++] = (listed){key, lib, ver};
    }
    *out = json_pack("{s:o}", "data", page_of(items, n, page, limit, v));
    free(items);
    return 200;
}
