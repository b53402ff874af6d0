/* Product membership calls (cloud-api.md §5.4): importing devices into a product, which is
 * also how a quarantined device is approved. */
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

int particle_product_devices_add(particle_doc **out, particle_client *c, const char *product,
                                 const char *const *ids, size_t count,
                                 const particle_product_import_options *opts)
{
    particle_product_import_options defaults = PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT;
    json_t *body = NULL, *root = NULL;
    char *text = NULL;
    char *path = NULL;
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    int error;

    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        error = particle__error_set(PARTICLE_EINVAL, "client is NULL");
        goto done;
    }
    if (opts == NULL) {
        opts = &defaults;
    } else if ((error = particle__options_check(
                    opts->version, PARTICLE_PRODUCT_IMPORT_OPTIONS_VERSION, "import")) < 0) {
        goto done;
    }
    if ((error = particle__require(product, "product id or slug")) < 0 ||
        (error = import_body(&body, ids, count, opts)) < 0 ||
        (error = import_target(&path, &query, product, opts)) < 0) {
        goto done;
    }
    if ((text = particle__json_dumps(body, JSON_COMPACT)) == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
        goto done;
    }
    particle__request req = {
        .method = "POST",
        .path = path,
        .query = query.data,
        .body = text,
        .body_len = strlen(text),
        .content_type = PARTICLE__CT_JSON,
        .retry_unsafe = (opts->flags & PARTICLE_REQUEST_RETRY) != 0,
    };
    if ((error = particle__http_perform(c, &req, &root)) < 0) {
        goto done;
    }
    if (!json_is_object(root)) {
        error = particle__error_set(PARTICLE_EPROTO, "the import answer is not a JSON object");
        goto done;
    }
    error = 0;
    if (out != NULL) {
        error = particle__doc_wrap(out, root); /* takes root, also on failure */
        root = NULL;
    }

done:
    json_decref(root);
    particle__free(text);
    json_decref(body);
    particle__free(path);
    pu_buf_dispose(&query);
    return error;
}
