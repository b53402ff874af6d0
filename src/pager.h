/* Walking a paged listing one item at a time: the product device and SIM iterators share
 * it. A page is {"<items>": [...], "meta": {"total_pages": N}}; without meta the page is
 * the last one. Not installed. */
#ifndef PARTICLE_PAGER_H
#define PARTICLE_PAGER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "particle/value.h"
#include "pu_buf.h"

/* Fetches page @p page_no (1-based) into *page (a new reference). 0 or a negative code
 * with the error set. */
typedef int particle__page_fetch_fn(json_t **page, void *ctx, unsigned int page_no);

typedef struct particle__pager {
    const char *items_key; /* "devices", "sims" */
    const char *what;      /* names the page in the PARTICLE_EPROTO message */
    unsigned int first_page;
    json_t *page_json; /* the current page, NULL before the first */
    size_t index;      /* next item in page_json */
    unsigned int page; /* number of page_json */
    unsigned int total_pages;
    bool done;
    char *strings[8]; /* the iterator's own copies of its option strings */
    size_t string_count;
} particle__pager;

/* @p items_key and @p what must outlive the pager; @p first_page 0 = 1. */
void particle__pager_init(particle__pager *p, const char *items_key, const char *what,
                          unsigned int first_page);

/* The next item into *out (borrowed until the next call), fetching pages as needed; *out is
 * NULL after the last. 0, the fetch's error, or PARTICLE_EPROTO for a page without its
 * items array. */
int particle__pager_next(particle__pager *p, const particle_value **out,
                         particle__page_fetch_fn *fetch, void *ctx);

/* Copies the option string *field (NULL stays NULL) and points *field at the copy, which the
 * pager frees: the SDK never keeps a caller's pointer. 0 or PARTICLE_ENOMEM. */
int particle__pager_keep(particle__pager *p, const char **field);

/* Appends a listing filter "key=value" to the query @p q, unless @p value is NULL or empty
 * (an unset filter). Returns 0 or the buffer's (sticky) error. */
int particle__pager_query_filter(pu_buf *q, const char *key, const char *value);

/* Ends a listing's query: appends `page` (@p page, else @p default_page, when non-zero) and
 * `per_page` (when non-zero), the keys particle-api-js sends, and checks the buffer once.
 * 0, or PARTICLE_EINVAL (too long) / PARTICLE_ENOMEM with the error set. */
int particle__pager_query_end(pu_buf *q, unsigned int page, unsigned int default_page,
                              unsigned int per_page);

/* Frees the current page and the kept strings. */
void particle__pager_dispose(particle__pager *p);

#endif
