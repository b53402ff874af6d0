/*
 * The event-stream client: one libcurl easy handle driven through a multi handle, so that
 * the wait for bytes can be woken by particle_stream_cancel() (curl_multi_wakeup) and the
 * idle timer checked between waits. libcurl's write callback feeds the SSE parser, whose
 * event callback delivers to the user, all on the thread in particle_stream_run(): bytes
 * that arrive together with the response headers go through the same path, so no event
 * is lost between "connected" and "listening".
 */
#include "client_internal.h"
#include "stream_internal.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "pu_sse.h"
#include "pu_str.h"
#include "pu_time.h"
#include "strbuf.h"

#define DEFAULT_IDLE_TIMEOUT_MS 15000L
#define DEFAULT_RECONNECT_BASE_MS 1000L
#define DEFAULT_RECONNECT_MAX_MS 30000L
#define ERROR_BODY_MAX 65536u /* of a non-200 answer, kept for the error record */
#define POLL_SLICE_MS 1000L   /* longest single wait; the idle timer decides earlier */

/* How one connection ended. */
typedef enum outcome {
    OUT_STOPPED,  /* on_event asked to stop */
    OUT_CANCELED, /* particle_stream_cancel() */
    OUT_FATAL,    /* retrying cannot help: return the code */
    OUT_FAILED,   /* the attempt failed before the stream was established: retry */
    OUT_LOST      /* an established stream ended: report a disconnect, then retry */
} outcome;

struct particle_stream {
    /* A private copy of the client's transport settings (owned strings), so the
     * particle__ transport helpers work on it and the client may be freed. */
    struct particle_client conn;
    char *url;
    particle_stream_options opts; /* timings with defaults applied; string fields unused */
    CURLM *multi;
    CURL *easy;
    pu_sse_parser *parser;
    atomic_bool canceled;
    char *resume_id;            /* the last_event_id option (owned), until the server sends an id */
    bool id_seen;               /* an event carried an id: the parser's last id rules from now on */
    particle__gap_tracker gaps; /* the last numeric id, for noticing missed events */
    particle__held_gap held;    /* a gap the server announced, not yet reported */

    /* State of the current connection attempt, reset by connect_once(). */
    unsigned int attempt; /* 0 for the first connection, then the reconnect number */
    int64_t last_activity_ms;
    bool connected;      /* a 200 text/event-stream answer arrived */
    bool stop_requested; /* on_event returned non-zero */
    int abort_code;      /* why a callback aborted the transfer (EPROTO, ENOMEM), or 0 */
    pu_buf body;         /* non-200 answer, up to ERROR_BODY_MAX bytes */
    char retry_after[32];
    char request_id[64];
    char errbuf[CURL_ERROR_SIZE];

    particle_error last_error; /* the error run() returns with, kept across callbacks */
};

static void touch(particle_stream *s)
{
    s->last_activity_ms = pu_time_mono_ms();
}

/* Copies a header's value (after "Name:", trimmed) when @p line is that header. */
static void capture_header(const char *line, size_t len, const char *name, char *out, size_t size)
{
    size_t name_len = strlen(name);
    if (len <= name_len || strncasecmp(line, name, name_len) != 0 || line[name_len] != ':')
        return;
    const char *v = line + name_len + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t n = (size_t)(end - v);
    if (n >= size)
        n = size - 1;
    memcpy(out, v, n);
    out[n] = '\0';
}

/* "text/event-stream", optionally followed by parameters ("; charset=utf-8"). */
static bool is_event_stream(const char *content_type)
{
    static const char want[] = "text/event-stream";
    if (content_type == NULL || strncasecmp(content_type, want, sizeof(want) - 1) != 0)
        return false;
    char next = content_type[sizeof(want) - 1];
    return next == '\0' || next == ';' || next == ' ';
}

static void report_error(particle_stream *s, int code)
{
    if (s->opts.on_error != NULL)
        s->opts.on_error(code, particle_error_last(), s->opts.payload);
}

/* The end of a response head decides what the connection is: an interim 1xx is skipped,
 * a 200 must be an event stream, anything else is read to the end for its error body. */
static size_t on_header(char *buf, size_t size, size_t nitems, void *userdata)
{
    particle_stream *s = userdata;
    size_t len = size * nitems;
    touch(s);
    if (len >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
        s->retry_after[0] = '\0';
        s->request_id[0] = '\0';
        return len;
    }
    if (!(len <= 2 && (buf[0] == '\r' || buf[0] == '\n'))) {
        capture_header(buf, len, "Retry-After", s->retry_after, sizeof(s->retry_after));
        capture_header(buf, len, "X-Request-Id", s->request_id, sizeof(s->request_id));
        return len;
    }
    long status = 0;
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
        return len; /* 1xx: another head follows; others: collect the body */
    const char *content_type = NULL;
    curl_easy_getinfo(s->easy, CURLINFO_CONTENT_TYPE, &content_type);
    if (!is_event_stream(content_type)) {
        s->abort_code =
            particle__error_set(PARTICLE_EPROTO, "stream answer is %s, not text/event-stream",
                                content_type != NULL ? content_type : "untyped");
        particle__error_record()->http_status = 200;
        return 0; /* aborts the transfer */
    }
    s->connected = true;
    particle__log(&s->conn, PARTICLE_LOG_INFO, "stream connected");
    if (s->attempt > 0 && s->opts.on_reconnect_success != NULL)
        s->opts.on_reconnect_success(s->attempt, s->opts.payload);
    if (s->opts.on_connect != NULL)
        s->opts.on_connect(s->attempt, s->opts.payload);
    return len;
}

/* Tells the caller that events may have been missed after @p after (when known). */
static void report_gap(particle_stream *s, long long missed, bool has_after, uint64_t after)
{
    char after_id[24] = "";
    if (has_after)
        snprintf(after_id, sizeof(after_id), "%llu", (unsigned long long)after);
    if (missed >= 0)
        particle__log(&s->conn, PARTICLE_LOG_WARN, "stream gap: %lld ids missed after %s", missed,
                      has_after ? after_id : "the start");
    else
        particle__log(&s->conn, PARTICLE_LOG_WARN, "stream gap of unknown size after %s",
                      has_after ? after_id : "the start");
    if (s->opts.on_gap != NULL)
        s->opts.on_gap(missed, has_after ? after_id : NULL, s->opts.payload);
}

static void report_held_gap(particle_stream *s)
{
    particle__held_gap gap;
    if (particle__gap_take(&s->held, &gap))
        report_gap(s, gap.missed, gap.has_after, gap.after);
}

static void on_sse_comment(const char *text, size_t len, void *payload)
{
    particle_stream *s = payload;
    long long missed;
    bool has_after;
    uint64_t after;
    if (!particle__gap_comment(&s->gaps, text, len, &missed, &has_after, &after))
        return;
    particle__held_gap earlier;
    if (particle__gap_hold(&s->held, missed, has_after, after, &earlier))
        report_gap(s, earlier.missed, earlier.has_after, earlier.after);
}

static int on_sse_event(const pu_sse_event *sse, void *payload)
{
    particle_stream *s = payload;
    if (atomic_load(&s->canceled))
        return 1;
    report_held_gap(s); /* before the events that came after it */
    if (sse->has_id)
        s->id_seen = true;
    long long missed;
    uint64_t after;
    if (particle__gap_event(&s->gaps, sse->has_id ? sse->id : NULL, &missed, &after))
        report_gap(s, missed, true, after);
    particle__decoded_event decoded;
    int rc = particle__event_decode(&decoded, sse->event, sse->data, sse->data_len,
                                    sse->has_id ? sse->id : NULL);
    if (rc == PARTICLE_ENOMEM) {
        s->abort_code = rc;
        return 1;
    }
    if (rc != 0) { /* a malformed event is skipped, the stream goes on */
        report_error(s, rc);
        return 0;
    }
    int stop = s->opts.on_event(&decoded.ev, s->opts.payload);
    particle__event_dispose(&decoded);
    if (stop != 0) {
        s->stop_requested = true;
        return 1;
    }
    return 0;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    particle_stream *s = userdata;
    size_t len = size * nmemb;
    touch(s);
    if (!s->connected) { /* an error answer: keep the start of its body */
        size_t room = ERROR_BODY_MAX - s->body.len;
        /* Cut to the room left, so the cap is never hit: out of memory is the only error. */
        if (pu_buf_append(&s->body, ptr, len < room ? len : room) != 0) {
            s->abort_code = particle__error_set(PARTICLE_ENOMEM, NULL);
            return 0;
        }
        return len;
    }
    int rc = pu_sse_feed(s->parser, ptr, len);
    touch(s); /* time spent in callbacks is not server silence */
    if (rc == PU_SSE_OK)
        return len;
    if (rc == PU_SSE_ETOOBIG)
        s->abort_code = particle__error_set(PARTICLE_EPROTO, "stream line or event too large");
    else if (rc == PU_SSE_ENOMEM)
        s->abort_code = particle__error_set(PARTICLE_ENOMEM, NULL);
    return 0; /* aborts the transfer (also for PU_SSE_STOPPED) */
}

/* Waits @p ms, woken early by particle_stream_cancel(). Returns false when canceled. */
static bool wait_cancelable(particle_stream *s, long ms)
{
    int64_t deadline = pu_time_mono_ms() + ms;
    while (!atomic_load(&s->canceled)) {
        int64_t left = deadline - pu_time_mono_ms();
        if (left <= 0)
            return true;
        curl_multi_poll(s->multi, NULL, 0, (int)(left < POLL_SLICE_MS ? left : POLL_SLICE_MS),
                        NULL);
    }
    return false;
}

static struct curl_slist *request_headers(particle_stream *s)
{
    struct curl_slist *h = NULL, *next;
    if ((next = curl_slist_append(h, "Accept: text/event-stream")) == NULL)
        goto oom;
    h = next;
    if ((next = curl_slist_append(h, "Cache-Control: no-cache")) == NULL)
        goto oom;
    h = next;
    const char *last_id = pu_sse_last_id(s->parser);
    if (last_id[0] == '\0' && !s->id_seen && s->resume_id != NULL)
        last_id = s->resume_id; /* resuming where an earlier run (or process) left off */
    particle__gap_connect(&s->gaps, last_id);
    if (last_id[0] != '\0') {
        size_t size = strlen(last_id) + sizeof("Last-Event-ID: ");
        char *line = particle__malloc(size);
        if (line == NULL)
            goto oom;
        snprintf(line, size, "Last-Event-ID: %s", last_id);
        next = curl_slist_append(h, line);
        particle__free(line);
        if (next == NULL)
            goto oom;
        h = next;
    }
    return particle__auth_header(&s->conn, h); /* frees h itself on failure */
oom:
    curl_slist_free_all(h);
    return NULL;
}

/* Runs the transfer until it ends, the idle timer fires or the stream is canceled.
 * Returns CURLE_OK when the transfer completed, or sets *idle / returns early. */
static CURLcode drive(particle_stream *s, bool *idle)
{
    *idle = false;
    for (;;) {
        int running = 0;
        CURLMcode mc = curl_multi_perform(s->multi, &running);
        if (mc != CURLM_OK) {
            /* the transfer cannot move on: CURLM_OUT_OF_MEMORY, or a broken multi handle */
            s->abort_code =
                particle__error_set(mc == CURLM_OUT_OF_MEMORY ? PARTICLE_ENOMEM : PARTICLE_ERROR,
                                    "curl_multi_perform: %s", curl_multi_strerror(mc));
            return mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
        }
        int queued = 0;
        CURLMsg *msg;
        while ((msg = curl_multi_info_read(s->multi, &queued)) != NULL) {
            if (msg->msg == CURLMSG_DONE)
                return msg->data.result;
        }
        if (atomic_load(&s->canceled))
            return CURLE_OK;
        int64_t left = s->last_activity_ms + s->opts.idle_timeout_ms - pu_time_mono_ms();
        if (left <= 0) {
            *idle = true;
            return CURLE_OK;
        }
        curl_multi_poll(s->multi, NULL, 0, (int)(left < POLL_SLICE_MS ? left : POLL_SLICE_MS),
                        NULL);
    }
}

/* An HTTP answer other than 200: 429 and 5xx are worth another try, the rest is final. */
static outcome classify_http(particle_stream *s, long status)
{
    particle__error_from_http(status, pu_buf_str(&s->body), s->body.len,
                              s->retry_after[0] != '\0' ? s->retry_after : NULL,
                              s->request_id[0] != '\0' ? s->request_id : NULL);
    return status == 429 || status >= 500 ? OUT_FAILED : OUT_FATAL;
}

/* One connection: connect, stream until it ends, and say how it ended. The error record
 * describes the failure for OUT_FATAL, OUT_FAILED and OUT_LOST. */
static outcome connect_once(particle_stream *s)
{
    s->connected = false;
    s->stop_requested = false;
    s->abort_code = 0;
    pu_buf_reset(&s->body);
    s->retry_after[0] = '\0';
    s->request_id[0] = '\0';
    s->errbuf[0] = '\0';
    pu_sse_parser_reset(s->parser);

    struct curl_slist *headers = request_headers(s);
    if (headers == NULL) {
        particle__error_set(PARTICLE_ENOMEM, NULL);
        return OUT_FATAL;
    }
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, headers);
    touch(s);
    if (curl_multi_add_handle(s->multi, s->easy) != CURLM_OK) {
        curl_slist_free_all(headers);
        particle__error_set(PARTICLE_ENOMEM, "cannot start the stream transfer");
        return OUT_FATAL;
    }
    bool idle = false;
    CURLcode rc = drive(s, &idle);
    curl_multi_remove_handle(s->multi, s->easy);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);

    if (atomic_load(&s->canceled)) {
        particle__error_set(PARTICLE_ECANCELED, NULL);
        return OUT_CANCELED;
    }
    if (s->stop_requested)
        return OUT_STOPPED;
    if (s->abort_code == PARTICLE_ENOMEM || (!s->connected && s->abort_code != 0))
        return OUT_FATAL; /* the record was set where the abort happened */
    if (s->connected) {
        if (s->abort_code != 0)
            return OUT_LOST; /* EPROTO: over the parser's limits */
        if (idle)
            particle__error_set(PARTICLE_ETIMEDOUT, "no data for %ld ms", s->opts.idle_timeout_ms);
        else if (rc == CURLE_OK)
            particle__error_set(PARTICLE_ENET, "the server closed the stream");
        else
            particle__error_from_curl(rc, s->errbuf);
        return OUT_LOST;
    }
    long status = 0;
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
    if (idle) {
        particle__error_set(PARTICLE_ETIMEDOUT, "no answer for %ld ms", s->opts.idle_timeout_ms);
        particle__error_record()->http_status = (int)status;
        return OUT_FAILED;
    }
    if (status >= 200 && status != 200)
        return classify_http(s, status);
    if (rc == CURLE_OK) /* e.g. a 200 head that never finished */
        rc = CURLE_GOT_NOTHING;
    particle__error_from_curl(rc, s->errbuf);
    return OUT_FAILED;
}

/* Ends run() with @p code, the error record restored as it was when the failure happened
 * (callbacks may have made other libparticle calls since). */
static int finish(particle_stream *s, int code)
{
    if (code < 0)
        *particle__error_record() = s->last_error;
    return code;
}

static void remember_error(particle_stream *s)
{
    s->last_error = *particle_error_last();
}

/* Delay before reconnect @p attempt: the backoff, but never less than the server asked
 * for with `retry:` or Retry-After. */
static long reconnect_delay(particle_stream *s, unsigned int attempt, long retry_after_ms)
{
    long delay =
        particle__backoff_ms(s->opts.reconnect_base_ms, s->opts.reconnect_max_ms, attempt - 1);
    long retry = pu_sse_retry_ms(s->parser);
    if (retry > delay)
        delay = retry;
    if (retry_after_ms > delay)
        delay = retry_after_ms;
    return delay;
}

/* particle_stream_run() but for the gap still held when it ends. */
static int run_connections(particle_stream *s)
{
    unsigned int attempt = 0;
    long retry_after_ms = -1;
    for (;;) {
        if (atomic_load(&s->canceled))
            return particle__error_set(PARTICLE_ECANCELED, NULL);
        if (attempt > 0) {
            if (s->opts.max_reconnects != 0 && attempt > s->opts.max_reconnects)
                return finish(s, s->last_error.code);
            long delay = reconnect_delay(s, attempt, retry_after_ms);
            particle__log(&s->conn, PARTICLE_LOG_INFO, "stream reconnect %u in %ld ms", attempt,
                          delay);
            if (s->opts.on_reconnect != NULL)
                s->opts.on_reconnect(attempt, delay, s->opts.payload);
            if (!wait_cancelable(s, delay))
                return particle__error_set(PARTICLE_ECANCELED, NULL);
        }
        s->attempt = attempt;
        outcome out = connect_once(s);
        if (out == OUT_STOPPED)
            return 0;
        if (out == OUT_CANCELED)
            return particle__error_set(PARTICLE_ECANCELED, NULL);
        remember_error(s);
        if (out == OUT_FATAL) {
            if (s->last_error.code != PARTICLE_ENOMEM)
                report_error(s, s->last_error.code);
            return finish(s, s->last_error.code);
        }
        if (out == OUT_LOST) {
            particle__log(&s->conn, PARTICLE_LOG_WARN, "stream lost: %s", s->last_error.message);
            if (s->opts.on_disconnect != NULL)
                s->opts.on_disconnect(s->last_error.code, s->opts.payload);
            attempt = 1;
            retry_after_ms = -1;
            continue;
        }
        particle__log(&s->conn, PARTICLE_LOG_WARN, "stream connect failed: %s",
                      s->last_error.message);
        report_error(s, s->last_error.code);
        retry_after_ms = s->last_error.retry_after_ms;
        if (attempt < UINT_MAX)
            attempt++;
    }
}

int particle_stream_run(particle_stream *s)
{
    if (s == NULL)
        return particle__error_set(PARTICLE_EINVAL, "stream is NULL");
    int rc = run_connections(s);
    if (s->held.set) { /* the stream ended before anything came after the gap */
        particle_error record = *particle__error_record();
        report_held_gap(s); /* the callback may make calls that set the record */
        *particle__error_record() = record;
    }
    return rc;
}

void particle_stream_cancel(particle_stream *s)
{
    if (s == NULL)
        return;
    atomic_store(&s->canceled, true);
    curl_multi_wakeup(s->multi);
}

/* The size of the options a caller built against @p version (checked already; 0 reads as
 * 1): a version 1 caller's struct ends before on_connect, a version 2 one before on_gap. */
static size_t options_size(unsigned int version)
{
    if (version <= 1)
        return offsetof(particle_stream_options, on_connect);
    if (version == 2)
        return offsetof(particle_stream_options, on_gap);
    return sizeof(particle_stream_options);
}

int particle_stream_options_init(particle_stream_options *opts, unsigned int version)
{
    static const particle_stream_options defaults = PARTICLE_STREAM_OPTIONS_INIT;
    /* a version the check refuses never reaches the copy */
    int error = particle__options_init(opts, &defaults, options_size(version), version,
                                       PARTICLE_STREAM_OPTIONS_VERSION, "stream");
    if (error == 0)
        opts->version = version; /* the caller's struct, not necessarily the newest */
    return error;
}

/* Takes what the stream needs from the client, so the client may go away. */
static int copy_transport(struct particle_client *dst, const particle_client *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->connect_timeout_ms = src->connect_timeout_ms;
    dst->verify_tls = src->verify_tls;
    dst->log_cb = src->log_cb;
    dst->log_payload = src->log_payload;
    dst->base_url = particle__strdup(src->base_url);
    dst->user_agent = src->user_agent != NULL ? particle__strdup(src->user_agent) : NULL;
    dst->access_token = src->access_token != NULL ? particle__strdup(src->access_token) : NULL;
    if (dst->base_url == NULL || (src->user_agent != NULL && dst->user_agent == NULL) ||
        (src->access_token != NULL && dst->access_token == NULL))
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    return 0;
}

static void free_transport(struct particle_client *c)
{
    if (c->access_token != NULL)
        pu_secure_zero(c->access_token, strlen(c->access_token));
    particle__free(c->access_token);
    particle__free(c->base_url);
    particle__free(c->user_agent);
    memset(c, 0, sizeof(*c));
}

/* Fills in defaults and rejects timings that make no sense. */
static int apply_timings(particle_stream_options *o)
{
    if (o->idle_timeout_ms < 0 || o->reconnect_base_ms < 0 || o->reconnect_max_ms < 0)
        return particle__error_set(PARTICLE_EINVAL, "stream timings must not be negative");
    if (o->idle_timeout_ms == 0)
        o->idle_timeout_ms = DEFAULT_IDLE_TIMEOUT_MS;
    if (o->reconnect_base_ms == 0)
        o->reconnect_base_ms = DEFAULT_RECONNECT_BASE_MS;
    if (o->reconnect_max_ms == 0)
        o->reconnect_max_ms = o->reconnect_base_ms > DEFAULT_RECONNECT_MAX_MS
                                  ? o->reconnect_base_ms
                                  : DEFAULT_RECONNECT_MAX_MS;
    if (o->reconnect_max_ms < o->reconnect_base_ms)
        return particle__error_set(PARTICLE_EINVAL, "reconnect_max_ms is below reconnect_base_ms");
    return 0;
}

static int setup_easy(particle_stream *s)
{
    s->easy = curl_easy_init();
    if (s->easy == NULL)
        return particle__error_set(PARTICLE_ENOMEM, "cannot create a curl handle");
    CURL *h = s->easy;
    int error = particle__curl_common(&s->conn, h);
    if (error < 0)
        return error;
    /* A stream has no overall deadline; silence is judged by the idle timer instead. */
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 0L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 0L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    /* a proxy's CONNECT answer must not be taken for the stream's own head */
    curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (curl_easy_setopt(h, CURLOPT_URL, s->url) != CURLE_OK)
        return particle__error_set(PARTICLE_ENOMEM, "cannot configure the stream transfer");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    return 0;
}

int particle_stream_open(particle_stream **out, particle_client *client,
                         const particle_stream_options *opts)
{
    if (out == NULL)
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    *out = NULL;
    if (client == NULL || opts == NULL)
        return particle__error_set(PARTICLE_EINVAL, "client and options are required");
    int error = particle__options_check(opts->version, PARTICLE_STREAM_OPTIONS_VERSION, "stream");
    if (error < 0)
        return error;
    if (opts->on_event == NULL)
        return particle__error_set(PARTICLE_EINVAL, "on_event is required");

    char *path = NULL;
    error = particle__stream_path(&path, opts);
    if (error != 0)
        return error;
    particle_stream *s = particle__calloc(1, sizeof(*s));
    if (s == NULL) {
        particle__free(path);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    atomic_init(&s->canceled, false);
    particle__buf_init(&s->body, ERROR_BODY_MAX);
    memcpy(&s->opts, opts, options_size(opts->version)); /* the rest stays zero (calloc) */
    s->opts.prefix = s->opts.device = s->opts.product = s->opts.org = NULL; /* not kept */
    s->opts.last_event_id = NULL; /* copied into resume_id below */
    if (opts->last_event_id != NULL && opts->last_event_id[0] != '\0') {
        if (strpbrk(opts->last_event_id, "\r\n") != NULL) {
            error = particle__error_set(PARTICLE_EINVAL, "last_event_id must not contain CR or LF");
            goto fail;
        }
        if ((s->resume_id = particle__strdup(opts->last_event_id)) == NULL) {
            error = particle__error_set(PARTICLE_ENOMEM, NULL);
            goto fail;
        }
    }
    if ((error = apply_timings(&s->opts)) != 0 || (error = copy_transport(&s->conn, client)) != 0)
        goto fail;
    s->url = particle__url(&s->conn, path, NULL);
    if (s->url == NULL) {
        error = PARTICLE_ENOMEM; /* particle__url set the record */
        goto fail;
    }
    s->parser = pu_sse_parser_new(0, 0, on_sse_event, on_sse_comment, s);
    s->multi = curl_multi_init();
    if (s->parser == NULL || s->multi == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
        goto fail;
    }
    if ((error = setup_easy(s)) != 0)
        goto fail;
    particle__free(path);
    *out = s;
    return 0;
fail:
    particle__free(path);
    particle_stream_free(s);
    return error;
}

void particle_stream_free(particle_stream *s)
{
    if (s == NULL)
        return;
    if (s->easy != NULL)
        curl_easy_cleanup(s->easy);
    if (s->multi != NULL)
        curl_multi_cleanup(s->multi);
    pu_sse_parser_free(s->parser);
    free_transport(&s->conn);
    particle__free(s->url);
    pu_buf_dispose(&s->body);
    particle__free(s->resume_id);
    particle__free(s);
}
