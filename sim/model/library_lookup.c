/* The library store's lookups and the rendering of one item, shared by the store
 * (libraries.c) and the listing (library_list.c) so neither needs the other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/library_store.h"

int sim_library_version_compare(const char *a, const char *b)
{
    while (*a || *b) {
        unsigned long x = 0, y = 0;
        while (*a >= '0' && *a <= '9')
            x = x * 10 + (unsigned long)(*a++ - '0');
        while (*b >= '0' && *b <= '9')
            y = y * 10 + (unsigned long)(*b++ - '0');
        if (x != y)
            return x < y ? -1 : 1;
        if (*a != *b)
            return strcmp(a, b) < 0 ? -1 : 1;
        if (*a)
            a++, b++;
    }
    return 0;
}

bool sim_library_mine(const json_t *lib, const char *user)
{
    const char *owner = json_string_value(json_object_get(lib, "owner"));
    return user && owner && strcmp(owner, user) == 0;
}

json_t *sim_library_visible_latest(const json_t *lib, const char *user, const char *version)
{
    const json_t *versions = json_object_get(lib, "versions");
    bool mine = sim_library_mine(lib, user);
    for (size_t i = json_array_size(versions); i-- > 0;) {
        json_t *v = json_array_get(versions, i);
        const char *vis = json_string_value(json_object_get(v, "visibility"));
        if (!mine && strcmp(vis, "public") != 0)
            continue;
        if (!version || strcmp(json_string_value(json_object_get(v, "version")), version) == 0)
            return v;
    }
    return NULL;
}

/* The library @p name ignoring case (library names are unique that way in the registry). */
json_t *sim_library_find(const sim_libraries *l, const char *name, const char **key)
{
    const char *k;
    json_t *lib;
    json_object_foreach(l->libraries, k, lib)
    {
        if (strcasecmp(k, name) == 0) {
            if (key)
                *key = k;
            return lib;
        }
    }
    return NULL;
}

json_t *sim_library_item(const char *name, const json_t *lib, const json_t *ver,
                         const sim_library_view *v)
{
    json_t *attrs = json_deep_copy(json_object_get(ver, "attributes"));
    json_object_set_new(attrs, "name", json_string(name));
    json_object_set(attrs, "version", json_object_get(ver, "version"));
    json_object_set(attrs, "visibility", json_object_get(ver, "visibility"));
    json_object_set_new(attrs, "mine", json_boolean(sim_library_mine(lib, v->user)));
    json_object_set(attrs, "official", json_object_get(lib, "official"));
    json_object_set(attrs, "verified", json_object_get(lib, "verified"));
    json_object_set(attrs, "installs", json_object_get(lib, "installs"));
    char link[512];
    snprintf(link, sizeof(link), "%s/v1/libraries/%s/archive/%s.tar.gz", v->link_base, name,
             json_string_value(json_object_get(ver, "version")));
    return json_pack("{s:s, s:s, s:o, s:{s:s}}", "type", "libraries", "id", name, "attributes",
                     attrs, "links", "download", link);
}
