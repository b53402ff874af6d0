/*
 * particle-sim product and device configuration over loopback HTTP (reference/cloud-api.md
 * §13, §3.2; particle-api-js get/setProductConfiguration and the device variants): 404 {}
 * before one is set, the stored object read back, a device that has its product's until it
 * gets its own (200 online, 202 offline) and again after DELETE, the schema request, and
 * refused bodies that change nothing. Who may call is in test_sim_scopes_fleet.c.
 */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_product_config_set_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_bodies_change_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
