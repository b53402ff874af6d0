/*
 * Firmware libraries (particle-api-js.md §2.5, cloud-api.md §12; docs/SIM.md "Libraries"):
 * the sample libraries of the fixture (model/library_fixture.c, every version public and
 * owned by no user) and the versions users contribute, private to their owner until
 * published. A library has one owner; each version has its visibility and its archive (a
 * .tar.gz holding library.properties).
 *
 * The store is one JSON tree:
 *   {"libraries": {name: {owner, official, verified, featured, installs, versions: [{version,
 *    visibility, created_ms, attributes: {...}, archive: hex}]}}}
 * with the versions oldest first. Items are rendered in the JSON:API form particle-api-js
 * reads: {type: "libraries", id, attributes: {...}, links: {download}}. With --state the
 * contributed libraries are written to the state file after each change
 * (persist_libraries.h); the fixture is rebuilt at start.
 *
 * Calls return an HTTP status: 200, or 400/403/404 with *why set; a refused change changes
 * nothing. @p user is the caller's username, NULL for a caller without one (a product
 * token): it sees public versions only and cannot change anything.
 *
 * Threads: model lock held (the routes hold it).
 */
#ifndef SIM_LIBRARIES_H
#define SIM_LIBRARIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* UNVERIFIED limits (docs/COMPATIBILITY.md "Libraries"). */
#define SIM_LIBRARY_ARCHIVE_MAX (1024 * 1024)      /* a contributed .tar.gz */
#define SIM_LIBRARY_UNPACKED_MAX (8 * 1024 * 1024) /* its tar, unpacked */
#define SIM_LIBRARY_PROPERTIES_MAX (64 * 1024)     /* its library.properties */
#define SIM_LIBRARY_NAME_MAX 64
#define SIM_LIBRARY_PAGE_DEFAULT 10
#define SIM_LIBRARY_PAGE_MAX 100

typedef struct sim_libraries sim_libraries;

/* Called after every change with the contributed part of the store (the persistence). */
typedef void sim_libraries_saver(const json_t *contributed, void *payload);

/* The store with the fixture libraries; NULL when out of memory. */
sim_libraries *sim_libraries_new(void);
void sim_libraries_free(sim_libraries *l); /* NULL-safe */
/* Back to the fixture alone (the control API's reset); saves the empty contribution set. */
void sim_libraries_clear(sim_libraries *l);
/* Adds the contributed libraries @p contributed (as the saver got them; borrowed) to the
 * store without saving them back, and from now on calls @p saver after each change.
 * Returns 0, or -1 when @p contributed is not such a set. */
int sim_libraries_restore(sim_libraries *l, const json_t *contributed, sim_libraries_saver *saver,
                          void *payload);

/* The listing filters, as the query strings came (NULL = not given). */
typedef struct sim_library_query {
    const char *filter, *sort, *architectures, *category, *scope, *exclude_scopes;
    long page, limit;
} sim_library_query;

/* The base of the download links: "http://host:port", or "" for paths only. */
typedef struct sim_library_view {
    const char *user;
    const char *link_base;
} sim_library_view;

/* GET /v1/libraries: *out = {"data": [...]}; 400 for an unknown scope or sort. */
unsigned int sim_library_list(const sim_libraries *l, const sim_library_view *v,
                              const sim_library_query *q, json_t **out, const char **why);
/* GET /v1/libraries/:name[?version=]: *out = {"data": item}. */
unsigned int sim_library_get(const sim_libraries *l, const sim_library_view *v, const char *name,
                             const char *version, json_t **out, const char **why);
/* GET /v1/libraries/:name/versions: *out = {"data": [...]}, newest first. */
unsigned int sim_library_versions(const sim_libraries *l, const sim_library_view *v,
                                  const char *name, long page, long limit, json_t **out,
                                  const char **why);
/* POST /v1/libraries: a new private version from the archive @p data. */
unsigned int sim_library_contribute(sim_libraries *l, const sim_library_view *v, const void *data,
                                    size_t size, int64_t now_ms, json_t **out, const char **why);
/* PATCH /v1/libraries/:name {"visibility":"public"}: the latest version becomes public. */
unsigned int sim_library_publish(sim_libraries *l, const sim_library_view *v, const char *name,
                                 json_t **out, const char **why);
/* DELETE /v1/libraries/:name: the owner's private library (every version). */
unsigned int sim_library_delete(sim_libraries *l, const sim_library_view *v, const char *name,
                                const char **why);
/* The archive of @p name @p version, for the download link (which needs no token, as a CDN
 * link): *data is a new buffer (free()). 404 when there is none. */
unsigned int sim_library_archive(const sim_libraries *l, const char *name, const char *version,
                                 unsigned char **data, size_t *size, const char **why);

/* ---- archives (model/library_archive.c) ---- */

typedef struct sim_library_file {
    const char *path; /* inside the archive, e.g. "library.properties" */
    const char *text;
} sim_library_file;

/* A .tar.gz of @p files (deterministic: fixed times and owners) into *out and *size (free()).
 * Returns 0 or -1 (zlib failed). */
int sim_library_archive_build(const sim_library_file *files, size_t count, unsigned char **out,
                              size_t *size);
/* The text of library.properties (at the top or one directory down) of the .tar.gz @p data
 * into *text (free()). Returns 0, or -1 with *why: not gzip, not tar, too big, none. */
int sim_library_archive_properties(const void *data, size_t size, char **text, const char **why);
/* The attributes of a library.properties text: {name, version, author, ..., architectures:
 * [...], dependencies: {...}} (a new reference). */
json_t *sim_library_properties_parse(const char *text);

/* ---- the fixture (model/library_fixture.c) ---- */

/* Adds the sample libraries to @p libraries (the store's "libraries" object). 0 or -1. */
int sim_library_fixture_load(json_t *libraries);

#endif
