/* The library listing iterator (libraries.h). The library API sends no page count, so the
 * walk ends at an empty page, or at a page shorter than the limit asked for. */
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "internal.h"
#include "library_internal.h"

#define ITER_KEPT_STRINGS 4

struct particle_library_iter {
    particle_client *client;
    particle_library_list_options opts; /* strings point at the copies below */
    char *strings[ITER_KEPT_STRINGS];
    char **architectures;
    char **exclude_scopes;
    json_t *page_json; /* the current page, NULL before the first */
    size_t index;      /* next item of page_json */
    unsigned int page; /* number of page_json */
    bool last_page;
    particle_library *current;
};

static void free_list(char **list, size_t count)
{
    for (size_t i = 0; list != NULL && i < count; i++) {
        particle__free(list[i]);
    }
    particle__free(list);
}

void particle_library_iter_free(particle_library_iter *it)
{
    if (it == NULL) {
        return;
    }
    for (size_t i = 0; i < ITER_KEPT_STRINGS; i++) {
        particle__free(it->strings[i]);
    }
    free_list(it->architectures, it->opts.architecture_count);
    free_list(it->exclude_scopes, it->opts.exclude_scope_count);
    json_decref(it->page_json);
    particle_library_free(it->current);
    particle__free(it);
}

/* Copies *field into slot @p slot and points *field at the copy. */
static int keep_string(particle_library_iter *it, size_t slot, const char **field)
{
    if (*field == NULL) {
        return 0;
    }
    it->strings[slot] = particle__strdup(*field);
    *field = it->strings[slot];
    return *field == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
}

/* Copies a list (its entries are checked when the query is built). */
static int keep_list(char ***copy, const char *const **field, size_t count)
{
    if (count == 0 || *field == NULL) {
        return 0;
    }
    *copy = particle__calloc(count, sizeof(**copy));
    if (*copy == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    for (size_t i = 0; i < count; i++) {
        if ((*field)[i] != NULL && ((*copy)[i] = particle__strdup((*field)[i])) == NULL) {
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
    }
    *field = (const char *const *)*copy;
    return 0;
}

int particle_library_iter_new(particle_library_iter **out, particle_client *c,
                              const particle_library_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle_library_list_options defaults = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    int error;
    if (opts == NULL) {
        opts = &defaults;
    } else if ((error = particle__options_check(
                    opts->version, PARTICLE_LIBRARY_LIST_OPTIONS_VERSION, "library list")) < 0) {
        return error;
    }
    particle_library_iter *it = particle__calloc(1, sizeof(*it));
    if (it == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    it->client = c;
    it->opts = *opts;
    if ((error = keep_string(it, 0, &it->opts.filter)) < 0 ||
        (error = keep_string(it, 1, &it->opts.sort)) < 0 ||
        (error = keep_string(it, 2, &it->opts.category)) < 0 ||
        (error = keep_string(it, 3, &it->opts.scope)) < 0 ||
        (error = keep_list(&it->architectures, &it->opts.architectures,
                           it->opts.architecture_count)) < 0 ||
        (error = keep_list(&it->exclude_scopes, &it->opts.exclude_scopes,
                           it->opts.exclude_scope_count)) < 0) {
        particle_library_iter_free(it);
        return error;
    }
    *out = it;
    return 0;
}

/* Fetches the page after the current one (the first page first). */
static int fetch_next(particle_library_iter *it)
{
    unsigned int next =
        it->page_json == NULL ? (it->opts.page > 0 ? it->opts.page : 1) : it->page + 1;
    json_t *page = NULL;
    int error = particle__library_fetch_list(&page, it->client, &it->opts, next);
    if (error < 0) {
        return error;
    }
    size_t count = json_array_size(json_object_get(page, "data"));
    json_decref(it->page_json);
    it->page_json = page;
    it->page = next;
    it->index = 0;
    it->last_page = count == 0 || (it->opts.limit > 0 && count < it->opts.limit);
    return 0;
}

int particle_library_iter_next(const particle_library **out, particle_library_iter *it)
{
    if (out == NULL || it == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out or iterator is NULL");
    }
    *out = NULL;
    particle_library_free(it->current);
    it->current = NULL;
    for (;;) {
        json_t *items = json_object_get(it->page_json, "data");
        if (it->page_json != NULL && it->index < json_array_size(items)) {
            int error = particle__library_from_json(&it->current, json_array_get(items, it->index));
            if (error < 0) {
                return error;
            }
            it->index++;
            *out = it->current;
            return 0;
        }
        if (it->page_json != NULL && it->last_page) {
            return 0;
        }
        int error = fetch_next(it);
        if (error < 0) {
            return error;
        }
    }
}
