/*
 * particle-bridge end to end against particle-sim: both in-process on loopback port 0, the
 * bridge storing into a SQLite file in a scratch directory, or, when BRIDGE_TEST_PG names a
 * PostgreSQL server (ctest case integration/test_bridge_e2e_pg), into a fresh PostgreSQL
 * database of each test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_harness.h"
#include "pg_scratch.h"
#include "pu_time.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "e2e-api-key-0123456789"

typedef struct fixture {
    bridge_harness h;
    char pg_name[64]; /* the PostgreSQL database, "" on SQLite */
} fixture;

static http_reply api(fixture *f, const char *method, const char *path, const char *accept,
                      const char *body)
{
    return bridge_harness_api(&f->h, method, path, accept, body);
}

/* POST @p path on the simulator with the access token; fails the test unless 200. */
static void sim_post(fixture *f, const char *path)
{
    http_reply r = bridge_harness_http(sim_server_port(f->h.sim), "POST", path, TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.offline_delay_ms = 200;
    so.threads = 4;
    if (f == NULL || bridge_harness_open(&f->h, "bridge-e2e", &so) != 0) {
        free(f);
        return -1;
    }
    if (bt_pg_uri() != NULL &&
        bt_pg_db_create(f->h.db, sizeof f->h.db, f->pg_name, sizeof f->pg_name) != 0) {
        bridge_harness_close(&f->h);
        free(f);
        return -1;
    }
    bridge_harness_configure(&f->h, TOKEN, KEY);
    bridge_config *cfg = &f->h.cfg;
    cfg->defaults.check_interval_ms = 500;
    cfg->breaker_threshold = 2;
    cfg->breaker_reset_ms = 1000;
    cfg->breaker_max_reset_ms = 2000;
    cfg->request_timeout_ms = 5000;
    cfg->poll_concurrency = 8;
    cfg->flush_interval_ms = 20;
    char verr[256];
    assert_int_equal(bridge_config_validate(cfg, verr, sizeof verr), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bridge_harness_close(&f->h);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    }
    free(f);
    return 0;
}

/* The id of the user-scope device called @p name, from the bridge's device list. */
static void device_id(fixture *f, const char *name, char *out, size_t size)
{
    http_reply r = api(f, "GET", "/api/v1/devices", NULL, NULL);
    assert_int_equal(r.status, 200);
    json_t *page = http_reply_json(&r);
    json_t *j = json_object_get(page, "items"); /* one page holds the whole fleet */
    size_t i;
    json_t *d;
    out[0] = '\0';
    json_array_foreach(j, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "Name")), name) == 0) {
            snprintf(out, size, "%s", json_string_value(json_object_get(d, "ParticleDeviceId")));
        }
    }
    json_decref(page);
    http_reply_dispose(&r);
    assert_true(out[0] != '\0');
}

static json_t *dto(fixture *f, const char *id)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    http_reply r = api(f, "GET", path, "application/json", NULL);
    assert_int_equal(r.status, 200);
    json_t *j = http_reply_json(&r);
    http_reply_dispose(&r);
    assert_non_null(j);
    return j;
}

static void test_fleet_polls_publishes_and_serves(void **state)
{
    fixture *f = *state;
    bridge_harness_start_app(&f->h);
    pu_time_sleep_ms(3000);
    assert_int_equal(bridge_app_flush(f->h.app, 10000), 0);
    char id[64];
    device_id(f, "demo-argon-1", id, sizeof id);

    /* Polled variables became measurements, readable in every format. */
    char path[256];
    snprintf(path, sizeof path, "/api/v1/measurements?device=%s&name=temperature", id);
    http_reply r = api(f, "GET", path, "application/json", NULL);
    json_t *page = http_reply_json(&r);
    json_t *j = json_object_get(page, "items");
    assert_true(json_array_size(j) >= 2); /* every 500 ms for 3 s */
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "Source")), "poll");
    json_decref(page);
    http_reply_dispose(&r);
    r = api(f, "GET", path, "text/csv", NULL);
    assert_non_null(strstr(r.body, "device_id,name,value,time,source\r\n"));
    assert_non_null(strstr(r.body, ",temperature,"));
    http_reply_dispose(&r);

    json_t *d = dto(f, id);
    assert_true(json_is_true(json_object_get(d, "Connected")));
    assert_true(json_array_size(json_object_get(d, "Variables")) > 0);
    json_decref(d);

    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    r = api(f, "GET", path, "text/xml", NULL);
    assert_int_equal(r.status, 200);
    xmlDocPtr doc = xmlReadMemory(r.body, (int)r.body_len, "dto.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "ParticleDeviceDetailsDto");
    xmlFreeDoc(doc);
    http_reply_dispose(&r);

    r = api(f, "GET", path, "application/senml+json", NULL);
    j = http_reply_json(&r);
    assert_true(json_array_size(j) > 0);
    char bn[128];
    snprintf(bn, sizeof bn, "urn:dev:particle:%s:", id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "bn")), bn);
    json_decref(j);
    http_reply_dispose(&r);

    /* String variables became status posts. */
    r = api(f, "GET", "/api/v1/status-posts?sort=-time&limit=50", "application/json", NULL);
    assert_non_null(strstr(r.body, "\"Kind\":\"variable\""));
    http_reply_dispose(&r);
    bridge_metrics *m = bridge_app_metrics(f->h.app);
    assert_true(atomic_load(&m->polls) > 0);
    assert_int_equal(atomic_load(&m->write_failures), 0);
    if (f->pg_name[0] != '\0') { /* and it was PostgreSQL that held them */
        assert_true(bt_pg_scalar(f->h.db, "SELECT count(*) FROM measurements") >= 2);
        assert_true(bt_pg_scalar(f->h.db, "SELECT count(*) FROM devices") > 0);
    }
}

static bool faulted(fixture *f, const char *id)
{
    json_t *d = dto(f, id);
    bool v = json_is_true(json_object_get(d, "Faulted"));
    if (v) {
        assert_true(json_is_string(json_object_get(d, "CircuitBreakerResetAt")));
        assert_true(json_integer_value(json_object_get(d, "FaultCount")) >= 2);
    }
    json_decref(d);
    return v;
}

static void test_breaker_faults_skips_and_recovers(void **state)
{
    fixture *f = *state;
    bridge_harness_start_app(&f->h);
    char id[64], path[128];
    device_id(f, "demo-argon-1", id, sizeof id);
    snprintf(path, sizeof path, "/sim/devices/%s/offline", id);
    sim_post(f, path);

    int64_t deadline = pu_time_mono_ms() + 15000;
    while (!faulted(f, id) && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(100);
    }
    assert_true(faulted(f, id));
    bridge_metrics *m = bridge_app_metrics(f->h.app);
    unsigned long long skipped = atomic_load(&m->polls_skipped_faulted);
    pu_time_sleep_ms(700);
    assert_true(atomic_load(&m->polls_skipped_faulted) > skipped); /* it is being skipped */

    snprintf(path, sizeof path, "/sim/devices/%s/online", id);
    sim_post(f, path);
    deadline = pu_time_mono_ms() + 15000;
    while (faulted(f, id) && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(100);
    }
    json_t *d = dto(f, id);
    assert_true(json_is_false(json_object_get(d, "Faulted")));
    assert_int_equal(json_integer_value(json_object_get(d, "FaultCount")), 0);
    assert_true(json_is_null(json_object_get(d, "CircuitBreakerResetAt")));
    json_decref(d);
    assert_true(atomic_load(&m->breaker_trips) >= 1);
}

static void test_settings_survive_restart_and_nothing_doubles(void **state)
{
    fixture *f = *state;
    bridge_harness_start_app(&f->h);
    char id[64], path[128];
    device_id(f, "demo-boron-1", id, sizeof id);
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    http_reply r = api(f, "PUT", path, "application/json",
                       "{\"CheckInterval\":\"00:10:00\",\"IgnoreRename\":true,"
                       "\"OnlineNotificationOption\":{\"Message\":\"{name} is back\"}}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = api(f, "PUT", path, "application/json", "{\"CheckInterval\":5}");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "CheckInterval: expected"));
    http_reply_dispose(&r);
    pu_time_sleep_ms(1000);
    bridge_app_free(f->h.app); /* SIGTERM path: stores what it received */
    f->h.app = NULL;

    bridge_harness_start_app(&f->h);
    json_t *d = dto(f, id);
    assert_string_equal(json_string_value(json_object_get(d, "CheckInterval")), "00:10:00");
    assert_true(json_is_true(json_object_get(d, "IgnoreRename")));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(d, "OnlineNotificationOption"), "Message")),
                        "{name} is back");
    json_decref(d);
    pu_time_sleep_ms(1500);
    assert_int_equal(bridge_app_flush(f->h.app, 10000), 0);
    /* Every stored row is unique by its natural key: CSV rows have no repeats. */
    r = api(f, "GET", "/api/v1/measurements?limit=10000", "text/csv", NULL);
    assert_int_equal(r.status, 200);
    size_t lines = 0;
    for (char *p = r.body; (p = strstr(p, "\r\n")) != NULL; p += 2) {
        lines++;
    }
    assert_true(lines > 1);
    /* Split into lines in place (CRLF ends each), then compare every pair. */
    char **seen = calloc(lines + 1, sizeof *seen);
    size_t n = 0, dups = 0;
    for (char *line = r.body, *eol; (eol = strstr(line, "\r\n")) != NULL; line = eol + 2) {
        *eol = '\0';
        for (size_t i = 0; i < n; i++) {
            dups += strcmp(seen[i], line) == 0;
        }
        seen[n++] = line;
    }
    assert_int_equal(dups, 0);
    free(seen);
    http_reply_dispose(&r);
}

static void test_bad_requests_get_clear_4xx(void **state)
{
    fixture *f = *state;
    bridge_harness_start_app(&f->h);
    http_reply r = bridge_harness_http(bridge_app_port(f->h.app), "GET", "/api/v1/devices", "wrong",
                                       NULL, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    r = api(f, "GET", "/api/v1/measurements?limit=abc", NULL, NULL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "limit"));
    http_reply_dispose(&r);
    r = api(f, "GET", "/api/v1/devices/ffffffffffffffffffffffff/particle", NULL, NULL);
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    r = api(f, "DELETE", "/api/v1/devices", NULL, NULL);
    assert_int_equal(r.status, 405);
    http_reply_dispose(&r);
    /* No webhook secret configured: the receiver is off. */
    r = api(f, "POST", "/api/v1/webhook", NULL, "{\"event\":\"x\"}");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fleet_polls_publishes_and_serves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breaker_faults_skips_and_recovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_survive_restart_and_nothing_doubles, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_requests_get_clear_4xx, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    particle_global_cleanup();
    return rc;
}
