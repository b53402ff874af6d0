/*
 * bench_sdk_stream: how fast libparticle consumes an event stream, beside particle-api-js
 * consuming the same stream from the same server in the same run.
 *
 * A loopback server (a thread of this program, port 0) answers every GET with a 200
 * text/event-stream of EVENTS Particle-shaped events (about 128 bytes each: event name,
 * data, ttl, published_at, coreid) written as fast as the socket takes them, then closes.
 * Each consumer connects, counts events until it has them all and stops; the time is from
 * the start of the consumer's stream call to its last event. The consumers take turns,
 * RUNS times each, and the medians are reported:
 *   BENCH sdk_stream_eps <x> events/s          (particle_stream_run, on this thread)
 *   BENCH api_js_stream_eps <x> events/s       (particle-api-js getEventStream, in node)
 *   BENCH sdk_stream_vs_api_js_ratio <x> ratio
 * and, since a shared machine's load swings the rates (a 0.4 s libparticle run meets a
 * build's burst, node's 3 s runs average it out), the CPU each consumer spent per event,
 * which the load barely moves (medians too):
 *   BENCH sdk_stream_cpu_ns_per_event <x> ns   (the consuming thread's CPU time)
 *   BENCH api_js_stream_cpu_ns_per_event <x> ns (node's whole process, start-up included)
 * particle-api-js runs only with --api-js DIR (a folder whose node_modules holds it) and
 * --js SCRIPT (bench/sdk_stream.js); bench/with-api-js installs it and passes both.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "particle/particle.h"

#define EVENTS 200000L
#define RUNS 5 /* the machine is shared: a median of five steadies the ratio */

typedef struct server {
    int listener;
    unsigned short port;
    char *stream; /* the response: headers and every event */
    size_t stream_len;
} server;

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void build_stream(server *s)
{
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                               "Cache-Control: no-cache\r\nConnection: close\r\n\r\n";
    static const char *const names[] = {"temperature", "humidity", "motion", "spark/status"};
    size_t cap = sizeof head + (size_t)EVENTS * 256;
    s->stream = malloc(cap);
    if (s->stream == NULL) {
        abort();
    }
    memcpy(s->stream, head, sizeof head - 1);
    size_t len = sizeof head - 1;
    for (long i = 0; i < EVENTS; i++) {
        int n = snprintf(s->stream + len, cap - len,
                         "event: %s\ndata: {\"data\":\"%ld.%02ld\",\"ttl\":60,\"published_at\":"
                         "\"2026-12-03T10:%02ld:%02ld.%03ldZ\",\"coreid\":"
                         "\"0123456789abcdef0123%04ld\"}\n\n",
                         names[i % 4], 20 + i % 10, i % 100, (i / 60000) % 60, (i / 1000) % 60,
                         i % 1000, i % 10000);
        if (n < 0 || (size_t)n >= cap - len) {
            abort();
        }
        len += (size_t)n;
    }
    s->stream_len = len;
}

/* Reads the request up to its blank line; its path and headers do not matter. */
static void read_request(int fd)
{
    char buf[4096];
    size_t have = 0;
    while (have < sizeof buf - 1) {
        ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (n <= 0) {
            return;
        }
        have += (size_t)n;
        buf[have] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL) {
            return;
        }
    }
}

static void *serve(void *payload)
{
    server *s = payload;
    for (;;) {
        int fd = accept(s->listener, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR) {
                continue;
            }
            return NULL; /* the listener was shut down */
        }
        read_request(fd);
        size_t sent = 0;
        while (sent < s->stream_len) {
            ssize_t n = send(fd, s->stream + sent, s->stream_len - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                break; /* the consumer had enough */
            }
            sent += (size_t)n;
        }
        close(fd);
    }
}

static void server_start(server *s, pthread_t *thread)
{
    build_stream(s);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    s->listener = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listener < 0 || bind(s->listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listener, 8) != 0 ||
        getsockname(s->listener, (struct sockaddr *)&addr, &alen) != 0 ||
        pthread_create(thread, NULL, serve, s) != 0) {
        perror("bench_sdk_stream: server");
        exit(1);
    }
    s->port = ntohs(addr.sin_port);
}

/* ---- libparticle ---- */

typedef struct counter {
    long events;
} counter;

static int count_event(const particle_event *ev, void *payload)
{
    (void)ev;
    counter *c = payload;
    return ++c->events == EVENTS; /* non-zero stops the stream */
}

/* Returns events per second; *cpu_ns: this thread's CPU per event. */
static double sdk_run(const char *url, double *cpu_ns)
{
    particle_client_options co = PARTICLE_CLIENT_OPTIONS_INIT;
    co.base_url = url;
    co.access_token = "bench-token";
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *client = NULL;
    counter c = {0};
    particle_stream_options so = PARTICLE_STREAM_OPTIONS_INIT;
    so.on_event = count_event;
    so.payload = &c;
    particle_stream *stream = NULL;
    if (particle_client_new(&client, &co) != 0 || particle_stream_open(&stream, client, &so) != 0) {
        fprintf(stderr, "bench_sdk_stream: cannot open the stream\n");
        exit(1);
    }
    double start = now_s(), cpu_start = thread_cpu_s();
    int rc = particle_stream_run(stream);
    double elapsed = now_s() - start;
    *cpu_ns = (thread_cpu_s() - cpu_start) * 1e9 / (double)EVENTS;
    particle_stream_free(stream);
    particle_client_free(client);
    if (rc != 0 || c.events != EVENTS) {
        fprintf(stderr, "bench_sdk_stream: libparticle got %ld events (rc %d)\n", c.events, rc);
        exit(1);
    }
    return (double)EVENTS / elapsed;
}

/* ---- particle-api-js, in node ---- */

/* Runs `node SCRIPT URL EVENTS` with NODE_PATH=DIR/node_modules; the script prints
 * {"events":n,"seconds":s}. Returns events per second; *cpu_ns: node's CPU (user and
 * system, the whole process) per event. */
static double api_js_run(const char *dir, const char *script, const char *url, double *cpu_ns)
{
    int out[2];
    if (pipe(out) != 0) {
        perror("pipe");
        exit(1);
    }
    pid_t pid = fork();
    if (pid == 0) {
        char node_path[4096];
        snprintf(node_path, sizeof node_path, "%s/node_modules", dir);
        setenv("NODE_PATH", node_path, 1);
        char events[32];
        snprintf(events, sizeof events, "%ld", EVENTS);
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execlp("node", "node", script, url, events, (char *)NULL);
        perror("node");
        _exit(127);
    }
    close(out[1]);
    char buf[512];
    size_t have = 0;
    ssize_t n;
    while ((n = read(out[0], buf + have, sizeof buf - 1 - have)) > 0) {
        have += (size_t)n;
    }
    buf[have] = '\0';
    close(out[0]);
    int status = 0;
    struct rusage usage;
    wait4(pid, &status, 0, &usage);
    *cpu_ns = ((double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
               (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6) *
              1e9 / (double)EVENTS;
    json_t *j = json_loads(buf, 0, NULL);
    double seconds = json_number_value(json_object_get(j, "seconds"));
    long events = (long)json_integer_value(json_object_get(j, "events"));
    json_decref(j);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || events != EVENTS || seconds <= 0) {
        fprintf(stderr, "bench_sdk_stream: particle-api-js run failed: %s\n", buf);
        exit(1);
    }
    return (double)EVENTS / seconds;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *js_dir = NULL, *js_script = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--api-js") == 0) {
            js_dir = argv[i + 1];
        } else if (strcmp(argv[i], "--js") == 0) {
            js_script = argv[i + 1];
        } else {
            fprintf(stderr, "usage: bench_sdk_stream [--api-js DIR --js SCRIPT]\n");
            return 2;
        }
    }
    server s = {0};
    pthread_t thread;
    server_start(&s, &thread);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", s.port);
    printf("# %ld events, %.1f MB per stream, %d runs each\n", EVENTS, (double)s.stream_len / 1e6,
           RUNS);
    double sdk[RUNS], js[RUNS], sdk_cpu[RUNS], js_cpu[RUNS];
    for (int r = 0; r < RUNS; r++) {
        sdk[r] = sdk_run(url, &sdk_cpu[r]);
        printf("# run %d: libparticle %.0f events/s (%.0f ns CPU per event)", r + 1, sdk[r],
               sdk_cpu[r]);
        if (js_dir != NULL && js_script != NULL) {
            js[r] = api_js_run(js_dir, js_script, url, &js_cpu[r]);
            printf(", particle-api-js %.0f events/s (%.0f ns CPU per event)", js[r], js_cpu[r]);
        }
        printf("\n");
        fflush(stdout);
    }
    qsort(sdk, RUNS, sizeof sdk[0], by_value);
    qsort(sdk_cpu, RUNS, sizeof sdk_cpu[0], by_value);
    printf("BENCH sdk_stream_eps %.0f events/s\n", sdk[RUNS / 2]);
    printf("BENCH sdk_stream_cpu_ns_per_event %.0f ns\n", sdk_cpu[RUNS / 2]);
    if (js_dir != NULL && js_script != NULL) {
        qsort(js, RUNS, sizeof js[0], by_value);
        printf("BENCH api_js_stream_eps %.0f events/s\n", js[RUNS / 2]);
        printf("BENCH sdk_stream_vs_api_js_ratio %.2f ratio\n", sdk[RUNS / 2] / js[RUNS / 2]);
        qsort(js_cpu, RUNS, sizeof js_cpu[0], by_value);
        printf("BENCH api_js_stream_cpu_ns_per_event %.0f ns\n", js_cpu[RUNS / 2]);
    }
    shutdown(s.listener, SHUT_RDWR);
    close(s.listener);
    pthread_join(thread, NULL);
    free(s.stream);
    return 0;
}
