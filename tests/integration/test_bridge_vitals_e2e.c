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
#include <jansson.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_harness.h"
#include "pu_time.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "vitals-api-key-0123456789"
#define WAIT_MS 15000

static json_t *report(bridge_harness *h, const char *path)
{
    http_reply r = bridge_harness_api(h, "GET", path, "application/json", NULL);
    assert_int_equal(r.status, 200);
    json_t *j = http_reply_items(&r);
    http_reply_dispose(&r);
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
    sim_server_options so;
    sim_server_options_init(&so);
    so.offline_delay_ms = 200;
    bridge_harness *h = bridge_harness_new("bridge-vitals", &so, TOKEN, KEY);
    if (h == NULL) {
        return -1;
    }
    h->cfg.request_timeout_ms = 5000;
    h->cfg.flush_interval_ms = 20;
    bridge_harness_validate(h);
    *state = h;
    return 0;
}

/* Polls vitals-last until the device called @p name has a row whose Source is @p source;
 * returns a copy of the report (caller decrefs), failing the test after WAIT_MS. */
static json_t *wait_for_row(bridge_harness *h, const char *name, const char *source)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    for (;;) {
        json_t *rows = report(h, "/api/v1/reports/vitals-last");
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
    bridge_harness *h = *state;
    bridge_harness_start_app(h);

    /* The sync stored the last known vitals of the online devices. */
    json_t *rows = wait_for_row(h, "demo-argon-1", "sync");
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
    o.base_url = h->cfg.cloud_url;
    o.access_token = TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    pu_time_sleep_ms(1500); /* the stream is open by now; a later updated_at */
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_refresh(&doc, c, id, NULL), 0);
    particle_doc_free(doc);
    rows = wait_for_row(h, "demo-argon-1", "sse");
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
    rows = report(h, path);
    assert_int_equal(json_array_size(rows), 2); /* the synced one and the streamed one */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "Source")),
                        "sync");
    json_decref(rows);

    http_reply r = bridge_harness_api(h, "GET", "/api/v1/reports/vitals-last", "text/csv", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "DeviceId,Name,UpdatedAt,Source,SignalStrength,"));
    assert_non_null(strstr(r.body, ",demo-argon-1,"));
    http_reply_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sync_and_stream_fill_vitals, setup,
                                        bridge_harness_teardown),
    };
    particle_global_init();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
