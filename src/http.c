/* The REST transport: request building on one reused curl easy handle (keep-alive),
 * bounded response bodies, the retry policy and the single mapping from transport and
 * HTTP failures to particle codes. */
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "pu_str.h"
#include "pu_time.h"
#include "value_internal.h"

/* ---- helpers shared with stream.c (declared in client_internal.h) ---- */

char *particle__url(const particle_client *c, const char *path, const char *query)
{
    size_t blen = strlen(c->base_url), plen = strlen(path);
    size_t qlen = (query != NULL && *query != '\0') ? strlen(query) + 1 : 0;
    size_t total;
    if (__builtin_add_overflow(blen, plen, &total) || __builtin_add_overflow(total, qlen, &total) ||
        __builtin_add_overflow(total, 1, &total)) {
        particle__error_set(PARTICLE_EINVAL, "URL too long");
        return NULL;
    }
    char *url = particle__malloc(total);
    if (url == NULL) {
        particle__error_set(PARTICLE_ENOMEM, NULL);
        return NULL;
    }
    memcpy(url, c->base_url, blen);
    memcpy(url + blen, path, plen);
    if (qlen > 0) {
        url[blen + plen] = '?';
        memcpy(url + blen + plen + 1, query, qlen - 1);
    }
    url[total - 1] = '\0';
    return url;
}

int particle__curl_common(const particle_client *c, CURL *h)
{
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c->verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c->verify_tls ? 2L : 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* curl copies or parses string options: the only ones that can fail (out of memory) */
    if (curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK) {
        return particle__error_set(PARTICLE_ENOMEM, "cannot configure the transfer handle");
    }
    return 0;
}

struct curl_slist *particle__auth_header(const particle_client *c, struct curl_slist *headers)
{
    if (c->access_token == NULL) {
        return headers;
    }
    static const char prefix[] = "Authorization: Bearer ";
    size_t tlen = strlen(c->access_token);
    size_t len = sizeof(prefix) + tlen;
    char *line = particle__malloc(len);
    struct curl_slist *next = NULL;
    if (line != NULL) {
        memcpy(line, prefix, sizeof(prefix) - 1);
        memcpy(line + sizeof(prefix) - 1, c->access_token, tlen + 1);
        next = curl_slist_append(headers, line);
        pu_secure_zero(line, len);
        particle__free(line);
    }
    if (next == NULL) {
        curl_slist_free_all(headers);
    }
    return next;
}

int particle__error_from_curl(CURLcode rc, const char *errbuf)
{
    const char *text = (errbuf != NULL && *errbuf != '\0') ? errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return particle__error_set(PARTICLE_ETIMEDOUT, "%s", text);
    case CURLE_OUT_OF_MEMORY:
        return particle__error_set(PARTICLE_ENOMEM, "%s", text);
    case CURLE_PARTIAL_FILE:
        return particle__error_set(PARTICLE_EPROTO, "truncated response: %s", text);
    case CURLE_ABORTED_BY_CALLBACK:
        return particle__error_set(PARTICLE_ECANCELED, "%s", text);
    default:
        return particle__error_set(PARTICLE_ENET, "%s", text);
    }
}

/* Retry-After is either delta-seconds or an HTTP date. Returns milliseconds or -1. */
static long parse_retry_after(const char *value)
{
    while (*value == ' ' || *value == '\t') {
        value++;
    }
    if (isdigit((unsigned char)*value)) {
        char *end = NULL;
        errno = 0;
        long long secs = strtoll(value, &end, 10);
        while (*end == ' ' || *end == '\t') {
            end++;
        }
        if (errno != 0 || *end != '\0' || secs < 0) {
            return -1;
        }
        return secs > 86400 ? 86400L * 1000 : (long)secs * 1000;
    }
    time_t when = curl_getdate(value, NULL);
    if (when == (time_t)-1) {
        return -1;
    }
    long long delta_ms = (long long)when * 1000 - (long long)pu_time_now_ms();
    if (delta_ms < 0) {
        return 0;
    }
    return delta_ms > 86400LL * 1000 ? 86400L * 1000 : (long)delta_ms;
}

/* "Timed out." / "timed out" in an error body is how the cloud says the device did not
 * answer, whatever the status (400 observed, 408 from spark-server). */
static bool says_timed_out(const char *s)
{
    static const char needle[] = "timed out";
    if (s == NULL) {
        return false;
    }
    for (; *s; s++) {
        if (strncasecmp(s, needle, sizeof(needle) - 1) == 0) {
            return true;
        }
    }
    return false;
}

static int code_for_status(long status, const char *api_error)
{
    if (status == 408 || says_timed_out(api_error)) {
        return PARTICLE_EOFFLINE;
    }
    if (status == 401) {
        return PARTICLE_EAUTH;
    }
    if (status == 403) {
        if (api_error != NULL && strcmp(api_error, "mfa_required") == 0) {
            return PARTICLE_EMFA;
        }
        return PARTICLE_EFORBIDDEN;
    }
    if (status == 404) {
        return PARTICLE_ENOTFOUND;
    }
    if (status == 429) {
        return PARTICLE_ERATELIMIT;
    }
    if (status >= 500) {
        return PARTICLE_ESERVER;
    }
    /* OAuth reports bad credentials with 400 invalid_grant; an expired or unknown token
     * comes as invalid_token / expired_token. All of them mean "log in again". */
    if (status >= 400 && api_error != NULL &&
        (strcmp(api_error, "invalid_grant") == 0 || strcmp(api_error, "invalid_token") == 0 ||
         strcmp(api_error, "expired_token") == 0)) {
        return PARTICLE_EAUTH;
    }
    return PARTICLE_EHTTP;
}

int particle__error_from_http(long status, const char *body, size_t body_len,
                              const char *retry_after, const char *request_id)
{
    json_t *root = (body != NULL && body_len > 0) ? json_loadb(body, body_len, 0, NULL) : NULL;
    const char *api_error = NULL, *description = NULL, *info = NULL, *mfa = NULL, *msg = NULL;
    const char *detail = NULL; /* a top-level "description" */
    if (json_is_object(root)) {
        json_t *err = json_object_get(root, "error");
        detail = json_string_value(json_object_get(root, "description"));
        if (json_is_object(err)) {
            /* {"error":{"code":..,"message":..}} */
            api_error = json_string_value(json_object_get(err, "code"));
            description = json_string_value(json_object_get(err, "message"));
        } else {
            /* OAuth's error_description, or a 400's {"error":"bad_request","description":..} */
            api_error = json_string_value(err);
            description = json_string_value(json_object_get(root, "error_description"));
            if (description == NULL && api_error != NULL) {
                description = detail;
            }
        }
        info = json_string_value(json_object_get(root, "info"));
        mfa = json_string_value(json_object_get(root, "mfa_token"));
        msg = json_string_value(json_object_get(root, "message"));
    }
    int code = code_for_status(status, api_error);
    const char *text = description ? description : api_error ? api_error : info ? info : msg;
    if (text != NULL && text == msg && detail != NULL && strcmp(detail, msg) != 0) {
        /* {"message":"Invalid Schema","description":"data should NOT have ..."} */
        particle__error_set(code, "%s: %s", msg, detail);
    } else if (text != NULL) {
        particle__error_set(code, "%s", text);
    } else if (detail != NULL) {
        particle__error_set(code, "%s", detail);
    } else {
        particle__error_set(code, "HTTP %ld%s", status,
                            (body_len > 0 && root == NULL) ? " (response is not JSON)" : "");
    }
    particle_error *rec = particle__error_record();
    rec->http_status = (int)status;
    if (api_error != NULL) {
        pu_strlcpy(rec->api_code, api_error, sizeof(rec->api_code));
    }
    if (info != NULL) {
        pu_strlcpy(rec->info, info, sizeof(rec->info));
    }
    if (mfa != NULL) {
        pu_strlcpy(rec->mfa_token, mfa, sizeof(rec->mfa_token));
    }
    if (request_id != NULL) {
        pu_strlcpy(rec->request_id, request_id, sizeof(rec->request_id));
    }
    if (retry_after != NULL) {
        rec->retry_after_ms = parse_retry_after(retry_after);
    }
    json_decref(root);
    return code;
}

void particle__log(const particle_client *c, particle_log_level level, const char *fmt, ...)
{
    if (c == NULL || c->log_cb == NULL) {
        return;
    }
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    c->log_cb(level, line, c->log_payload);
}

void particle__log_request(const particle_client *c, const particle__request *req, long status,
                           int error, int64_t started_mono_ms)
{
    particle__log(c, error == 0 ? PARTICLE_LOG_DEBUG : PARTICLE_LOG_INFO, "%s %s -> %ld (%lld ms)",
                  req->method, req->log_path != NULL ? req->log_path : req->path, status,
                  (long long)(pu_time_mono_ms() - started_mono_ms));
}

long particle__backoff_ms(long base_ms, long max_ms, unsigned int attempt)
{
    static _Thread_local uint64_t rng;
    if (rng == 0) {
        rng = (uint64_t)pu_time_now_ms() ^ ((uint64_t)(uintptr_t)&rng << 16) ^ 0x9e3779b97f4a7c15u;
    }
    long delay = base_ms > 0 ? base_ms : 1;
    for (unsigned int i = 0; i < attempt && delay < max_ms; i++) {
        delay *= 2;
    }
    if (delay > max_ms) {
        delay = max_ms;
    }
    /* jitter in [50%, 100%] so clients that failed together do not retry together */
    double f = 0.5 + 0.5 * pu_rand_double(&rng);
    long jittered = (long)((double)delay * f);
    return jittered > 0 ? jittered : 1;
}

/* ---- request building helpers ---- */

char *particle__encode(const char *s)
{
    pu_buf b; /* through the library's allocator: the caller frees with particle__free */
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    pu_buf_append_percent_encoded(&b, s);
    if (pu_buf_error(&b) != 0) {
        particle__error_set(particle__buf_code(&b), "cannot percent-encode a path segment");
    }
    return pu_buf_take(&b, NULL); /* NULL after an error */
}

int particle__require(const char *s, const char *what)
{
    if (s == NULL || *s == '\0') {
        return particle__error_set(PARTICLE_EINVAL, "%s is required", what);
    }
    return 0;
}

char *particle__device_path(const char *product, const char *device, const char *suffix)
{
    if (particle__require(device, "device id or name") < 0 ||
        (product != NULL && particle__require(product, "product id or slug") < 0)) {
        return NULL;
    }
    return particle__api_path(product, "devices", device, suffix);
}

char *particle__device_member_path(const char *product, const char *device, const char *name,
                                   const char *what)
{
    if (particle__require(name, what) < 0) {
        return NULL;
    }
    char *enc = particle__encode(name);
    if (enc == NULL) {
        return NULL;
    }
    char *path = particle__device_path(product, device, enc);
    particle__free(enc);
    return path;
}

int particle__json_set(json_t *obj, const char *key, json_t *value)
{
    return json_object_set_new(obj, key, value) == 0 ? 0
                                                     : particle__error_set(PARTICLE_ENOMEM, NULL);
}

int particle__json_add_text(json_t *container, const char *key, const char *text, const char *what)
{
    if (text == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "%s is NULL", what);
    }
    json_t *value = json_string(text);
    if (value == NULL) {
        /* json_string() fails for text that is not UTF-8 and for lack of memory; a copy
         * without the check tells the two apart */
        json_t *unchecked = json_stringn_nocheck(text, strlen(text));
        if (unchecked == NULL) {
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
        json_decref(unchecked);
        return particle__error_set(PARTICLE_EINVAL, "%s is not UTF-8 text", what);
    }
    if (key != NULL) {
        return particle__json_set(container, key, value);
    }
    return json_array_append_new(container, value) == 0
               ? 0
               : particle__error_set(PARTICLE_ENOMEM, NULL);
}

/* ---- one transfer ---- */

/* A JSON request keeps its whole body; a sink request sends a 2xx body to its sink and
 * keeps only an error answer (mapped like any other). Returning less than n aborts the
 * transfer with CURLE_WRITE_ERROR. */
static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    particle__transfer *t = userdata;
    size_t n = size * nmemb;
    if (t->sink != NULL) {
        long status = 0;
        curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) {
            return particle__sink_write(t->sink, ptr, n) ? n : 0;
        }
    }
    if (pu_buf_append(&t->body, ptr, n) < 0) {
        return 0;
    }
    return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    particle__transfer *t = userdata;
    return t->progress((uint64_t)ulnow, (uint64_t)ultotal, (uint64_t)dlnow, (uint64_t)dltotal,
                       t->progress_payload);
}

static const char *header_value(CURL *h, const char *name)
{
    struct curl_header *hdr = NULL;
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hdr) == CURLHE_OK && hdr != NULL) {
        return hdr->value;
    }
    return NULL;
}

/* Frees a header list after wiping it: one entry may be the Authorization line. */
static void free_headers(struct curl_slist *list)
{
    for (struct curl_slist *l = list; l != NULL; l = l->next) {
        pu_secure_zero(l->data, strlen(l->data));
    }
    curl_slist_free_all(list);
}

static bool is_idempotent(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0 ||
           strcmp(method, "DELETE") == 0 || strcmp(method, "HEAD") == 0;
}

static int build_headers(const particle_client *c, const particle__request *req,
                         struct curl_slist **out)
{
    struct curl_slist *list = NULL, *next;
    char ct[160], accept[160];
    snprintf(ct, sizeof(ct), "Content-Type: %s",
             req->body != NULL && req->content_type != NULL ? req->content_type : "");
    snprintf(accept, sizeof(accept), "Accept: %s",
             req->accept != NULL ? req->accept : PARTICLE__CT_JSON);
    /* "Content-Type:" with nothing removes curl's form default on bodiless PUTs; a multipart
     * body gets curl's own, which carries the boundary */
    const char *fixed[] = {accept, "Expect:", req->parts != NULL ? NULL : ct};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (fixed[i] == NULL) {
            continue;
        }
        if ((next = curl_slist_append(list, fixed[i])) == NULL) {
            free_headers(list);
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
        list = next;
    }
    if (!req->no_auth && req->basic_user == NULL) {
        if ((list = particle__auth_header(c, list)) == NULL) {
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
    }
    *out = list;
    return 0;
}

int particle__rest_handle_setup(const particle_client *c, CURL *h)
{
    int error = particle__curl_common(c, h);
    if (error < 0) {
        return error;
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress); /* on only when asked */
    if (c->request_timeout_ms > 0) {
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->request_timeout_ms);
    }
    /* a peer that goes silent mid-answer fails after low_speed_timeout_ms */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (c->low_speed_timeout_ms + 999) / 1000);
    return 0;
}

/* Sets what differs between requests on a handle. What every request of the client shares
 * was set once by particle__rest_handle_setup(); every option set here is set (or cleared)
 * on every request, so nothing leaks from one request into the next. No curl_easy_reset():
 * it keeps the connection too, but throwing away and rebuilding every option cost about a
 * third of the client's CPU time per request (bench_sdk).
 * The string options come first: curl copies them, so they can fail for lack of memory, and
 * a failed URL must not leave the previous request's in place. Only when they are all set
 * does the handle get pointers into @p t. Returns 0 or PARTICLE_ENOMEM. */
static int set_request_options(CURL *h, const particle__request *req, const char *url,
                               particle__transfer *t)
{
    bool head = strcmp(req->method, "HEAD") == 0, get = strcmp(req->method, "GET") == 0;
    const char *custom = head || get || strcmp(req->method, "POST") == 0 ? NULL : req->method;
    const char *user = req->basic_user, *password = NULL;
    if (user != NULL) {
        password = req->basic_password != NULL ? req->basic_password : "";
    }
    if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_USERNAME, user) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_PASSWORD, password) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, custom) != CURLE_OK) {
        return particle__error_set(PARTICLE_ENOMEM, "cannot configure the request");
    }
    if (user != NULL) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, t->progress != NULL ? 0L : 1L);
    /* HEAD must be curl's own: as a custom method curl would wait for the body a
     * Content-Length announces. Cleared first for every other method. */
    curl_easy_setopt(h, CURLOPT_NOBODY, head ? 1L : 0L);
    if (get) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (t->mime != NULL) {
        curl_easy_setopt(h, CURLOPT_MIMEPOST, t->mime); /* with a custom PUT, a multipart PUT */
    } else if (!head) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(req->body != NULL ? req->body_len : 0));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
    }
    return 0;
}

int particle__transfer_begin(const particle_client *c, CURL *h, const particle__request *req,
                             const char *url, particle__transfer *t)
{
    t->headers = NULL;
    t->errbuf[0] = '\0';
    t->mime = NULL;
    t->sink = req->sink;
    t->handle = h;
    t->progress = req->progress;
    t->progress_payload = req->progress_payload;
    particle__buf_init_secret(&t->body, c->max_response_bytes); /* token responses */
    int error = build_headers(c, req, &t->headers);
    if (error == 0 && req->parts != NULL) {
        error = particle__mime_build(h, req->parts, req->part_count, &t->mime);
    }
    if (error < 0) {
        return error;
    }
    return set_request_options(h, req, url, t);
}

int particle__transfer_end(CURL *h, CURLcode rc, particle__transfer *t, long *status,
                           bool *transport_retryable)
{
    *transport_retryable = false;
    /* the handle outlives the transfer: no dangling pointers into it or freed lists */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, NULL);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
    if (t->mime != NULL) {
        curl_easy_setopt(h, CURLOPT_MIMEPOST, NULL);
        curl_mime_free(t->mime);
        t->mime = NULL;
    }
    free_headers(t->headers);
    t->headers = NULL;
    if (rc == CURLE_WRITE_ERROR && t->sink != NULL && t->sink->error != 0) {
        *status = 0;
        return particle__error_set(t->sink->error, "%s", t->sink->message);
    }
    if (rc == CURLE_PARTIAL_FILE && t->sink != NULL) {
        *status = 0;
        *transport_retryable = true;
        curl_off_t expected = -1;
        curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
        return particle__error_set(
            PARTICLE_EPROTO, "download cut off after %zu of %lld bytes%s%s%s", t->sink->received,
            (long long)expected, t->sink->file_path != NULL ? "; " : "",
            t->sink->file_path != NULL ? t->sink->file_path : "",
            t->sink->file_path != NULL ? " was not written" : "");
    }
    if (rc != CURLE_OK) {
        *status = 0;
        if (rc == CURLE_WRITE_ERROR && pu_buf_error(&t->body) == PU_BUF_ETOOBIG) {
            return particle__error_set(PARTICLE_EPROTO, "response larger than %zu bytes",
                                       t->body.max_bytes);
        }
        if (rc == CURLE_WRITE_ERROR) {
            return particle__error_set(PARTICLE_ENOMEM, "response buffer");
        }
        /* a dropped connection, also mid-body, is worth another try for idempotent calls */
        *transport_retryable = rc != CURLE_OPERATION_TIMEDOUT && rc != CURLE_OUT_OF_MEMORY &&
                               rc != CURLE_ABORTED_BY_CALLBACK;
        return particle__error_from_curl(rc, t->errbuf);
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    if (*status >= 200 && *status < 300) {
        return 0;
    }
    return particle__error_from_http(*status, t->body.data, t->body.len,
                                     header_value(h, "Retry-After"),
                                     header_value(h, "X-Request-Id"));
}

void particle__transfer_dispose(particle__transfer *t)
{
    free_headers(t->headers);
    t->headers = NULL;
    curl_mime_free(t->mime); /* set only when the transfer never reached its end */
    t->mime = NULL;
    pu_buf_dispose(&t->body);
}

/* Performs one attempt on the client's own handle. Returns 0 for 2xx (the body is in
 * t->body) or the mapped error code. */
static int perform_once(particle_client *c, const particle__request *req, const char *url,
                        particle__transfer *t, long *status, bool *transport_retryable)
{
    *transport_retryable = false;
    *status = 0;
    int error = particle__transfer_begin(c, c->easy, req, url, t);
    if (error < 0) {
        return error;
    }
    CURLcode rc = curl_easy_perform(c->easy);
    return particle__transfer_end(c->easy, rc, t, status, transport_retryable);
}

/* 2xx bodies are JSON; an empty body (204) reads as {}. */
int particle__parse_body(const pu_buf *body, long status, json_t **out)
{
    if (body->len == 0) {
        if (out != NULL && (*out = json_object()) == NULL) {
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
        return 0;
    }
    json_t *root = NULL;
    int error = particle__json_load(&root, body->data, body->len, JSON_REJECT_DUPLICATES,
                                    "response is not JSON");
    if (error < 0) {
        particle__error_record()->http_status = (int)status;
        return error;
    }
    if (out != NULL) {
        *out = root;
    } else {
        json_decref(root);
    }
    return 0;
}

int particle__http_perform(particle_client *c, const particle__request *req, json_t **out)
{
    if (out != NULL) {
        *out = NULL;
    }
    char *url = particle__url(c, req->path, req->query);
    if (url == NULL) {
        return particle__error_record()->code;
    }
    const char *log_path = req->log_path != NULL ? req->log_path : req->path;
    bool may_retry_errors = is_idempotent(req->method) || req->retry_unsafe;
    int error = 0;
    for (unsigned int attempt = 0;; attempt++) {
        particle__transfer t;
        long status = 0;
        bool transport_retryable = false;
        int64_t started = pu_time_mono_ms();
        error = req->sink != NULL ? particle__sink_begin(req->sink) : 0;
        if (error == 0) {
            error = perform_once(c, req, url, &t, &status, &transport_retryable);
        } else {
            t = (particle__transfer){.headers = NULL}; /* nothing to dispose */
            particle__buf_init(&t.body, 0);
        }
        if (req->sink != NULL) {
            int sink_error = particle__sink_end(req->sink, error == 0);
            error = error == 0 ? sink_error : error;
            transport_retryable = transport_retryable && particle__sink_restartable(req->sink);
        } else if (error == 0) {
            error = particle__parse_body(&t.body, status, out);
        }
        if (error == 0 && req->status_out != NULL) {
            *req->status_out = status;
        }
        if (error == 0 && req->sink != NULL) {
            const char *type = NULL;
            curl_easy_getinfo(c->easy, CURLINFO_CONTENT_TYPE, &type);
            pu_strlcpy(req->sink->content_type, type != NULL ? type : "",
                       sizeof(req->sink->content_type));
        }
        particle__transfer_dispose(&t);
        particle__log_request(c, req, status, error, started);
        if (error == 0 || attempt >= c->max_retries) {
            break;
        }
        long wait_ms;
        const particle_error *rec = particle_error_last();
        if (error == PARTICLE_ERATELIMIT) {
            /* the request was refused, not processed: safe to repeat for any method */
            wait_ms = rec->retry_after_ms >= 0
                          ? rec->retry_after_ms
                          : particle__backoff_ms(c->retry_base_ms, c->retry_max_ms, attempt);
            if (wait_ms > c->retry_after_max_ms) {
                break;
            }
        } else if ((error == PARTICLE_ESERVER || transport_retryable) && may_retry_errors) {
            wait_ms = particle__backoff_ms(c->retry_base_ms, c->retry_max_ms, attempt);
        } else {
            break;
        }
        particle__log(c, PARTICLE_LOG_WARN, "%s %s: %s; retry %u in %ld ms", req->method, log_path,
                      particle_code_name(error), attempt + 1, wait_ms);
        pu_time_sleep_ms(wait_ms);
    }
    /* DELETE /v1/access_tokens/<token> carries a token in its path */
    pu_secure_zero(url, strlen(url));
    particle__free(url);
    return error;
}

int particle__http_json(particle_client *c, const char *method, const char *path, json_t *body,
                        bool retry_unsafe, json_t **out)
{
    char *text = NULL;
    if (body != NULL && (text = particle__json_dumps(body, JSON_COMPACT)) == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    particle__request req = {
        .method = method,
        .path = path,
        .body = text,
        .body_len = text != NULL ? strlen(text) : 0,
        .content_type = PARTICLE__CT_JSON,
        .retry_unsafe = retry_unsafe,
    };
    int error = particle__http_perform(c, &req, out);
    particle__free(text);
    return error;
}

int particle__http_doc(particle_doc **out, particle_client *c, const particle__request *req)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    json_t *root = NULL;
    int error = particle__http_perform(c, req, out != NULL ? &root : NULL);
    if (error < 0 || out == NULL) {
        return error;
    }
    return particle__doc_wrap(out, root);
}

int particle__http_json_doc(particle_doc **out, particle_client *c, const char *method,
                            const char *path, json_t *body, bool retry_unsafe)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    json_t *root = NULL;
    int error =
        particle__http_json(c, method, path, body, retry_unsafe, out != NULL ? &root : NULL);
    if (error < 0 || out == NULL) {
        return error;
    }
    return particle__doc_wrap(out, root);
}
