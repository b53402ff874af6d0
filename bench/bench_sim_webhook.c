/*
 * bench_sim_webhook: particle-sim's webhook delivery to a loopback receiver. particle-sim
 * and the receiver (an httpd server answering 200 {"ok":true}) both run in this process on
 * 127.0.0.1, port 0; one user integration (created through POST /v1/integrations) sends the
 * default form body of each event to the receiver. Events are published straight into the
 * model (as the simulated devices do), with their sequence number as data, and the receiver
 * notes when each arrives (monotonic clock, same process). Prints:
 *   BENCH sim_webhook_deliveries_per_s <x> deliveries/s  a burst of --events (default 10,000),
 *                                                        from the first publish to the last
 *                                                        receipt
 *   BENCH sim_webhook_p99_ms <x> ms                      publish -> receipt at --rate events/s
 *                                                        (default 1,000) for --seconds (3)
 * p50 and max on stderr. Loopback only; every wait has a deadline.
 *
 * Usage: bench_sim_webhook [--events N] [--rate N] [--seconds N]
 */
#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567" /* the default fleet's */
#define EVENT_NAME "bench-hook"
#define MAX_EVENTS 20000 /* the delivery queue's default capacity */
#define DEADLINE_MS 60000

static _Atomic int64_t *received_at; /* by sequence number; 0 = not yet */
static atomic_size_t received_n;

static void on_hook(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    const char *data = json_string_value(json_object_get(httpd_request_body(req), "data"));
    int64_t seq;
    if (data && pu_parse_int64(data, 0, MAX_EVENTS - 1, &seq) == 0) {
        int64_t zero = 0;
        if (atomic_compare_exchange_strong(&received_at[seq], &zero, pu_time_mono_ms()))
            atomic_fetch_add(&received_n, 1);
    }
    httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
}

static void publish(sim_model *m, uint32_t owner, long seq)
{
    char data[24];
    snprintf(data, sizeof(data), "%ld", seq);
    sim_model_lock(m);
    sim_event ev = {.name = EVENT_NAME,
                    .data = data,
                    .ttl = 60,
                    .published_ms = sim_model_now(m),
                    .coreid = "api",
                    .device = SIM_NONE,
                    .owner = owner,
                    .product = SIM_NONE,
                    .is_private = true};
    sim_model_emit(m, &ev);
    sim_model_unlock(m);
}

/* Waits until @p n events in all have arrived; false at the deadline. */
static bool wait_received(size_t n)
{
    int64_t end = pu_time_mono_ms() + DEADLINE_MS;
    while (atomic_load(&received_n) < n) {
        if (pu_time_mono_ms() > end)
            return false;
        pu_time_sleep_ms(1);
    }
    return true;
}

static int create_integration(unsigned short sim_port, unsigned short recv_port)
{
    char url[128], body[256];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/v1/integrations", sim_port);
    snprintf(body, sizeof(body), "{\"event\":\"%s\",\"url\":\"http://127.0.0.1:%u/hook\"}",
             EVENT_NAME, recv_port);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    h = curl_slist_append(h, "Authorization: Bearer " DEMO_TOKEN);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fwrite);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, stderr);
    long status = 0;
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    fputc('\n', stderr);
    return rc == CURLE_OK && status == 201 ? 0 : -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static long arg_long(int argc, char **argv, const char *name, long dflt, long max)
{
    for (int i = 1; i + 1 < argc; i++) {
        int64_t v;
        if (strcmp(argv[i], name) == 0 && pu_parse_int64(argv[i + 1], 1, max, &v) == 0)
            return (long)v;
    }
    return dflt;
}

int main(int argc, char **argv)
{
    long events = arg_long(argc, argv, "--events", 10000, MAX_EVENTS);
    long rate = arg_long(argc, argv, "--rate", 1000, 100000);
    long seconds = arg_long(argc, argv, "--seconds", 3, 60);
    if (rate * seconds > MAX_EVENTS) {
        fprintf(stderr, "bench_sim_webhook: --rate x --seconds must stay within %d\n", MAX_EVENTS);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    received_at = calloc(MAX_EVENTS, sizeof(*received_at));
    int64_t *published_at = calloc(MAX_EVENTS, sizeof(*published_at));
    char err[256];
    httpd_options ho = {0};
    httpd_server *recv = httpd_server_new(&ho);
    httpd_route_add(recv, "POST", "/hook", HTTPD_ROUTE_PUBLIC, on_hook, NULL);
    sim_server_options o;
    sim_server_options_init(&o);
    o.port = 0;
    sim_server *sim = NULL;
    int status = 1;
    if (httpd_server_start(recv, err, sizeof(err)) < 0 ||
        sim_server_new(&sim, &o, err, sizeof(err)) < 0 ||
        sim_server_start(sim, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_sim_webhook: %s\n", err);
        goto done;
    }
    if (create_integration(sim_server_port(sim), httpd_server_port(recv)) < 0) {
        fprintf(stderr, "bench_sim_webhook: cannot create the integration\n");
        goto done;
    }
    sim_model *m = sim_server_model(sim);
    sim_model_lock(m);
    uint32_t owner = sim_model_find_user(m, "demo@example.com");
    sim_model_unlock(m);

    /* throughput: a burst */
    int64_t t0 = pu_time_mono_ms();
    for (long i = 0; i < events; i++)
        publish(m, owner, i);
    if (!wait_received((size_t)events)) {
        fprintf(stderr, "bench_sim_webhook: %zu of %ld deliveries arrived\n",
                atomic_load(&received_n), events);
        goto done;
    }
    int64_t elapsed = pu_time_mono_ms() - t0;
    printf("BENCH sim_webhook_deliveries_per_s %.0f deliveries/s\n",
           (double)events * 1000.0 / (double)(elapsed > 0 ? elapsed : 1));
    fflush(stdout);

    /* latency: a steady rate */
    for (long i = 0; i < MAX_EVENTS; i++)
        atomic_store(&received_at[i], 0);
    atomic_store(&received_n, 0);
    long n = rate * seconds;
    int64_t start = pu_time_mono_ms();
    for (long i = 0; i < n; i++) {
        int64_t due = start + i * 1000 / rate;
        while (pu_time_mono_ms() < due)
            pu_time_sleep_ms(1);
        published_at[i] = pu_time_mono_ms();
        publish(m, owner, i);
    }
    if (!wait_received((size_t)n)) {
        fprintf(stderr, "bench_sim_webhook: %zu of %ld paced deliveries arrived\n",
                atomic_load(&received_n), n);
        goto done;
    }
    int64_t *delay = calloc((size_t)n, sizeof(*delay));
    for (long i = 0; i < n; i++)
        delay[i] = atomic_load(&received_at[i]) - published_at[i];
    qsort(delay, (size_t)n, sizeof(*delay), cmp_i64);
    printf("BENCH sim_webhook_p99_ms %lld ms\n", (long long)delay[n * 99 / 100]);
    fprintf(stderr, "sim_webhook at %ld events/s: p50 %lld ms, max %lld ms (%ld events)\n", rate,
            (long long)delay[n / 2], (long long)delay[n - 1], n);
    free(delay);
    status = 0;
done:
    sim_server_free(sim);
    httpd_server_free(recv);
    free(received_at);
    free(published_at);
    curl_global_cleanup();
    return status;
}
