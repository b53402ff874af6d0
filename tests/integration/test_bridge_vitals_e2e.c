/*
 * particle-bridge's device vitals end to end against particle-sim (both in-process on
 * loopback port 0, the bridge storing into a SQLite file in a scratch directory): the
 * device sync fills vitals-last from GET /v1/diagnostics/:id/last for the devices that
 * have vitals (not the offline one that never sent any); a refresh through libparticle
 * makes the simulated device publish spark/device/diagnostics/update, which reaches the
 * bridge over its SSE stream and becomes a newer vitals row; the reports answer in JSON
 * and CSV.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "pu_time.h"
#include "server.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "vitals-api-key-0123456789"
#define WAIT_MS 15000

typedef struct fixture {
    char dir[512];
    char db[1024];
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

/* GET @p path from the bridge's API with @p accept. */
static reply api_get(fixture *f, const char *path, const char *accept)
{
    reply r = {0, calloc(1, 1), 0};
    char url[512], h1[160], h2[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", bridge_app_port(f->app), path);
    snprintf(h1, sizeof h1, "Authorization: Bearer %s", KEY);
    snprintf(h2, sizeof h2, "Accept: %s", accept);
    struct curl_slist *h = curl_slist_append(NULL, h1);
    h = curl_slist_append(h, h2);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 15000L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return r;
}

static json_t *report(fixture *f, const char *path)
{
    reply r = api_get(f, path, "application/json");
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    free(r.body);
    assert_true(json_is_array(j));
    return j;
}

/* The row of the device called @p name in a vitals report, or NULL (borrowed). */
static json_t *row_named(json_t *rows, const char *name)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "Name")), name) == 0) {
            return row;
        }
    }
    return NULL;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/bridge-vitals-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/bridge.db", f->dir);
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    so.offline_delay_ms = 200;
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
    f->cfg.request_timeout_ms = 5000;
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
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (strstr(f->dir, "bridge-vitals-") != NULL && system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", f->dir);
    }
    free(f);
    return 0;
}

/* Polls vitals-last until the device called @p name has a row whose Source is @p source;
 * returns a copy of the report (caller decrefs), failing the test after WAIT_MS. */
static json_t *wait_for_row(fixture *f, const char *name, const char *source)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    for (;;) {
        json_t *rows = report(f, "/api/v1/reports/vitals-last");
        json_t *row = row_named(rows, name);
        if (row != NULL && strcmp(json_string_value(json_object_get(row, "Source")), source) == 0) {
            return rows;
        }
        json_decref(rows);
        if (pu_time_mono_ms() > deadline) {
            fail_msg("no %s vitals row for %s within %d ms", source, name, WAIT_MS);
        }
        pu_time_sleep_ms(100);
    }
}

static void test_sync_and_stream_fill_vitals(void **state)
{
    fixture *f = *state;
    char err[512];
    f->app = bridge_app_new(&f->cfg, err, sizeof err);
    if (f->app == NULL) {
        fail_msg("bridge: %s", err);
    }

    /* The sync stored the last known vitals of the online devices. */
    json_t *rows = wait_for_row(f, "demo-argon-1", "sync");
    json_t *argon = row_named(rows, "demo-argon-1");
    assert_int_equal(strlen(json_string_value(json_object_get(argon, "DeviceId"))), 24);
    double strength = json_real_value(json_object_get(argon, "SignalStrength"));
    assert_true(strength > 0 && strength <= 100);
    assert_true(json_integer_value(json_object_get(argon, "MemoryTotal")) > 0);
    assert_true(json_is_null(json_object_get(argon, "BatteryCharge"))); /* Wi-Fi: no battery */
    json_t *boron = row_named(rows, "demo-boron-1");
    assert_non_null(boron);
    assert_true(json_is_real(json_object_get(boron, "BatteryCharge")));
    /* Offline since the fleet loaded: it never sent vitals, so it has no row. */
    assert_null(row_named(rows, "demo-photon-1"));
    char id[64], first_at[64];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(argon, "DeviceId")));
    snprintf(first_at, sizeof first_at, "%s",
             json_string_value(json_object_get(argon, "UpdatedAt")));
    json_decref(rows);

    /* A refresh makes the device publish its vitals; the bridge's stream stores them. */
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->cfg.cloud_url;
    o.access_token = TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    pu_time_sleep_ms(1500); /* the stream is open by now; a later updated_at */
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_refresh(&doc, c, id, NULL), 0);
    particle_doc_free(doc);
    rows = wait_for_row(f, "demo-argon-1", "sse");
    argon = row_named(rows, "demo-argon-1");
    assert_true(strcmp(json_string_value(json_object_get(argon, "UpdatedAt")), first_at) > 0);
    json_decref(rows);

    /* The cloud's last vitals now are the streamed ones: what the bridge stored matches. */
    assert_int_equal(particle_diagnostics_last(&doc, c, id, NULL), 0);
    long long cloud_at = particle_diagnostics_updated_at_ms(particle_diagnostics_record(doc));
    particle_doc_free(doc);
    particle_client_free(c);
    assert_true(cloud_at > 0);

    char path[256];
    snprintf(path, sizeof path, "/api/v1/reports/vitals-history?device=%s", id);
    rows = report(f, path);
    assert_int_equal(json_array_size(rows), 2); /* the synced one and the streamed one */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "Source")),
                        "sync");
    json_decref(rows);

    reply r = api_get(f, "/api/v1/reports/vitals-last", "text/csv");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "DeviceId,Name,UpdatedAt,Source,SignalStrength,"));
    assert_non_null(strstr(r.body, ",demo-argon-1,"));
    free(r.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sync_and_stream_fill_vitals, setup, teardown),
    };
    particle_global_init();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
