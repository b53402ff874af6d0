/* The one REST transport of the SDK: every resource file builds a particle__request and
 * calls particle__http_perform(). Retries, keep-alive, body caps and error mapping live
 * here and nowhere else. Not installed. */
#ifndef PARTICLE_HTTP_H
#define PARTICLE_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "client_internal.h"
#include "particle/request.h"
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
    const particle_form_part *parts; /* multipart/form-data body instead of body (body NULL) */
    size_t part_count;
    const char *accept;             /* Accept header; NULL = application/json */
    struct particle__sink *sink;    /* NULL: the 2xx body is JSON, parsed into out; else it
                                       goes to the sink and out is not touched */
    particle_progress_fn *progress; /* NULL = no progress calls */
    void *progress_payload;
} particle__request;

/*
 * Where the 2xx body of a binary transfer goes (http_sink.c): memory (capped), a file
 * (written beside the target under a temporary name, renamed on success) or a callback.
 * Error bodies never reach it. One sink serves every attempt of a request.
 */
typedef struct particle__sink {
    /* destination: file_path, on_data, or neither (memory) */
    const char *file_path;
    particle_data_fn *on_data;
    void *on_data_payload;
    size_t max_bytes; /* cap on the body, for every destination */
    /* state */
    pu_buf memory;          /* the body of a memory download */
    size_t received;        /* bytes of the current attempt */
    char *temp_path;        /* the temporary file of a file download, NULL when none is open */
    int fd;                 /* its descriptor, -1 when closed */
    bool delivered;         /* the callback has seen bytes: the attempt cannot be repeated */
    char content_type[128]; /* of the 2xx answer, "" when none */
    int error;              /* why the sink refused bytes (0 = it did not) */
    char message[256];      /* the error record's text for it */
} particle__sink;

/* Sets up @p s for one download of at most @p max_bytes per the destination in @p dl
 * (checked: one destination at most). Returns 0 or PARTICLE_EINVAL. */
int particle__sink_init(particle__sink *s, const particle_download_options *dl, size_t max_bytes);

/* Starts an attempt: opens the temporary file, empties memory. Returns 0 or PARTICLE_EIO /
 * PARTICLE_ENOMEM with the error set. */
int particle__sink_begin(particle__sink *s);

/* Stores @p n bytes; false (with s->error set) when the sink refuses them. */
bool particle__sink_write(particle__sink *s, const void *data, size_t n);

/* Whether a failed attempt can be repeated (a callback that saw bytes cannot take them
 * again). */
bool particle__sink_restartable(const particle__sink *s);

/* Ends an attempt: @p ok renames the temporary file over the target (which can still fail
 * with PARTICLE_EIO), otherwise it is removed. Returns 0 or the error code (set). */
int particle__sink_end(particle__sink *s, bool ok);

/* Frees what @p s holds (removes a temporary file still open). */
void particle__sink_dispose(particle__sink *s);

/* Builds the multipart body of @p parts for @p h into *out (the caller frees it with
 * curl_mime_free after the transfer). Returns 0, PARTICLE_EINVAL (a bad part, a file that
 * cannot be read) or PARTICLE_ENOMEM, with the error set. */
int particle__mime_build(CURL *h, const particle_form_part *parts, size_t count, curl_mime **out);

/* Checks @p parts without building anything (name set, one content source, files
 * readable). Returns 0 or PARTICLE_EINVAL with the error set. */
int particle__parts_check(const particle_form_part *parts, size_t count);

/* Performs @p req (its sink set up by the caller, not yet begun) and gives the answer as a
 * particle_response in *out (NULL = not wanted): status, content type and, for memory
 * sinks, the body (taken from the sink). Checks @p c for NULL. */
int particle__http_download(particle_response **out, particle_client *c, particle__request *req);

/*
 * One request on one curl handle, split around the transfer itself so that the blocking
 * path (particle__http_perform: curl_easy_perform) and the concurrent one (multi.c: curl
 * multi) share header building, body capture and the mapping of outcomes to codes.
 */
typedef struct particle__transfer {
    struct curl_slist *headers; /* wiped when freed: may hold the Authorization line */
    char errbuf[CURL_ERROR_SIZE];
    pu_buf body;     /* capped at the client's max_response_bytes; error bodies of sink requests */
    curl_mime *mime; /* the multipart body, NULL when none */
    particle__sink *sink; /* the request's sink, NULL for JSON requests */
    CURL *handle;         /* the handle the transfer runs on (status in callbacks) */
    particle_progress_fn *progress;
    void *progress_payload;
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
