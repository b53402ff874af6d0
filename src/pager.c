/* The shared page walker of the listing iterators (pager.h). */
#include "pager.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"
#include "strbuf.h"
#include "value_internal.h"

void particle__pager_init(particle__pager *p, const char *items_key, const char *what,
                          unsigned int first_page)
{
    *p = (particle__pager){
        .items_key = items_key, .what = what, .first_page = first_page > 0 ? first_page : 1};
}

int particle__pager_next(particle__pager *p, const particle_value **out,
                         particle__page_fetch_fn *fetch, void *ctx)
{
    *out = NULL;
    while (!p->done) {
        json_t *items = json_object_get(p->page_json, p->items_key);
        if (p->page_json != NULL && p->index < json_array_size(items)) {
            *out = particle__value(json_array_get(items, p->index++));
            return 0;
        }
        unsigned int next;
        if (p->page_json == NULL) {
            next = p->first_page;
        } else if (p->page >= p->total_pages || json_array_size(items) == 0) {
            p->done = true;
            break;
        } else {
            next = p->page + 1;
        }
        json_t *page = NULL;
        int error = fetch(&page, ctx, next);
        if (error < 0) {
            return error;
        }
        if (!json_is_array(json_object_get(page, p->items_key))) {
            json_decref(page);
            return particle__error_set(PARTICLE_EPROTO, "%s page has no %s array", p->what,
                                       p->items_key);
        }
        json_t *tp = json_object_get(json_object_get(page, "meta"), "total_pages");
        json_int_t total = json_is_integer(tp) ? json_integer_value(tp) : 0;
        /* without meta the current page is the last one */
        p->total_pages = total > 0 && total < (json_int_t)UINT32_MAX ? (unsigned int)total : next;
        json_decref(p->page_json);
        p->page_json = page;
        p->page = next;
        p->index = 0;
    }
    return 0;
}

int particle__pager_keep(particle__pager *p, const char **field)
{
    if (*field == NULL) {
        return 0;
    }
    if (p->string_count == sizeof(p->strings) / sizeof(p->strings[0])) {
        return particle__error_set(PARTICLE_ERROR, "too many kept strings"); /* a bug here */
    }
    char *copy = particle__strdup(*field);
    if (copy == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    p->strings[p->string_count++] = copy;
    *field = copy;
    return 0;
}

int particle__pager_query_filter(pu_buf *q, const char *key, const char *value)
{
    return (value == NULL || *value == '\0') ? 0 : pu_buf_append_param(q, key, value);
}

int particle__pager_query_end(pu_buf *q, unsigned int page, unsigned int default_page,
                              unsigned int per_page)
{
    char num[32];
    if (page == 0) {
        page = default_page;
    }
    if (page > 0) {
        snprintf(num, sizeof(num), "%u", page);
        pu_buf_append_param(q, "page", num);
    }
    if (per_page > 0) {
        snprintf(num, sizeof(num), "%u", per_page);
        pu_buf_append_param(q, "per_page", num);
    }
    if (pu_buf_error(q) != 0) {
        return particle__error_set(particle__buf_code(q), "cannot build the query string");
    }
    return 0;
}

void particle__pager_dispose(particle__pager *p)
{
    json_decref(p->page_json);
    p->page_json = NULL;
    for (size_t i = 0; i < p->string_count; i++) {
        particle__free(p->strings[i]);
    }
    p->string_count = 0;
}
