/*
 * particle-sim product and device configuration over loopback HTTP (reference/cloud-api.md
 * §13, §3.2; particle-api-js get/setProductConfiguration and the device variants): 404 {}
 * before one is set, the stored object read back, a device that has its product's until it
 * gets its own (200 online, 202 offline) and again after DELETE, the schema request,
 * refused bodies that change nothing, the configurations kept with --state across a restart
 * (the same GET answers) and dropped by a reset, and a malformed stored document refused at
 * start with the file named. Who may call is in test_sim_scopes_fleet.c.
 */
#include <sqlite3.h>

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

/* @p method @p path with @p body as JSON; checks the status and the exact body. */
static void expect(const char *method, const char *path, const char *body, long status,
                   const char *answer)
{
    http_reply r = sim_req(T, method, path, DEMO_TOKEN, body ? JSON_CT : NULL, body);
    if (r.status != status || strcmp(r.body, answer) != 0)
        fail_msg("%s %s: expected %ld %s, got %ld %s", method, path, status, answer, r.status,
                 r.body);
    http_reply_dispose(&r);
}

/* The id of the first (@p online) device of asset-tracker, and its model index. */
static uint32_t tracker_device(bool online, char id[25])
{
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    uint32_t product = sim_model_find_product(m, "asset-tracker");
    uint32_t dev = SIM_NONE;
    for (uint32_t i = 0; i < m->device_count && dev == SIM_NONE; i++)
        if (m->devices[i].product == product && m->devices[i].online == online)
            dev = i;
    assert_int_not_equal(dev, SIM_NONE);
    snprintf(id, 25, "%s", m->devices[dev].id);
    sim_model_unlock(m);
    return dev;
}

#define CONFIG "/v1/products/asset-tracker/config"
#define PRODUCT_CONFIG "{\"imu_trig\":{\"motion\":\"disable\"},\"location\":{\"radius\":10}}"

static void test_product_config_set_and_read(void **state)
{
    (void)state;
    expect("GET", CONFIG, NULL, 404, "{}");
    expect("PUT", CONFIG, "{\"location\":{\"radius\":10},\"imu_trig\":{\"motion\":\"disable\"}}",
           200, "{\"configuration\":" PRODUCT_CONFIG "}");
    expect("GET", CONFIG, NULL, 200, "{\"configuration\":" PRODUCT_CONFIG "}");
    expect("GET", "/v1/products/10001/config", NULL, 200, "{\"configuration\":" PRODUCT_CONFIG "}");
    /* a schema request: the simulator has none */
    const char *headers[] = {"Authorization: Bearer " DEMO_TOKEN, "Accept: application/schema+json",
                             NULL};
    char url[256];
    http_call call = {
        .method = "GET", .url = http_url(url, sizeof(url), T->port, CONFIG), .headers = headers};
    http_reply r;
    http_perform(&call, &r);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "{}");
    http_reply_dispose(&r);
    /* the other product has none */
    expect("GET", "/v1/products/env-sensors/config", NULL, 404, "{}");
}

static void test_device_config(void **state)
{
    (void)state;
    char online[25], offline[25], path[160];
    tracker_device(true, online);
    tracker_device(false, offline);
    expect("PUT", CONFIG, "{\"location\":{\"radius\":10}}", 200,
           "{\"configuration\":{\"location\":{\"radius\":10}}}");
    snprintf(path, sizeof(path), CONFIG "/%s", online);
    expect("GET", path, NULL, 200, "{\"configuration\":{\"location\":{\"radius\":10}}}");
    expect("PUT", path, "{\"location\":{\"radius\":3}}", 200,
           "{\"configuration\":{\"location\":{\"radius\":3}}}");
    expect("GET", path, NULL, 200, "{\"configuration\":{\"location\":{\"radius\":3}}}");
    expect("GET", CONFIG, NULL, 200, "{\"configuration\":{\"location\":{\"radius\":10}}}");
    expect("DELETE", path, NULL, 204, "");
    expect("GET", path, NULL, 200, "{\"configuration\":{\"location\":{\"radius\":10}}}");
    /* an offline device takes it later: 202 */
    snprintf(path, sizeof(path), CONFIG "/%s", offline);
    expect("PUT", path, "{\"location\":{\"radius\":4}}", 202,
           "{\"configuration\":{\"location\":{\"radius\":4}}}");
    expect("GET", path, NULL, 200, "{\"configuration\":{\"location\":{\"radius\":4}}}");
}

static void test_refused_bodies_change_nothing(void **state)
{
    (void)state;
    char path[160];
    expect("PUT", CONFIG, "{\"location\":{\"radius\":10}}", 200,
           "{\"configuration\":{\"location\":{\"radius\":10}}}");
    http_reply r = sim_req(T, "PUT", CONFIG, DEMO_TOKEN, JSON_CT, "{\"location\":[1]}");
    json_t *j = sim_json(&r, 422);
    assert_string_equal(jstr(j, "message"), "Invalid Schema");
    assert_string_equal(jstr(j, "error"), "Invalid Schema");
    json_t *v = json_array_get(json_object_get(j, "violations"), 0);
    assert_string_equal(jstr(v, "dataPath"), ".location");
    json_decref(j);
    http_reply_dispose(&r);
    /* a form body: its values are strings, not sections */
    r = sim_req(T, "PUT", CONFIG, DEMO_TOKEN, FORM, "location=5");
    assert_int_equal(r.status, 422);
    http_reply_dispose(&r);
    r = sim_req(T, "PUT", CONFIG, DEMO_TOKEN, NULL, NULL);
    j = sim_json(&r, 400);
    assert_string_equal(jstr(j, "error"), "A configuration is required: a JSON object of sections");
    json_decref(j);
    http_reply_dispose(&r);
    r = sim_req(T, "PUT", CONFIG, DEMO_TOKEN, JSON_CT, "{\"location\":");
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);
    /* a device of another product, an unknown device, an unknown product */
    char other[25];
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    uint32_t env = sim_model_find_product(m, "env-sensors");
    for (uint32_t i = 0; i < m->device_count; i++)
        if (m->devices[i].product == env)
            snprintf(other, sizeof(other), "%s", m->devices[i].id);
    sim_model_unlock(m);
    snprintf(path, sizeof(path), CONFIG "/%s", other);
    expect("PUT", path, "{\"location\":{}}", 404,
           "{\"ok\":false,\"error\":\"Device not found in this product\"}");
    expect("DELETE", CONFIG "/0123456789abcdef01234567", NULL, 404,
           "{\"ok\":false,\"error\":\"Device not found in this product\"}");
    r = sim_req(T, "PUT", "/v1/products/99999/config", DEMO_TOKEN, JSON_CT, "{\"a\":{}}");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    expect("GET", CONFIG, NULL, 200, "{\"configuration\":{\"location\":{\"radius\":10}}}");
}

/* GET @p path: 200, its body (free()). */
static char *body_of(const char *path)
{
    http_reply r = sim_req(T, "GET", path, DEMO_TOKEN, NULL, NULL);
    if (r.status != 200)
        fail_msg("GET %s: expected 200, got %ld %s", path, r.status, r.body);
    char *body = strdup(r.body);
    assert_non_null(body);
    http_reply_dispose(&r);
    return body;
}

static void test_state_keeps_configurations(void **state)
{
    (void)state;
    char file[] = "/tmp/sim-configs-XXXXXX", online[25], offline[25], other[25];
    char paths[4][160];
    sim_server_options o = sim_test_state_options(file);
    T = sim_test_start(&o);
    tracker_device(true, online);
    tracker_device(false, offline);
    /* a second online device of the product: it gets its own, which is then removed */
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    uint32_t product = sim_model_find_product(m, "asset-tracker");
    other[0] = '\0';
    for (uint32_t i = 0; i < m->device_count && !other[0]; i++)
        if (m->devices[i].product == product && strcmp(m->devices[i].id, online) != 0 &&
            strcmp(m->devices[i].id, offline) != 0)
            snprintf(other, sizeof(other), "%s", m->devices[i].id);
    sim_model_unlock(m);
    assert_true(other[0] != '\0');
    snprintf(paths[0], sizeof(paths[0]), CONFIG);
    snprintf(paths[1], sizeof(paths[1]), CONFIG "/%s", online);
    snprintf(paths[2], sizeof(paths[2]), CONFIG "/%s", offline);
    snprintf(paths[3], sizeof(paths[3]), CONFIG "/%s", other);
    expect("PUT", paths[0], "{\"location\":{\"radius\":10},\"imu_trig\":{\"motion\":\"disable\"}}",
           200, "{\"configuration\":" PRODUCT_CONFIG "}");
    expect("PUT", paths[1], "{\"location\":{\"radius\":3,\"interval\":60}}", 200,
           "{\"configuration\":{\"location\":{\"interval\":60,\"radius\":3}}}");
    expect("PUT", paths[2], "{\"location\":{\"radius\":4}}", 202,
           "{\"configuration\":{\"location\":{\"radius\":4}}}");
    expect("PUT", paths[3], "{\"location\":{\"radius\":5}}", 200,
           "{\"configuration\":{\"location\":{\"radius\":5}}}");
    expect("DELETE", paths[3], NULL, 204, "");
    char *before[4];
    for (int i = 0; i < 4; i++)
        before[i] = body_of(paths[i]);
    sim_test_stop(T);

    /* after a restart every GET answers the same JSON, the removed one its product's */
    T = sim_test_start(&o);
    for (int i = 0; i < 4; i++) {
        char *after = body_of(paths[i]);
        assert_string_equal(after, before[i]);
        free(after);
        free(before[i]);
    }
    expect("GET", paths[3], NULL, 200, "{\"configuration\":" PRODUCT_CONFIG "}");
    expect("GET", "/v1/products/env-sensors/config", NULL, 404, "{}");
    /* a reset forgets them, in the file too */
    http_reply r = sim_req(T, "POST", "/sim/reset", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    expect("GET", paths[0], NULL, 404, "{}");
    sim_test_stop(T);
    T = sim_test_start(&o);
    expect("GET", paths[0], NULL, 404, "{}");
    expect("GET", paths[1], NULL, 404, "{}");
    sim_test_stop(T);
    T = NULL;
    unlink(file);
}

/* Replaces the stored configurations of state file @p file with @p text. */
static void store_configs(const char *file, const char *text)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE configs SET store = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The stored configurations of state file @p file, as text (freed by the caller). */
static char *stored_configs(const char *file)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT store FROM configs", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *text = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_non_null(text);
    return text;
}

static void test_malformed_stored_configurations(void **state)
{
    (void)state;
    char file[] = "/tmp/sim-configs-bad-XXXXXX", err[512];
    sim_server_options o = sim_test_state_options(file);
    T = sim_test_start(&o);
    expect("PUT", CONFIG, "{\"location\":{\"radius\":10}}", 200,
           "{\"configuration\":{\"location\":{\"radius\":10}}}");
    /* two other parts of the same file: a schema (a document row too) and a device's name */
    char online[25], path[160];
    tracker_device(true, online);
    http_reply r = sim_req(T, "PUT", CONFIG, DEMO_TOKEN, "Content-Type: application/schema+json",
                           "{\"type\":\"object\"}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    snprintf(path, sizeof(path), "/v1/devices/%s", online);
    r = sim_req(T, "PUT", path, DEMO_TOKEN, JSON_CT, "{\"name\":\"kept-name\"}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    sim_test_stop(T);
    T = NULL;

    static const char *const bad[] = {
        "{\"10001\":",                           /* not JSON */
        "[]",                                    /* not an object */
        "{\"10001\":[1]}",                       /* not a configuration */
        "{\"10001\":{\"location\":5}}",          /* a section that is not an object */
        "{\"10001\":{}}",                        /* no section */
        "{\"asset-tracker\":{\"location\":{}}}", /* not a product id */
        "{\"10001/\":{\"location\":{}}}",        /* no device id */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        store_configs(file, bad[i]);
        sim_server *srv = NULL;
        err[0] = '\0';
        if (sim_server_new(&srv, &o, err, sizeof(err)) != -1)
            fail_msg("%s: the simulator started", bad[i]);
        assert_null(srv);
        assert_non_null(strstr(err, file));
        assert_non_null(strstr(err, "the stored configurations do not read"));
    }
    /* nothing else was lost, and keys the fleet no longer has are left aside */
    store_configs(file, "{\"10001\":{\"location\":{\"radius\":7}},\"99999\":{\"a\":{}},"
                        "\"10001/0123456789abcdef01234567\":{\"a\":{}}}");
    T = sim_test_start(&o);
    expect("GET", CONFIG, NULL, 200, "{\"configuration\":{\"location\":{\"radius\":7}}}");
    const char *headers[] = {"Authorization: Bearer " DEMO_TOKEN, "Accept: application/schema+json",
                             NULL};
    char url[256];
    http_call call = {
        .method = "GET", .url = http_url(url, sizeof(url), T->port, CONFIG), .headers = headers};
    http_perform(&call, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"type\":\"object\"}");
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/devices/kept-name", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    /* ...and written back with the next change, for a fleet file that has them again */
    expect("PUT", CONFIG, "{\"location\":{\"radius\":8}}", 200,
           "{\"configuration\":{\"location\":{\"radius\":8}}}");
    sim_test_stop(T);
    T = NULL;
    char *saved = stored_configs(file);
    json_t *doc = json_loads(saved, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(json_object_size(doc), 3);
    assert_non_null(json_object_get(json_object_get(doc, "99999"), "a"));
    assert_non_null(json_object_get(json_object_get(doc, "10001/0123456789abcdef01234567"), "a"));
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(doc, "10001"), "location"), "radius")),
                     8);
    json_decref(doc);
    free(saved);
    unlink(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_product_config_set_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_bodies_change_nothing, setup, teardown),
        cmocka_unit_test(test_state_keeps_configurations),
        cmocka_unit_test(test_malformed_stored_configurations),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
