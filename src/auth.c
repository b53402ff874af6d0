/* Logins on POST /oauth/token (form bodies, client credentials in the body like
 * particle-api-js), access tokens and the current user. */
#include <string.h>

#include "auth_internal.h"
#include "http.h"
#include "particle/auth.h"
#include "pu_str.h"
#include "value_internal.h"

struct particle_token {
    char *access_token;
    char *token_type;
    char *refresh_token;
    long long expires_in;
};

int particle_login_options_init(particle_login_options *opts, unsigned int version)
{
    static const particle_login_options defaults = PARTICLE_LOGIN_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_LOGIN_OPTIONS_VERSION, "login");
}

static void free_secret(char *s)
{
    if (s != NULL) {
        pu_secure_zero(s, strlen(s));
        particle__free(s);
    }
}

void particle_token_free(particle_token *t)
{
    if (t == NULL) {
        return;
    }
    free_secret(t->access_token);
    free_secret(t->refresh_token);
    particle__free(t->token_type);
    particle__free(t);
}

const char *particle_token_access_token(const particle_token *t)
{
    return t == NULL ? NULL : t->access_token;
}

const char *particle_token_type(const particle_token *t)
{
    return t == NULL ? NULL : t->token_type;
}

long long particle_token_expires_in(const particle_token *t)
{
    return t == NULL ? -1 : t->expires_in;
}

const char *particle_token_refresh_token(const particle_token *t)
{
    return t == NULL ? NULL : t->refresh_token;
}

static int dup_opt(const char *s, char **dst)
{
    if (s == NULL) {
        return 0;
    }
    *dst = particle__strdup(s);
    return *dst == NULL ? -1 : 0;
}

/* expires_in as the answer gives it: an integer, or a real that fits a long long (converting
 * one that does not is undefined behaviour: 1e99 came from fuzz_sdk_json); -1 otherwise. */
static long long expires_in_of(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v);
    double d = json_is_real(v) ? json_real_value(v) : -1.0;
    return d > -9.2e18 && d < 9.2e18 ? (long long)d : -1;
}

/* Builds a particle_token from the /oauth/token answer and wipes the JSON copy. */
static int token_from_json(json_t *root, particle_token **out)
{
    json_t *at = json_object_get(root, "access_token");
    const char *access = json_string_value(at);
    if (access == NULL || *access == '\0') {
        return particle__error_set(PARTICLE_EPROTO, "login answer has no access_token");
    }
    if (!particle__token_ok(access)) {
        /* it would go into our Authorization headers verbatim */
        return particle__error_set(PARTICLE_EPROTO, "login answer has a malformed access_token");
    }
    particle_token *t = particle__calloc(1, sizeof(*t));
    if (t == NULL || dup_opt(access, &t->access_token) < 0 ||
        dup_opt(json_string_value(json_object_get(root, "token_type")), &t->token_type) < 0 ||
        dup_opt(json_string_value(json_object_get(root, "refresh_token")), &t->refresh_token) < 0) {
        particle_token_free(t);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    t->expires_in = expires_in_of(json_object_get(root, "expires_in"));
    *out = t;
    return 0;
}

static void wipe_json_string(json_t *root, const char *key)
{
    json_t *s = json_object_get(root, key);
    if (json_is_string(s)) {
        pu_secure_zero((void *)json_string_value(s), json_string_length(s));
    }
}

int particle__token_take(particle_token **out, json_t *root)
{
    int error = token_from_json(root, out);
    wipe_json_string(root, "access_token");
    wipe_json_string(root, "refresh_token");
    json_decref(root);
    return error;
}

/* Every grant goes through here: adds the OAuth client's credentials, posts the form and
 * turns the answer into a token. @p form holds the grant-specific fields. */
static int oauth_token_as(particle_token **out, particle_client *c, const char *client_id,
                          const char *client_secret, pu_buf *form,
                          const particle_login_options *opts)
{
    particle_login_options defaults = PARTICLE_LOGIN_OPTIONS_INIT;
    int error;
    if (opts == NULL) {
        opts = &defaults;
    } else if ((error = particle__options_check(opts->version, PARTICLE_LOGIN_OPTIONS_VERSION,
                                                "login")) < 0) {
        return error;
    }
    json_t *root = NULL;
    particle_token *tok = NULL;
    if (pu_buf_append_param(form, "client_id", client_id) < 0 ||
        pu_buf_append_param(form, "client_secret", client_secret) < 0) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    particle__request req = {
        .method = "POST",
        .path = "/oauth/token",
        .body = form->data,
        .body_len = form->len,
        .content_type = PARTICLE__CT_FORM,
        .retry_unsafe = (opts->flags & PARTICLE_LOGIN_RETRY) != 0,
    };
    if ((error = particle__http_perform(c, &req, &root)) < 0) {
        return error;
    }
    if ((error = particle__token_take(&tok, root)) < 0) {
        return error;
    }
    if ((opts->flags & PARTICLE_LOGIN_SET_TOKEN) &&
        (error = particle_client_set_access_token(c, tok->access_token)) < 0) {
        particle_token_free(tok);
        return error;
    }
    if (out != NULL) {
        *out = tok;
    } else {
        particle_token_free(tok);
    }
    /* an MFA token of an earlier EMFA answer is spent now: it should not linger */
    particle__error_wipe_mfa_token();
    return 0;
}

/* oauth_token_as() with the client's own OAuth client. */
static int oauth_token(particle_token **out, particle_client *c, pu_buf *form,
                       const particle_login_options *opts)
{
    return oauth_token_as(out, c, c->client_id, c->client_secret, form, opts);
}

static int check_client(particle_token **out, particle_client *c)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    return 0;
}

int particle_login_password(particle_token **out, particle_client *c, const char *username,
                            const char *password, const particle_login_options *opts)
{
    int error;
    if ((error = check_client(out, c)) < 0 ||
        (error = particle__require(username, "username")) < 0 ||
        (error = particle__require(password, "password")) < 0) {
        return error;
    }
    pu_buf form;
    particle__buf_init_secret(&form, 64 * 1024);
    char expires[32] = "";
    long expires_in = opts != NULL ? opts->expires_in : 0;
    if (expires_in < PARTICLE_TOKEN_SERVER_LIFETIME) {
        return particle__error_set(PARTICLE_EINVAL, "expires_in is below -2");
    }
    if (expires_in == 0) {
        expires_in = PARTICLE_DEFAULT_TOKEN_SECONDS;
    } else if (expires_in == PARTICLE_TOKEN_NEVER_EXPIRES) {
        expires_in = 0; /* the API's "never" */
    }
    snprintf(expires, sizeof(expires), "%ld", expires_in);
    if (pu_buf_append_param(&form, "username", username) < 0 ||
        pu_buf_append_param(&form, "password", password) < 0 ||
        pu_buf_append_param(&form, "grant_type", "password") < 0 ||
        (expires_in >= 0 && pu_buf_append_param(&form, "expires_in", expires) < 0)) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    } else {
        error = oauth_token(out, c, &form, opts);
    }
    pu_buf_dispose(&form);
    return error;
}

int particle_login_mfa(particle_token **out, particle_client *c, const char *mfa_token,
                       const char *otp, const particle_login_options *opts)
{
    int error;
    if ((error = check_client(out, c)) < 0 ||
        (error = particle__require(mfa_token, "mfa_token")) < 0 ||
        (error = particle__require(otp, "one-time password")) < 0) {
        return error;
    }
    pu_buf form;
    particle__buf_init_secret(&form, 64 * 1024);
    if (pu_buf_append_param(&form, "grant_type", "urn:custom:mfa-otp") < 0 ||
        pu_buf_append_param(&form, "mfa_token", mfa_token) < 0 ||
        pu_buf_append_param(&form, "otp", otp) < 0) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    } else {
        error = oauth_token(out, c, &form, opts);
    }
    pu_buf_dispose(&form);
    return error;
}

/* The client_credentials grant with @p client_id / @p client_secret (NULL = the client's
 * own). */
static int client_credentials(particle_token **out, particle_client *c, const char *client_id,
                              const char *client_secret, const particle_login_options *opts)
{
    int error;
    pu_buf form;
    particle__buf_init_secret(&form, 64 * 1024);
    if (pu_buf_append_param(&form, "grant_type", "client_credentials") < 0 ||
        (opts != NULL && opts->scope != NULL &&
         pu_buf_append_param(&form, "scope", opts->scope) < 0)) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    } else {
        error = client_id == NULL ? oauth_token(out, c, &form, opts)
                                  : oauth_token_as(out, c, client_id, client_secret, &form, opts);
    }
    pu_buf_dispose(&form);
    return error;
}

int particle_login_client_credentials(particle_token **out, particle_client *c,
                                      const particle_login_options *opts)
{
    int error = check_client(out, c);
    return error < 0 ? error : client_credentials(out, c, NULL, NULL, opts);
}

int particle_login_client_credentials_with(particle_token **out, particle_client *c,
                                           const char *client_id, const char *client_secret,
                                           const particle_login_options *opts)
{
    int error;
    if ((error = check_client(out, c)) < 0 ||
        (error = particle__require(client_id, "OAuth client id")) < 0 ||
        (error = particle__require(client_secret, "OAuth client secret")) < 0) {
        return error;
    }
    return client_credentials(out, c, client_id, client_secret, opts);
}

int particle_login_refresh(particle_token **out, particle_client *c, const char *refresh_token,
                           const particle_login_options *opts)
{
    int error;
    if ((error = check_client(out, c)) < 0 ||
        (error = particle__require(refresh_token, "refresh token")) < 0) {
        return error;
    }
    pu_buf form;
    particle__buf_init_secret(&form, 64 * 1024);
    if (pu_buf_append_param(&form, "grant_type", "refresh_token") < 0 ||
        pu_buf_append_param(&form, "refresh_token", refresh_token) < 0) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    } else {
        error = oauth_token(out, c, &form, opts);
    }
    pu_buf_dispose(&form);
    return error;
}

int particle_access_token_list(particle_doc **out, particle_client *c, const char *username,
                               const char *password, const char *otp)
{
    int error;
    if (out != NULL) {
        *out = NULL;
    }
    if ((error = particle__require(username, "username")) < 0 ||
        (error = particle__require(password, "password")) < 0) {
        return error;
    }
    pu_buf query;
    particle__buf_init_secret(&query, 1024);
    if (otp != NULL && *otp != '\0' && pu_buf_append_param(&query, "otp", otp) < 0) {
        pu_buf_dispose(&query);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    particle__request req = {
        .method = "GET",
        .path = "/v1/access_tokens",
        .query = query.data,
        .basic_user = username,
        .basic_password = password,
    };
    error = particle__http_doc(out, c, &req);
    pu_buf_dispose(&query);
    return error;
}

int particle_access_token_delete(particle_client *c, const char *token)
{
    int error;
    if ((error = particle__require(token, "token")) < 0) {
        return error;
    }
    char *enc = particle__encode(token);
    if (enc == NULL) {
        return PARTICLE_ENOMEM;
    }
    char path[1024];
    int n = snprintf(path, sizeof(path), "/v1/access_tokens/%s", enc);
    pu_secure_zero(enc, strlen(enc));
    particle__free(enc);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        return particle__error_set(PARTICLE_EINVAL, "token is too long");
    }
    particle__request req = {
        .method = "DELETE",
        .path = path,
        .log_path = "/v1/access_tokens/<token>",
    };
    error = particle__http_doc(NULL, c, &req);
    pu_secure_zero(path, sizeof(path));
    return error;
}

int particle_access_token_delete_current(particle_client *c)
{
    particle__request req = {.method = "DELETE", .path = "/v1/access_tokens/current"};
    int error = particle__http_doc(NULL, c, &req);
    if (error == 0) {
        particle_client_set_access_token(c, NULL);
    }
    return error;
}

int particle_access_token_delete_all(particle_client *c)
{
    particle__request req = {.method = "DELETE", .path = "/v1/access_tokens"};
    return particle__http_doc(NULL, c, &req);
}

int particle_access_token_current(particle_doc **out, particle_client *c)
{
    particle__request req = {.method = "GET", .path = "/v1/access_tokens/current"};
    return particle__http_doc(out, c, &req);
}

int particle_user_get(particle_doc **out, particle_client *c)
{
    particle__request req = {.method = "GET", .path = "/v1/user"};
    return particle__http_doc(out, c, &req);
}
