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
#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "pg_scratch.h"
#include "pu_time.h"
#include "server.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "e2e-api-key-0123456789"

typedef struct fixture {
    char dir[512];
    char db[1024];    /* an SQLite path or a PostgreSQL URI */
    char pg_name[64]; /* the PostgreSQL database, "" on SQLite */
    sim_server *sim;
    bridge_app *app;
    bridge_config cfg;
} fixture;

typedef struct reply {
    long status;
    char *body;
    size_t len;
} reply;

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
    reply *r = user;
    size_t add = size * n;
    char *grown = realloc(r->body, r->len + add + 1);
    if (grown == NULL) {
        return 0;
    }
    memcpy(grown + r->len, p, add);
    r->body = grown;
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

static reply http(unsigned short port, const char *method, const char *path, const char *auth,
                  const char *accept, const char *body)
{
    reply r = {0, calloc(1, 1), 0};
    char url[512], h1[160], h2[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path);
    snprintf(h1, sizeof h1, "Authorization: Bearer %s", auth);
    snprintf(h2, sizeof h2, "Accept: %s", accept ? accept : "application/json");
    struct curl_slist *h = curl_slist_append(NULL, h1);
    h = curl_slist_append(h, h2);
    if (body != NULL) {
        h = curl_slist_append(h, "Content-Type: application/json");
    }
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 15000L);
    if (body != NULL) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return r;
}

static reply api(fixture *f, const char *method, const char *path, const char *accept,
                 const char *body)
{
    return http(bridge_app_port(f->app), method, path, KEY, accept, body);
}

static void start_app(fixture *f)
{
    char err[512];
    f->app = bridge_app_new(&f->cfg, err, sizeof err);
    if (f->app == NULL) {
        fail_msg("bridge: %s", err);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/bridge-e2e-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/bridge.db", f->dir);
    if (bt_pg_uri() != NULL &&
        bt_pg_db_create(f->db, sizeof f->db, f->pg_name, sizeof f->pg_name) != 0) {
        rmdir(f->dir);
        free(f);
        return -1;
    }
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    so.offline_delay_ms = 200;
    so.threads = 4;
    if (sim_server_new(&f->sim, &so, err, sizeof err) != 0 ||
        sim_server_start(f->sim, err, sizeof err) != 0) {
        fprintf(stderr, "sim: %s\n", err);
        return -1;
    }
    bridge_config_defaults(&f->cfg);
    snprintf(f->cfg.cloud_url, sizeof f->cfg.cloud_url, "http://127.0.0.1:%u",
             sim_server_port(f->sim));
    snprintf(f->cfg.access_token, sizeof f->cfg.access_token, "%s", TOKEN);
    snprintf(f->cfg.api_key, sizeof f->cfg.api_key, "%s", KEY);
    snprintf(f->cfg.database_path, sizeof f->cfg.database_path, "%s", f->db);
    f->cfg.port = 0;
    f->cfg.defaults.check_interval_ms = 500;
    f->cfg.breaker_threshold = 2;
    f->cfg.breaker_reset_ms = 1000;
    f->cfg.breaker_max_reset_ms = 2000;
    f->cfg.request_timeout_ms = 5000;
    f->cfg.poll_concurrency = 8;
    f->cfg.flush_interval_ms = 20;
    char verr[256];
    assert_int_equal(bridge_config_validate(&f->cfg, verr, sizeof verr), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bridge_app_free(f->app);
    sim_server_free(f->sim);
    bridge_config_dispose(&f->cfg);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    }
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (strstr(f->dir, "bridge-e2e-") != NULL && system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", f->dir);
    }
    free(f);
    return 0;
}

/* The id of the user-scope device called @p name, from the bridge's device list. */
static void device_id(fixture *f, const char *name, char *out, size_t size)
{
    reply r = api(f, "GET", "/api/v1/devices", NULL, NULL);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    size_t i;
    json_t *d;
    out[0] = '\0';
    json_array_foreach(j, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "Name")), name) == 0) {
            snprintf(out, size, "%s", json_string_value(json_object_get(d, "ParticleDeviceId")));
        }
    }
    json_decref(j);
    free(r.body);
    assert_true(out[0] != '\0');
}

static json_t *dto(fixture *f, const char *id)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    reply r = api(f, "GET", path, "application/json", NULL);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    free(r.body);
    assert_non_null(j);
    return j;
}

static void test_fleet_polls_publishes_and_serves(void **state)
{
    fixture *f = *state;
    start_app(f);
    pu_time_sleep_ms(3000);
    assert_int_equal(bridge_app_flush(f->app, 10000), 0);
    char id[64];
    device_id(f, "demo-argon-1", id, sizeof id);

    /* Polled variables became measurements, readable in every format. */
    char path[256];
    snprintf(path, sizeof path, "/api/v1/measurements?device=%s&name=temperature", id);
    reply r = api(f, "GET", path, "application/json", NULL);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_true(json_array_size(j) >= 2); /* every 500 ms for 3 s */
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "Source")), "poll");
    json_decref(j);
    free(r.body);
    r = api(f, "GET", path, "text/csv", NULL);
    assert_non_null(strstr(r.body, "device_id,name,value,time,source\r\n"));
    assert_non_null(strstr(r.body, ",temperature,"));
    free(r.body);

    json_t *d = dto(f, id);
    assert_true(json_is_true(json_object_get(d, "Connected")));
    assert_true(json_array_size(json_object_get(d, "Variables")) > 0);
    json_decref(d);

    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    r = api(f, "GET", path, "text/xml", NULL);
    assert_int_equal(r.status, 200);
    xmlDocPtr doc = xmlReadMemory(r.body, (int)r.len, "dto.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "ParticleDeviceDetailsDto");
    xmlFreeDoc(doc);
    free(r.body);

    r = api(f, "GET", path, "application/senml+json", NULL);
    j = json_loads(r.body, 0, NULL);
    assert_true(json_array_size(j) > 0);
    char bn[128];
    snprintf(bn, sizeof bn, "urn:dev:particle:%s:", id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "bn")), bn);
    json_decref(j);
    free(r.body);

    /* String variables became status posts. */
    r = api(f, "GET", "/api/v1/status-posts?limit=50", "application/json", NULL);
    assert_non_null(strstr(r.body, "\"Kind\":\"variable\""));
    free(r.body);
    bridge_metrics *m = bridge_app_metrics(f->app);
    assert_true(atomic_load(&m->polls) > 0);
    assert_int_equal(atomic_load(&m->write_failures), 0);
    if (f->pg_name[0] != '\0') { /* and it was PostgreSQL that held them */
        assert_true(bt_pg_scalar(f->db, "SELECT count(*) FROM measurements") >= 2);
        assert_true(bt_pg_scalar(f->db, "SELECT count(*) FROM devices") > 0);
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
    start_app(f);
    char id[64], path[128];
    device_id(f, "demo-argon-1", id, sizeof id);
    snprintf(path, sizeof path, "/sim/devices/%s/offline", id);
    reply r = http(sim_server_port(f->sim), "POST", path, TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    free(r.body);

    int64_t deadline = pu_time_mono_ms() + 15000;
    while (!faulted(f, id) && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(100);
    }
    assert_true(faulted(f, id));
    bridge_metrics *m = bridge_app_metrics(f->app);
    unsigned long long skipped = atomic_load(&m->polls_skipped_faulted);
    pu_time_sleep_ms(700);
    assert_true(atomic_load(&m->polls_skipped_faulted) > skipped); /* it is being skipped */

    snprintf(path, sizeof path, "/sim/devices/%s/online", id);
    r = http(sim_server_port(f->sim), "POST", path, TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    free(r.body);
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
    start_app(f);
    char id[64], path[128];
    device_id(f, "demo-boron-1", id, sizeof id);
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    reply r = api(f, "PUT", path, "application/json",
                  "{\"CheckInterval\":\"00:10:00\",\"IgnoreRename\":true,"
                  "\"OnlineNotificationOption\":{\"Message\":\"{name} is back\"}}");
    assert_int_equal(r.status, 200);
    free(r.body);
    r = api(f, "PUT", path, "application/json", "{\"CheckInterval\":5}");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "CheckInterval: expected"));
    free(r.body);
    pu_time_sleep_ms(1000);
    bridge_app_free(f->app); /* SIGTERM path: stores what it received */
    f->app = NULL;

    start_app(f);
    json_t *d = dto(f, id);
    assert_string_equal(json_string_value(json_object_get(d, "CheckInterval")), "00:10:00");
    assert_true(json_is_true(json_object_get(d, "IgnoreRename")));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(d, "OnlineNotificationOption"), "Message")),
                        "{name} is back");
    json_decref(d);
    pu_time_sleep_ms(1500);
    assert_int_equal(bridge_app_flush(f->app, 10000), 0);
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
    free(r.body);
}

static void test_bad_requests_get_clear_4xx(void **state)
{
    fixture *f = *state;
    start_app(f);
    reply r = http(bridge_app_port(f->app), "GET", "/api/v1/devices", "wrong", NULL, NULL);
    assert_int_equal(r.status, 401);
    free(r.body);
    r = api(f, "GET", "/api/v1/measurements?limit=abc", NULL, NULL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "limit"));
    free(r.body);
    r = api(f, "GET", "/api/v1/devices/ffffffffffffffffffffffff/particle", NULL, NULL);
    assert_int_equal(r.status, 404);
    free(r.body);
    r = api(f, "DELETE", "/api/v1/devices", NULL, NULL);
    assert_int_equal(r.status, 405);
    free(r.body);
    /* No webhook secret configured: the receiver is off. */
    r = api(f, "POST", "/api/v1/webhook", NULL, "{\"event\":\"x\"}");
    assert_int_equal(r.status, 404);
    free(r.body);
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
