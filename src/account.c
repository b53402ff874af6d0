/* The developer account and MFA enrolment (particle/account.h; cloud-api.md §4.9, §11). */
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "particle/account.h"
#include "pu_str.h"
#include "value_internal.h"

int particle_account_info_init(particle_account_info *info, unsigned int version)
{
    static const particle_account_info defaults = PARTICLE_ACCOUNT_INFO_INIT;
    return particle__options_init(info, &defaults, sizeof(defaults), version,
                                  PARTICLE_ACCOUNT_INFO_VERSION, "account info");
}

/* Zeroes every string of @p j in place (the library's copies of passwords and tokens). */
static void wipe_strings(json_t *j)
{
    const char *key;
    json_t *v;
    if (json_is_string(j)) {
        pu_secure_zero((void *)json_string_value(j), json_string_length(j));
    } else if (json_is_object(j)) {
        json_object_foreach(j, key, v)
        {
            wipe_strings(v);
        }
    }
}

/*
 * Sends @p body (stolen; NULL = none, which means an allocation failed) as JSON with
 * @p method to @p path; the text and the body's strings are wiped afterwards, as they may
 * hold passwords. @p no_auth: no Authorization header (sign-up, password reset).
 */
static int send_secret_json(particle_doc **out, particle_client *c, const char *method,
                            const char *path, json_t *body, bool no_auth)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        json_decref(body);
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *text = body != NULL ? particle__json_dumps(body, JSON_COMPACT) : NULL;
    if (text == NULL) {
        wipe_strings(body);
        json_decref(body);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    particle__request req = {
        .method = method,
        .path = path,
        .body = text,
        .body_len = strlen(text),
        .content_type = PARTICLE__CT_JSON,
        .no_auth = no_auth,
    };
    json_t *root = NULL;
    int error = particle__http_perform(c, &req, out != NULL ? &root : NULL);
    pu_secure_zero(text, strlen(text));
    particle__free(text);
    wipe_strings(body);
    json_decref(body);
    if (error == 0 && out != NULL) {
        error = particle__doc_wrap(out, root);
    }
    return error;
}

/* Adds the fields of @p info that are set; 0 or an error. */
static int add_info(json_t *body, const particle_account_info *info, bool *any)
{
    int error =
        particle__options_check(info->version, PARTICLE_ACCOUNT_INFO_VERSION, "account info");
    json_t *obj = error == 0 ? json_object() : NULL;
    if (error == 0 && obj == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    const char *keys[] = {"first_name", "last_name", "company_name"};
    const char *values[] = {info->first_name, info->last_name, info->company_name};
    for (size_t i = 0; error == 0 && i < 3; i++) {
        if (values[i] != NULL) {
            error = particle__json_add_text(obj, keys[i], values[i], keys[i]);
            *any = true;
        }
    }
    if (error == 0 && info->business_account != PARTICLE_BUSINESS_LEAVE) {
        if (info->business_account != PARTICLE_BUSINESS_YES &&
            info->business_account != PARTICLE_BUSINESS_NO) {
            error = particle__error_set(PARTICLE_EINVAL, "business_account is not a "
                                                         "particle_business_account value");
        } else {
            error =
                particle__json_set(obj, "business_account",
                                   json_boolean(info->business_account == PARTICLE_BUSINESS_YES));
            *any = true;
        }
    }
    if (error == 0) {
        return particle__json_set(body, "account_info", obj);
    }
    json_decref(obj);
    return error;
}

/* {key: value} for each pair with a non-NULL value; NULL with the error set on failure. */
static json_t *body_of(const char *const *pairs, size_t n)
{
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    for (size_t i = 0; error == 0 && i + 1 < n; i += 2) {
        if (pairs[i + 1] != NULL) {
            error = particle__json_add_text(body, pairs[i], pairs[i + 1], pairs[i]);
        }
    }
    if (error < 0) {
        wipe_strings(body);
        json_decref(body);
        return NULL;
    }
    return body;
}

/* Fails when any of the @p n strings is NULL or empty (named by @p names). */
static int require_all(const char *const *values, const char *const *names, size_t n)
{
    int error = 0;
    for (size_t i = 0; error == 0 && i < n; i++) {
        error = particle__require(values[i], names[i]);
    }
    return error;
}

int particle_user_create(particle_client *c, const char *username, const char *password,
                         const particle_account_info *info)
{
    const char *values[] = {username, password};
    const char *names[] = {"username", "password"};
    int error = require_all(values, names, 2);
    if (error < 0) {
        return error;
    }
    const char *pairs[] = {"username", username, "password", password};
    json_t *body = body_of(pairs, 4);
    bool any = false;
    if (body != NULL && info != NULL && (error = add_info(body, info, &any)) < 0) {
        wipe_strings(body);
        json_decref(body);
        return error;
    }
    if (body == NULL) {
        return particle_error_last()->code;
    }
    return send_secret_json(NULL, c, "POST", "/v1/users", body, true);
}

int particle_user_set_info(particle_doc **out, particle_client *c,
                           const particle_account_info *info)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (info == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "info is NULL");
    }
    json_t *body = json_object();
    bool any = false;
    int error =
        body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : add_info(body, info, &any);
    if (error == 0 && !any) {
        error = particle__error_set(PARTICLE_EINVAL, "account info sets no field");
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    return send_secret_json(out, c, "PUT", "/v1/user", body, false);
}

/* PUT /v1/user with @p key = @p value, current_password and invalidate_tokens. */
static int change_credential(particle_client *c, const char *current, const char *key,
                             const char *value, unsigned int flags)
{
    const char *values[] = {current, value};
    const char *names[] = {"current password", key};
    int error = require_all(values, names, 2);
    if (error < 0) {
        return error;
    }
    const char *pairs[] = {key, value, "current_password", current};
    json_t *body = body_of(pairs, 4);
    if (body != NULL && (flags & PARTICLE_INVALIDATE_TOKENS) != 0 &&
        (error = particle__json_set(body, "invalidate_tokens", json_true())) < 0) {
        wipe_strings(body);
        json_decref(body);
        return error;
    }
    if (body == NULL) {
        return particle_error_last()->code;
    }
    return send_secret_json(NULL, c, "PUT", "/v1/user", body, false);
}

int particle_user_change_username(particle_client *c, const char *current_password,
                                  const char *username, unsigned int flags)
{
    return change_credential(c, current_password, "username", username, flags);
}

int particle_user_change_password(particle_client *c, const char *current_password,
                                  const char *password, unsigned int flags)
{
    return change_credential(c, current_password, "password", password, flags);
}

/* A body of one required field @p key = @p value, sent with @p method to @p path. */
static int send_one(particle_doc **out, particle_client *c, const char *method, const char *path,
                    const char *key, const char *value, const char *what, bool no_auth)
{
    int error = particle__require(value, what);
    if (error < 0) {
        return error;
    }
    const char *pairs[] = {key, value};
    json_t *body = body_of(pairs, 2);
    if (body == NULL) {
        return particle_error_last()->code;
    }
    return send_secret_json(out, c, method, path, body, no_auth);
}

int particle_user_reset_password(particle_client *c, const char *username)
{
    return send_one(NULL, c, "POST", "/v1/user/password-reset", "username", username, "username",
                    true);
}

int particle_user_delete(particle_client *c, const char *password)
{
    return send_one(NULL, c, "DELETE", "/v1/user", "password", password, "password", false);
}

int particle_user_verify(particle_client *c, const char *token)
{
    return send_one(NULL, c, "POST", "/v1/user/verify", "token", token, "token", true);
}

int particle_user_tracking_identity(particle_doc **out, particle_client *c, int full)
{
    particle__request req = {
        .method = "GET", .path = "/v1/user/identify", .query = full ? NULL : "tracking=1"};
    return particle__http_doc(out, c, &req);
}

int particle_mfa_enable(particle_doc **out, particle_client *c)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle__request req = {.method = "GET", .path = "/v1/user/mfa-enable"};
    json_t *root = NULL;
    int error = particle__http_perform(c, &req, &root);
    if (error < 0) {
        return error;
    }
    if (!json_is_string(json_object_get(root, "mfa_token"))) {
        wipe_strings(root);
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "the MFA answer has no mfa_token");
    }
    return particle__doc_wrap_secret(out, root);
}

int particle_mfa_confirm(particle_doc **out, particle_client *c, const char *mfa_token,
                         const char *otp, unsigned int flags)
{
    if (out != NULL) {
        *out = NULL;
    }
    const char *values[] = {mfa_token, otp};
    const char *names[] = {"mfa_token", "otp"};
    int error = require_all(values, names, 2);
    if (error < 0) {
        return error;
    }
    const char *pairs[] = {"mfa_token", mfa_token, "otp", otp};
    json_t *body = body_of(pairs, 4);
    if (body != NULL && (flags & PARTICLE_INVALIDATE_TOKENS) != 0 &&
        (error = particle__json_set(body, "invalidate_tokens", json_true())) < 0) {
        wipe_strings(body);
        json_decref(body);
        return error;
    }
    if (body == NULL) {
        return particle_error_last()->code;
    }
    return send_secret_json(out, c, "POST", "/v1/user/mfa-enable", body, false);
}

int particle_mfa_disable(particle_client *c, const char *current_password)
{
    return send_one(NULL, c, "PUT", "/v1/user/mfa-disable", "current_password", current_password,
                    "current password", false);
}
