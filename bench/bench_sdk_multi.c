/*
 * bench_sdk_multi: variable reads per second against particle-sim (in-process, 127.0.0.1,
 * port 0, default fleet), one after the other through particle_variable_get() and with
 * IN_FLIGHT at once through a particle_multi, at two device round trips:
 *   sdk_variable_rps / sdk_multi_variable_rps          --device-latency-ms 0: what the
 *       client and server cost per read (2 cores: the client and the server share them)
 *   sdk_variable_50ms_rps / sdk_multi_variable_50ms_rps  50 ms per read, as a device on the
 *       real cloud takes: what overlapping reads buy; and the ratio of the two
 * Each figure is the median of RUNS runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "particle/particle.h"
#include "pu_time.h"
#include "server.h"

#define RUNS 3
#define IN_FLIGHT 16
#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define DEVICE "demo-argon-1"

static int failures;

static void on_read(int code, const particle_variable *var, void *payload)
{
    (void)var;
    (void)payload;
    if (code != 0) {
        failures++;
    }
}

static double reads_blocking(particle_client *c, int n)
{
    int64_t start = pu_time_mono_ms();
    for (int i = 0; i < n; i++) {
        particle_variable *v = NULL;
        if (particle_variable_get(&v, c, DEVICE, "uptime", NULL) != 0) {
            failures++;
        }
        particle_variable_free(v);
    }
    int64_t ms = pu_time_mono_ms() - start;
    return n * 1000.0 / (double)(ms > 0 ? ms : 1);
}

static double reads_multi(particle_client *c, int n)
{
    particle_multi_options mo = PARTICLE_MULTI_OPTIONS_INIT;
    mo.max_in_flight = IN_FLIGHT;
    particle_multi *m = NULL;
    if (particle_multi_new(&m, c, &mo) != 0) {
        return -1;
    }
    int64_t start = pu_time_mono_ms();
    for (int i = 0; i < n; i++) {
        particle_multi_variable_get(m, DEVICE, "uptime", NULL, on_read, NULL);
    }
    while (particle_multi_pending(m) > 0) {
        particle_multi_perform(m, 1000);
    }
    int64_t ms = pu_time_mono_ms() - start;
    particle_multi_free(m);
    return n * 1000.0 / (double)(ms > 0 ? ms : 1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median reads/s of RUNS runs of @p n reads, blocking or concurrent. */
static double median(particle_client *c, bool concurrent, int n)
{
    double r[RUNS];
    for (int i = 0; i < RUNS; i++) {
        r[i] = concurrent ? reads_multi(c, n) : reads_blocking(c, n);
    }
    qsort(r, RUNS, sizeof r[0], cmp_double);
    return r[RUNS / 2];
}

/* Runs both ways against a simulator whose devices answer after @p latency_ms. */
static int bench_at(unsigned int latency_ms, int n_blocking, int n_multi, double *blocking,
                    double *concurrent)
{
    sim_server_options so;
    sim_server_options_init(&so);
    so.device_latency_ms = latency_ms;
    sim_server *sim = NULL;
    char err[256] = "";
    if (sim_server_new(&sim, &so, err, sizeof err) < 0 ||
        sim_server_start(sim, err, sizeof err) < 0) {
        fprintf(stderr, "bench_sdk_multi: particle-sim: %s\n", err);
        sim_server_free(sim);
        return -1;
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)sim_server_port(sim));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES;
    particle_client *c = NULL;
    int rc = particle_client_new(&c, &o);
    if (rc == 0) {
        reads_blocking(c, n_blocking / 10 + 1); /* warm-up */
        *blocking = median(c, false, n_blocking);
        *concurrent = median(c, true, n_multi);
    }
    particle_client_free(c);
    sim_server_free(sim);
    return rc;
}

int main(void)
{
    if (particle_global_init() != 0) {
        return 1;
    }
    double seq0 = 0, multi0 = 0, seq50 = 0, multi50 = 0;
    int rc = bench_at(0, 20000, 20000, &seq0, &multi0);
    if (rc == 0) {
        rc = bench_at(50, 100, 100 * IN_FLIGHT, &seq50, &multi50);
    }
    particle_global_cleanup();
    if (rc != 0 || failures > 0) {
        fprintf(stderr, "bench_sdk_multi: %d reads failed\n", failures);
        return 1;
    }
    printf("BENCH sdk_variable_rps %.0f reads/s\n", seq0);
    printf("BENCH sdk_multi_variable_rps %.0f reads/s\n", multi0);
    printf("BENCH sdk_variable_50ms_rps %.1f reads/s\n", seq50);
    printf("BENCH sdk_multi_variable_50ms_rps %.1f reads/s\n", multi50);
    printf("BENCH sdk_multi_speedup_50ms %.1f ratio\n", multi50 / seq50);
    return 0;
}
