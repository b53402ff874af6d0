/* Provisioning and Device Protection (particle/provisioning.h; cloud-api.md §5.10, §5.12). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "particle/provisioning.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "value_internal.h"

int particle_unprotect_options_init(particle_unprotect_options *opts, unsigned int version)
{
    static const particle_unprotect_options defaults = PARTICLE_UNPROTECT_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_UNPROTECT_OPTIONS_VERSION, "unprotect");
}

/* Sends @p body (stolen; NULL = an allocation failed) and wraps the answer. */
static int send_body(particle_doc **out, particle_client *c, const char *method, const char *path,
                     json_t *body)
{
    if (body == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    int error = particle__http_json_doc(out, c, method, path, body, false);
    json_decref(body);
    return error;
}

int particle_device_provision(particle_doc **out, particle_client *c, const char *product)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(product, "product");
    if (error < 0) {
        return error;
    }
    /* particle-api-js sends the product id as it was given: a number for an id */
    int64_t id;
    json_t *value =
        pu_parse_int64(product, 1, UINT32_MAX, &id) == 0 ? json_integer(id) : json_string(product);
    json_t *body = json_object();
    if (body == NULL) {
        json_decref(value);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    if ((error = particle__json_set(body, "product_id", value)) < 0) { /* takes value */
        json_decref(body);
        return error;
    }
    return send_body(out, c, "POST", "/v1/devices", body);
}

int particle_device_send_public_key(particle_client *c, const char *device, const char *public_key,
                                    const char *algorithm)
{
    int error;
    if ((error = particle__require(device, "device id")) < 0 ||
        (error = particle__require(public_key, "public key")) < 0) {
        return error;
    }
    char *path = particle__api_path(NULL, "provisioning", device, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    char order[40];
    snprintf(order, sizeof(order), "manual_%" PRId64, pu_time_now_ms());
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    const char *pairs[] = {
        "deviceID",    device,  "publicKey", public_key,  "filename",
        "libparticle", "order", order,       "algorithm", algorithm != NULL ? algorithm : "rsa"};
    for (size_t i = 0; error == 0 && i < sizeof(pairs) / sizeof(pairs[0]); i += 2) {
        error = particle__json_add_text(body, pairs[i], pairs[i + 1], pairs[i]);
    }
    if (error == 0) {
        error = particle__http_json_doc(NULL, c, "POST", path, body, false);
    }
    json_decref(body);
    particle__free(path);
    return error;
}

/* "/v1/orgs/<org>/devices/<device>/unprotect", or the product or user variant. */
static char *unprotect_path(const char *org, const char *product, const char *device)
{
    if (org == NULL) {
        return particle__device_path(product, device, "unprotect");
    }
    char *tail = particle__device_path(NULL, device, "unprotect"); /* "/v1/devices/..." */
    char *path = tail != NULL ? particle__api_path(NULL, "orgs", org, tail + 4) : NULL;
    particle__free(tail);
    return path;
}

int particle_device_unprotect(particle_doc **out, particle_client *c, const char *device,
                              const particle_unprotect_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (opts == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "options are NULL (action is required)");
    }
    int error;
    if ((error = particle__options_check(opts->version, PARTICLE_UNPROTECT_OPTIONS_VERSION,
                                         "unprotect")) < 0 ||
        (error = particle__require(device, "device id")) < 0 ||
        (error = particle__require(opts->action, "action")) < 0) {
        return error;
    }
    char *path = unprotect_path(opts->org, opts->product, device);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    const char *pairs[] = {"action",
                           opts->action,
                           "server_nonce",
                           opts->server_nonce,
                           "device_nonce",
                           opts->device_nonce,
                           "device_signature",
                           opts->device_signature,
                           "device_public_key_fingerprint",
                           opts->device_public_key_fingerprint};
    for (size_t i = 0; error == 0 && i < sizeof(pairs) / sizeof(pairs[0]); i += 2) {
        if (pairs[i + 1] != NULL) {
            error = particle__json_add_text(body, pairs[i], pairs[i + 1], pairs[i]);
        }
    }
    if (error == 0) {
        error = particle__http_json_doc(out, c, "PUT", path, body, false);
    }
    json_decref(body);
    particle__free(path);
    return error;
}
