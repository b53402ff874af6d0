/*
 * particle_multi end to end against particle-sim (in-process, 127.0.0.1 port 0, default
 * fleet) with a device round trip (--device-latency-ms): reads of every variable type,
 * unknown and offline devices, a generic request, and reads that overlap: eight reads of
 * LATENCY_MS each finish together in well under the time one after the other would take.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "particle/particle.h"
#include "pu_time.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define ARGON_ID "c1675e0bb980a575a89661fe" /* demo-argon-1 with seed 1 */
#define LATENCY_MS 400u
#define OFFLINE_DELAY_MS 100u

typedef struct fixture {
    sim_server *sim;
    particle_client *client;
    particle_multi *multi;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.device_latency_ms = LATENCY_MS;
    so.offline_delay_ms = OFFLINE_DELAY_MS;
    so.threads = 2; /* fewer threads than overlapping reads: the wait holds none */
    char err[256] = "";
    if (sim_server_new(&f->sim, &so, err, sizeof err) < 0 ||
        sim_server_start(f->sim, err, sizeof err) < 0) {
        fail_msg("particle-sim: %s", err);
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)sim_server_port(f->sim));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = DEMO_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = 10000;
    assert_int_equal(particle_client_new(&f->client, &o), 0);
    particle_multi_options mo = PARTICLE_MULTI_OPTIONS_INIT;
    mo.max_in_flight = 8;
    assert_int_equal(particle_multi_new(&f->multi, f->client, &mo), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    particle_multi_free(f->multi);
    particle_client_free(f->client);
    sim_server_free(f->sim);
    free(f);
    return 0;
}

typedef struct read_result {
    int calls, code;
    particle_value_type type;
    double number;
    char text[64];
} read_result;

static void on_read(int code, const particle_variable *var, void *payload)
{
    read_result *r = payload;
    r->calls++;
    r->code = code;
    if (var != NULL) {
        r->type = particle_variable_type(var);
        r->number = particle_variable_double(var);
        const char *text = particle_variable_string(var);
        snprintf(r->text, sizeof r->text, "%s", text != NULL ? text : "");
    }
}

static void run_all(particle_multi *m)
{
    for (int i = 0; i < 200 && particle_multi_pending(m) > 0; i++) {
        assert_true(particle_multi_perform(m, 100) >= 0);
    }
    assert_int_equal(particle_multi_pending(m), 0);
}

static void test_reads_of_every_type_and_the_errors(void **state)
{
    fixture *f = *state;
    const char *names[] = {"uptime", "humidity", "status", "armed"};
    const particle_value_type types[] = {PARTICLE_VALUE_INT, PARTICLE_VALUE_DOUBLE,
                                         PARTICLE_VALUE_STRING, PARTICLE_VALUE_BOOL};
    read_result r[4] = {{0}}, unknown_device = {0}, unknown_var = {0}, offline = {0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(
            particle_multi_variable_get(f->multi, ARGON_ID, names[i], NULL, on_read, &r[i]), 0);
    }
    assert_int_equal(particle_multi_variable_get(f->multi, "no-such-device", "uptime", NULL,
                                                 on_read, &unknown_device),
                     0);
    assert_int_equal(
        particle_multi_variable_get(f->multi, "demo-argon-1", "nope", NULL, on_read, &unknown_var),
        0);
    assert_int_equal(
        particle_multi_variable_get(f->multi, "demo-photon-1", "uptime", NULL, on_read, &offline),
        0);
    run_all(f->multi);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(r[i].calls, 1);
        assert_int_equal(r[i].code, 0);
        assert_int_equal(r[i].type, types[i]);
    }
    assert_string_equal(r[2].text, "ok");
    assert_true(r[1].number >= 10 && r[1].number <= 90);
    assert_int_equal(unknown_device.code, PARTICLE_EFORBIDDEN);
    assert_int_equal(unknown_var.code, PARTICLE_ENOTFOUND);
    assert_int_equal(offline.code, PARTICLE_EOFFLINE);
}

static void on_doc(int code, const particle_doc *doc, void *payload)
{
    read_result *r = payload;
    r->calls++;
    r->code = code;
    r->number = (double)particle_value_count(particle_doc_root(doc));
}

static void test_generic_request_beside_reads(void **state)
{
    fixture *f = *state;
    read_result list = {0}, read = {0};
    assert_int_equal(
        particle_multi_request(f->multi, "GET", "/v1/devices", NULL, NULL, NULL, on_doc, &list), 0);
    assert_int_equal(
        particle_multi_variable_get(f->multi, ARGON_ID, "uptime", NULL, on_read, &read), 0);
    run_all(f->multi);
    assert_int_equal(list.code, 0);
    assert_true(list.number >= 4); /* the demo user's devices */
    assert_int_equal(read.code, 0);
}

static void test_reads_overlap(void **state)
{
    fixture *f = *state;
    read_result r[8] = {{0}};
    int64_t started = pu_time_mono_ms();
    for (int i = 0; i < 8; i++) {
        assert_int_equal(
            particle_multi_variable_get(f->multi, ARGON_ID, "uptime", NULL, on_read, &r[i]), 0);
    }
    run_all(f->multi);
    int64_t elapsed = pu_time_mono_ms() - started;
    for (int i = 0; i < 8; i++) {
        assert_int_equal(r[i].code, 0);
    }
    /* every read waited for the device; one after the other would take 8 round trips */
    assert_true(elapsed >= (int64_t)LATENCY_MS);
    assert_true(elapsed < 8 * (int64_t)LATENCY_MS);
}

int main(void)
{
    assert_int_equal(particle_global_init(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads_of_every_type_and_the_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generic_request_beside_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_overlap, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
