/*
 * The client handle's layout and the transport helpers shared by the SDK's source files
 * (REST calls in http.c and the resource files, SSE in stream.c). Not installed.
 */
#ifndef PARTICLE_CLIENT_INTERNAL_H
#define PARTICLE_CLIENT_INTERNAL_H

#include <stdbool.h>

#include <curl/curl.h>

#include "internal.h"

struct particle_client {
    char *base_url;      /* no trailing slash, e.g. "https://api.particle.io" */
    char *access_token;  /* NULL if none; wiped with pu_secure_zero before free */
    char *user_agent;    /* full User-Agent value */
    char *client_id;     /* OAuth client for /oauth/token; default "particle-api" */
    char *client_secret; /* wiped before free */
    long connect_timeout_ms;
    long request_timeout_ms;   /* 0 = no overall limit */
    long low_speed_timeout_ms; /* a REST peer that sends nothing this long fails ETIMEDOUT */
    unsigned int max_retries;  /* 429 / 5xx / network errors on idempotent requests */
    long retry_base_ms;        /* first backoff; doubles up to retry_max_ms, with jitter */
    long retry_max_ms;
    bool verify_tls; /* true unless the caller turned it off explicitly */
    particle_log_fn *log_cb;
    void *log_payload;
    CURL *easy;                /* reused by REST calls so connections are kept alive */
    long retry_after_max_ms;   /* a longer Retry-After fails at once with ERATELIMIT */
    size_t max_response_bytes; /* REST body cap; beyond it EPROTO */
    char *profile_username;    /* particle-cli profile `username`, NULL if none */
};

/*
 * Joins the base URL, @p path (must start with '/') and @p query (without '?'; NULL or ""
 * for none). Returns a malloc'd string, or NULL with PARTICLE_ENOMEM set.
 */
char *particle__url(const particle_client *c, const char *path, const char *query);

/* Sets what every request of this client shares on @p h: User-Agent, TLS verification,
 * connect timeout, TCP keep-alive, no signals. Does not set the URL or headers. Returns 0
 * or PARTICLE_ENOMEM (curl could not copy a string option). */
int particle__curl_common(const particle_client *c, CURL *h);

/* Sets the options every REST request of @p c shares on handle @p h (once per handle: the
 * client's own when it is made, each of a particle_multi's when it is created; http.c sets
 * the per-request ones). Returns 0 or PARTICLE_ENOMEM. */
int particle__rest_handle_setup(const particle_client *c, CURL *h);

/* Whether @p token may go into an Authorization header: visible ASCII, no spaces, no CR or
 * LF (libcurl sends header text verbatim). */
bool particle__token_ok(const char *token);

/* Appends "Authorization: Bearer <token>" when the client has a token. Returns the new
 * list head, or NULL on out of memory (the old list is then freed). */
struct curl_slist *particle__auth_header(const particle_client *c, struct curl_slist *headers);

/* Maps a failed transfer to a code (timeouts ETIMEDOUT, the rest ENET), fills the error
 * record with curl's text, and returns the code. */
int particle__error_from_curl(CURLcode rc, const char *errbuf);

/*
 * Maps an HTTP error answer to a code and fills the error record: http_status, the API's
 * `error` (api_code), `error_description`/`error`/`info` (message), `info`, `mfa_token`,
 * Retry-After (retry_after_ms) and the request id. @p retry_after and @p request_id may be
 * NULL. Returns the code.
 */
int particle__error_from_http(long status, const char *body, size_t body_len,
                              const char *retry_after, const char *request_id);

/* Logs through the client's callback, if any. Never pass a token in the message. */
void particle__log(const particle_client *c, particle_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Backoff before retry number @p attempt (0-based): min(max, base * 2^attempt), then a
 * random jitter in [50%, 100%] of that. */
long particle__backoff_ms(long base_ms, long max_ms, unsigned int attempt);

#endif
