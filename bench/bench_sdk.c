/*
 * bench_sdk: sequential REST requests per second through one particle_client.
 *
 * One client, one kept-alive connection, no handle re-created between requests: each
 * request is a full particle_device_get() (URL and headers built, request sent, answer read,
 * JSON parsed into a document, document freed). Two servers on 127.0.0.1, port 0:
 *   sdk_get_rps      a trivial libmicrohttpd server answering every GET with a fixed device
 *                    object: the cost of the SDK (and curl) itself
 *   sdk_get_sim_rps  particle-sim in-process serving GET /v1/devices/:id for real
 * Each figure is the median of RUNS runs of REQUESTS requests, after a warm-up. The number
 * of TCP connections the trivial server accepted is printed and must be 1.
 *   BENCH sdk_get_rps <x> req/s
 *   BENCH sdk_get_sim_rps <x> req/s
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <curl/curl.h>

#include "particle/particle.h"
#include "server.h"

#define RUNS 7
#define REQUESTS 20000
#define WARMUP 500
#define SIM_TOKEN "0123456789abcdef0123456789abcdef01234567"

/* A device object as GET /v1/devices/:id returns it (cloud-api.md §5.3), trimmed. */
static const char DEVICE_JSON[] =
    "{\"id\":\"0123456789abcdef01234567\",\"name\":\"bench-device\",\"last_app\":null,"
    "\"last_ip_address\":\"10.0.0.1\",\"last_heard\":\"2024-01-01T00:00:00.000Z\","
    "\"product_id\":6,\"connected\":true,\"platform_id\":6,\"cellular\":false,"
    "\"notes\":null,\"status\":\"normal\",\"serial_number\":\"PH-0001\","
    "\"system_firmware_version\":\"5.5.0\",\"variables\":{\"temperature\":\"double\"},"
    "\"functions\":[\"led\"]}";

typedef struct trivial_server {
    struct MHD_Daemon *daemon;
    struct MHD_Response *answer; /* one response, queued for every request */
    unsigned long connections;   /* written by MHD's one internal thread only */
} trivial_server;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum MHD_Result answer_get(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    (void)upload_data_size;
    trivial_server *srv = cls;
    /* MHD 0.9.75 closes the connection after a response queued in the first call for a
     * request; answering in the second call keeps it alive */
    if (*req_cls == NULL) {
        *req_cls = srv;
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, srv->answer);
}

static void count_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                             enum MHD_ConnectionNotificationCode toe)
{
    (void)conn;
    (void)socket_context;
    trivial_server *srv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        srv->connections++;
    }
}

static int trivial_start(trivial_server *srv)
{
    memset(srv, 0, sizeof(*srv));
    srv->answer = MHD_create_response_from_buffer(sizeof(DEVICE_JSON) - 1, (void *)DEVICE_JSON,
                                                  MHD_RESPMEM_PERSISTENT);
    if (srv->answer == NULL ||
        MHD_add_response_header(srv->answer, "Content-Type", "application/json") != MHD_YES) {
        return -1;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, answer_get,
        srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_CONNECTION,
        count_connection, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60, MHD_OPTION_END);
    return srv->daemon != NULL ? 0 : -1;
}

static unsigned short trivial_port(const trivial_server *srv)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info != NULL ? info->port : 0;
}

static void trivial_stop(trivial_server *srv)
{
    if (srv->daemon != NULL) {
        MHD_stop_daemon(srv->daemon);
    }
    if (srv->answer != NULL) {
        MHD_destroy_response(srv->answer);
    }
}

static particle_client *client_for(unsigned short port)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", (unsigned)port);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = SIM_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES; /* a failure must show, not be hidden by a retry */
    particle_client *c = NULL;
    if (particle_client_new(&c, &o) < 0) {
        return NULL;
    }
    return c;
}

/* @p n sequential device gets; returns the elapsed seconds, or -1 on the first failure. */
static double timed_gets(particle_client *c, const char *device, int n)
{
    double start = now_s();
    for (int i = 0; i < n; i++) {
        particle_doc *doc = NULL;
        int rc = particle_device_get(&doc, c, device, NULL);
        if (rc < 0 || particle_device_id(particle_doc_root(doc)) == NULL) {
            fprintf(stderr, "bench_sdk: request %d failed: %s (%s)\n", i, particle_code_name(rc),
                    particle_error_last()->message);
            particle_doc_free(doc);
            return -1;
        }
        particle_doc_free(doc);
    }
    return now_s() - start;
}

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * nmemb;
}

/* The ceiling: bare libcurl on one easy handle, URL set once, body discarded. */
static double timed_curl_gets(CURL *h, int n)
{
    double start = now_s();
    for (int i = 0; i < n; i++) {
        long status = 0;
        if (curl_easy_perform(h) != CURLE_OK ||
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 200) {
            fprintf(stderr, "bench_sdk: bare curl request %d failed\n", i);
            return -1;
        }
    }
    return now_s() - start;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median requests per second over RUNS runs, through the SDK (@p c) or bare curl (@p h);
 * -1 on failure. */
static double median_rps(particle_client *c, CURL *h, const char *device)
{
    if ((c != NULL ? timed_gets(c, device, WARMUP) : timed_curl_gets(h, WARMUP)) < 0) {
        return -1;
    }
    double rps[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double secs = c != NULL ? timed_gets(c, device, REQUESTS) : timed_curl_gets(h, REQUESTS);
        if (secs <= 0) {
            return -1;
        }
        rps[r] = REQUESTS / secs;
    }
    qsort(rps, RUNS, sizeof(rps[0]), cmp_double);
    fprintf(stderr, "bench_sdk: runs min %.0f median %.0f max %.0f req/s\n", rps[0], rps[RUNS / 2],
            rps[RUNS - 1]);
    return rps[RUNS / 2];
}

static int bench_trivial(void)
{
    trivial_server srv;
    if (trivial_start(&srv) < 0) {
        fprintf(stderr, "bench_sdk: cannot start the loopback server\n");
        trivial_stop(&srv);
        return -1;
    }
    static const char device[] = "0123456789abcdef01234567";
    particle_client *c = client_for(trivial_port(&srv));
    double rps = c != NULL ? median_rps(c, NULL, device) : -1;
    particle_client_free(c);
    unsigned long sdk_connections = srv.connections;

    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/v1/devices/%s", (unsigned)trivial_port(&srv),
             device);
    CURL *h = curl_easy_init();
    double ceiling = -1;
    if (h != NULL) {
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
        ceiling = median_rps(NULL, h, NULL);
        curl_easy_cleanup(h);
    }
    trivial_stop(&srv); /* joins MHD's thread: connections is final now */
    if (rps < 0 || ceiling < 0) {
        return -1;
    }
    printf("BENCH sdk_get_rps %.0f req/s\n", rps);
    printf("BENCH curl_get_rps %.0f req/s\n", ceiling);
    printf("BENCH sdk_get_connections %lu connections\n", sdk_connections);
    if (sdk_connections != 1) {
        fprintf(stderr, "bench_sdk: expected one kept-alive connection, saw %lu\n",
                sdk_connections);
        return -1;
    }
    return 0;
}

/* The id of the first online device the sim lists for the demo user. */
static int first_online_device(particle_client *c, char *out, size_t size)
{
    particle_doc *doc = NULL;
    if (particle_device_list(&doc, c, NULL) < 0) {
        return -1;
    }
    const particle_value *list = particle_doc_root(doc);
    int found = -1;
    for (size_t i = 0; i < particle_value_count(list) && found < 0; i++) {
        const particle_value *d = particle_value_at(list, i);
        if (particle_device_online(d) == 1 && particle_device_id(d) != NULL) {
            snprintf(out, size, "%s", particle_device_id(d));
            found = 0;
        }
    }
    particle_doc_free(doc);
    return found;
}

static int bench_sim(void)
{
    char err[256] = "";
    sim_server_options so;
    sim_server_options_init(&so);
    sim_server *sim = NULL;
    if (sim_server_new(&sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(sim, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_sdk: particle-sim: %s\n", err);
        sim_server_free(sim);
        return -1;
    }
    particle_client *c = client_for(sim_server_port(sim));
    char device[64];
    double rps = -1;
    if (c != NULL && first_online_device(c, device, sizeof(device)) == 0) {
        rps = median_rps(c, NULL, device);
    }
    particle_client_free(c);
    sim_server_free(sim);
    if (rps < 0) {
        return -1;
    }
    printf("BENCH sdk_get_sim_rps %.0f req/s\n", rps);
    return 0;
}

/* No argument runs both; "trivial" or "sim" runs one (for profiling). */
int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    if ((only != NULL && strcmp(only, "trivial") != 0 && strcmp(only, "sim") != 0) ||
        particle_global_init() < 0) {
        fprintf(stderr, "usage: bench_sdk [trivial|sim]\n");
        return 1;
    }
    int status = 0;
    if ((only == NULL || strcmp(only, "trivial") == 0) && bench_trivial() < 0) {
        status = 1;
    }
    fflush(stdout);
    if ((only == NULL || strcmp(only, "sim") == 0) && bench_sim() < 0) {
        status = 1;
    }
    particle_global_cleanup();
    return status;
}
