/* Product membership calls (cloud-api.md §5.4): importing devices into a product by id list
 * (JSON) or by list file (multipart/form-data); the same import approves a quarantined
 * device. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "particle/devices.h"
#include "value_internal.h"

int particle_product_import_options_init(particle_product_import_options *opts,
                                         unsigned int version)
{
    static const particle_product_import_options defaults = PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_PRODUCT_IMPORT_OPTIONS_VERSION, "import");
}

/* One id goes as {"id": ...}, the shape particle-api-js sends; several as {"ids": [...]}. */
static int import_body(json_t **out, const char *const *ids, size_t count,
                       const particle_product_import_options *o)
{
    *out = NULL;
    if (ids == NULL || count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "no device ids to import");
    }
    for (size_t i = 0; i < count; i++) {
        if (ids[i] == NULL || ids[i][0] == '\0') {
            return particle__error_set(PARTICLE_EINVAL, "device id %zu is empty", i + 1);
        }
    }
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0 && count == 1) {
        error = particle__json_add_text(body, "id", ids[0], "device id");
    } else if (error == 0) {
        json_t *list = json_array();
        error = particle__json_set(body, "ids", list);
        for (size_t i = 0; error == 0 && i < count; i++) {
            error = particle__json_add_text(list, NULL, ids[i], "device id");
        }
    }
    if (error == 0 && o->import_sims != PARTICLE_UNSET) {
        error =
            particle__json_set(body, "import_sims", json_boolean(o->import_sims == PARTICLE_YES));
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

/* "/v1/products/<product>/devices" into *path and, with claim_user, "claim_user=<email>"
 * into @p query. */
static int import_target(char **path, pu_buf *query, const char *product,
                         const particle_product_import_options *o)
{
    if ((*path = particle__api_path(product, "devices", NULL, NULL)) == NULL) {
        return particle_error_last()->code;
    }
    if (o->claim_user != NULL && o->claim_user[0] != '\0' &&
        pu_buf_append_param(query, "claim_user", o->claim_user) != 0) {
        return particle__error_set(particle__buf_code(query), "cannot build the import request");
    }
    return 0;
}

/* Checks the options (NULL = defaults) into *o. */
static int import_options(const particle_product_import_options **o,
                          const particle_product_import_options *opts)
{
    static const particle_product_import_options defaults = PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT;
    *o = opts != NULL ? opts : &defaults;
    return particle__options_check((*o)->version, PARTICLE_PRODUCT_IMPORT_OPTIONS_VERSION,
                                   "import");
}

/* Posts @p body (@p len bytes of @p content_type) to the product's device import and wraps
 * the answer, which must be an object, into *out (NULL = discard). */
static int send_import(particle_doc **out, particle_client *c, const char *product,
                       const char *body, size_t len, const char *content_type,
                       const particle_product_import_options *o)
{
    json_t *root = NULL;
    char *path = NULL;
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    int error = import_target(&path, &query, product, o);
    if (error < 0) {
        goto done;
    }
    particle__request req = {
        .method = "POST",
        .path = path,
        .query = query.data,
        .body = body,
        .body_len = len,
        .content_type = content_type,
        .retry_unsafe = (o->flags & PARTICLE_REQUEST_RETRY) != 0,
    };
    if ((error = particle__http_perform(c, &req, &root)) < 0) {
        goto done;
    }
    if (!json_is_object(root)) {
        error = particle__error_set(PARTICLE_EPROTO, "the import answer is not a JSON object");
        goto done;
    }
    if (out != NULL) {
        error = particle__doc_wrap(out, root); /* takes root, also on failure */
        root = NULL;
    }

done:
    json_decref(root);
    particle__free(path);
    pu_buf_dispose(&query);
    return error;
}

int particle_product_devices_add(particle_doc **out, particle_client *c, const char *product,
                                 const char *const *ids, size_t count,
                                 const particle_product_import_options *opts)
{
    const particle_product_import_options *o;
    json_t *body = NULL;
    char *text = NULL;
    int error;

    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    if ((error = import_options(&o, opts)) < 0 ||
        (error = particle__require(product, "product id or slug")) < 0 ||
        (error = import_body(&body, ids, count, o)) < 0) {
        return error;
    }
    if ((text = particle__json_dumps(body, JSON_COMPACT)) == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    } else {
        error = send_import(out, c, product, text, strlen(text), PARTICLE__CT_JSON, o);
    }
    particle__free(text);
    json_decref(body);
    return error;
}

/* ---- import by file (multipart/form-data) ---- */

#define IMPORT_FILE_MAX_BYTES (16u * 1024u * 1024u)
#define BOUNDARY_PREFIX "libparticle-form-boundary-"

/* Whether @p needle occurs in the @p len bytes of @p data (memmem is a GNU extension). */
static bool contains(const char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++) {
        if (data[i] == needle[0] && memcmp(data + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

/* A boundary that does not occur in the file: the prefix and a counter. */
static int pick_boundary(char *out, size_t size, const char *data, size_t len)
{
    for (unsigned int n = 0; n < 64; n++) {
        snprintf(out, size, BOUNDARY_PREFIX "%08x", n);
        if (!contains(data, len, out)) {
            return 0;
        }
    }
    return particle__error_set(PARTICLE_EINVAL, "the file contains every candidate boundary");
}

/* The multipart body: part `file` with the contents, then `import_sims` when set. */
static int multipart_body(pu_buf *b, const char *boundary, const char *data, size_t len,
                          const char *filename, const particle_product_import_options *o)
{
    pu_buf_append_str(b, "--");
    pu_buf_append_str(b, boundary);
    pu_buf_append_str(b, "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"");
    pu_buf_append_str(b, filename);
    pu_buf_append_str(b, "\"\r\nContent-Type: text/plain\r\n\r\n");
    pu_buf_append(b, data, len);
    pu_buf_append_str(b, "\r\n");
    if (o->import_sims != PARTICLE_UNSET) {
        pu_buf_append_str(b, "--");
        pu_buf_append_str(b, boundary);
        pu_buf_append_str(b, "\r\nContent-Disposition: form-data; name=\"import_sims\"\r\n\r\n");
        pu_buf_append_str(b, o->import_sims == PARTICLE_YES ? "true" : "false");
        pu_buf_append_str(b, "\r\n");
    }
    pu_buf_append_str(b, "--");
    pu_buf_append_str(b, boundary);
    pu_buf_append_str(b, "--\r\n");
    if (pu_buf_error(b) != 0) {
        return particle__error_set(particle__buf_code(b), "cannot build the import file request");
    }
    return 0;
}

int particle_product_devices_import_file(particle_doc **out, particle_client *c,
                                         const char *product, const char *data, size_t len,
                                         const char *filename,
                                         const particle_product_import_options *opts)
{
    const particle_product_import_options *o;
    char boundary[64], content_type[128];
    int error;

    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    if ((error = import_options(&o, opts)) < 0 ||
        (error = particle__require(product, "product id or slug")) < 0) {
        return error;
    }
    if (data == NULL || len == 0) {
        return particle__error_set(PARTICLE_EINVAL, "the device list file is empty");
    }
    if (filename == NULL) {
        filename = "devices.txt";
    }
    if (filename[0] == '\0' || strpbrk(filename, "\"\r\n") != NULL) {
        return particle__error_set(PARTICLE_EINVAL, "bad file name for the device list");
    }
    if ((error = pick_boundary(boundary, sizeof(boundary), data, len)) < 0) {
        return error;
    }
    snprintf(content_type, sizeof(content_type), "multipart/form-data; boundary=%s", boundary);
    pu_buf body;
    particle__buf_init(&body, IMPORT_FILE_MAX_BYTES);
    error = multipart_body(&body, boundary, data, len, filename, o);
    if (error == 0) {
        error = send_import(out, c, product, body.data, body.len, content_type, o);
    }
    pu_buf_dispose(&body);
    return error;
}
