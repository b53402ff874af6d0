/* The client handle: option defaults, endpoint/token resolution and lifetime. */
#include <stdbool.h>
#include <string.h>

#include "alloc.h"
#include "client_internal.h"
#include "particle/client.h"
#include "profile.h"
#include "pu_str.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define DEFAULT_REQUEST_TIMEOUT_MS 60000L
/* With no overall limit, a silent peer still fails after this long. */
#define DEFAULT_LOW_SPEED_TIMEOUT_MS 60000L
#define DEFAULT_MAX_RETRIES 3u
#define DEFAULT_RETRY_BASE_MS 250L
#define DEFAULT_RETRY_MAX_MS 8000L
#define DEFAULT_RETRY_AFTER_MAX_MS 60000L
#define DEFAULT_MAX_RESPONSE_BYTES ((size_t)16 * 1024 * 1024)
#define DEFAULT_OAUTH_CLIENT "particle-api"

int particle_global_init(void)
{
#ifdef PARTICLE_TESTING
    if (particle__alloc_install() < 0) {
        return particle__error_set(PARTICLE_ERROR, "curl_global_init_mem failed");
    }
#else
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
        return particle__error_set(PARTICLE_ERROR, "curl_global_init: %s", curl_easy_strerror(rc));
    }
#endif
    return 0;
}

void particle_global_cleanup(void)
{
    curl_global_cleanup();
}

int particle_client_options_init(particle_client_options *opts, unsigned int version)
{
    static const particle_client_options defaults = PARTICLE_CLIENT_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_CLIENT_OPTIONS_VERSION, "client");
}

/* Frees a secret after overwriting it. */
static void free_secret(char *s)
{
    if (s != NULL) {
        pu_secure_zero(s, strlen(s));
        particle__free(s);
    }
}

static int dup_into(char **dst, const char *src)
{
    *dst = particle__strdup(src);
    return *dst == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
}

/* Only http and https make sense; a typo like "api.particle.io" fails here, not later. */
static int base_url_ok(const char *url)
{
    return (strncmp(url, "https://", 8) == 0 && url[8] != '\0') ||
           (strncmp(url, "http://", 7) == 0 && url[7] != '\0');
}

/*
 * The token and the User-Agent go into request headers as they are, and libcurl sends
 * header text verbatim: a CR or LF in them would start a header of the caller's (or a
 * profile file's) choosing. A token is visible ASCII; a User-Agent may also hold spaces.
 */
static bool header_text_ok(const char *s, bool allow_space)
{
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch > 0x7e || ch < 0x20 || (ch == ' ' && !allow_space)) {
            return false;
        }
    }
    return true;
}

bool particle__token_ok(const char *token)
{
    return header_text_ok(token, false);
}

static const char *env_value(const particle_client_options *o, const char *name)
{
    if (o->flags & PARTICLE_CLIENT_NO_ENV) {
        return NULL;
    }
    const char *v = getenv(name);
    return (v != NULL && *v != '\0') ? v : NULL;
}

/* Picks base URL and token in the documented order: option, environment, profile,
 * default. The profile is read only when something is still missing. */
static int resolve_endpoint(particle_client *c, const particle_client_options *o)
{
    const char *url = o->base_url != NULL ? o->base_url : env_value(o, "PARTICLE_API_BASE_URL");
    const char *token =
        o->access_token != NULL ? o->access_token : env_value(o, "PARTICLE_ACCESS_TOKEN");
    particle__profile prof = {0};
    int error = 0;
    if ((url == NULL || token == NULL) && !(o->flags & PARTICLE_CLIENT_NO_PROFILE)) {
        if ((error = particle__profile_read(&prof, o->profile_dir, NULL)) < 0) {
            return error;
        }
        if (url == NULL) {
            url = prof.api_url;
        }
        if (token == NULL) {
            token = prof.access_token;
        }
        if (prof.username != NULL) {
            c->profile_username = prof.username;
            prof.username = NULL; /* now owned by the client */
        }
    }
    if (url == NULL) {
        url = PARTICLE_DEFAULT_BASE_URL;
    }
    if (!base_url_ok(url)) {
        error =
            particle__error_set(PARTICLE_EINVAL, "base URL must start with http:// or https://");
        goto done;
    }
    if ((error = dup_into(&c->base_url, url)) < 0) {
        goto done;
    }
    size_t len = strlen(c->base_url);
    while (len > 0 && c->base_url[len - 1] == '/') {
        c->base_url[--len] = '\0';
    }
    if (token != NULL && *token != '\0' && !particle__token_ok(token)) {
        error =
            particle__error_set(PARTICLE_EINVAL, "access token holds spaces or control characters");
        goto done;
    }
    if (token != NULL && *token != '\0' && (error = dup_into(&c->access_token, token)) < 0) {
        goto done;
    }
done:
    particle__profile_dispose(&prof);
    return error;
}

int particle_client_new(particle_client **out, const particle_client_options *opts)
{
    particle_client_options defaults = PARTICLE_CLIENT_OPTIONS_INIT;
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (opts == NULL) {
        opts = &defaults;
    }
    int error = particle__options_check(opts->version, PARTICLE_CLIENT_OPTIONS_VERSION, "client");
    if (error < 0) {
        return error;
    }
    if (opts->connect_timeout_ms < 0 || opts->retry_base_ms < 0 || opts->retry_max_ms < 0 ||
        opts->retry_after_max_ms < 0 || opts->max_retries < PARTICLE_NO_RETRIES) {
        return particle__error_set(PARTICLE_EINVAL, "negative timeout or retry option");
    }
    if (opts->user_agent != NULL && !header_text_ok(opts->user_agent, true)) {
        return particle__error_set(PARTICLE_EINVAL, "user agent holds control characters");
    }
    particle_client *c = particle__calloc(1, sizeof(*c));
    if (c == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    error = resolve_endpoint(c, opts);
    if (error < 0) {
        goto fail;
    }
    char ua[256];
    if (opts->user_agent == NULL) {
        snprintf(ua, sizeof(ua), "libparticle/%s", PARTICLE_VERSION_STRING);
    }
    if ((error = dup_into(&c->user_agent, opts->user_agent ? opts->user_agent : ua)) < 0 ||
        (error = dup_into(&c->client_id,
                          opts->client_id ? opts->client_id : DEFAULT_OAUTH_CLIENT)) < 0 ||
        (error = dup_into(&c->client_secret,
                          opts->client_secret ? opts->client_secret : DEFAULT_OAUTH_CLIENT)) < 0) {
        goto fail;
    }
    c->connect_timeout_ms =
        opts->connect_timeout_ms ? opts->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
    if (opts->request_timeout_ms < 0) {
        c->request_timeout_ms = 0;
        c->low_speed_timeout_ms = DEFAULT_LOW_SPEED_TIMEOUT_MS;
    } else {
        c->request_timeout_ms =
            opts->request_timeout_ms ? opts->request_timeout_ms : DEFAULT_REQUEST_TIMEOUT_MS;
        c->low_speed_timeout_ms = c->request_timeout_ms;
    }
    c->max_retries = opts->max_retries == PARTICLE_NO_RETRIES ? 0u
                     : opts->max_retries == 0                 ? DEFAULT_MAX_RETRIES
                                                              : (unsigned int)opts->max_retries;
    c->retry_base_ms = opts->retry_base_ms ? opts->retry_base_ms : DEFAULT_RETRY_BASE_MS;
    c->retry_max_ms = opts->retry_max_ms ? opts->retry_max_ms : DEFAULT_RETRY_MAX_MS;
    c->retry_after_max_ms =
        opts->retry_after_max_ms ? opts->retry_after_max_ms : DEFAULT_RETRY_AFTER_MAX_MS;
    c->max_response_bytes =
        opts->max_response_bytes ? opts->max_response_bytes : DEFAULT_MAX_RESPONSE_BYTES;
    c->verify_tls = opts->insecure_skip_verify == 0;
    c->log_cb = opts->log_cb;
    c->log_payload = opts->log_payload;
    c->easy = curl_easy_init();
    if (c->easy == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, "curl_easy_init failed");
        goto fail;
    }
    if ((error = particle__rest_handle_setup(c, c->easy)) < 0) {
        goto fail;
    }
    *out = c;
    return 0;
fail:
    particle_client_free(c);
    return error;
}

void particle_client_free(particle_client *c)
{
    if (c == NULL) {
        return;
    }
    if (c->easy != NULL) {
        curl_easy_cleanup(c->easy);
    }
    free_secret(c->access_token);
    free_secret(c->client_secret);
    particle__free(c->base_url);
    particle__free(c->user_agent);
    particle__free(c->client_id);
    particle__free(c->profile_username);
    particle__free(c);
}

int particle_client_set_access_token(particle_client *c, const char *token)
{
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *copy = NULL;
    if (token != NULL && *token != '\0' && !particle__token_ok(token)) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "access token holds spaces or control characters");
    }
    if (token != NULL && *token != '\0' && (copy = particle__strdup(token)) == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    free_secret(c->access_token);
    c->access_token = copy;
    return 0;
}

int particle_client_has_token(const particle_client *c)
{
    return c != NULL && c->access_token != NULL;
}

const char *particle_client_base_url(const particle_client *c)
{
    return c == NULL ? NULL : c->base_url;
}

const char *particle_client_profile_username(const particle_client *c)
{
    return c == NULL ? NULL : c->profile_username;
}
