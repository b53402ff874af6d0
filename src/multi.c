/* Concurrent REST calls on libcurl's multi interface (multi.h). A call owns copies of
 * everything its transfer points at; it waits in a FIFO queue until a slot is free, then runs
 * on an easy handle taken from a small pool (handles are reused: setting one up costs more
 * than the request). The request building, body cap and error mapping are http.c's. */
#include "particle/multi.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "pu_str.h"
#include "pu_time.h"
#include "value_internal.h"
#include "variable_internal.h"

#define DEFAULT_IN_FLIGHT 16u
#define MAX_IN_FLIGHT 1024u
#define MAX_WAIT_MS (24 * 3600 * 1000) /* curl_multi_poll takes an int */

typedef struct multi_call {
    struct multi_call *prev, *next; /* in the queue, then in the running list */
    CURL *handle;                   /* NULL while queued */
    particle__request req;          /* points into the copies below */
    char *path, *query, *body, *url;
    particle__transfer transfer;
    particle_multi_variable_fn *variable_done; /* exactly one of the two is set */
    particle_multi_doc_fn *doc_done;
    void *payload;
    int64_t started_ms;
} multi_call;

struct particle_multi {
    particle_client *client; /* borrowed */
    CURLM *curl;
    unsigned int max_in_flight, in_flight;
    size_t pending;                      /* queued + in flight */
    multi_call *queue_head, *queue_tail; /* not started, in submission order */
    multi_call *running;                 /* in flight */
    CURL **idle;                         /* handles ready for reuse */
    unsigned int idle_count;
    bool in_callback;
    unsigned long completed; /* calls completed so far: perform does not wait after one */
};

int particle_multi_options_init(particle_multi_options *opts, unsigned int version)
{
    static const particle_multi_options defaults = PARTICLE_MULTI_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_MULTI_OPTIONS_VERSION, "multi");
}

int particle_multi_new(particle_multi **out, particle_client *client,
                       const particle_multi_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (client == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    unsigned int max = DEFAULT_IN_FLIGHT;
    if (opts != NULL) {
        int error = particle__options_check(opts->version, PARTICLE_MULTI_OPTIONS_VERSION, "multi");
        if (error < 0) {
            return error;
        }
        if (opts->max_in_flight > MAX_IN_FLIGHT) {
            return particle__error_set(PARTICLE_EINVAL, "max_in_flight above %u", MAX_IN_FLIGHT);
        }
        if (opts->max_in_flight > 0) {
            max = opts->max_in_flight;
        }
    }
    particle_multi *m = particle__calloc(1, sizeof(*m));
    if (m == NULL || (m->idle = particle__calloc(max, sizeof(*m->idle))) == NULL ||
        (m->curl = curl_multi_init()) == NULL) {
        if (m != NULL) {
            particle__free(m->idle);
        }
        particle__free(m);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    m->client = client;
    m->max_in_flight = max;
    /* the transfers of one multi share its connection cache; allow one connection per
     * transfer to the same host, as a pool of blocking clients would have */
    curl_multi_setopt(m->curl, CURLMOPT_MAX_HOST_CONNECTIONS, (long)max);
    *out = m;
    return 0;
}

static void call_free(multi_call *call)
{
    particle__transfer_dispose(&call->transfer);
    particle__free(call->path);
    particle__free(call->query);
    if (call->body != NULL) {
        pu_secure_zero(call->body, strlen(call->body)); /* a body may carry credentials */
        particle__free(call->body);
    }
    if (call->url != NULL) {
        pu_secure_zero(call->url, strlen(call->url)); /* a token route carries one */
        particle__free(call->url);
    }
    particle__free(call);
}

static void enqueue(particle_multi *m, multi_call *call)
{
    call->prev = m->queue_tail;
    call->next = NULL;
    if (m->queue_tail != NULL) {
        m->queue_tail->next = call;
    } else {
        m->queue_head = call;
    }
    m->queue_tail = call;
    m->pending++;
}

/* Copies @p s (NULL stays NULL). */
static int copy_text(char **dst, const char *s)
{
    *dst = NULL;
    if (s != NULL && (*dst = particle__strdup(s)) == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    return 0;
}

/* Finishes a new call whose path, query and body copies are set: builds its URL and
 * queues it. Frees it on failure. */
static int submit(particle_multi *m, multi_call *call)
{
    particle__buf_init(&call->transfer.body, 0);
    call->req.path = call->path;
    call->req.query = call->query;
    call->req.body = call->body;
    call->url = particle__url(m->client, call->path, call->query);
    if (call->url == NULL) {
        int error = particle_error_last()->code;
        call_free(call);
        return error;
    }
    enqueue(m, call);
    return 0;
}

int particle_multi_variable_get(particle_multi *m, const char *device, const char *name,
                                const particle_request_options *opts,
                                particle_multi_variable_fn *done, void *payload)
{
    if (m == NULL || done == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "%s is NULL", m == NULL ? "multi" : "done");
    }
    multi_call *call = particle__calloc(1, sizeof(*call));
    if (call == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    if ((call->path = particle__variable_path(device, name, opts)) == NULL) {
        particle__free(call);
        return particle_error_last()->code;
    }
    call->req = (particle__request){.method = "GET"};
    call->variable_done = done;
    call->payload = payload;
    return submit(m, call);
}

int particle_multi_request(particle_multi *m, const char *method, const char *path,
                           const char *query, const char *json_body,
                           const particle_request_options *opts, particle_multi_doc_fn *done,
                           void *payload)
{
    if (m == NULL || done == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "%s is NULL", m == NULL ? "multi" : "done");
    }
    particle__request req;
    char *bare_path = NULL;
    int error = particle__generic_request(&req, &bare_path, method, path, query, json_body, opts);
    multi_call *call = error == 0 ? particle__calloc(1, sizeof(*call)) : NULL;
    if (error == 0 && call == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    if (error == 0 && ((error = copy_text(&call->path, req.path)) < 0 ||
                       (error = copy_text(&call->query, req.query)) < 0 ||
                       (error = copy_text(&call->body, req.body)) < 0)) {
        call_free(call);
    }
    particle__free(bare_path);
    if (error < 0) {
        return error;
    }
    call->req = req; /* its strings are repointed at the copies by submit() */
    call->doc_done = done;
    call->payload = payload;
    return submit(m, call);
}

/* Runs the call's callback with the outcome (root is taken) and frees the call. */
static void complete(particle_multi *m, multi_call *call, int error, long status, json_t *root)
{
    particle__log_request(m->client, &call->req, status, error, call->started_ms);
    m->pending--;
    m->completed++;
    m->in_callback = true;
    if (call->variable_done != NULL) {
        particle_variable *var = NULL;
        if (error == 0) {
            error = particle__variable_from_json(&var, root);
        }
        call->variable_done(error, var, call->payload);
        particle_variable_free(var);
    } else {
        particle_doc *doc = NULL;
        if (error == 0) {
            error = particle__doc_wrap(&doc, root);
        }
        call->doc_done(error, doc, call->payload);
        particle_doc_free(doc);
    }
    m->in_callback = false;
    call_free(call);
}

static CURL *take_handle(particle_multi *m)
{
    if (m->idle_count > 0) {
        return m->idle[--m->idle_count];
    }
    CURL *h = curl_easy_init();
    if (h == NULL) {
        particle__error_set(PARTICLE_ENOMEM, "curl_easy_init failed");
        return NULL;
    }
    if (particle__rest_handle_setup(m->client, h) < 0) {
        curl_easy_cleanup(h);
        return NULL;
    }
    return h;
}

static void return_handle(particle_multi *m, CURL *h)
{
    if (m->idle_count < m->max_in_flight) {
        m->idle[m->idle_count++] = h;
    } else {
        curl_easy_cleanup(h);
    }
}

static void unlink_running(particle_multi *m, multi_call *call)
{
    if (call->prev != NULL) {
        call->prev->next = call->next;
    } else {
        m->running = call->next;
    }
    if (call->next != NULL) {
        call->next->prev = call->prev;
    }
}

/* Moves queued calls onto the network while slots are free. A call that cannot start
 * (out of memory) completes with its error. */
static void start_queued(particle_multi *m)
{
    while (m->in_flight < m->max_in_flight && m->queue_head != NULL) {
        multi_call *call = m->queue_head;
        m->queue_head = call->next;
        if (m->queue_head == NULL) {
            m->queue_tail = NULL;
        } else {
            m->queue_head->prev = NULL;
        }
        call->started_ms = pu_time_mono_ms();
        CURL *h = take_handle(m);
        int error = h != NULL ? 0 : particle_error_last()->code;
        if (error == 0) {
            pu_buf_dispose(&call->transfer.body);
            error = particle__transfer_begin(m->client, h, &call->req, call->url, &call->transfer);
        }
        if (error == 0) {
            curl_easy_setopt(h, CURLOPT_PRIVATE, call);
            if (curl_multi_add_handle(m->curl, h) != CURLM_OK) {
                curl_easy_cleanup(h); /* it points at the call's headers, freed below */
                h = NULL;
                error = particle__error_set(PARTICLE_ENOMEM, "cannot add the transfer");
            }
        }
        if (error < 0) {
            if (h != NULL) {
                return_handle(m, h);
            }
            complete(m, call, error, 0, NULL);
            continue;
        }
        call->handle = h;
        call->prev = NULL;
        call->next = m->running;
        if (m->running != NULL) {
            m->running->prev = call;
        }
        m->running = call;
        m->in_flight++;
    }
}

/* Completes every transfer curl reports as done. */
static void collect_done(particle_multi *m)
{
    CURLMsg *msg;
    int left = 0;
    while ((msg = curl_multi_info_read(m->curl, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE) {
            continue;
        }
        CURL *h = msg->easy_handle;
        CURLcode rc = msg->data.result; /* msg is invalid after remove_handle */
        void *private = NULL;
        curl_easy_getinfo(h, CURLINFO_PRIVATE, &private);
        multi_call *call = private;
        curl_multi_remove_handle(m->curl, h);
        unlink_running(m, call);
        m->in_flight--;
        long status = 0;
        bool retryable;
        int error = particle__transfer_end(h, rc, &call->transfer, &status, &retryable);
        return_handle(m, h);
        call->handle = NULL;
        json_t *root = NULL;
        if (error == 0) {
            error = particle__parse_body(&call->transfer.body, status, &root);
        }
        complete(m, call, error, status, root);
    }
}

int particle_multi_perform(particle_multi *m, long wait_ms)
{
    if (m == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "multi is NULL");
    }
    if (m->in_callback) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "particle_multi_perform called from a callback");
    }
    int running = 0;
    unsigned long completed_before = m->completed;
    start_queued(m);
    if (curl_multi_perform(m->curl, &running) != CURLM_OK) {
        return particle__error_set(PARTICLE_ENOMEM, "curl_multi_perform failed");
    }
    collect_done(m);
    start_queued(m);
    int timeout_ms = wait_ms <= 0 ? 0 : wait_ms > MAX_WAIT_MS ? MAX_WAIT_MS : (int)wait_ms;
    if (m->completed != completed_before) {
        timeout_ms = 0; /* callbacks ran (a call that could not start, a quick answer): the
                           caller gets control back now instead of after the wait */
    }
    if (curl_multi_poll(m->curl, NULL, 0, timeout_ms, NULL) != CURLM_OK ||
        curl_multi_perform(m->curl, &running) != CURLM_OK) {
        return particle__error_set(PARTICLE_ENOMEM, "curl multi failed");
    }
    collect_done(m);
    start_queued(m);
    curl_multi_perform(m->curl, &running); /* send what was just started */
    return m->pending > (size_t)0x7fffffff ? 0x7fffffff : (int)m->pending;
}

size_t particle_multi_pending(const particle_multi *m)
{
    return m == NULL ? 0 : m->pending;
}

int particle_multi_wakeup(particle_multi *m)
{
    if (m == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "multi is NULL");
    }
    curl_multi_wakeup(m->curl);
    return 0;
}

void particle_multi_free(particle_multi *m)
{
    if (m == NULL) {
        return;
    }
    while (m->running != NULL) {
        multi_call *call = m->running;
        m->running = call->next;
        curl_multi_remove_handle(m->curl, call->handle);
        curl_easy_cleanup(call->handle); /* before the headers it points at are freed */
        call_free(call);
    }
    while (m->queue_head != NULL) {
        multi_call *call = m->queue_head;
        m->queue_head = call->next;
        call_free(call);
    }
    for (unsigned int i = 0; i < m->idle_count; i++) {
        curl_easy_cleanup(m->idle[i]);
    }
    curl_multi_cleanup(m->curl);
    particle__free(m->idle);
    particle__free(m);
}
