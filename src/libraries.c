/* Firmware libraries (libraries.h): listing, get, versions, contribute, publish, delete and
 * the archive download, with the paths, query keys and bodies of particle-api-js 12. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "library_internal.h"
#include "strbuf.h"
#include "value_internal.h"

int particle_library_list_options_init(particle_library_list_options *opts, unsigned int version)
{
    static const particle_library_list_options defaults = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_LIBRARY_LIST_OPTIONS_VERSION, "library list");
}

/* Appends key=a,b,c (particle-api-js `_asList`) unless @p count is 0. */
static int append_list(pu_buf *q, const char *key, const char *const *items, size_t count)
{
    if (count == 0) {
        return 0;
    }
    if (items == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "%s: NULL list with a count", key);
    }
    pu_buf joined;
    particle__buf_init(&joined, PARTICLE__PATH_MAX_BYTES);
    for (size_t i = 0; i < count; i++) {
        if (items[i] == NULL || items[i][0] == '\0' || strchr(items[i], ',') != NULL) {
            pu_buf_dispose(&joined);
            return particle__error_set(PARTICLE_EINVAL, "%s: an empty entry or one with a comma",
                                       key);
        }
        if (i > 0) {
            pu_buf_append_char(&joined, ',');
        }
        pu_buf_append_str(&joined, items[i]);
    }
    int error = pu_buf_error(&joined) != 0 ? particle__error_set(particle__buf_code(&joined),
                                                                 "cannot build the %s list", key)
                                           : 0;
    if (error == 0) {
        pu_buf_append_param(q, key, joined.data);
    }
    pu_buf_dispose(&joined);
    return error;
}

static void append_text(pu_buf *q, const char *key, const char *value)
{
    if (value != NULL && value[0] != '\0') {
        pu_buf_append_param(q, key, value);
    }
}

static void append_number(pu_buf *q, const char *key, unsigned int value)
{
    if (value > 0) {
        char text[16];
        snprintf(text, sizeof(text), "%u", value);
        pu_buf_append_param(q, key, text);
    }
}

/* Fails PARTICLE_EPROTO (answer dropped) unless *root has `data` of the wanted kind. */
static int check_data(json_t **root, int error, bool array, const char *what)
{
    if (error < 0 || *root == NULL) {
        return error;
    }
    json_t *data = json_object_get(*root, "data");
    if (array ? json_is_array(data) : json_is_object(data)) {
        return 0;
    }
    json_decref(*root);
    *root = NULL;
    return particle__error_set(PARTICLE_EPROTO, "the %s answer has no data %s", what,
                               array ? "array" : "object");
}

int particle__library_fetch_list(json_t **out, particle_client *c,
                                 const particle_library_list_options *o, unsigned int page)
{
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle_library_list_options defaults = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    int error;
    if (o == NULL) {
        o = &defaults;
    } else if ((error = particle__options_check(o->version, PARTICLE_LIBRARY_LIST_OPTIONS_VERSION,
                                                "library list")) < 0) {
        return error;
    }
    pu_buf q;
    particle__buf_init(&q, PARTICLE__PATH_MAX_BYTES);
    /* the order of particle-api-js listLibraries() */
    append_number(&q, "page", page > 0 ? page : o->page);
    append_text(&q, "filter", o->filter);
    append_number(&q, "limit", o->limit);
    append_text(&q, "sort", o->sort);
    error = append_list(&q, "architectures", o->architectures, o->architecture_count);
    append_text(&q, "category", o->category);
    append_text(&q, "scope", o->scope);
    if (error == 0) {
        error = append_list(&q, "excludeScopes", o->exclude_scopes, o->exclude_scope_count);
    }
    if (error == 0 && pu_buf_error(&q) != 0) {
        error = particle__error_set(particle__buf_code(&q), "cannot build the query string");
    }
    if (error == 0) {
        particle__request req = {.method = "GET", .path = "/v1/libraries", .query = q.data};
        error = check_data(out, particle__http_perform(c, &req, out), true, "library list");
    }
    pu_buf_dispose(&q);
    return error;
}

int particle_library_list(particle_doc **out, particle_client *c,
                          const particle_library_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    json_t *root = NULL;
    int error = particle__library_fetch_list(&root, c, opts, 0);
    return error < 0 ? error : particle__doc_wrap(out, root);
}

/* "/v1/libraries/<name>[<suffix>]", or NULL with the error set. */
static char *library_path(const char *name, const char *suffix)
{
    if (particle__require(name, "library name") < 0) {
        return NULL;
    }
    return particle__api_path(NULL, "libraries", name, suffix);
}

/* One call whose answer is {"data": item}, made typed into *out (NULL = not wanted). */
static int call_item(particle_library **out, particle_client *c, particle__request *req,
                     const char *what)
{
    json_t *root = NULL;
    int error = check_data(&root, particle__http_perform(c, req, &root), false, what);
    if (error == 0 && out != NULL) {
        error = particle__library_from_json(out, json_object_get(root, "data"));
    }
    json_decref(root);
    return error;
}

/* Checks the client and clears *out. */
static int start(particle_library **out, const particle_client *c)
{
    if (out != NULL) {
        *out = NULL;
    }
    return c == NULL ? particle__error_set(PARTICLE_EINVAL, "client is NULL") : 0;
}

int particle_library_get(particle_library **out, particle_client *c, const char *name,
                         const char *version)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    int error = start(out, c);
    char *path = error == 0 ? library_path(name, NULL) : NULL;
    if (path == NULL) {
        return error < 0 ? error : particle_error_last()->code;
    }
    pu_buf q;
    particle__buf_init(&q, PARTICLE__PATH_MAX_BYTES);
    append_text(&q, "version", version);
    if (pu_buf_error(&q) != 0) {
        error = particle__error_set(particle__buf_code(&q), "cannot build the query string");
    } else {
        particle__request req = {.method = "GET", .path = path, .query = q.data};
        error = call_item(out, c, &req, "library");
    }
    pu_buf_dispose(&q);
    particle__free(path);
    return error;
}

int particle_library_versions(particle_doc **out, particle_client *c, const char *name,
                              unsigned int page, unsigned int limit)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = library_path(name, "versions");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    pu_buf q;
    particle__buf_init(&q, PARTICLE__PATH_MAX_BYTES);
    append_number(&q, "page", page);
    append_number(&q, "limit", limit);
    int error = 0;
    json_t *root = NULL;
    if (pu_buf_error(&q) != 0) {
        error = particle__error_set(particle__buf_code(&q), "cannot build the query string");
    } else {
        particle__request req = {.method = "GET", .path = path, .query = q.data};
        error = check_data(&root, particle__http_perform(c, &req, &root), true, "library versions");
    }
    pu_buf_dispose(&q);
    particle__free(path);
    return error < 0 ? error : particle__doc_wrap(out, root);
}

int particle_library_contribute(particle_library **out, particle_client *c,
                                const char *archive_path)
{
    int error = start(out, c);
    if (error < 0 || (error = particle__require(archive_path, "archive path")) < 0) {
        return error;
    }
    /* particle-api-js: files {'archive.tar.gz': archive} → part "file", that file name */
    particle_form_part part = {.name = "file",
                               .filename = "archive.tar.gz",
                               .content_type = "application/gzip",
                               .path = archive_path};
    particle__request req = {
        .method = "POST", .path = "/v1/libraries", .parts = &part, .part_count = 1};
    return call_item(out, c, &req, "library contribution");
}

int particle_library_publish(particle_library **out, particle_client *c, const char *name)
{
    int error = start(out, c);
    char *path = error == 0 ? library_path(name, NULL) : NULL;
    if (path == NULL) {
        return error < 0 ? error : particle_error_last()->code;
    }
    static const char body[] = "{\"visibility\":\"public\"}";
    particle__request req = {.method = "PATCH",
                             .path = path,
                             .body = body,
                             .body_len = sizeof(body) - 1,
                             .content_type = PARTICLE__CT_JSON};
    error = call_item(out, c, &req, "library publish");
    particle__free(path);
    return error;
}

int particle_library_delete(particle_client *c, const char *name, const char *force)
{
    int error = start(NULL, c);
    char *path = error == 0 ? library_path(name, NULL) : NULL;
    if (path == NULL) {
        return error < 0 ? error : particle_error_last()->code;
    }
    char *body = NULL;
    if (force != NULL && force[0] != '\0') {
        json_t *j = json_pack("{s:s}", "force", force);
        body = j != NULL ? particle__json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (body == NULL) {
            particle__free(path);
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
    }
    particle__request req = {.method = "DELETE", .path = path};
    if (body != NULL) {
        req.body = body;
        req.body_len = strlen(body);
        req.content_type = PARTICLE__CT_JSON;
    }
    error = particle__http_perform(c, &req, NULL);
    particle__free(body);
    particle__free(path);
    return error;
}

int particle_library_download(particle_response **out, particle_client *c,
                              const particle_library *lib, const particle_download_options *dl)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL || lib == NULL || lib->download_url == NULL || lib->download_url[0] == '\0') {
        return particle__error_set(PARTICLE_EINVAL, "no client, library or download URL");
    }
    /* particle_transfer() reaches the client's host only: take the path of an absolute URL
     * on it, refuse any other host (the bearer token must not travel elsewhere). */
    const char *base = particle_client_base_url(c);
    size_t base_len = strlen(base);
    const char *path = lib->download_url;
    if (strncmp(path, base, base_len) == 0 && path[base_len] == '/') {
        path += base_len;
    } else if (path[0] != '/') {
        return particle__error_set(PARTICLE_EINVAL,
                                   "the archive is not on the client's API host: %s", path);
    }
    particle_transfer_options opts = PARTICLE_TRANSFER_OPTIONS_INIT;
    opts.flags = PARTICLE_REQUEST_RETRY;
    opts.accept = "application/gzip, application/octet-stream";
    if (dl != NULL) {
        opts.download = *dl;
    }
    /* the query, if any, travels inside the path: split it off for particle_transfer() */
    const char *question = strchr(path, '?');
    if (question == NULL) {
        return particle_transfer(out, c, "GET", path, NULL, &opts);
    }
    char *bare = particle__strndup(path, (size_t)(question - path));
    if (bare == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    int error = particle_transfer(out, c, "GET", bare, question + 1, &opts);
    particle__free(bare);
    return error;
}
