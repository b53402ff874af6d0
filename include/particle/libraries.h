/**
 * @file libraries.h
 * @brief Firmware libraries: list (filters, sort, paging, scope; with an iterator), get (a
 *        version), versions, contribute (a .tar.gz archive), publish, delete, and download
 *        an archive (reference: particle-api-js.md §2.5, cloud-api.md §12).
 *
 * The API answers in JSON:API form: a library is {"type": "libraries", "id": name,
 * "attributes": {name, version, author, sentence, ...}, "links": {"download": url}}; a list
 * is {"data": [...]}, one library {"data": {...}}. particle_library_parse() turns one such
 * item into a typed particle_library. Library names are percent-encoded into the path.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_LIBRARIES_H
#define PARTICLE_LIBRARIES_H

#include <stdint.h>

#include "particle/client.h"
#include "particle/request.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** One dependency of a library: `dependencies.<name>=<version>` of library.properties. */
typedef struct particle_library_dependency {
    const char *name;
    const char *version;
} particle_library_dependency;

/**
 * A library version as the API describes it (the `attributes` of a JSON:API item, and its
 * `links.download`). Strings the answer lacks are "" (never NULL); flags the answer lacks
 * are 0. Owned by whoever returned it.
 */
typedef struct particle_library {
    const char *name;
    const char *version;
    const char *author;
    const char *sentence;   /**< one-line summary */
    const char *paragraph;  /**< longer description */
    const char *url;        /**< home page */
    const char *repository; /**< source repository */
    const char *license;
    const char *category;
    const char *visibility;           /**< "public" or "private" */
    const char *download_url;         /**< `links.download`: the archive (.tar.gz) */
    const char *const *architectures; /**< platforms ("particle-photon", "*", ...) */
    size_t architecture_count;
    const particle_library_dependency *dependencies;
    size_t dependency_count;
    int64_t installs; /**< install count; 0 when not sent */
    int official;     /**< 1: an official Particle library */
    int verified;     /**< 1: a verified community library */
    int mine;         /**< 1: the caller owns it */
} particle_library;

/**
 * Makes a typed library of one JSON:API item (an element of `data`).
 * @param[out] out the library; free with particle_library_free()
 * @param item     {"attributes": {...}, "links": {...}}; `attributes.name` is required
 * @return 0; PARTICLE_EINVAL (NULL argument), PARTICLE_EPROTO (no attributes or name),
 *         PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_library_parse(particle_library **out, const particle_value *item);

/** Frees @p lib. NULL-safe. */
PARTICLE_API void particle_library_free(particle_library *lib);

/** Options for particle_library_list() and particle_library_iter_new(); every key is the
 *  one particle-api-js listLibraries() sends; NULL, "" and 0 are not sent. */
typedef struct particle_library_list_options {
    unsigned int version;             /**< PARTICLE_LIBRARY_LIST_OPTIONS_VERSION */
    const char *filter;               /**< `filter`: search term (name and sentence) */
    const char *sort;                 /**< `sort`: e.g. "name", "-installs", "popularity", "date" */
    const char *const *architectures; /**< `architectures` (comma-joined) */
    size_t architecture_count;
    const char *category; /**< `category` */
    /** `scope`: all (default: public and mine), official, verified, featured, public,
     *  private, mine */
    const char *scope;
    const char *const *exclude_scopes; /**< `excludeScopes` (comma-joined) */
    size_t exclude_scope_count;
    unsigned int page;  /**< `page`, 1-based */
    unsigned int limit; /**< `limit`: items per page */
} particle_library_list_options;

#define PARTICLE_LIBRARY_LIST_OPTIONS_VERSION 1
#define PARTICLE_LIBRARY_LIST_OPTIONS_INIT                                                         \
    {                                                                                              \
        PARTICLE_LIBRARY_LIST_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, 0u, 0u    \
    }

/** Fills @p opts with PARTICLE_LIBRARY_LIST_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_library_list_options_init(particle_library_list_options *opts,
                                                    unsigned int version);

/**
 * Lists one page of libraries: `GET /v1/libraries?filter=&sort=&architectures=&category=
 * &scope=&excludeScopes=&page=&limit=` → {"data": [item, ...]}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param opts     NULL = the server's defaults
 * @return 0; PARTICLE_EINVAL (bad arguments, an empty architecture or scope), PARTICLE_EHTTP
 *         (400: an unknown scope or sort), PARTICLE_EPROTO (no `data` array), transport
 *         codes.
 */
PARTICLE_API int particle_library_list(particle_doc **out, particle_client *client,
                                       const particle_library_list_options *opts);

/** Walks a library listing page by page. Not thread-safe; one owner. */
typedef struct particle_library_iter particle_library_iter;

/**
 * Starts an iteration (opts->page is the first page, default 1). The listing ends at an
 * empty page, or at a page shorter than opts->limit when a limit is set. The options and
 * their strings are copied. No request is made until the first _next().
 * @param client borrowed; must outlive the iterator
 * @return 0, PARTICLE_EINVAL, PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_library_iter_new(particle_library_iter **out, particle_client *client,
                                           const particle_library_list_options *opts);

/**
 * The next library, fetching the next page when needed.
 * @param[out] out the library, owned by the iterator: valid until the next call of
 *                 particle_library_iter_next() or _free(); NULL at the end
 * @return 0 (check *out for the end), or a negative code (calling again retries the page).
 */
PARTICLE_API int particle_library_iter_next(const particle_library **out,
                                            particle_library_iter *it);

/** Frees @p it. NULL-safe. */
PARTICLE_API void particle_library_iter_free(particle_library_iter *it);

/**
 * Gets a library: `GET /v1/libraries/:name[?version=]` → {"data": item}.
 * @param[out] out the library; free with particle_library_free()
 * @param version  NULL or "" = the latest version the caller may see
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (no such library or version),
 *         PARTICLE_EPROTO (no `data` object), transport codes.
 */
PARTICLE_API int particle_library_get(particle_library **out, particle_client *client,
                                      const char *name, const char *version);

/**
 * Lists a library's versions, newest first: `GET /v1/libraries/:name/versions[?page=&limit=]`
 * → {"data": [item, ...]} (items for particle_library_parse()).
 * @param page  0 = not sent
 * @param limit 0 = not sent
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EPROTO (no `data` array),
 *         transport codes.
 */
PARTICLE_API int particle_library_versions(particle_doc **out, particle_client *client,
                                           const char *name, unsigned int page, unsigned int limit);

/**
 * Contributes a library version from a .tar.gz archive holding its library.properties:
 * `POST /v1/libraries`, multipart part `file` with the file name `archive.tar.gz` (as
 * particle-api-js sends it) → {"data": item}. The new version is private to the caller
 * until particle_library_publish(). Not retried.
 * @param[out] out the contributed version; NULL = not needed
 * @param archive_path the archive file, read at send time
 * @return 0; PARTICLE_EINVAL (an unreadable file), PARTICLE_EHTTP (400: not a library
 *         archive, bad name or version, a version that exists), PARTICLE_EFORBIDDEN (the
 *         name is another user's), transport codes.
 */
PARTICLE_API int particle_library_contribute(particle_library **out, particle_client *client,
                                             const char *archive_path);

/**
 * Publishes the latest private version of a library: `PATCH /v1/libraries/:name` with JSON
 * {"visibility": "public"} → {"data": item}.
 * @param[out] out the published version; NULL = not needed
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN (not the owner),
 *         transport codes.
 */
PARTICLE_API int particle_library_publish(particle_library **out, particle_client *client,
                                          const char *name);

/**
 * Deletes a private library (every version): `DELETE /v1/libraries/:name` with JSON
 * {"force": force} when @p force is set (the key Particle staff use to delete a public
 * one), else an empty body.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN (not the owner, or a
 *         public library without the force key), transport codes.
 */
PARTICLE_API int particle_library_delete(particle_client *client, const char *name,
                                         const char *force);

/**
 * Downloads a library archive (@p lib->download_url) through particle_transfer(), capped
 * and to the destination @p dl names (a file, a callback, or memory). The URL must be on
 * the client's API host (an absolute URL starting with the client's base URL, or a path).
 * @param dl NULL = into memory, capped at the client's max_response_bytes
 * @return 0; PARTICLE_EINVAL (no download URL, or one on another host), every code of
 *         particle_transfer().
 */
PARTICLE_API int particle_library_download(particle_response **out, particle_client *client,
                                           const particle_library *lib,
                                           const particle_download_options *dl);

PARTICLE_END_DECL

#endif
