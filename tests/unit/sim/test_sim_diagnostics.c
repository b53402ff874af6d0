/* particle-sim's remote diagnostics over real HTTP on port 0: last known vitals (§7.3) in
 * the §7.2 shape for Wi-Fi and cellular devices, deterministic from the seed; refresh
 * (202, the spark/device/diagnostics/update event on the stream carrying the stored
 * payload, a new history record); the offline device (timeout, 404 before any connect,
 * vitals after it connects); history with its date errors; metadata; product routes and
 * access rules. */
#include "model/sim_vitals.h"
#include "pu_time.h"
#include "sim_test.h"

static sim_test *T;

static int setup(void **state)
{
    (void)state;
    T = sim_test_start(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_test_stop(T);
    return 0;
}

static json_t *get_json(const sim_test *t, const char *path, const char *token, long status)
{
    http_reply r = sim_req(t, "GET", path, token, NULL, NULL);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static json_t *at_path(json_t *j, const char *a, const char *b, const char *c)
{
    j = json_object_get(j, a);
    if (b)
        j = json_object_get(j, b);
    if (c)
        j = json_object_get(j, c);
    return j;
}

static void test_last_has_the_documented_shape(void **state)
{
    (void)state;
    json_t *j = get_json(T, "/v1/diagnostics/demo-argon-1/last", DEMO_TOKEN, 200);
    json_t *rec = json_object_get(j, "diagnostics");
    assert_int_equal(strlen(jstr(rec, "deviceID")), 24);
    int64_t at = 0;
    assert_int_equal(pu_time_parse_iso8601(jstr(rec, "updated_at"), &at), 0);
    assert_true(at > 0);
    json_t *dev = at_path(rec, "payload", "device", NULL);
    assert_string_equal(jstr(at_path(dev, "network", "signal", NULL), "at"), "Wi-Fi");
    assert_string_equal(jstr(at_path(dev, "network", "signal", NULL), "strength_units"), "%");
    double strength = json_number_value(at_path(dev, "network", "signal", "strength"));
    assert_true(strength >= 0 && strength <= 100);
    assert_null(at_path(dev, "network", "cellular", NULL)); /* Wi-Fi: no cellular block */
    assert_string_equal(jstr(at_path(dev, "cloud", "connection", NULL), "status"), "connected");
    json_int_t used = json_integer_value(at_path(dev, "system", "memory", "used"));
    json_int_t total = json_integer_value(at_path(dev, "system", "memory", "total"));
    assert_true(used > 0 && used < total);
    assert_true(json_is_integer(at_path(dev, "system", "uptime", NULL)));
    assert_string_equal(jstr(at_path(rec, "payload", "service", "device"), "status"), "ok");
    json_decref(j);

    j = get_json(T, "/v1/diagnostics/demo-boron-1/last", DEMO_TOKEN, 200);
    dev = at_path(j, "diagnostics", "payload", "device");
    json_t *cell = at_path(dev, "network", "cellular", NULL);
    assert_string_equal(jstr(cell, "radio_access_technology"), "LTE");
    assert_true(json_is_string(at_path(cell, "cell_global_identity", "mobile_network_code", NULL)));
    assert_true(json_is_number(at_path(dev, "power", "battery", "charge")));
    json_decref(j);
}

static void test_vitals_follow_the_seed(void **state)
{
    (void)state;
    sim_server_options o;
    sim_server_options_init(&o);
    o.offline_delay_ms = 0;
    o.seed = 1; /* the fixture's default seed */
    sim_test *same = sim_test_start(&o);
    o.seed = 99;
    sim_test *other = sim_test_start(&o);
    json_t *a = get_json(T, "/v1/diagnostics/demo-argon-1/last", DEMO_TOKEN, 200);
    json_t *b = get_json(same, "/v1/diagnostics/demo-argon-1/last", DEMO_TOKEN, 200);
    json_t *c = get_json(other, "/v1/diagnostics/demo-argon-1/last", DEMO_TOKEN, 200);
    json_t *sig_a =
        at_path(at_path(a, "diagnostics", "payload", "device"), "network", "signal", NULL);
    json_t *sig_b =
        at_path(at_path(b, "diagnostics", "payload", "device"), "network", "signal", NULL);
    json_t *sig_c =
        at_path(at_path(c, "diagnostics", "payload", "device"), "network", "signal", NULL);
    assert_true(json_equal(sig_a, sig_b));
    assert_false(json_equal(sig_a, sig_c));
    json_decref(a);
    json_decref(b);
    json_decref(c);
    sim_test_stop(same);
    sim_test_stop(other);
}

static void test_refresh_publishes_and_records(void **state)
{
    (void)state;
    char url[256];
    const char *headers[] = {"Authorization: Bearer " DEMO_TOKEN, NULL};
    http_stream *s =
        http_stream_open(http_url(url, sizeof(url), T->port, "/v1/devices/events"), headers);
    assert_true(http_stream_wait_bytes(s, 1, 5000)); /* the stream is open */
    json_t *before = get_json(T, "/v1/diagnostics/demo-argon-1", DEMO_TOKEN, 200);
    size_t n_before = json_array_size(json_object_get(before, "diagnostics"));
    assert_int_equal(n_before, 1); /* the connect when the fleet loaded */
    json_decref(before);

    http_reply r = sim_req(T, "POST", "/sim/clock/advance", DEMO_TOKEN, FORM, "ms=5000");
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    r = sim_req(T, "POST", "/v1/diagnostics/demo-argon-1/update", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 202);
    assert_string_equal(r.body, "{\"ok\":true}");
    http_reply_dispose(&r);

    assert_true(http_stream_wait_for(s, "event: spark/device/diagnostics/update", 5000));
    assert_true(http_stream_wait_for(s, "\n\n", 5000));
    char *text = http_stream_text(s);
    const char *data = strstr(strstr(text, "event: spark/device/diagnostics/update"), "data: ");
    assert_non_null(data);
    json_t *ev = json_loadb(data + 6, strcspn(data + 6, "\n"), 0, NULL);
    assert_non_null(ev);
    json_t *event_payload = json_loads(jstr(ev, "data"), 0, NULL);
    assert_non_null(event_payload);

    json_t *last = get_json(T, "/v1/diagnostics/demo-argon-1/last", DEMO_TOKEN, 200);
    json_t *rec = json_object_get(last, "diagnostics");
    /* The event carries exactly the vitals now stored as the last ones, at its time. */
    assert_true(json_equal(event_payload, json_object_get(rec, "payload")));
    assert_string_equal(jstr(ev, "published_at"), jstr(rec, "updated_at"));
    assert_string_equal(jstr(ev, "coreid"), jstr(rec, "deviceID"));

    json_t *hist = get_json(T, "/v1/diagnostics/demo-argon-1", DEMO_TOKEN, 200);
    json_t *list = json_object_get(hist, "diagnostics");
    assert_int_equal(json_array_size(list), 2);
    /* oldest first; the refresh continues the session, so uptime grew */
    json_int_t up0 = json_integer_value(at_path(
        at_path(json_array_get(list, 0), "payload", "device", NULL), "system", "uptime", NULL));
    json_int_t up1 = json_integer_value(at_path(
        at_path(json_array_get(list, 1), "payload", "device", NULL), "system", "uptime", NULL));
    assert_true(up1 >= up0 + 5);
    assert_string_equal(jstr(json_array_get(list, 1), "updated_at"), jstr(rec, "updated_at"));
    json_decref(hist);
    json_decref(last);
    json_decref(event_payload);
    json_decref(ev);
    free(text);
    http_stream_close(s);
}

/* Refresh after refresh keeps the newest SIM_VITALS_KEPT records of the device, oldest
 * first, and the simulator's memory does not grow with them. */
static void test_history_keeps_the_newest_records(void **state)
{
    (void)state;
    const int refreshes = SIM_VITALS_KEPT + 20;
    for (int i = 0; i < refreshes; i++) {
        http_reply r = sim_req(T, "POST", "/sim/clock/advance", DEMO_TOKEN, FORM, "ms=1000");
        json_decref(sim_json(&r, 200));
        http_reply_dispose(&r);
        r = sim_req(T, "POST", "/v1/diagnostics/demo-argon-1/update", DEMO_TOKEN, NULL, NULL);
        assert_int_equal(r.status, 202);
        http_reply_dispose(&r);
    }
    json_t *last = get_json(T, "/v1/diagnostics/demo-argon-1/last", DEMO_TOKEN, 200);
    json_t *hist = get_json(T, "/v1/diagnostics/demo-argon-1", DEMO_TOKEN, 200);
    json_t *list = json_object_get(hist, "diagnostics");
    assert_int_equal(json_array_size(list), SIM_VITALS_KEPT);
    /* still oldest first, ending with the last known vitals */
    for (size_t i = 1; i < json_array_size(list); i++) {
        assert_true(strcmp(jstr(json_array_get(list, i - 1), "updated_at"),
                           jstr(json_array_get(list, i), "updated_at")) < 0);
    }
    assert_string_equal(jstr(json_array_get(list, SIM_VITALS_KEPT - 1), "updated_at"),
                        jstr(json_object_get(last, "diagnostics"), "updated_at"));
    json_decref(hist);
    json_decref(last);
}

static void test_offline_device(void **state)
{
    (void)state;
    /* Offline since the fleet loaded: no vitals yet, and it cannot be asked for any. */
    json_t *j = get_json(T, "/v1/diagnostics/demo-photon-1/last", DEMO_TOKEN, 404);
    assert_false(json_is_true(json_object_get(j, "ok")));
    json_decref(j);
    j = get_json(T, "/v1/diagnostics/demo-photon-1", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "diagnostics")), 0);
    json_decref(j);
    http_reply r =
        sim_req(T, "POST", "/v1/diagnostics/demo-photon-1/update", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 400);
    assert_string_equal(r.body, "{\"ok\":false,\"error\":\"Timed out.\"}");
    http_reply_dispose(&r);

    /* Connecting records its vitals. */
    r = sim_req(T, "POST", "/sim/devices/demo-photon-1/online", DEMO_TOKEN, NULL, NULL);
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    j = get_json(T, "/v1/diagnostics/demo-photon-1/last", DEMO_TOKEN, 200);
    json_t *conn =
        at_path(at_path(j, "diagnostics", "payload", "device"), "cloud", "connection", NULL);
    assert_int_equal(json_integer_value(json_object_get(conn, "attempts")), 1);
    json_decref(j);
    /* A reconnect counts a disconnect. */
    r = sim_req(T, "POST", "/sim/devices/demo-photon-1/offline", DEMO_TOKEN, NULL, NULL);
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    r = sim_req(T, "POST", "/sim/devices/demo-photon-1/online", DEMO_TOKEN, NULL, NULL);
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    j = get_json(T, "/v1/diagnostics/demo-photon-1/last", DEMO_TOKEN, 200);
    conn = at_path(at_path(j, "diagnostics", "payload", "device"), "cloud", "connection", NULL);
    assert_int_equal(json_integer_value(json_object_get(conn, "disconnects")), 1);
    json_decref(j);
}

static void test_history_dates(void **state)
{
    (void)state;
    sim_expect_body(T, "GET", "/v1/diagnostics/demo-argon-1?start_date=yesterday", DEMO_TOKEN, 400,
                    "{\"error\":\"bad_request\",\"description\":\"start_date and end_date must "
                    "be ISO8601 formatted\"}");
    sim_expect_body(T, "GET", "/v1/diagnostics/demo-argon-1?end_date=2024-13-45", DEMO_TOKEN, 400,
                    "{\"error\":\"bad_request\",\"description\":\"start_date and end_date must "
                    "be ISO8601 formatted\"}");
    char path[256], iso[PU_ISO8601_SIZE];
    snprintf(path, sizeof(path), "/v1/diagnostics/demo-argon-1?start_date=%s",
             pu_time_iso8601(pu_time_now_ms() - 40LL * 24 * 3600 * 1000, iso));
    sim_expect_body(T, "GET", path, DEMO_TOKEN, 400,
                    "{\"error\":\"bad_request\",\"description\":\"start_date must not be more "
                    "than than 30 days ago\"}");

    /* [start, end): a range ending at the record excludes it, one starting there keeps it. */
    json_t *last = get_json(T, "/v1/diagnostics/demo-argon-1/last", DEMO_TOKEN, 200);
    char at[64];
    snprintf(at, sizeof(at), "%s", jstr(json_object_get(last, "diagnostics"), "updated_at"));
    json_decref(last);
    snprintf(path, sizeof(path), "/v1/diagnostics/demo-argon-1?end_date=%s", at);
    json_t *j = get_json(T, path, DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "diagnostics")), 0);
    json_decref(j);
    snprintf(path, sizeof(path), "/v1/diagnostics/demo-argon-1?start_date=%s", at);
    j = get_json(T, path, DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "diagnostics")), 1);
    json_decref(j);
}

static void test_metadata(void **state)
{
    (void)state;
    json_t *j = get_json(T, "/v1/diagnostics/demo-argon-1/metadata", DEMO_TOKEN, 200);
    json_t *md = json_object_get(j, "diagnostics_metadata");
    assert_string_equal(jstr(at_path(md, "device", "system", "uptime"), "title"), "Uptime");
    json_t *used = at_path(md, "device", "system", "memory");
    assert_string_equal(jstr(at_path(used, "used", "ranges", NULL), "type"), "ratio_above");
    assert_non_null(at_path(md, "service", "device", "status"));
    json_decref(j);
}

static void test_product_routes_and_access(void **state)
{
    (void)state;
    json_t *j =
        get_json(T, "/v1/products/asset-tracker/diagnostics/tracker-1/last", DEMO_TOKEN, 200);
    assert_non_null(at_path(j, "diagnostics", "payload", "device"));
    json_decref(j);
    http_reply r = sim_req(T, "POST", "/v1/products/10001/diagnostics/tracker-1/update", DEMO_TOKEN,
                           NULL, NULL);
    assert_int_equal(r.status, 202);
    http_reply_dispose(&r);
    j = get_json(T, "/v1/products/asset-tracker/diagnostics/tracker-1", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "diagnostics")), 2);
    json_decref(j);
    j = get_json(T, "/v1/products/nope/diagnostics/tracker-1/last", DEMO_TOKEN, 404);
    json_decref(j);
    /* Someone else's device, and no token. */
    j = get_json(T, "/v1/diagnostics/demo-argon-1/last", OTHER_TOKEN, 403);
    assert_string_equal(jstr(j, "error"), "Permission Denied");
    json_decref(j);
    j = get_json(T, "/v1/diagnostics/demo-argon-1/metadata", NULL, 400);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_last_has_the_documented_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vitals_follow_the_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_publishes_and_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_keeps_the_newest_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_routes_and_access, setup, teardown),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
