/* The webhook delivery worker (hook_delivery.h). */
#include "hooks/hook_delivery.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "pu_buf.h"
#include "pu_str.h"
#include "pu_time.h"

#define IDLE_WAIT_MS 1000

typedef struct transfer {
    struct transfer *next;
    sim_hook_delivery *d;
    sim_hook_job *job;
    CURL *easy;
    struct curl_slist *headers;
    pu_buf body;
    bool truncated, refused;
    char error[CURL_ERROR_SIZE];
} transfer;

/* In-flight requests of one integration (worker thread only). */
typedef struct hook_count {
    char id[25];
    unsigned int n;
} hook_count;

struct sim_hook_delivery {
    sim_hook_delivery_options opts;
    sim_hook_done_fn *done;
    void *payload;
    CURLM *multi;
    pthread_t thread;

    pthread_mutex_t lock; /* guards the queue, the counters, started and stopping */
    bool started;
    sim_hook_job *head, *tail;
    size_t waiting, in_flight;
    bool stopping;

    transfer *active; /* worker thread only */
    hook_count *counts;
    size_t count_n, count_cap;
};

void sim_hook_job_free(sim_hook_job *job)
{
    if (!job)
        return;
    free(job->method);
    free(job->url);
    for (size_t i = 0; i < job->header_count; i++)
        free(job->headers[i]);
    free(job->headers);
    free(job->body);
    if (job->password)
        pu_secure_zero(job->password, strlen(job->password));
    free(job->username);
    free(job->password);
    free(job->event_name);
    free(job->event_data);
    free(job->device_id);
    free(job->published_at);
    free(job->product_id);
    free(job);
}

static hook_count *count_of(sim_hook_delivery *d, const char *id)
{
    for (size_t i = 0; i < d->count_n; i++)
        if (strcmp(d->counts[i].id, id) == 0)
            return &d->counts[i];
    if (d->count_n == d->count_cap) {
        d->count_cap = d->count_cap ? d->count_cap * 2 : 16;
        d->counts = realloc(d->counts, d->count_cap * sizeof(*d->counts));
        if (!d->counts)
            abort();
    }
    hook_count *c = &d->counts[d->count_n++];
    pu_strlcpy(c->id, id, sizeof(c->id));
    c->n = 0;
    return c;
}

static void count_done(sim_hook_delivery *d, const char *id)
{
    hook_count *c = count_of(d, id);
    if (--c->n == 0)
        *c = d->counts[--d->count_n]; /* forget idle integrations: the array stays small */
}

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return true;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return false;
}

/* Every connection goes through here: the resolved address is checked, not the URL's text. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr)
{
    (void)purpose;
    transfer *t = clientp;
    if (!t->d->opts.allow_external && !is_loopback(&addr->addr)) {
        t->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    transfer *t = userdata;
    size_t n = size * nmemb;
    size_t room = t->body.max_bytes - t->body.len;
    if (n > room)
        t->truncated = true;
    pu_buf_append(&t->body, ptr, n > room ? room : n);
    return n; /* read the rest and drop it: the connection ends cleanly */
}

static transfer *start_transfer(sim_hook_delivery *d, sim_hook_job *job)
{
    transfer *t = calloc(1, sizeof(*t));
    CURL *e = curl_easy_init();
    if (!t || !e)
        abort();
    t->d = d;
    t->job = job;
    t->easy = e;
    pu_buf_init(&t->body, d->opts.body_cap, NULL);
    for (size_t i = 0; i < job->header_count; i++) {
        struct curl_slist *l = curl_slist_append(t->headers, job->headers[i]);
        if (!l)
            abort();
        t->headers = l;
    }
    curl_easy_setopt(e, CURLOPT_URL, job->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_PROXY, ""); /* never through a proxy from the environment */
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, job->method);
    if (strcmp(job->method, "GET") == 0)
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    if (job->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, job->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)job->body_len);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    if (job->username) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, job->username);
        curl_easy_setopt(e, CURLOPT_PASSWORD, job->password ? job->password : "");
    }
    if (job->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)d->opts.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)d->opts.timeout_ms);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "particle-sim-webhook");
    curl_multi_add_handle(d->multi, e);
    t->next = d->active;
    d->active = t;
    return t;
}

static void free_transfer(sim_hook_delivery *d, transfer *t)
{
    for (transfer **pp = &d->active; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    curl_multi_remove_handle(d->multi, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    pu_buf_dispose(&t->body);
    free(t);
}

static void append_job(sim_hook_delivery *d, sim_hook_job *job)
{
    job->next = NULL;
    if (d->tail)
        d->tail->next = job;
    else
        d->head = job;
    d->tail = job;
    d->waiting++;
}

/* Starts the waiting jobs that are due and within the limits (lock held). Returns how long
 * to wait for the next due one (IDLE_WAIT_MS when none waits on time). */
static int start_due(sim_hook_delivery *d, int64_t now)
{
    int64_t wait = IDLE_WAIT_MS;
    sim_hook_job *prev = NULL, *job = d->head;
    while (job && d->in_flight < d->opts.max_in_flight) {
        sim_hook_job *next = job->next;
        if (job->due_mono_ms > now) {
            if (job->due_mono_ms - now < wait)
                wait = job->due_mono_ms - now;
        } else {
            hook_count *c = count_of(d, job->hook_id);
            if (c->n < d->opts.per_hook_limit) {
                c->n++;
                if (prev)
                    prev->next = next;
                else
                    d->head = next;
                if (d->tail == job)
                    d->tail = prev;
                d->waiting--;
                d->in_flight++;
                start_transfer(d, job);
                job = next;
                continue;
            }
        }
        prev = job;
        job = next;
    }
    return (int)wait;
}

static void finish(sim_hook_delivery *d, transfer *t, CURLcode rc)
{
    sim_hook_job *job = t->job;
    sim_hook_outcome out = {0};
    if (rc == CURLE_OK) {
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &out.status);
    } else {
        out.refused = t->refused;
        out.error = t->refused    ? "refused: the address is not loopback (particle-sim delivers "
                                    "elsewhere only with --allow-external-webhooks)"
                    : t->error[0] ? t->error
                                  : curl_easy_strerror(rc);
    }
    out.body = t->body.data ? t->body.data : "";
    out.body_len = t->body.len;
    out.truncated = t->truncated;
    int64_t retry = d->done(d->payload, job, &out);
    free_transfer(d, t);
    pthread_mutex_lock(&d->lock);
    count_done(d, job->hook_id);
    d->in_flight--;
    if (retry >= 0 && !d->stopping) {
        job->attempt++;
        job->due_mono_ms = pu_time_mono_ms() + retry;
        append_job(d, job);
        job = NULL;
    }
    pthread_mutex_unlock(&d->lock);
    sim_hook_job_free(job);
}

static void *worker_main(void *arg)
{
    sim_hook_delivery *d = arg;
    for (;;) {
        pthread_mutex_lock(&d->lock);
        if (d->stopping) {
            pthread_mutex_unlock(&d->lock);
            break;
        }
        int wait = start_due(d, pu_time_mono_ms());
        pthread_mutex_unlock(&d->lock);
        curl_multi_poll(d->multi, NULL, 0, wait, NULL);
        int running;
        curl_multi_perform(d->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(d->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            transfer *t;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
            finish(d, t, msg->data.result);
        }
    }
    return NULL;
}

sim_hook_delivery *sim_hook_delivery_new(const sim_hook_delivery_options *opts,
                                         sim_hook_done_fn *done, void *payload)
{
    sim_hook_delivery *d = calloc(1, sizeof(*d));
    if (!d)
        abort();
    if (opts)
        d->opts = *opts;
    if (!d->opts.per_hook_limit)
        d->opts.per_hook_limit = 8;
    if (!d->opts.max_in_flight)
        d->opts.max_in_flight = 256;
    if (!d->opts.queue_cap)
        d->opts.queue_cap = 20000;
    if (!d->opts.connect_timeout_ms)
        d->opts.connect_timeout_ms = 5000;
    if (!d->opts.timeout_ms)
        d->opts.timeout_ms = 20000;
    if (!d->opts.body_cap)
        d->opts.body_cap = 100 * 1024;
    d->done = done;
    d->payload = payload;
    d->multi = curl_multi_init();
    if (!d->multi)
        abort();
    pthread_mutex_init(&d->lock, NULL);
    return d;
}

int sim_hook_delivery_start(sim_hook_delivery *d)
{
    pthread_mutex_lock(&d->lock);
    d->stopping = false;
    /* before the thread exists: submit() reads it under the lock from the event sink */
    d->started = pthread_create(&d->thread, NULL, worker_main, d) == 0;
    bool ok = d->started;
    pthread_mutex_unlock(&d->lock);
    return ok ? 0 : -1;
}

bool sim_hook_delivery_submit(sim_hook_delivery *d, sim_hook_job *job)
{
    pthread_mutex_lock(&d->lock);
    bool ok = !d->stopping && d->started && d->waiting + d->in_flight < d->opts.queue_cap;
    if (ok) {
        job->attempt = 0;
        job->enqueued_mono_ms = job->due_mono_ms = pu_time_mono_ms();
        append_job(d, job);
    }
    pthread_mutex_unlock(&d->lock);
    if (ok)
        curl_multi_wakeup(d->multi);
    return ok;
}

size_t sim_hook_delivery_cancel(sim_hook_delivery *d, const char *hook_id)
{
    size_t dropped = 0;
    pthread_mutex_lock(&d->lock);
    sim_hook_job *prev = NULL, *job = d->head;
    while (job) {
        sim_hook_job *next = job->next;
        if (strcmp(job->hook_id, hook_id) == 0) {
            if (prev)
                prev->next = next;
            else
                d->head = next;
            if (d->tail == job)
                d->tail = prev;
            d->waiting--;
            sim_hook_job_free(job);
            dropped++;
        } else {
            prev = job;
        }
        job = next;
    }
    pthread_mutex_unlock(&d->lock);
    return dropped;
}

size_t sim_hook_delivery_pending(sim_hook_delivery *d)
{
    pthread_mutex_lock(&d->lock);
    size_t n = d->waiting + d->in_flight;
    pthread_mutex_unlock(&d->lock);
    return n;
}

void sim_hook_delivery_stop(sim_hook_delivery *d)
{
    pthread_mutex_lock(&d->lock);
    bool started = d->started;
    d->stopping = true;
    d->started = false;
    pthread_mutex_unlock(&d->lock);
    if (!started)
        return;
    curl_multi_wakeup(d->multi);
    pthread_join(d->thread, NULL);
    while (d->active) {
        sim_hook_job_free(d->active->job);
        free_transfer(d, d->active);
    }
    d->in_flight = 0;
    d->count_n = 0;
    while (d->head) {
        sim_hook_job *next = d->head->next;
        sim_hook_job_free(d->head);
        d->head = next;
    }
    d->tail = NULL;
    d->waiting = 0;
}

void sim_hook_delivery_free(sim_hook_delivery *d)
{
    if (!d)
        return;
    sim_hook_delivery_stop(d);
    curl_multi_cleanup(d->multi);
    pthread_mutex_destroy(&d->lock);
    free(d->counts);
    free(d);
}
