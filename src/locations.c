/* Locations of a product's asset trackers (cloud-api.md §13 "Location"): the product's
 * list and one device's. */
#include <stdio.h>

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "particle/locations.h"
#include "resource.h"
#include "strbuf.h"

int particle_location_options_init(particle_location_options *options, unsigned int version)
{
    static const particle_location_options defaults = PARTICLE_LOCATION_OPTIONS_INIT;
    return particle__options_init(options, &defaults, sizeof(defaults), version,
                                  PARTICLE_LOCATION_OPTIONS_VERSION, "location");
}

/* The query string of @p o (NULL = none); @p list adds the list-only filters. Returns 0 or
 * an error code with the error set. */
static int location_query(pu_buf *query, const particle_location_options *o, bool list)
{
    if (o == NULL) {
        return 0;
    }
    int error = particle__options_check(o->version, PARTICLE_LOCATION_OPTIONS_VERSION, "location");
    if (error < 0) {
        return error;
    }
    if (o->per_page > 100) {
        return particle__error_set(PARTICLE_EINVAL, "per_page is at most 100");
    }
    const struct {
        const char *key, *value;
        bool list_only;
    } params[] = {{"date_range", o->date_range, false},  {"rect_bl", o->rect_bl, false},
                  {"rect_tr", o->rect_tr, false},        {"device_id", o->device_id, true},
                  {"device_name", o->device_name, true}, {"groups", o->groups, true}};
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        if (params[i].value != NULL && params[i].value[0] != '\0' &&
            (list || !params[i].list_only)) {
            pu_buf_append_param(query, params[i].key, params[i].value);
        }
    }
    const struct {
        const char *key;
        unsigned int value;
    } numbers[] = {{"page", o->page}, {"per_page", o->per_page}};
    for (size_t i = 0; list && i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        if (numbers[i].value > 0) {
            char text[16];
            snprintf(text, sizeof(text), "%u", numbers[i].value);
            pu_buf_append_param(query, numbers[i].key, text);
        }
    }
    return particle__buf_code(query) != 0
               ? particle__error_set(particle__buf_code(query), "cannot build the query string")
               : 0;
}

/* GET @p path with the query of @p o; the answer must carry @p key. */
static int location_call(particle_doc **out, particle_client *c, char *path,
                         const particle_location_options *o, bool list, const char *key,
                         const char *what)
{
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    int error = location_query(&query, o, list);
    if (error == 0) {
        particle__call call = {.method = "GET",
                               .path = path,
                               .query = query.data,
                               .key = key,
                               .key_is_array = list,
                               .what = what};
        error = particle__call_doc(out, c, &call);
    }
    pu_buf_dispose(&query);
    particle__free(path);
    return error;
}

int particle_location_list(particle_doc **out, particle_client *c, const char *product,
                           const particle_location_options *options)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path =
        particle__scoped_path("products", product, "product id or slug", "locations", NULL, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    return location_call(out, c, path, options, true, "locations", "location list");
}

int particle_location_get(particle_doc **out, particle_client *c, const char *product,
                          const char *device, const particle_location_options *options)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path = particle__scoped_path("products", product, "product id or slug", "locations",
                                       device, "device id");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    return location_call(out, c, path, options, false, "location", "device location");
}
