/* Products (cloud-api.md §9.1): the user's or an organization's product list, one product,
 * and a product's (or one product device's) configuration. */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "particle/products.h"
#include "resource.h"
#include "value_internal.h"

int particle_product_list_options_init(particle_product_list_options *opts, unsigned int version)
{
    static const particle_product_list_options defaults = PARTICLE_PRODUCT_LIST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_PRODUCT_LIST_OPTIONS_VERSION, "product list");
}

int particle_product_list(particle_doc **out, particle_client *c,
                          const particle_product_list_options *opts)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    if (opts != NULL &&
        (error = particle__options_check(opts->version, PARTICLE_PRODUCT_LIST_OPTIONS_VERSION,
                                         "product list")) < 0) {
        return error;
    }
    const char *org = opts != NULL ? opts->org : NULL;
    char *org_path = NULL;
    if (org != NULL && (org_path = particle__scoped_path("orgs", org, "organization id or slug",
                                                         "products", NULL, NULL)) == NULL) {
        return particle_error_last()->code;
    }
    /* the user's list is the one particle-cli asks; particle-api-js asks /v1/products */
    particle__call call = {.method = "GET",
                           .path = org_path != NULL ? org_path : "/v1/user/products",
                           .key = "products",
                           .key_is_array = true,
                           .what = "product list"};
    error = particle__call_doc(out, c, &call);
    particle__free(org_path);
    return error;
}

int particle_product_get(particle_doc **out, particle_client *c, const char *product)
{
    int error = particle__check_out_client(out, c);
    if (error < 0 || (error = particle__require(product, "product id or slug")) < 0) {
        return error;
    }
    char *path = particle__api_path(NULL, "products", product, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = "GET", .path = path, .key = "product", .what = "product"};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

/* "/v1/products/<product>/config[/<device>]", or NULL with the error set. */
static char *config_path(const char *product, const char *device)
{
    if (particle__require(product, "product id or slug") < 0 ||
        (device != NULL && particle__require(device, "device id") < 0)) {
        return NULL;
    }
    return particle__api_path(product, "config", device, NULL);
}

#define SCHEMA_MEDIA_TYPE "application/schema+json"

/* GET of a configuration (@p media NULL) or of its schema. */
static int config_get(particle_doc **out, particle_client *c, const char *product,
                      const char *device, const char *media)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path = config_path(product, device);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = "GET", .path = path, .media_type = media};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    particle_error *rec = particle__error_record();
    if (error == PARTICLE_ENOTFOUND && rec->http_status == 404 && rec->api_code[0] == '\0' &&
        strncmp(rec->message, "HTTP ", 5) == 0) {
        /* the API's 404 {} (§3.2): nothing set, rather than an unknown product */
        snprintf(rec->message, sizeof(rec->message), "no %s is set",
                 media != NULL ? "configuration schema" : "configuration");
    }
    return error;
}

/* PUT of a configuration (@p media NULL) or of its schema, @p what naming it in errors. */
static int config_set(particle_doc **out, particle_client *c, const char *product,
                      const char *device, const char *json_text, const char *media,
                      const char *what)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = particle__require(json_text, what);
    if (error < 0) {
        return error;
    }
    json_t *doc = NULL;
    error = particle__json_load(&doc, json_text, strlen(json_text), JSON_REJECT_DUPLICATES,
                                "the text is not JSON");
    if (error == PARTICLE_EPROTO) {
        /* the caller's text, not the server's: a bad argument (the record is reset first) */
        char message[sizeof(particle_error_last()->message)];
        snprintf(message, sizeof(message), "%s", particle_error_last()->message);
        error = particle__error_set(PARTICLE_EINVAL, "%s", message);
    }
    if (error == 0 && !json_is_object(doc)) {
        error = particle__error_set(PARTICLE_EINVAL, "the %s is not a JSON object", what);
    }
    char *path = error == 0 ? config_path(product, device) : NULL;
    if (error == 0 && path == NULL) {
        error = particle_error_last()->code;
    }
    if (error == 0) {
        particle__call call = {.method = "PUT", .path = path, .body = doc, .media_type = media};
        error = particle__call_doc(out, c, &call);
    }
    particle__free(path);
    json_decref(doc);
    return error;
}

int particle_product_config_get(particle_doc **out, particle_client *c, const char *product,
                                const char *device)
{
    return config_get(out, c, product, device, NULL);
}

int particle_product_config_set(particle_doc **out, particle_client *c, const char *product,
                                const char *device, const char *config_json)
{
    return config_set(out, c, product, device, config_json, NULL, "configuration");
}

int particle_product_config_schema_get(particle_doc **out, particle_client *c, const char *product,
                                       const char *device)
{
    return config_get(out, c, product, device, SCHEMA_MEDIA_TYPE);
}

int particle_product_config_schema_set(particle_doc **out, particle_client *c, const char *product,
                                       const char *device, const char *schema_json)
{
    return config_set(out, c, product, device, schema_json, SCHEMA_MEDIA_TYPE,
                      "configuration schema");
}
