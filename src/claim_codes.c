/* Claim codes (cloud-api.md §5.10): `POST /v1/device_claims` for the user, and the product
 * variant a product's customer calls with its own token. */
#include "alloc.h"
#include "http.h"
#include "particle/customers.h"
#include "value_internal.h"

int particle_claim_code_options_init(particle_claim_code_options *opts, unsigned int version)
{
    static const particle_claim_code_options defaults = PARTICLE_CLAIM_CODE_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_CLAIM_CODE_OPTIONS_VERSION, "claim code");
}

/* {} for a Wi-Fi device, {iccid} / {imei} for a cellular one (particle-api-js getClaimCode
 * sends {iccid} or {}). */
static int claim_body(json_t **out, const particle_claim_code_options *o)
{
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0 && o->iccid != NULL) {
        error = particle__json_add_text(body, "iccid", o->iccid, "ICCID");
    }
    if (error == 0 && o->imei != NULL) {
        error = particle__json_add_text(body, "imei", o->imei, "IMEI");
    }
    if (error < 0) {
        json_decref(body);
        body = NULL;
    }
    *out = body;
    return error;
}

int particle_claim_code_create(particle_doc **out, particle_client *c,
                               const particle_claim_code_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle_claim_code_options defaults = PARTICLE_CLAIM_CODE_OPTIONS_INIT;
    int error;
    if (opts == NULL) {
        opts = &defaults;
    } else if ((error = particle__options_check(opts->version, PARTICLE_CLAIM_CODE_OPTIONS_VERSION,
                                                "claim code")) < 0) {
        return error;
    }
    if ((opts->product != NULL && (error = particle__require(opts->product, "product id")) < 0) ||
        (opts->iccid != NULL && (error = particle__require(opts->iccid, "ICCID")) < 0) ||
        (opts->imei != NULL && (error = particle__require(opts->imei, "IMEI")) < 0)) {
        return error;
    }
    char *path = particle__api_path(opts->product, "device_claims", NULL, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *body = NULL, *root = NULL;
    if ((error = claim_body(&body, opts)) == 0) {
        error = particle__http_json(c, "POST", path, body, false, &root);
    }
    json_decref(body);
    particle__free(path);
    if (error < 0) {
        return error;
    }
    if (!json_is_string(json_object_get(root, "claim_code"))) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "the claim code answer has no claim_code");
    }
    return particle__doc_wrap(out, root);
}

const char *particle_claim_code_text(const particle_value *answer)
{
    return particle_value_string(particle_value_get(answer, "claim_code"));
}
