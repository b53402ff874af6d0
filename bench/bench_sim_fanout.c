/*
 * bench_sim_fanout: how long one published event takes to reach N open SSE subscribers of
 * particle-sim (default 1,000), from just before the publish call until the last subscriber
 * has parsed the event. Prints the median over EVENTS events (min and max on stderr):
 *   BENCH sim_sse_fanout_ms <x> ms            (against a running sim: --url)
 *   BENCH sim_sse_fanout_inprocess_ms <x> ms  (no --url: the sim runs in this process)
 *
 * Usage: bench_sim_fanout [--url http://127.0.0.1:PORT] [--token TOKEN] [--subs N]
 *                         [--events N]
 * Without --url, particle-sim starts in-process on 127.0.0.1, port 0, with the default fleet
 * (so scripts/bench can run it bare); bench/sim_bench.sh passes the URL of the particle-sim
 * process it started. Loopback only: any other host is refused.
 *
 * Subscribers are raw non-blocking sockets on one epoll set, all on the user's stream
 * GET /v1/devices/events. They speak HTTP/1.0 so that the stream body arrives unchunked and
 * can go straight into util/pu_sse (the server does the same work per event either way).
 * The publish is POST /v1/devices/events through libcurl (a kept-alive connection). The
 * simulation clock is paused first (POST /sim/clock/pause) so that no simulated publisher
 * adds events during the measurement. Every wait is bounded by a deadline.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pu_sse.h"
#include "server.h"

#define DEFAULT_SUBS 1000
#define DEFAULT_EVENTS 15
#define MAX_SUBS 10000
#define MAX_EVENTS 1000
#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567" /* the default fleet's */
#define EVENT_NAME "bench-fanout"
#define HEAD_CAP 8192             /* response head bytes kept per subscriber */
#define READ_BYTES 16384          /* one recv() */
#define CONNECT_DEADLINE_MS 30000 /* all subscribers connected and ':ok' received */
#define EVENT_DEADLINE_MS 10000   /* one event reaching everyone */
#define SETTLE_MS 200             /* quiet time between events */

typedef struct subscriber {
    int fd;
    bool request_sent;
    bool head_done; /* the response head was read; the rest is the event stream */
    bool ready;     /* ':ok' seen */
    char head[HEAD_CAP];
    size_t head_len;
    size_t req_off;
    pu_sse_parser *parser;
    long last_seq;    /* sequence number of the last bench event this subscriber parsed */
    size_t *ready_n;  /* shared counters, owned by the bench */
    size_t *have_n;   /* subscribers that have the current event */
    const long *want; /* the current event's sequence number */
} subscriber;

typedef struct bench {
    const char *base_url; /* "http://127.0.0.1:PORT" */
    const char *token;
    struct sockaddr_in addr;
    char request[512];
    size_t request_len;
    size_t subs_n;
    size_t events_n;
    subscriber *subs;
    int epfd;
    size_t ready_n;
    size_t have_n;
    long want;
    CURL *curl;
    struct curl_slist *headers;
} bench;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void on_comment(const char *text, size_t len, void *payload)
{
    subscriber *s = payload;
    if (!s->ready && len == 2 && memcmp(text, "ok", 2) == 0) {
        s->ready = true;
        (*s->ready_n)++;
    }
}

static int on_event(const pu_sse_event *ev, void *payload)
{
    subscriber *s = payload;
    if (strcmp(ev->event, EVENT_NAME) != 0)
        return 0;
    /* data is {"data":"<seq>",...}: find the number after the first "data":" */
    const char *p = strstr(ev->data, "\"data\":\"");
    if (!p)
        return 0;
    char *end;
    long seq = strtol(p + 8, &end, 10);
    if (end == p + 8 || *end != '"')
        return 0;
    s->last_seq = seq;
    if (seq == *s->want)
        (*s->have_n)++;
    return 0;
}

/* Parses "http://127.0.0.1:PORT[/]" (loopback IPv4 only). */
static bool parse_url(bench *b, const char *url)
{
    static const char prefix[] = "http://";
    if (strncmp(url, prefix, sizeof(prefix) - 1) != 0)
        return false;
    const char *host = url + sizeof(prefix) - 1;
    const char *colon = strchr(host, ':');
    if (!colon || (size_t)(colon - host) >= 64)
        return false;
    char name[64];
    memcpy(name, host, (size_t)(colon - host));
    name[colon - host] = '\0';
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port < 1 || port > 65535)
        return false;
    memset(&b->addr, 0, sizeof(b->addr));
    b->addr.sin_family = AF_INET;
    b->addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, name, &b->addr.sin_addr) != 1)
        return false;
    return (ntohl(b->addr.sin_addr.s_addr) >> 24) == 127; /* loopback only */
}

/* 1,000 subscribers need ~1,000 descriptors here (and as many more for an in-process sim). */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * nmemb;
}

/* POST @p path with a form body (may be NULL); returns the HTTP status or -1. */
static long post(bench *b, const char *path, const char *form)
{
    char url[256];
    if (snprintf(url, sizeof(url), "%s%s", b->base_url, path) >= (int)sizeof(url))
        return -1;
    curl_easy_setopt(b->curl, CURLOPT_URL, url);
    curl_easy_setopt(b->curl, CURLOPT_POSTFIELDS, form ? form : "");
    if (curl_easy_perform(b->curl) != CURLE_OK)
        return -1;
    long status = 0;
    curl_easy_getinfo(b->curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static int curl_setup(bench *b)
{
    char auth[128];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", b->token);
    b->curl = curl_easy_init();
    b->headers = curl_slist_append(NULL, auth);
    if (!b->curl || !b->headers)
        return -1;
    curl_easy_setopt(b->curl, CURLOPT_HTTPHEADER, b->headers);
    curl_easy_setopt(b->curl, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(b->curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(b->curl, CURLOPT_NOSIGNAL, 1L);
    return 0;
}

static int open_subscriber(bench *b, subscriber *s)
{
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        return -1;
    if (connect(s->fd, (const struct sockaddr *)&b->addr, sizeof(b->addr)) != 0 &&
        errno != EINPROGRESS)
        return -1;
    s->parser = pu_sse_parser_new(0, 0, on_event, on_comment, s);
    if (!s->parser)
        return -1;
    s->last_seq = -1;
    s->ready_n = &b->ready_n;
    s->have_n = &b->have_n;
    s->want = &b->want;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = s};
    return epoll_ctl(b->epfd, EPOLL_CTL_ADD, s->fd, &ev);
}

/* Sends what is left of the request; then only reads are watched. */
static int sub_write(bench *b, subscriber *s)
{
    while (s->req_off < b->request_len) {
        ssize_t n = send(s->fd, b->request + s->req_off, b->request_len - s->req_off, 0);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : -1;
        s->req_off += (size_t)n;
    }
    s->request_sent = true;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    return epoll_ctl(b->epfd, EPOLL_CTL_MOD, s->fd, &ev);
}

/* Feeds @p len stream bytes; before that, collects and checks the response head. */
static int sub_consume(subscriber *s, const char *buf, size_t len)
{
    if (!s->head_done) {
        size_t room = HEAD_CAP - 1 - s->head_len;
        size_t take = len < room ? len : room;
        memcpy(s->head + s->head_len, buf, take);
        s->head_len += take;
        s->head[s->head_len] = '\0';
        char *end = strstr(s->head, "\r\n\r\n");
        if (!end)
            return s->head_len < HEAD_CAP - 1 ? 0 : -1;
        if (strncmp(s->head, "HTTP/1.1 200", 12) != 0 &&
            strncmp(s->head, "HTTP/1.0 200", 12) != 0) {
            fprintf(stderr, "bench_sim_fanout: stream refused: %.80s\n", s->head);
            return -1;
        }
        s->head_done = true;
        size_t body_at = (size_t)(end + 4 - s->head);
        /* the body bytes of this read are the tail of head[] plus whatever did not fit */
        if (pu_sse_feed(s->parser, s->head + body_at, s->head_len - body_at) != PU_SSE_OK)
            return -1;
        buf += take;
        len -= take;
    }
    return len && pu_sse_feed(s->parser, buf, len) != PU_SSE_OK ? -1 : 0;
}

static int sub_read(subscriber *s)
{
    char buf[READ_BYTES];
    for (;;) {
        ssize_t n = recv(s->fd, buf, sizeof(buf), 0);
        if (n > 0) {
            if (sub_consume(s, buf, (size_t)n) != 0)
                return -1;
            continue;
        }
        if (n == 0) {
            fprintf(stderr, "bench_sim_fanout: the server closed a stream\n");
            return -1;
        }
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    }
}

/* Runs the event loop until *counter reaches b->subs_n or @p deadline (monotonic ms).
 * Returns the time the counter got there, or -1. */
static double pump_until(bench *b, const size_t *counter, double deadline)
{
    struct epoll_event evs[256];
    while (*counter < b->subs_n) {
        double left = deadline - now_ms();
        if (left <= 0)
            return -1;
        int n = epoll_wait(b->epfd, evs, 256, left > 100 ? 100 : (int)left + 1);
        if (n < 0 && errno != EINTR)
            return -1;
        for (int i = 0; i < n; i++) {
            subscriber *s = evs[i].data.ptr;
            if ((evs[i].events & EPOLLOUT) && !s->request_sent && sub_write(b, s) != 0)
                return -1;
            if ((evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && sub_read(s) != 0)
                return -1;
        }
    }
    return now_ms();
}

static int run(bench *b, double *median_out)
{
    int rc = -1;
    double *times = calloc(b->events_n, sizeof(*times));
    b->subs = calloc(b->subs_n, sizeof(*b->subs));
    b->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!times || !b->subs || b->epfd < 0 || curl_setup(b) != 0)
        goto done;
    for (size_t i = 0; i < b->subs_n; i++)
        b->subs[i].fd = -1;
    int len = snprintf(b->request, sizeof(b->request),
                       "GET /v1/devices/events HTTP/1.0\r\nHost: %s\r\n"
                       "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n",
                       b->base_url + 7, b->token);
    if (len < 0 || len >= (int)sizeof(b->request))
        goto done;
    b->request_len = (size_t)len;
    if (post(b, "/sim/clock/pause", NULL) != 200) {
        fprintf(stderr, "bench_sim_fanout: POST /sim/clock/pause failed\n");
        goto done;
    }
    b->want = -1;
    for (size_t i = 0; i < b->subs_n; i++) {
        if (open_subscriber(b, &b->subs[i]) != 0) {
            perror("bench_sim_fanout: subscriber socket");
            goto done;
        }
    }
    double t = now_ms();
    if (pump_until(b, &b->ready_n, t + CONNECT_DEADLINE_MS) < 0) {
        fprintf(stderr, "bench_sim_fanout: only %zu of %zu streams opened\n", b->ready_n,
                b->subs_n);
        goto done;
    }
    fprintf(stderr, "bench_sim_fanout: %zu streams open in %.0f ms\n", b->subs_n, now_ms() - t);
    for (size_t e = 0; e < b->events_n; e++) {
        char form[96];
        b->want = (long)e;
        b->have_n = 0;
        snprintf(form, sizeof(form), "name=%s&data=%zu&private=true", EVENT_NAME, e);
        double t0 = now_ms();
        if (post(b, "/v1/devices/events", form) != 200) {
            fprintf(stderr, "bench_sim_fanout: publish failed\n");
            goto done;
        }
        double t1 = pump_until(b, &b->have_n, t0 + EVENT_DEADLINE_MS);
        if (t1 < 0) {
            fprintf(stderr, "bench_sim_fanout: event %zu reached %zu of %zu subscribers\n", e,
                    b->have_n, b->subs_n);
            goto done;
        }
        times[e] = t1 - t0;
        /* let stray bytes (none expected) drain before the next event */
        size_t never = 0;
        pump_until(b, &never, now_ms() + SETTLE_MS);
    }
    qsort(times, b->events_n, sizeof(*times), cmp_double);
    *median_out = times[b->events_n / 2];
    fprintf(stderr, "bench_sim_fanout: %zu events to %zu subscribers: min %.2f ms, max %.2f ms\n",
            b->events_n, b->subs_n, times[0], times[b->events_n - 1]);
    rc = 0;
done:
    if (b->subs) {
        for (size_t i = 0; i < b->subs_n; i++) {
            if (b->subs[i].fd >= 0)
                close(b->subs[i].fd);
            pu_sse_parser_free(b->subs[i].parser);
        }
    }
    free(b->subs);
    if (b->epfd >= 0)
        close(b->epfd);
    curl_slist_free_all(b->headers);
    if (b->curl)
        curl_easy_cleanup(b->curl);
    free(times);
    return rc;
}

static bool parse_count(const char *arg, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || end == arg || *end || v < 1 || v > max)
        return false;
    *out = (size_t)v;
    return true;
}

int main(int argc, char **argv)
{
    bench b = {.token = DEMO_TOKEN, .subs_n = DEFAULT_SUBS, .events_n = DEFAULT_EVENTS, .epfd = -1};
    const char *url = NULL;
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if (strcmp(argv[i], "--url") == 0 && has_value)
            url = argv[++i];
        else if (strcmp(argv[i], "--token") == 0 && has_value)
            b.token = argv[++i];
        else if (strcmp(argv[i], "--subs") == 0 && has_value &&
                 parse_count(argv[i + 1], MAX_SUBS, &b.subs_n))
            i++;
        else if (strcmp(argv[i], "--events") == 0 && has_value &&
                 parse_count(argv[i + 1], MAX_EVENTS, &b.events_n))
            i++;
        else {
            fprintf(stderr, "usage: bench_sim_fanout [--url http://127.0.0.1:PORT] [--token T] "
                            "[--subs N] [--events N]\n");
            return 2;
        }
    }
    if (strlen(b.token) > 64) {
        fprintf(stderr, "bench_sim_fanout: token too long\n");
        return 2;
    }
    raise_fd_limit();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    sim_server *sim = NULL;
    char base[64];
    char err[256] = "";
    int status = 1;
    if (!url) {
        sim_server_options opts;
        sim_server_options_init(&opts);
        if (sim_server_new(&sim, &opts, err, sizeof(err)) != 0 ||
            sim_server_start(sim, err, sizeof(err)) != 0) {
            fprintf(stderr, "bench_sim_fanout: particle-sim: %s\n", err);
            goto done;
        }
        snprintf(base, sizeof(base), "http://127.0.0.1:%u", (unsigned)sim_server_port(sim));
        url = base;
    }
    if (!parse_url(&b, url)) {
        fprintf(stderr, "bench_sim_fanout: want http://127.0.0.1:PORT (loopback), got %s\n", url);
        goto done;
    }
    b.base_url = url;
    double median;
    if (run(&b, &median) == 0) {
        printf("BENCH %s %.2f ms\n", sim ? "sim_sse_fanout_inprocess_ms" : "sim_sse_fanout_ms",
               median);
        status = 0;
    }
done:
    sim_server_free(sim);
    curl_global_cleanup();
    return status;
}
