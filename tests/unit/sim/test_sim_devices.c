/* particle-sim device, variable and function routes over loopback HTTP. */
#include "pu_time.h"
#include "sim_test.h"

static sim_test *T;

static int setup(void **state)
{
    sim_test_global_setup(state);
    T = sim_test_start(NULL);
    return 0;
}

static int teardown(void **state)
{
    sim_test_stop(T);
    return sim_test_global_teardown(state);
}

static json_t *get_json(const char *path, const char *token, long status)
{
    http_reply r = sim_req(T, "GET", path, token, NULL, NULL);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static json_t *send_json(const char *method, const char *path, const char *ct, const char *body,
                         long status)
{
    http_reply r = sim_req(T, method, path, DEMO_TOKEN, ct, body);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static void test_list_and_get(void **state)
{
    (void)state;
    json_t *list = get_json("/v1/devices", DEMO_TOKEN, 200);
    assert_true(json_is_array(list));
    assert_int_equal(json_array_size(list), 4);
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d)
    {
        assert_int_equal(strlen(jstr(d, "id")), 24);
        assert_true(json_is_boolean(json_object_get(d, "online")));
        assert_true(json_equal(json_object_get(d, "online"), json_object_get(d, "connected")));
        assert_true(json_is_array(json_object_get(d, "functions")));
        assert_true(json_is_object(json_object_get(d, "variables")));
        assert_non_null(json_object_get(d, "last_heard"));
        assert_null(json_object_get(d, "groups")); /* product-only field */
    }
    json_decref(list);
    json_t *dev = get_json("/v1/devices/demo-argon-1", DEMO_TOKEN, 200);
    assert_string_equal(jstr(dev, "name"), "demo-argon-1");
    assert_string_equal(jstr(dev, "owner"), "demo@example.com");
    assert_int_equal(json_integer_value(json_object_get(dev, "platform_id")), 12);
    assert_string_equal(jstr(json_object_get(dev, "variables"), "uptime"), "int32");
    assert_string_equal(jstr(json_object_get(dev, "variables"), "armed"), "bool");
    char path[128];
    snprintf(path, sizeof(path), "/v1/devices/%s", jstr(dev, "id"));
    json_t *by_id = get_json(path, DEMO_TOKEN, 200);
    assert_string_equal(jstr(by_id, "name"), "demo-argon-1");
    json_decref(by_id);
    json_decref(dev);
    /* Product view adds the product-only fields. */
    json_t *pd = get_json("/v1/products/10001/devices/tracker-1", DEMO_TOKEN, 200);
    assert_true(json_is_array(json_object_get(pd, "groups")));
    assert_true(json_is_boolean(json_object_get(pd, "quarantined")));
    assert_int_equal(json_integer_value(json_object_get(pd, "product_id")), 10001);
    assert_true(json_is_string(json_object_get(pd, "iccid")));
    json_decref(pd);
}

static void test_not_your_device(void **state)
{
    (void)state;
    const char *denied = "{\"error\":\"Permission Denied\",\"info\":\"I didn't recognize that "
                         "device name or ID, try opening "
                         "https://api.particle.io/v1/devices?access_token=undefined\"}";
    sim_expect_body(T, "GET", "/v1/devices/other-argon-1", DEMO_TOKEN, 403, denied);
    sim_expect_body(T, "GET", "/v1/devices/ffffffffffffffffffffffff", DEMO_TOKEN, 403, denied);
    sim_expect_body(T, "GET", "/v1/devices/other-argon-1/temperature", DEMO_TOKEN, 403, denied);
    sim_expect_body(T, "GET", "/v1/devices/demo-argon-1", OTHER_TOKEN, 403, denied);
    sim_expect_body(T, "GET", "/v1/products/asset-tracker/devices", OTHER_TOKEN, 403,
                    "{\"error\":\"Permission Denied\",\"info\":\"You do not have access to this "
                    "product\"}");
    sim_expect_body(T, "GET", "/v1/products/nope/devices", DEMO_TOKEN, 404,
                    "{\"ok\":false,\"error\":\"Product not found\"}");
    sim_expect_body(T, "GET", "/v1/nothing/here", DEMO_TOKEN, 404,
                    "{\"ok\":false,\"error\":\"Not Found\"}");
}

static void test_update(void **state)
{
    (void)state;
    json_t *j =
        send_json("PUT", "/v1/devices/demo-boron-1", JSON_CT, "{\"name\":\"renamed\"}", 200);
    assert_string_equal(jstr(j, "name"), "renamed");
    assert_non_null(jstr(j, "updated_at"));
    json_decref(j);
    json_t *dev = get_json("/v1/devices/renamed", DEMO_TOKEN, 200);
    json_decref(dev);
    j = send_json("PUT", "/v1/devices/renamed", FORM, "notes=hello+there", 200);
    assert_string_equal(jstr(j, "notes"), "hello there");
    json_decref(j);
    j = send_json("PUT", "/v1/devices/renamed", JSON_CT, "{\"signal\":\"1\"}", 200);
    assert_true(json_is_true(json_object_get(j, "signaling")));
    json_decref(j);
    j = send_json("PUT", "/v1/devices/renamed", JSON_CT, "{\"signal\":false}", 200);
    assert_true(json_is_false(json_object_get(j, "signaling")));
    json_decref(j);
    j = send_json("PUT", "/v1/devices/renamed", JSON_CT, "{\"signal\":\"maybe\"}", 400);
    json_decref(j);
    j = send_json("PUT", "/v1/devices/renamed", JSON_CT, "{}", 400);
    json_decref(j);
    j = send_json("PUT", "/v1/devices/renamed", JSON_CT, "{\"name\":\"demo-boron-1\"}", 200);
    json_decref(j);
    dev = get_json("/v1/devices/demo-boron-1", DEMO_TOKEN, 200);
    assert_string_equal(jstr(dev, "notes"), "hello there");
    json_decref(dev);
    /* Product updates: groups, development, desired firmware. */
    j = send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                  "{\"groups\":[\"europe\",\"new-group\"],\"development\":true,"
                  "\"desired_firmware_version\":5}",
                  200);
    assert_int_equal(json_array_size(json_object_get(j, "groups")), 2);
    assert_true(json_is_true(json_object_get(j, "development")));
    json_decref(j);
    dev = get_json("/v1/products/asset-tracker/devices/tracker-2", DEMO_TOKEN, 200);
    assert_int_equal(json_integer_value(json_object_get(dev, "desired_firmware_version")), 5);
    assert_string_equal(json_string_value(json_array_get(json_object_get(dev, "groups"), 1)),
                        "new-group");
    json_decref(dev);
    /* All or nothing: a bad field after good ones leaves every field as it was. */
    j = send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                  "{\"name\":\"half-done\",\"development\":false,\"desired_firmware_version\":7,"
                  "\"groups\":[\"europe\",\"another-new-group\",42]}",
                  400);
    assert_string_equal(jstr(j, "error"), "Invalid group name, or too many groups");
    json_decref(j);
    j = send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                  "{\"development\":false,\"desired_firmware_version\":\"x\"}", 400);
    json_decref(j);
    /* A version as text is a whole number from -1 up to INT32_MAX, nothing around it. */
    const char *bad_versions[] = {"\"2147483648\"", "\"-2\"", "\" 7\"", "\"7 \"", "\"\"", "1.5"};
    for (size_t i = 0; i < sizeof(bad_versions) / sizeof(bad_versions[0]); i++) {
        char body[96];
        snprintf(body, sizeof(body), "{\"desired_firmware_version\":%s}", bad_versions[i]);
        json_decref(
            send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT, body, 400));
    }
    /* The lock's flash flag (§5.9): echoed and kept until the next lock or the unlock; alone,
     * or not a boolean, it is refused. */
    j = send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                  "{\"desired_firmware_version\":5,\"flash\":true}", 200);
    assert_true(json_is_true(json_object_get(j, "flash")));
    json_decref(j);
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    assert_true(m->devices[sim_test_device_named(m, "tracker-2")].lock_flash);
    sim_model_unlock(m);
    json_decref(send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                          "{\"flash\":true}", 400));
    json_decref(send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                          "{\"desired_firmware_version\":null,\"flash\":true}", 400));
    json_decref(send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                          "{\"desired_firmware_version\":5,\"flash\":\"soon\"}", 400));
    j = send_json("PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
                  "{\"desired_firmware_version\":5}", 200);
    assert_null(json_object_get(j, "flash"));
    json_decref(j);
    sim_model_lock(m);
    assert_false(m->devices[sim_test_device_named(m, "tracker-2")].lock_flash);
    sim_model_unlock(m);
    dev = get_json("/v1/products/asset-tracker/devices/tracker-2", DEMO_TOKEN, 200);
    assert_string_equal(jstr(dev, "name"), "tracker-2");
    assert_true(json_is_true(json_object_get(dev, "development")));
    assert_int_equal(json_integer_value(json_object_get(dev, "desired_firmware_version")), 5);
    assert_int_equal(json_array_size(json_object_get(dev, "groups")), 2);
    json_decref(dev);
    /* Ping */
    j = send_json("PUT", "/v1/devices/demo-argon-1/ping", NULL, NULL, 200);
    assert_true(json_is_true(json_object_get(j, "online")));
    json_decref(j);
    j = send_json("PUT", "/v1/devices/demo-photon-1/ping", NULL, NULL, 200);
    assert_true(json_is_false(json_object_get(j, "online")));
    json_decref(j);
}

static void test_claim_unclaim(void **state)
{
    (void)state;
    json_t *dev = get_json("/v1/devices/demo-p2-1", DEMO_TOKEN, 200);
    char id[32], body[64], path[64];
    snprintf(id, sizeof(id), "%s", jstr(dev, "id"));
    json_decref(dev);
    snprintf(path, sizeof(path), "/v1/devices/%s", id);
    json_t *j = send_json("DELETE", path, NULL, NULL, 200);
    assert_true(json_is_true(json_object_get(j, "ok")));
    json_decref(j);
    json_decref(get_json(path, DEMO_TOKEN, 403));
    /* Another user may claim it now; then demo may not. */
    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
    http_reply r = sim_req(T, "POST", "/v1/devices", OTHER_TOKEN, JSON_CT, body);
    j = sim_json(&r, 200);
    assert_string_equal(jstr(j, "id"), id);
    json_decref(j);
    http_reply_dispose(&r);
    json_decref(send_json("POST", "/v1/devices", JSON_CT, body, 403));
    r = sim_req(T, "DELETE", path, OTHER_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    json_decref(send_json("POST", "/v1/devices", JSON_CT, body, 200));
    json_decref(get_json(path, DEMO_TOKEN, 200));
    json_decref(
        send_json("POST", "/v1/devices", JSON_CT, "{\"id\":\"ffffffffffffffffffffffff\"}", 404));
}

static void test_product_paging_and_filters(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/products/env-sensors/devices?per_page=25", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 25);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "meta"), "total_pages")),
                     3);
    assert_true(json_is_array(json_object_get(j, "customers")));
    json_decref(j);
    j = get_json("/v1/products/10002/devices?page=3&perPage=25", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 10);
    json_decref(j);
    j = get_json("/v1/products/10002/devices?page=4", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 0);
    json_decref(j);
    /* (page - 1) * perPage = 2^64 must not wrap round to page 1 */
    j = get_json("/v1/products/10002/devices?page=4611686018427387905&perPage=4", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 0);
    json_decref(j);
    /* env-1, env-10 .. env-19 */
    j = get_json("/v1/products/10002/devices?deviceName=env-1&sortAttr=deviceName&sortDir=asc",
                 DEMO_TOKEN, 200);
    json_t *devs = json_object_get(j, "devices");
    assert_int_equal(json_array_size(devs), 11);
    assert_string_equal(jstr(json_array_get(devs, 0), "name"), "env-1");
    assert_string_equal(jstr(json_array_get(devs, 10), "name"), "env-19");
    json_decref(j);
    j = get_json("/v1/products/10002/devices?sortAttr=deviceName&sortDir=desc&per_page=1",
                 DEMO_TOKEN, 200);
    assert_string_equal(jstr(json_array_get(json_object_get(j, "devices"), 0), "name"), "env-9");
    json_decref(j);
    j = get_json("/v1/products/10002/devices?groups=lab&per_page=100", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 30);
    json_decref(j);
    j = get_json("/v1/products/asset-tracker/devices?quarantined=true", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 2);
    json_decref(j);
    j = get_json("/v1/products/asset-tracker/devices?groups=americas%2Casia", DEMO_TOKEN, 200);
    /* asia: 6 trackers, americas: 3 + customer-tracker; test_update moved tracker-2 away */
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 6 + 3 + 1 - 1);
    assert_int_equal(json_array_size(json_object_get(j, "customers")), 1);
    json_decref(j);
    j = get_json("/v1/products/10002/devices?page=0", DEMO_TOKEN, 400);
    json_decref(j);
}

static void test_variables(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/devices/demo-argon-1/uptime", DEMO_TOKEN, 200);
    assert_string_equal(jstr(j, "name"), "uptime");
    assert_true(json_is_integer(json_object_get(j, "result")));
    json_t *info = json_object_get(j, "coreInfo");
    assert_string_equal(jstr(info, "name"), "demo-argon-1");
    assert_true(json_is_true(json_object_get(info, "connected")));
    assert_int_equal(strlen(jstr(info, "deviceID")), 24);
    json_decref(j);
    j = get_json("/v1/devices/demo-argon-1/humidity", DEMO_TOKEN, 200);
    assert_true(json_is_real(json_object_get(j, "result")));
    json_decref(j);
    j = get_json("/v1/devices/demo-argon-1/status", DEMO_TOKEN, 200);
    assert_string_equal(jstr(j, "result"), "ok");
    json_decref(j);
    j = get_json("/v1/devices/demo-argon-1/armed", DEMO_TOKEN, 200);
    assert_true(json_is_false(json_object_get(j, "result")));
    json_decref(j);
    http_reply r =
        sim_req(T, "GET", "/v1/devices/demo-argon-1/status?format=raw", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "ok");
    http_reply_dispose(&r);
    sim_expect_body(T, "GET", "/v1/devices/demo-argon-1/nope", DEMO_TOKEN, 404,
                    "{\"ok\":false,\"error\":\"Variable not found\"}");
    j = get_json("/v1/products/env-sensors/devices/env-1/temperature", DEMO_TOKEN, 200);
    assert_true(json_is_real(json_object_get(j, "result")));
    json_decref(j);
}

static void test_functions(void **state)
{
    (void)state;
    json_t *j = send_json("POST", "/v1/devices/demo-argon-1/led", FORM, "arg=255%2C0%2C0", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "return_value")), 1);
    assert_true(json_is_true(json_object_get(j, "connected")));
    assert_string_equal(jstr(j, "name"), "demo-argon-1");
    json_decref(j);
    j = get_json("/v1/devices/demo-argon-1/color", DEMO_TOKEN, 200);
    assert_string_equal(jstr(j, "result"), "255,0,0");
    json_decref(j);
    j = send_json("POST", "/v1/devices/demo-argon-1/led", JSON_CT, "{\"args\":\"300,0,0\"}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "return_value")), -1);
    json_decref(j);
    j = send_json("POST", "/v1/devices/demo-argon-1/setTemp", JSON_CT, "{\"args\":\"23.5\"}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "return_value")), 1);
    json_decref(j);
    j = get_json("/v1/devices/demo-argon-1/setpoint", DEMO_TOKEN, 200);
    assert_true(json_real_value(json_object_get(j, "result")) == 23.5);
    json_decref(j);
    j = send_json("POST", "/v1/devices/demo-argon-1/reset", JSON_CT, "{}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "return_value")), 1);
    json_decref(j);
    http_reply r = sim_req(T, "POST", "/v1/devices/demo-argon-1/nope", DEMO_TOKEN, JSON_CT,
                           "{\"args\":\"x\"}");
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "{\"ok\":false,\"error\":\"Function nope not found\"}");
    http_reply_dispose(&r);
    /* a name that is not UTF-8 is still a 404 in JSON (found by fuzz_sim_request) */
    r = sim_req(T, "POST", "/v1/devices/demo-argon-1/%F6ed", DEMO_TOKEN, JSON_CT, "{}");
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "{\"ok\":false,\"error\":\"Function ?ed not found\"}");
    http_reply_dispose(&r);
}

static void test_offline_timeout(void **state)
{
    (void)state;
    int64_t t0 = pu_time_mono_ms();
    http_reply r =
        sim_req(T, "GET", "/v1/devices/demo-photon-1/temperature", DEMO_TOKEN, NULL, NULL);
    int64_t elapsed = pu_time_mono_ms() - t0;
    assert_int_equal(r.status, 400);
    assert_string_equal(r.body, "{\"ok\":false,\"error\":\"Timed out.\"}");
    assert_true(elapsed >= 300); /* the configured delay, not an immediate answer */
    http_reply_dispose(&r);
    r = sim_req(T, "POST", "/v1/devices/demo-photon-1/led", DEMO_TOKEN, JSON_CT,
                "{\"args\":\"1,2,3\"}");
    assert_int_equal(r.status, 400);
    assert_string_equal(r.body, "{\"ok\":false,\"error\":\"Timed out.\"}");
    http_reply_dispose(&r);
}

static void test_bad_bodies(void **state)
{
    (void)state;
    http_reply r = sim_req(T, "PUT", "/v1/devices/demo-argon-1", DEMO_TOKEN, JSON_CT, "{\"name\":");
    json_t *j = sim_json(&r, 400);
    json_decref(j);
    http_reply_dispose(&r);
    size_t big = 2 * 1024 * 1024;
    char *body = malloc(big + 1);
    memset(body, 'a', big);
    body[big] = '\0';
    r = sim_req(T, "POST", "/v1/devices/events", DEMO_TOKEN, FORM, body);
    assert_int_equal(r.status, 413);
    http_reply_dispose(&r);
    free(body);
    /* The server still answers. */
    j = get_json("/v1/devices/demo-argon-1", DEMO_TOKEN, 200);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_and_get),
        cmocka_unit_test(test_not_your_device),
        cmocka_unit_test(test_update),
        cmocka_unit_test(test_claim_unclaim),
        cmocka_unit_test(test_product_paging_and_filters),
        cmocka_unit_test(test_variables),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_offline_timeout),
        cmocka_unit_test(test_bad_bodies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
