/*
 * particle-sim integration (webhook) routes over loopback HTTP (reference/cloud-api.md §10):
 * create, list, get, edit (replace), delete and test at user, product and organization
 * scope, what a body may hold (event, url, requestType, templates, the device filter's three
 * spellings), who may call, and --state keeping integrations across a restart. Delivery is
 * test_sim_webhook_delivery.c's.
 */
#include <unistd.h>

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

/* @p method @p path with a JSON body as @p token; asserts @p status and returns the body. */
static json_t *call(const char *method, const char *path, const char *token, const char *body,
                    long status)
{
    http_reply r = sim_req(T, method, path, token, body ? JSON_CT : NULL, body);
    json_t *j = status == 204 ? NULL : sim_json(&r, status);
    if (status == 204 && r.status != 204)
        fail_msg("%s %s: expected 204, got %ld %s", method, path, r.status, r.body);
    http_reply_dispose(&r);
    return j;
}

/* Creates an integration at @p base and returns its id (static storage, one at a time). */
static const char *create(const char *base, const char *body)
{
    static char id[32];
    json_t *j = call("POST", base, DEMO_TOKEN, body, 201);
    assert_true(json_is_true(json_object_get(j, "ok")));
    assert_int_equal(strlen(jstr(j, "id")), 24);
    snprintf(id, sizeof(id), "%s", jstr(j, "id"));
    json_decref(j);
    return id;
}

static void test_lists_need_a_valid_token(void **state)
{
    (void)state;
    const char *paths[] = {"/v1/integrations", "/v1/webhooks"};
    for (size_t i = 0; i < 2; i++) {
        json_t *j = call("GET", paths[i], NULL, NULL, 400);
        assert_string_equal(jstr(j, "error"), "invalid_request");
        json_decref(j);
        j = call("GET", paths[i], "0000000000000000000000000000000000000000", NULL, 401);
        assert_string_equal(jstr(j, "error"), "invalid_token");
        json_decref(j);
    }
    /* The default fleet has no integrations: a bare empty array. */
    json_t *j = call("GET", "/v1/integrations", OTHER_TOKEN, NULL, 200);
    assert_true(json_is_array(j) && json_array_size(j) == 0);
    json_decref(j);
}

static void test_user_crud(void **state)
{
    (void)state;
    json_t *j =
        call("POST", "/v1/webhooks", DEMO_TOKEN,
             "{\"event\":\"temp\",\"url\":\"http://127.0.0.1:9/in\",\"requestType\":\"post\","
             "\"deviceId\":\"abc\",\"headers\":{\"X-Key\":\"{{PARTICLE_DEVICE_ID}}\"},"
             "\"auth\":{\"username\":\"u\",\"password\":\"secret\"},\"noDefaults\":true}",
             201);
    assert_string_equal(jstr(j, "event"), "temp");
    assert_string_equal(jstr(j, "requestType"), "POST");
    assert_string_equal(jstr(j, "name"), "temp for 127.0.0.1");
    assert_string_equal(jstr(j, "deviceID"), "abc");
    assert_string_equal(jstr(j, "integration_type"), "Webhook");
    assert_non_null(strstr(jstr(j, "hookUrl"), "/v1/webhooks/"));
    assert_non_null(jstr(j, "created_at"));
    /* the basic auth password is never shown back */
    assert_string_equal(jstr(json_object_get(j, "auth"), "password"), "********");
    char id[32], path[96];
    snprintf(id, sizeof(id), "%s", jstr(j, "id"));
    json_decref(j);

    /* the legacy and the new routes are one list */
    j = call("GET", "/v1/integrations", DEMO_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(jstr(json_array_get(j, 0), "id"), id);
    json_decref(j);
    j = call("GET", "/v1/integrations", OTHER_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);

    snprintf(path, sizeof(path), "/v1/integrations/%s", id);
    j = call("GET", path, DEMO_TOKEN, NULL, 200);
    json_t *hook = json_object_get(j, "integration");
    assert_string_equal(jstr(hook, "id"), id);
    assert_true(json_is_array(json_object_get(hook, "logs")));
    json_t *counters = json_object_get(hook, "counters");
    assert_int_equal(json_integer_value(json_object_get(counters, "sent")), 0);
    assert_true(json_is_false(json_object_get(hook, "disabled")));
    json_decref(j);
    /* another user's integration is not found */
    json_decref(call("GET", path, OTHER_TOKEN, NULL, 404));

    /* PUT replaces: headers and auth go, event stays, deviceid (lowercase) is read */
    j = call("PUT", path, DEMO_TOKEN, "{\"url\":\"http://localhost:9/x\",\"deviceid\":\"def\"}",
             200);
    hook = json_object_get(j, "integration");
    assert_string_equal(jstr(hook, "event"), "temp");
    assert_string_equal(jstr(hook, "url"), "http://localhost:9/x");
    assert_string_equal(jstr(hook, "deviceID"), "def");
    assert_null(json_object_get(hook, "headers"));
    assert_null(json_object_get(hook, "auth"));
    json_decref(j);

    /* test: queued (the receiver is not there: the outcome shows in the logs) */
    snprintf(path, sizeof(path), "/v1/integrations/%s/test", id);
    j = call("POST", path, DEMO_TOKEN, "{}", 200);
    assert_true(json_is_true(json_object_get(j, "pass")));
    assert_true(json_is_null(json_object_get(j, "data")));
    json_decref(j);

    snprintf(path, sizeof(path), "/v1/webhooks/%s", id);
    json_decref(call("DELETE", path, OTHER_TOKEN, NULL, 404));
    call("DELETE", path, DEMO_TOKEN, NULL, 204);
    json_decref(call("GET", path, DEMO_TOKEN, NULL, 404));
    json_decref(call("DELETE", path, DEMO_TOKEN, NULL, 404));
}

static void test_bad_bodies(void **state)
{
    (void)state;
    const char *bodies[] = {
        "{\"url\":\"http://127.0.0.1/\"}",                /* no event */
        "{\"event\":\"e\"}",                              /* no url */
        "{\"event\":\"e\",\"url\":\"ftp://127.0.0.1/\"}", /* not http(s) */
        "{\"event\":\"e\",\"url\":\"not a url\"}",        /* not a URL */
        "{\"event\":\"e\",\"url\":\"http://\"}",          /* no host */
        "{\"event\":\"e\",\"url\":\"http://a/\",\"requestType\":\"PATCH\"}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"integration_type\":\"GoogleMaps\"}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"json\":{\"v\":\"{{PARTICLE_EVENT_VALUE\"}}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"body\":\"{{#list}}x{{/list}}\"}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"body\":\"{{ two words }}\"}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"headers\":{\"Bad Name\":\"v\"}}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"headers\":{\"X\":1}}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"json\":{},\"form\":{}}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"noDefaults\":\"maybe\"}",
        "{\"event\":\"e\",\"url\":\"http://a/\",\"auth\":\"u:p\"}",
        "{\"event\":\"0123456789012345678901234567890123456789012345678901234567890123456789\","
        "\"url\":\"http://a/\"}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        http_reply r = sim_req(T, "POST", "/v1/integrations", DEMO_TOKEN, JSON_CT, bodies[i]);
        if (r.status != 400)
            fail_msg("%s: expected 400, got %ld %s", bodies[i], r.status, r.body);
        json_t *j = http_reply_json(&r);
        assert_true(json_is_false(json_object_get(j, "ok")));
        assert_non_null(jstr(j, "error"));
        json_decref(j);
        http_reply_dispose(&r);
    }
    json_t *j = call("GET", "/v1/integrations", DEMO_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 0); /* nothing was stored */
    json_decref(j);
    /* What is accepted: an unknown variable (Mustache renders it empty), templates in the
     * URL, a form body (particle-cli can send one) and the CLI's integration_type. */
    const char *id = create("/v1/integrations",
                            "{\"integration_type\":\"Webhook\",\"event\":\"e\",\"url\":"
                            "\"https://127.0.0.1/{{PARTICLE_DEVICE_ID}}\",\"body\":\"{{nope}}\"}");
    char path[96];
    snprintf(path, sizeof(path), "/v1/integrations/%s", id);
    call("DELETE", path, DEMO_TOKEN, NULL, 204);
    http_reply r = sim_req(T, "POST", "/v1/webhooks", DEMO_TOKEN, FORM,
                           "event=f&url=http%3A%2F%2F127.0.0.1%2F&noDefaults=true");
    j = sim_json(&r, 201);
    assert_true(json_is_true(json_object_get(j, "noDefaults")));
    snprintf(path, sizeof(path), "/v1/webhooks/%s", jstr(j, "id"));
    json_decref(j);
    http_reply_dispose(&r);
    call("DELETE", path, DEMO_TOKEN, NULL, 204);
}

static void test_product_and_org_scopes(void **state)
{
    (void)state;
    const char *body = "{\"event\":\"p\",\"url\":\"http://127.0.0.1:9/\"}";
    const char *id = create("/v1/products/asset-tracker/integrations", body);
    char pid[32], path[128];
    snprintf(pid, sizeof(pid), "%s", id);
    /* by id or slug, integrations and webhooks alike; not in the user's own list */
    json_t *j = call("GET", "/v1/products/10001/webhooks", DEMO_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "product_id")),
                     10001);
    json_decref(j);
    j = call("GET", "/v1/integrations", DEMO_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    j = call("GET", "/v1/products/env-sensors/integrations", DEMO_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    /* the user route does not reach a product's integration */
    snprintf(path, sizeof(path), "/v1/integrations/%s", pid);
    json_decref(call("GET", path, DEMO_TOKEN, NULL, 404));
    /* off the team: 403; unknown product: 404 */
    json_decref(call("GET", "/v1/products/10001/integrations", OTHER_TOKEN, NULL, 403));
    json_decref(call("POST", "/v1/products/10001/integrations", OTHER_TOKEN, body, 403));
    j = call("GET", "/v1/products/99999/integrations", DEMO_TOKEN, NULL, 404);
    assert_string_equal(jstr(j, "error"), "Product not found");
    json_decref(j);
    snprintf(path, sizeof(path), "/v1/products/10001/integrations/%s", pid);
    j = call("PUT", path, DEMO_TOKEN, "{\"event\":\"q\"}", 200);
    assert_string_equal(jstr(json_object_get(j, "integration"), "event"), "q");
    json_decref(j);
    call("DELETE", path, DEMO_TOKEN, NULL, 204);

    /* organization: its team; the Developer member may create, the stranger may not */
    id = create("/v1/orgs/acme/integrations", body);
    j = call("GET", "/v1/orgs/5f0c0ffee0c0ffee0c0ffee0/integrations",
             "0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e", NULL, 200);
    assert_int_equal(json_array_size(j), 1);
    json_decref(j);
    json_decref(call("GET", "/v1/orgs/acme/integrations", OTHER_TOKEN, NULL, 403));
    json_decref(call("GET", "/v1/orgs/nope/integrations", DEMO_TOKEN, NULL, 404));
    snprintf(path, sizeof(path), "/v1/orgs/acme/integrations/%s", id);
    call("DELETE", path, DEMO_TOKEN, NULL, 204);
}

static void test_state_keeps_integrations(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-hooks-XXXXXX", file[64];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof(file), "%s/state.db", dir);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = file;
    sim_test *saved = T;
    T = sim_test_start(&o);
    char kept[32], gone[32], path[128];
    snprintf(kept, sizeof(kept), "%s",
             create("/v1/integrations", "{\"event\":\"k\",\"url\":\"http://127.0.0.1:9/\","
                                        "\"json\":{\"v\":\"{{{PARTICLE_EVENT_VALUE}}}\"}}"));
    snprintf(gone, sizeof(gone), "%s",
             create("/v1/products/10001/integrations",
                    "{\"event\":\"g\",\"url\":\"http://127.0.0.1:9/\"}"));
    snprintf(path, sizeof(path), "/v1/products/10001/integrations/%s", gone);
    call("DELETE", path, DEMO_TOKEN, NULL, 204);
    snprintf(path, sizeof(path), "/v1/integrations/%s", kept);
    json_decref(call("PUT", path, DEMO_TOKEN, "{\"disabled\":true}", 200));
    sim_test_stop(T);

    T = sim_test_start(&o);
    json_t *j = call("GET", path, DEMO_TOKEN, NULL, 200);
    json_t *hook = json_object_get(j, "integration");
    assert_string_equal(jstr(hook, "event"), "k");
    assert_true(json_is_true(json_object_get(hook, "disabled")));
    assert_null(json_object_get(hook, "json")); /* PUT replaced the settings: no json now */
    json_decref(j);
    j = call("GET", "/v1/products/10001/integrations", DEMO_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    /* reset forgets them, in memory and in the file */
    json_decref(call("POST", "/sim/reset", DEMO_TOKEN, NULL, 200));
    j = call("GET", "/v1/integrations", DEMO_TOKEN, NULL, 200);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    sim_test_stop(T);
    T = saved;
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_need_a_valid_token),
        cmocka_unit_test(test_user_crud),
        cmocka_unit_test(test_bad_bodies),
        cmocka_unit_test(test_product_and_org_scopes),
        cmocka_unit_test(test_state_keeps_integrations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
