/*
 * particle-sim's environment variables (routes/env.c, model/env.c): precedence organization
 * < product < device with `own` and `inherited` (and where from), the rollout review, and
 * rollouts reaching devices: Immediate at once for online devices, on the next connect (a
 * handshake later on the simulation clock) for offline ones and for Connect rollouts. The
 * variables survive a restart with --state and go with POST /sim/reset.
 */
#include <unistd.h>

#include "sim_test.h"

#define PRODUCT "/v1/products/asset-tracker/env"
#define ORG "/v1/orgs/acme/env"

static sim_test *T;
static char ONLINE[SIM_DEVICE_ID_LEN + 1], OFFLINE[SIM_DEVICE_ID_LEN + 1];

/* @p method @p path with JSON @p body as the demo user; asserts @p status, returns the body. */
static json_t *call(const char *method, const char *path, const char *body, long status)
{
    http_reply r = sim_req(T, method, path, DEMO_TOKEN, body ? JSON_CT : NULL, body);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static void call_ok(const char *method, const char *path, const char *body)
{
    json_decref(call(method, path, body, 200));
}

/* Member @p path ("a.b.c") of @p root, or NULL. */
static json_t *dig(json_t *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    json_t *at = root;
    for (char *save = NULL, *part = strtok_r(buf, ".", &save); part && at;
         part = strtok_r(NULL, ".", &save))
        at = json_object_get(at, part);
    return at;
}

/* Asserts that the JSON text of @p v equals @p want (keys sorted). */
static void assert_json(json_t *v, const char *want)
{
    char *got = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    if (!got || strcmp(got, want) != 0)
        fail_msg("expected %s, got %s", want, got ? got : "(nothing)");
    free(got);
}

static void control(const char *what, const char *device)
{
    char path[128];
    snprintf(path, sizeof(path), "/sim/devices/%s/%s", device, what);
    call_ok("POST", path, NULL);
}

static void advance(void)
{
    call_ok("POST", "/sim/clock/advance", "{\"ms\":1000}");
}

/* The device's on_device.rendered set, as sorted JSON text compared to @p want. */
static void assert_on_device(const char *device, const char *want)
{
    char path[128];
    snprintf(path, sizeof(path), "/v1/env/%s", device);
    json_t *j = call("GET", path, NULL, 200);
    assert_json(dig(j, "on_device.rendered"), want);
    json_decref(j);
}

static int setup(void **state)
{
    (void)state;
    sim_test_global_setup(state);
    T = sim_test_start(NULL);
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    uint32_t product = sim_model_find_product(m, "asset-tracker");
    int found = 0;
    for (uint32_t i = 0; i < m->device_count && found < 2; i++)
        if (m->devices[i].product == product)
            snprintf(found++ ? OFFLINE : ONLINE, SIM_DEVICE_ID_LEN + 1, "%s", m->devices[i].id);
    sim_model_unlock(m);
    assert_int_equal(found, 2);
    call_ok("POST", "/sim/clock/pause", NULL);
    return 0;
}

static int teardown(void **state)
{
    sim_test_stop(T);
    return sim_test_global_teardown(state);
}

static void test_precedence(void **state)
{
    (void)state;
    char path[128];
    call_ok("PATCH", ORG,
            "{\"ops\":[{\"op\":\"Set\",\"key\":\"A\",\"value\":\"org\"},{\"op\":\"Set\",\"key\":"
            "\"B\",\"value\":\"org\"}]}");
    call_ok("PATCH", PRODUCT,
            "{\"ops\":[{\"op\":\"Set\",\"key\":\"B\",\"value\":\"prod\"},{\"op\":\"Set\",\"key\":"
            "\"C\",\"value\":\"prod\"},{\"op\":\"Set\",\"key\":\"GONE\",\"value\":\"x\"},{\"op\":"
            "\"Unset\",\"key\":\"GONE\"}]}");
    snprintf(path, sizeof(path), "/v1/env/%s/C", ONLINE);
    json_t *list = call("PUT", path, "{\"value\":\"dev\"}", 200);
    assert_json(dig(list, "latest.own"), "{\"C\":{\"access\":[\"Device\"],\"value\":\"dev\"}}");
    assert_string_equal(jstr(dig(list, "latest.inherited.A"), "from"), "Owner");
    assert_string_equal(jstr(dig(list, "latest.inherited.B"), "from"), "Product");
    assert_string_equal(jstr(dig(list, "latest.inherited.B"), "value"), "prod");
    assert_string_equal(jstr(dig(list, "latest.inherited.C"), "value"), "prod");
    assert_json(dig(list, "last_snapshot"),
                "{\"inherited\":{},\"own\":{},\"rollout_at\":null,\"rollout_by\":null}");
    assert_string_equal(jstr(dig(list, "latest"), "updated_by"), "demo@example.com");
    assert_string_equal(jstr(list, "created_by"), "demo@example.com");
    json_decref(list);

    snprintf(path, sizeof(path), "/v1/env/%s/render", ONLINE);
    json_t *render = call("GET", path, NULL, 200);
    assert_json(dig(render, "env"), "{\"A\":\"org\",\"B\":\"prod\",\"C\":\"dev\"}");
    assert_true(json_is_null(json_object_get(render, "rollout_at")));
    json_decref(render);

    json_t *product = call("GET", PRODUCT "/render", NULL, 200);
    assert_json(dig(product, "env"), "{\"A\":\"org\",\"B\":\"prod\",\"C\":\"prod\"}");
    json_decref(product);

    snprintf(path, sizeof(path), "/v1/env/%s/rollout", ONLINE);
    json_t *review = call("GET", path, NULL, 200);
    assert_int_equal(json_array_size(dig(review, "from_snapshot.changes")), 3);
    assert_string_equal(jstr(json_array_get(dig(review, "from_snapshot.changes"), 0), "op"),
                        "Added");
    assert_non_null(dig(review, "from_device.changes"));
    json_decref(review);
}

static void test_rollouts_reach_devices(void **state)
{
    (void)state;
    char path[128];
    control("online", ONLINE);
    control("offline", OFFLINE);
    call_ok("POST", ORG "/rollout", "{\"when\":\"Immediate\"}");
    call_ok("POST", PRODUCT "/rollout", "{\"when\":\"Immediate\"}");
    /* the device's own C is not rolled out yet: it gets the product's */
    assert_on_device(ONLINE, "{\"A\":\"org\",\"B\":\"prod\",\"C\":\"prod\"}");
    assert_on_device(OFFLINE, "{}");
    json_t *product = call("GET", PRODUCT "/render", NULL, 200);
    assert_string_equal(jstr(product, "rollout_by"), "demo@example.com");
    json_decref(product);
    json_t *review = call("GET", PRODUCT "/rollout", NULL, 200);
    assert_int_equal(json_array_size(dig(review, "from_snapshot.changes")), 0);
    json_decref(review);

    advance();
    control("online", OFFLINE); /* connects after the rollout: gets it */
    assert_on_device(OFFLINE, "{\"A\":\"org\",\"B\":\"prod\",\"C\":\"prod\"}");
    snprintf(path, sizeof(path), "/v1/env/%s", OFFLINE);
    json_t *offline = call("GET", path, NULL, 200);
    assert_non_null(jstr(dig(offline, "on_device"), "last_reported_at"));
    json_decref(offline);

    /* Connect: an online device waits for its next connect */
    snprintf(path, sizeof(path), "/v1/env/%s/rollout", ONLINE);
    call_ok("POST", path, "{\"when\":\"Connect\"}");
    assert_on_device(ONLINE, "{\"A\":\"org\",\"B\":\"prod\",\"C\":\"prod\"}");
    advance();
    control("offline", ONLINE);
    control("online", ONLINE);
    assert_on_device(ONLINE, "{\"A\":\"org\",\"B\":\"prod\",\"C\":\"dev\"}");
    snprintf(path, sizeof(path), "/v1/env/%s", ONLINE);
    json_t *list = call("GET", path, NULL, 200);
    assert_json(dig(list, "last_snapshot.own"), "{\"C\":{\"value\":\"dev\"}}");
    json_decref(list);

    /* deleting an own variable leaves the inherited one visible */
    snprintf(path, sizeof(path), "/v1/env/%s/C", ONLINE);
    call_ok("DELETE", path, NULL);
    snprintf(path, sizeof(path), "/v1/env/%s/render", ONLINE);
    json_t *render = call("GET", path, NULL, 200);
    assert_string_equal(jstr(dig(render, "env"), "C"), "prod");
    json_decref(render);
}

/* GET and DELETE of /v1/env/<word> are a device and a sandbox variable: the method decides. */
static void test_sandbox_device_overlap(void **state)
{
    (void)state;
    call_ok("PUT", "/v1/env/render", "{\"value\":\"a variable named render\"}");
    json_t *render = call("GET", "/v1/env/render", NULL, 200);
    assert_string_equal(jstr(dig(render, "env"), "render"), "a variable named render");
    json_decref(render);
    json_decref(call("GET", "/v1/env/NOT_A_DEVICE", NULL, 403));
    call_ok("DELETE", "/v1/env/render", NULL);
    json_t *list = call("GET", "/v1/env", NULL, 200);
    assert_json(dig(list, "latest.own"), "{}");
    json_decref(list);
}

/* Variables survive a restart with --state and go with POST /sim/reset. */
static void test_state_file(void **state)
{
    (void)state;
    char path[] = "/tmp/sim-env-state-XXXXXX";
    sim_server_options o = sim_test_state_options(path);
    sim_test *saved = T;
    T = sim_test_start(&o);
    call_ok("PUT", PRODUCT "/KEPT", "{\"value\":\"yes\"}");
    call_ok("POST", PRODUCT "/rollout", "{\"when\":\"Connect\"}");
    sim_test_stop(T);

    T = sim_test_start(&o);
    json_t *list = call("GET", PRODUCT, NULL, 200);
    assert_string_equal(jstr(dig(list, "latest.own.KEPT"), "value"), "yes");
    assert_string_equal(jstr(dig(list, "last_snapshot.own.KEPT"), "value"), "yes");
    json_decref(list);
    call_ok("POST", "/sim/reset", NULL);
    sim_test_stop(T);

    T = sim_test_start(&o);
    list = call("GET", PRODUCT, NULL, 200);
    assert_json(dig(list, "latest.own"), "{}");
    json_decref(list);
    sim_test_stop(T);
    T = saved;
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_rollouts_reach_devices),
        cmocka_unit_test(test_sandbox_device_overlap),
        cmocka_unit_test(test_state_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
