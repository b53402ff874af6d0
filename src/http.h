/* The one REST transport of the SDK: every resource file builds a particle__request and
 * calls particle__http_perform(). Retries, keep-alive, body caps and error mapping live
 * here and nowhere else. Not installed. */
#ifndef PARTICLE_HTTP_H
#define PARTICLE_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "client_internal.h"
#include "particle/value.h"
#include "strbuf.h"

#define PARTICLE__CT_JSON "application/json"
#define PARTICLE__CT_FORM "application/x-www-form-urlencoded"

typedef struct particle__request {
    const char *method;   /* "GET", "POST", "PUT", "DELETE" */
    const char *path;     /* already percent-encoded; starts with '/' */
    const char *log_path; /* shown in logs instead of path (secrets redacted); NULL = path */
    const char *query;    /* encoded, without '?'; NULL or "" = none */
    const char *body;     /* NULL = no body */
    size_t body_len;
    const char *content_type; /* PARTICLE__CT_JSON or PARTICLE__CT_FORM when body is set */
    const char *basic_user;   /* HTTP Basic user:password instead of the bearer token */
    const char *basic_password;
    bool no_auth;      /* send no Authorization at all */
    bool retry_unsafe; /* the caller allows retrying a non-idempotent request */
    long *status_out;  /* set to the answer's HTTP status on success (202 vs 204); NULL = not
                          wanted */
} particle__request;

/*
 * One request on one curl handle, split around the transfer itself so that the blocking
 * path (particle__http_perform: curl_easy_perform) and the concurrent one (multi.c: curl
 * multi) share header building, body capture and the mapping of outcomes to codes.
 */
typedef struct particle__transfer {
    struct curl_slist *headers; /* wiped when freed: may hold the Authorization line */
    char errbuf[CURL_ERROR_SIZE];
    pu_buf body; /* capped at the client's max_response_bytes */
} particle__transfer;

/* Points @p h at @p req and @p url (both must outlive the transfer, as must @p t) with the
 * client's token. Returns 0 or PARTICLE_ENOMEM; @p t is initialised either way. */
int particle__transfer_begin(const particle_client *c, CURL *h, const particle__request *req,
                             const char *url, particle__transfer *t);

/* After curl finished the transfer with @p rc: unhooks @p t from @p h and returns 0 for a
 * 2xx answer (body in t->body, *status set) or the mapped error code with the error record
 * filled. *transport_retryable tells whether a network failure is worth another try. */
int particle__transfer_end(CURL *h, CURLcode rc, particle__transfer *t, long *status,
                           bool *transport_retryable);

/* Frees what @p t holds. */
void particle__transfer_dispose(particle__transfer *t);

/* Parses a 2xx body into *out (NULL = only check it is JSON); empty reads as {}. */
int particle__parse_body(const pu_buf *body, long status, json_t **out);

/* Logs "<METHOD> <path> -> <status> (<ms> ms)" (the redacted log_path when set). */
void particle__log_request(const particle_client *c, const particle__request *req, long status,
                           int error, int64_t started_mono_ms);

/*
 * Performs @p req (with retries per the client's policy) and, on a 2xx answer, parses the
 * body into *out (a new reference; an empty body gives an empty object). @p out may be
 * NULL when the caller does not need the body, which is then still checked to be JSON.
 * Returns 0 or a negative code with the thread's error record filled.
 */
int particle__http_perform(particle_client *c, const particle__request *req, json_t **out);

/* Sends @p body (borrowed; NULL = no body) as JSON with @p method to @p path. */
int particle__http_json(particle_client *c, const char *method, const char *path, json_t *body,
                        bool retry_unsafe, json_t **out);

/* particle__http_perform() whose 2xx body becomes a document in *out (NULL @p out =
 * discard it). Checks @p c for NULL. */
int particle__http_doc(particle_doc **out, particle_client *c, const particle__request *req);

/* particle__http_json() whose 2xx body becomes a document in *out (NULL = discard). */
int particle__http_json_doc(particle_doc **out, particle_client *c, const char *method,
                            const char *path, json_t *body, bool retry_unsafe);

/*
 * Builds "/v1/devices/<device>[/<suffix>]" or, when @p product is non-NULL,
 * "/v1/products/<product>/devices/<device>[/<suffix>]". @p product and @p device are
 * percent-encoded here; @p suffix is used as given (NULL = none). Returns a malloc'd
 * path, or NULL with the error set (PARTICLE_EINVAL for an empty id, or ENOMEM).
 */
char *particle__device_path(const char *product, const char *device, const char *suffix);

/*
 * particle__device_path() with the suffix @p name (a variable or function), which is
 * required and percent-encoded here; @p what names it in the PARTICLE_EINVAL message
 * ("variable name"). Returns a malloc'd path, or NULL with the error set.
 */
char *particle__device_member_path(const char *product, const char *device, const char *name,
                                   const char *what);

/* Sets member @p key of @p obj to @p value (stolen; NULL = an allocation that failed).
 * Returns 0 or PARTICLE_ENOMEM with the error set. */
int particle__json_set(json_t *obj, const char *key, json_t *value);

/*
 * Adds @p text as a JSON string: member @p key of object @p container, or appended to
 * array @p container when @p key is NULL. Returns 0; PARTICLE_EINVAL when @p text is NULL
 * or not UTF-8 (jansson refuses it; the message names @p what); PARTICLE_ENOMEM.
 */
int particle__json_add_text(json_t *container, const char *key, const char *text, const char *what);

/*
 * Checks the arguments of particle_request() (see request.h) and fills @p req, which
 * points into them and, when the query was written into @p path, into *bare_path (the path
 * without it; the caller frees *bare_path, NULL otherwise). Returns 0 or PARTICLE_EINVAL /
 * PARTICLE_ENOMEM with the error set.
 */
int particle__generic_request(particle__request *req, char **bare_path, const char *method,
                              const char *path, const char *query, const char *json_body,
                              const particle_request_options *opts);

/* Percent-encodes @p s, setting PARTICLE_ENOMEM on failure. */
char *particle__encode(const char *s);

/* Fails with PARTICLE_EINVAL and a message naming @p what when @p s is NULL or empty. */
int particle__require(const char *s, const char *what);

#endif
