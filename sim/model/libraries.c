/* The library store (sim_libraries.h): its lifetime, reset and --state restore, getting one
 * library as a caller may see it, contributions, publishing, deletion, archives. Listing is in
 * library_list.c; the lookups, visibility and rendering of one item in library_lookup.c. */
#include <stdlib.h>
#include <string.h>

#include "model/library_store.h"

sim_libraries *sim_libraries_new(void)
{
    sim_libraries *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->fixture = json_object();
    if (sim_library_fixture_load(l->fixture) < 0 || !(l->libraries = json_deep_copy(l->fixture))) {
        sim_libraries_free(l);
        return NULL;
    }
    return l;
}

void sim_libraries_free(sim_libraries *l)
{
    if (!l)
        return;
    json_decref(l->libraries);
    json_decref(l->fixture);
    free(l);
}

/* The contributed libraries (those with an owner): what the state file keeps. */
static json_t *contributed(const sim_libraries *l)
{
    json_t *out = json_object();
    const char *name;
    json_t *lib;
    json_object_foreach(l->libraries, name, lib)
    {
        if (json_is_string(json_object_get(lib, "owner")))
            json_object_set(out, name, lib);
    }
    return out;
}

static void changed(const sim_libraries *l)
{
    if (!l->saver)
        return;
    json_t *c = contributed(l);
    l->saver(c, l->saver_payload);
    json_decref(c);
}

/* After every change of the store: a clear must copy the built-in set again. */
static void edited(sim_libraries *l)
{
    l->edited = true;
    changed(l);
}

void sim_libraries_clear(sim_libraries *l)
{
    if (l->edited) {
        json_t *fresh = json_deep_copy(l->fixture);
        if (!fresh) /* out of memory: keep what there is */
            return;
        json_decref(l->libraries);
        l->libraries = fresh;
        l->edited = false;
    }
    changed(l);
}

/* A stored version has what the calls read without checking. */
static bool version_stored_ok(const json_t *v)
{
    return json_is_string(json_object_get(v, "version")) &&
           json_is_string(json_object_get(v, "visibility")) &&
           json_is_string(json_object_get(v, "archive")) &&
           json_is_object(json_object_get(v, "attributes")) &&
           json_is_integer(json_object_get(v, "created_ms"));
}

int sim_libraries_restore(sim_libraries *l, const json_t *stored, sim_libraries_saver *saver,
                          void *payload)
{
    const char *name;
    json_t *lib;
    if (stored && !json_is_object(stored))
        return -1;
    json_object_foreach((json_t *)stored, name, lib)
    {
        const json_t *versions = json_object_get(lib, "versions");
        if (!json_is_string(json_object_get(lib, "owner")) || !json_is_array(versions))
            return -1;
        for (size_t i = 0; i < json_array_size(versions); i++)
            if (!version_stored_ok(json_array_get(versions, i)))
                return -1;
    }
    json_object_foreach((json_t *)stored, name, lib)
    {
        json_object_set_new(l->libraries, name, json_deep_copy(lib));
        l->edited = true;
    }
    l->saver = saver;
    l->saver_payload = payload;
    return 0;
}

unsigned int sim_library_get(const sim_libraries *l, const sim_library_view *v, const char *name,
                             const char *version, json_t **out, const char **why)
{
    const char *key = NULL;
    const json_t *lib = sim_library_find(l, name, &key);
    const json_t *ver = lib ? sim_library_visible_latest(lib, v->user, version) : NULL;
    if (!ver) {
        *why = lib && version ? "Library version not found" : "Library not found";
        return 404;
    }
    *out = json_pack("{s:o}", "data", sim_library_item(key, lib, ver, v));
    return 200;
}

/* Name rules of the library registry: a letter or digit first, then letters, digits, '-',
 * '_' and '.', at most SIM_LIBRARY_NAME_MAX (UNVERIFIED length). */
static bool name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SIM_LIBRARY_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.')))
            return false;
    }
    return true;
}

/* MAJOR.MINOR.PATCH, each a number. */
static bool version_valid(const char *v)
{
    for (int part = 0; part < 3; part++) {
        if (*v < '0' || *v > '9')
            return false;
        while (*v >= '0' && *v <= '9')
            v++;
        if (part < 2 && *v++ != '.')
            return false;
    }
    return *v == '\0';
}

static char *hex_of(const unsigned char *data, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    char *hex = malloc(size * 2 + 1);
    if (!hex)
        abort();
    for (size_t i = 0; i < size; i++) {
        hex[2 * i] = digits[data[i] >> 4];
        hex[2 * i + 1] = digits[data[i] & 15];
    }
    hex[size * 2] = '\0';
    return hex;
}

/* Checks attributes @p attrs of a contribution by @p user; *why on refusal. */
static unsigned int check_contribution(const sim_libraries *l, const json_t *attrs,
                                       const char *user, json_t **lib, const char **key,
                                       const char **why)
{
    const char *name = json_string_value(json_object_get(attrs, "name"));
    const char *version = json_string_value(json_object_get(attrs, "version"));
    if (!name || !name_valid(name)) {
        *why = "library.properties needs a name: letters, digits, '-', '_' and '.'";
        return 400;
    }
    if (!version || !version_valid(version)) {
        *why = "library.properties needs a version of the form 1.2.3";
        return 400;
    }
    *lib = sim_library_find(l, name, key);
    if (*lib && !sim_library_mine(*lib, user)) {
        *why = "This library name belongs to another user";
        return 403;
    }
    const json_t *versions = json_object_get(*lib, "versions");
    for (size_t i = 0; i < json_array_size(versions); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(versions, i), "version")),
                   version) == 0) {
            *why = "This version of the library exists already";
            return 400;
        }
    return 200;
}

unsigned int sim_library_contribute(sim_libraries *l, const sim_library_view *v, const void *data,
                                    size_t size, int64_t now_ms, json_t **out, const char **why)
{
    if (!v->user) {
        *why = "Contributing a library needs a user's token";
        return 403;
    }
    if (size > SIM_LIBRARY_ARCHIVE_MAX) {
        *why = "The library archive is too big";
        return 400;
    }
    char *text = NULL;
    if (sim_library_archive_properties(data, size, &text, why) < 0)
        return 400;
    json_t *attrs = sim_library_properties_parse(text);
    free(text);
    json_t *lib = NULL;
    const char *key = NULL;
    unsigned int status = check_contribution(l, attrs, v->user, &lib, &key, why);
    if (status != 200) {
        json_decref(attrs);
        return status;
    }
    const char *name = json_string_value(json_object_get(attrs, "name"));
    if (!lib) {
        lib = json_pack("{s:s, s:b, s:b, s:b, s:i, s:[]}", "owner", v->user, "official", 0,
                        "verified", 0, "featured", 0, "installs", 0, "versions");
        json_object_set_new(l->libraries, name, lib);
        key = name;
    }
    char *hex = hex_of(data, size);
    json_t *ver = json_pack("{s:O, s:s, s:I, s:o, s:s}", "version",
                            json_object_get(attrs, "version"), "visibility", "private",
                            "created_ms", (json_int_t)now_ms, "attributes", attrs, "archive", hex);
    free(hex);
    /* keep the versions oldest first */
    json_t *versions = json_object_get(lib, "versions");
    size_t at = json_array_size(versions);
    const char *new_version = json_string_value(json_object_get(ver, "version"));
    while (at > 0 && sim_library_version_compare(json_string_value(json_object_get(
                                                     json_array_get(versions, at - 1), "version")),
                                                 new_version) > 0)
        at--;
    json_array_insert_new(versions, at, ver);
    *out = json_pack("{s:o}", "data", sim_library_item(key, lib, ver, v));
    edited(l);
    return 200;
}

/* The library @p name as its owner may change it: 404 unknown (or another's private), 403
 * not the owner. */
static unsigned int owned(const sim_libraries *l, const sim_library_view *v, const char *name,
                          json_t **lib, const char **key, const char **why)
{
    *lib = sim_library_find(l, name, key);
    if (!*lib || !sim_library_visible_latest(*lib, v->user, NULL)) {
        *why = "Library not found";
        return 404;
    }
    if (!sim_library_mine(*lib, v->user)) {
        *why = "Only the library's owner can change it";
        return 403;
    }
    return 200;
}

unsigned int sim_library_publish(sim_libraries *l, const sim_library_view *v, const char *name,
                                 json_t **out, const char **why)
{
    json_t *lib;
    const char *key;
    unsigned int status = owned(l, v, name, &lib, &key, why);
    if (status != 200)
        return status;
    json_t *versions = json_object_get(lib, "versions");
    json_t *latest = json_array_get(versions, json_array_size(versions) - 1);
    json_object_set_new(latest, "visibility", json_string("public"));
    *out = json_pack("{s:o}", "data", sim_library_item(key, lib, latest, v));
    edited(l);
    return 200;
}

unsigned int sim_library_delete(sim_libraries *l, const sim_library_view *v, const char *name,
                                const char **why)
{
    json_t *lib;
    const char *key;
    unsigned int status = owned(l, v, name, &lib, &key, why);
    if (status != 200)
        return status;
    const json_t *versions = json_object_get(lib, "versions");
    for (size_t i = 0; i < json_array_size(versions); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(versions, i), "visibility")),
                   "public") == 0) {
            *why = "A published library cannot be deleted; ask Particle support";
            return 403;
        }
    json_object_del(l->libraries, key);
    edited(l);
    return 200;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

unsigned int sim_library_archive(const sim_libraries *l, const char *name, const char *version,
                                 unsigned char **data, size_t *size, const char **why)
{
    const json_t *lib = sim_library_find(l, name, NULL);
    const json_t *versions = json_object_get(lib, "versions");
    for (size_t i = 0; i < json_array_size(versions); i++) {
        const json_t *ver = json_array_get(versions, i);
        if (strcmp(json_string_value(json_object_get(ver, "version")), version) != 0)
            continue;
        const char *hex = json_string_value(json_object_get(ver, "archive"));
        size_t n = hex ? strlen(hex) / 2 : 0;
        *data = malloc(n ? n : 1);
        if (!*data)
            abort();
        for (size_t k = 0; k < n; k++)
            (*data)[k] = (unsigned char)(hex_digit(hex[2 * k]) << 4 | hex_digit(hex[2 * k + 1]));
        *size = n;
        return 200;
    }
    *why = "Library archive not found";
    return 404;
}
