/* particle-sim ledgers (routes/ledgers.c, routes/ledger_control.c, model/ledgers.c): a
 * definition's life (create, get, list filters and pages, update, archive), instances set
 * with Replace and Merge, versions and their cursors, the size limit, the directions (the
 * device side through the control API), bad input that changes nothing, reset, and --state
 * across a restart. */
#include <unistd.h>

#include "model/sim_ledgers.h"
#include "pu_str.h"
#include "sim_test.h"

static const char *const ORG = "5f0c0ffee0c0ffee0c0ffee0";

/* @p method @p path with a JSON @p body as the demo user; asserts @p status, returns the
 * JSON answer (NULL for an empty one). */
static json_t *call(const sim_test *t, const char *method, const char *path, const char *body,
                    long status)
{
    http_reply r = sim_req(t, method, path, DEMO_TOKEN, body ? JSON_CT : NULL, body);
    if (r.status != status)
        fail_msg("%s %s: expected %ld, got %ld: %s", method, path, status, r.status,
                 r.body ? r.body : "");
    json_t *j = r.body && r.body[0] ? http_reply_json(&r) : NULL;
    if (status >= 400 && !json_is_string(json_object_get(j, "error")))
        fail_msg("%s %s: the error body has no error string: %s", method, path, r.body);
    http_reply_dispose(&r);
    return j;
}

/* The instance data of answer @p j equals @p expected (taken). */
static void assert_data(const json_t *j, json_t *expected)
{
    assert_true(json_equal(json_object_get(json_object_get(j, "instance"), "data"), expected));
    json_decref(expected);
}

static void call_ok(const sim_test *t, const char *method, const char *path, const char *body,
                    long status)
{
    json_decref(call(t, method, path, body, status));
}

/* A developer device of the demo user (no product), into @p id. */
static void demo_device(const sim_test *t, char id[SIM_DEVICE_ID_LEN + 1])
{
    sim_model *m = sim_server_model(t->srv);
    sim_model_lock(m);
    uint32_t demo = sim_model_find_user(m, "demo@example.com");
    id[0] = '\0';
    for (uint32_t i = 0; i < m->device_count && !id[0]; i++)
        if (m->devices[i].owner == demo && m->devices[i].product == SIM_NONE)
            pu_strlcpy(id, m->devices[i].id, SIM_DEVICE_ID_LEN + 1);
    sim_model_unlock(m);
    assert_true(id[0] != '\0');
}

static void test_definitions(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    json_t *j = call(t, "POST", "/v1/ledgers",
                     "{\"ledger\":{\"name\":\"settings\",\"scope\":\"Device\","
                     "\"direction\":\"Downstream\",\"description\":\"per device\"}}",
                     201);
    json_t *l = json_object_get(j, "ledger");
    assert_string_equal(jstr(l, "name"), "settings");
    assert_string_equal(jstr(l, "scope"), "Device");
    assert_string_equal(jstr(l, "direction"), "Downstream");
    assert_string_equal(jstr(l, "description"), "per device");
    assert_non_null(jstr(l, "created_at"));
    assert_true(json_is_null(json_object_get(l, "archived_at")));
    json_decref(j);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"totals\",\"scope\":\"Owner\",\"direction\":\"Upstream\"}}",
            201);
    /* duplicates and bad fields: refused, nothing added */
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"settings\",\"scope\":\"Owner\",\"direction\":\"Upstream\"}}",
            409);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"Bad Name\",\"scope\":\"Owner\",\"direction\":\"Upstream\"}}",
            400);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"x\",\"scope\":\"Fleet\",\"direction\":\"Upstream\"}}", 400);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"x\",\"scope\":\"Owner\",\"direction\":\"Sideways\"}}", 400);
    call_ok(t, "POST", "/v1/ledgers", "{\"name\":\"x\"}", 400);
    call_ok(t, "POST", "/v1/ledgers", "{\"ledger\":", 400);
    j = call(t, "GET", "/v1/ledgers", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "ledger_definitions")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "meta"), "total")), 2);
    json_decref(j);
    j = call(t, "GET", "/v1/ledgers?scope=Owner&per_page=1&page=1", NULL, 200);
    l = json_array_get(json_object_get(j, "ledger_definitions"), 0);
    assert_string_equal(jstr(l, "name"), "totals");
    json_decref(j);
    j = call(t, "GET", "/v1/ledgers?per_page=1&page=2", NULL, 200);
    assert_string_equal(jstr(json_array_get(json_object_get(j, "ledger_definitions"), 0), "name"),
                        "totals");
    json_decref(j);
    call_ok(t, "GET", "/v1/ledgers?per_page=0", NULL, 400);
    call_ok(t, "GET", "/v1/ledgers?scope=Fleet", NULL, 400);
    /* update: the description only */
    j = call(t, "PUT", "/v1/ledgers/settings", "{\"ledger\":{\"description\":\"changed\"}}", 200);
    assert_string_equal(jstr(json_object_get(j, "ledger"), "description"), "changed");
    json_decref(j);
    call_ok(t, "PUT", "/v1/ledgers/settings", "{\"ledger\":{\"scope\":\"Owner\"}}", 400);
    call_ok(t, "PUT", "/v1/ledgers/nope", "{\"ledger\":{\"description\":\"x\"}}", 404);
    j = call(t, "GET", "/v1/ledgers/settings", NULL, 200);
    assert_string_equal(jstr(json_object_get(j, "ledger"), "description"), "changed");
    assert_string_equal(jstr(json_object_get(j, "ledger"), "scope"), "Device");
    json_decref(j);
    /* archive: listed only with archived=true */
    call_ok(t, "DELETE", "/v1/ledgers/settings", NULL, 204);
    call_ok(t, "DELETE", "/v1/ledgers/nope", NULL, 404);
    j = call(t, "GET", "/v1/ledgers", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "ledger_definitions")), 1);
    json_decref(j);
    j = call(t, "GET", "/v1/ledgers?archived=true", NULL, 200);
    l = json_array_get(json_object_get(j, "ledger_definitions"), 0);
    assert_string_equal(jstr(l, "name"), "settings");
    assert_non_null(jstr(l, "archived_at"));
    json_decref(j);
    /* an organization's ledgers are its own */
    j = call(t, "GET", "/v1/orgs/acme/ledgers", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "ledger_definitions")), 0);
    json_decref(j);
    call_ok(t, "GET", "/v1/orgs/nope/ledgers", NULL, 404);
    sim_test_stop(t);
}

static void test_instances_and_versions(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char dev[SIM_DEVICE_ID_LEN + 1], path[256], vpath[512];
    demo_device(t, dev);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"config\",\"scope\":\"Device\",\"direction\":\"Downstream\"}}",
            201);
    snprintf(path, sizeof(path), "/v1/ledgers/config/instances/%s", dev);
    call_ok(t, "GET", path, NULL, 404);
    json_t *j = call(t, "PUT", path, "{\"instance\":{\"data\":{\"a\":1,\"b\":2}}}", 200);
    json_t *inst = json_object_get(j, "instance");
    assert_string_equal(jstr(inst, "name"), "config");
    assert_string_equal(jstr(json_object_get(inst, "scope"), "type"), "Device");
    assert_string_equal(jstr(json_object_get(inst, "scope"), "value"), dev);
    assert_int_equal(json_integer_value(json_object_get(inst, "size_bytes")), 13);
    json_decref(j);
    char merge[300];
    snprintf(merge, sizeof(merge), "%s?set_mode=Merge", path);
    j = call(t, "PUT", merge, "{\"instance\":{\"data\":{\"b\":3,\"c\":4}}}", 200);
    assert_data(j, json_pack("{s:i,s:i,s:i}", "a", 1, "b", 3, "c", 4));
    json_decref(j);
    call_ok(t, "POST", "/sim/clock/advance", "{\"ms\":60000}", 200);
    j = call(t, "PUT", path, "{\"instance\":{\"data\":{\"z\":true}}}", 200); /* Replace */
    assert_data(j, json_pack("{s:b}", "z", 1));
    json_decref(j);
    /* bad input changes nothing */
    call_ok(t, "PUT", path, "{\"instance\":{\"data\":[1]}}", 400);
    call_ok(t, "PUT", path, "{\"instance\":", 400);
    snprintf(merge, sizeof(merge), "%s?set_mode=Sometimes", path);
    call_ok(t, "PUT", merge, "{\"instance\":{\"data\":{}}}", 400);
    char big[SIM_LEDGER_DATA_MAX + 64];
    snprintf(big, sizeof(big), "{\"instance\":{\"data\":{\"k\":\"%0*d\"}}}", SIM_LEDGER_DATA_MAX,
             0);
    call_ok(t, "PUT", path, big, 413);
    /* a body over the server's 1 MiB cap: 413 from the HTTP layer, a JSON error too */
    size_t huge_len = 1100 * 1024;
    char *huge = malloc(huge_len + 1);
    assert_non_null(huge);
    memset(huge, ' ', huge_len);
    static const char head[] = "{\"instance\":{\"data\":{}}}";
    memcpy(huge, head, sizeof(head) - 1);
    huge[huge_len] = '\0';
    call_ok(t, "PUT", path, huge, 413);
    free(huge);
    call_ok(t, "PUT", "/v1/ledgers/config/instances/0123456789abcdef01234567",
            "{\"instance\":{\"data\":{}}}", 403); /* not a device of the sandbox */
    j = call(t, "GET", path, NULL, 200);
    assert_data(j, json_pack("{s:b}", "z", 1));
    json_decref(j);
    /* two versions: the data each set replaced, newest first */
    snprintf(vpath, sizeof(vpath), "%s/versions", path);
    j = call(t, "GET", vpath, NULL, 200);
    json_t *versions = json_object_get(j, "versions");
    assert_int_equal(json_array_size(versions), 2);
    assert_string_equal(jstr(json_array_get(versions, 0), "version"), "2");
    assert_string_equal(jstr(json_array_get(versions, 1), "version"), "1");
    assert_false(json_is_true(json_object_get(json_object_get(j, "meta"), "has_more")));
    char newest_replaced[64];
    pu_strlcpy(newest_replaced, jstr(json_array_get(versions, 0), "replaced_at"),
               sizeof(newest_replaced));
    json_decref(j);
    snprintf(vpath, sizeof(vpath), "%s/versions?replaced_before=%s", path, newest_replaced);
    j = call(t, "GET", vpath, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "versions")), 1);
    json_decref(j);
    snprintf(vpath, sizeof(vpath), "%s/versions?replaced_after=%s", path, newest_replaced);
    j = call(t, "GET", vpath, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "versions")), 0);
    json_decref(j);
    snprintf(vpath, sizeof(vpath), "%s/versions?replaced_after=yesterday", path);
    call_ok(t, "GET", vpath, NULL, 400);
    snprintf(vpath, sizeof(vpath), "%s/versions/1", path);
    j = call(t, "GET", vpath, NULL, 200);
    assert_data(j, json_pack("{s:i,s:i}", "a", 1, "b", 2));
    json_decref(j);
    snprintf(vpath, sizeof(vpath), "%s/versions/9", path);
    call_ok(t, "GET", vpath, NULL, 404);
    j = call(t, "GET", "/v1/ledgers/config/instances", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "instances")), 1);
    json_decref(j);
    /* delete; an archived ledger takes no more sets */
    call_ok(t, "DELETE", path, NULL, 204);
    call_ok(t, "DELETE", path, NULL, 404);
    call_ok(t, "DELETE", "/v1/ledgers/config", NULL, 204);
    call_ok(t, "PUT", path, "{\"instance\":{\"data\":{}}}", 400);
    sim_test_stop(t);
}

static void test_versions_kept(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"mine\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}",
            201);
    for (int i = 0; i < SIM_LEDGER_VERSIONS_KEPT + 5; i++) {
        char body[64];
        snprintf(body, sizeof(body), "{\"instance\":{\"data\":{\"n\":%d}}}", i);
        call_ok(t, "PUT", "/v1/ledgers/mine/instances/demo%40example.com", body, 200);
        call_ok(t, "POST", "/sim/clock/advance", "{\"ms\":1000}", 200);
    }
    json_t *j = call(t, "GET", "/v1/ledgers/mine/instances/demo%40example.com/versions", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "versions")), SIM_LEDGER_VERSION_PAGE);
    assert_true(json_is_true(json_object_get(json_object_get(j, "meta"), "has_more")));
    json_decref(j);
    /* 25 sets made versions 1 to 24: the newest 20 are kept, 5 to 24 */
    call_ok(t, "GET", "/v1/ledgers/mine/instances/demo%40example.com/versions/4", NULL, 404);
    call_ok(t, "GET", "/v1/ledgers/mine/instances/demo%40example.com/versions/5", NULL, 200);
    call_ok(t, "GET", "/v1/ledgers/mine/instances/someone-else/versions", NULL, 403);
    sim_test_stop(t);
}

static void test_device_side(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char dev[SIM_DEVICE_ID_LEN + 1], path[256], api[256];
    demo_device(t, dev);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"readings\",\"scope\":\"Device\",\"direction\":\"Upstream\"}}",
            201);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"config\",\"scope\":\"Device\",\"direction\":\"Downstream\"}}",
            201);
    /* the device writes its device-to-cloud ledger; the API reads it and may not write it */
    snprintf(path, sizeof(path), "/sim/devices/%s/ledgers/readings", dev);
    call_ok(t, "PUT", path, "{\"data\":{\"temp\":21.5}}", 200);
    snprintf(api, sizeof(api), "/v1/ledgers/readings/instances/%s", dev);
    json_t *j = call(t, "GET", api, NULL, 200);
    assert_true(json_real_value(json_object_get(
                    json_object_get(json_object_get(j, "instance"), "data"), "temp")) == 21.5);
    json_decref(j);
    call_ok(t, "PUT", api, "{\"instance\":{\"data\":{}}}", 403);
    /* the cloud writes the cloud-to-device one; the device reads it and may not write it */
    snprintf(api, sizeof(api), "/v1/ledgers/config/instances/%s", dev);
    call_ok(t, "PUT", api, "{\"instance\":{\"data\":{\"interval\":60}}}", 200);
    snprintf(path, sizeof(path), "/sim/devices/%s/ledgers/config", dev);
    j = call(t, "GET", path, NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(j, "instance"), "data"), "interval")),
                     60);
    json_decref(j);
    call_ok(t, "PUT", path, "{\"data\":{\"interval\":1}}", 403);
    call_ok(t, "PUT", path, "{\"data\":7}", 400);
    snprintf(path, sizeof(path), "/sim/devices/%s/ledgers/nope", dev);
    call_ok(t, "PUT", path, "{\"data\":{}}", 404);
    call_ok(t, "PUT", "/sim/devices/000000000000000000000000/ledgers/config", "{\"data\":{}}", 404);
    j = call(t, "GET", api, NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(j, "instance"), "data"), "interval")),
                     60);
    json_decref(j);
    sim_test_stop(t);
}

/* An organization's Product-scoped ledger: its products only, by id or slug. */
static void test_org_scopes(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    call_ok(t, "POST", "/v1/orgs/acme/ledgers",
            "{\"ledger\":{\"name\":\"fleet\",\"scope\":\"Product\",\"direction\":\"Downstream\"}}",
            201);
    json_t *j = call(t, "PUT", "/v1/orgs/acme/ledgers/fleet/instances/asset-tracker",
                     "{\"instance\":{\"data\":{\"v\":1}}}", 200);
    assert_string_equal(jstr(json_object_get(json_object_get(j, "instance"), "scope"), "value"),
                        "10001");
    json_decref(j);
    call_ok(t, "GET", "/v1/orgs/acme/ledgers/fleet/instances/10001", NULL, 200);
    call_ok(t, "GET", "/v1/orgs/acme/ledgers/fleet/instances/99999", NULL, 403);
    call_ok(t, "GET", "/v1/ledgers/fleet", NULL, 404); /* not in the sandbox */
    call_ok(t, "POST", "/v1/orgs/acme/ledgers",
            "{\"ledger\":{\"name\":\"org\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}",
            201);
    char path[128];
    snprintf(path, sizeof(path), "/v1/orgs/acme/ledgers/org/instances/%s", ORG);
    call_ok(t, "PUT", path, "{\"instance\":{\"data\":{}}}", 200);
    call_ok(t, "GET", "/v1/orgs/acme/ledgers/org/instances/acme", NULL, 200);
    sim_test_stop(t);
}

static void test_reset_and_state(void **state)
{
    (void)state;
    char file[] = "/tmp/sim-ledgers-XXXXXX";
    sim_server_options o = sim_test_state_options(file);
    sim_test *t = sim_test_start(&o);
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"kept\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}",
            201);
    call_ok(t, "PUT", "/v1/ledgers/kept/instances/demo%40example.com",
            "{\"instance\":{\"data\":{\"a\":1}}}", 200);
    call_ok(t, "PUT", "/v1/ledgers/kept/instances/demo%40example.com",
            "{\"instance\":{\"data\":{\"a\":2}}}", 200);
    sim_test_stop(t);
    t = sim_test_start(&o);
    json_t *j = call(t, "GET", "/v1/ledgers/kept/instances/demo%40example.com", NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(j, "instance"), "data"), "a")),
                     2);
    json_decref(j);
    call_ok(t, "GET", "/v1/ledgers/kept/instances/demo%40example.com/versions/1", NULL, 200);
    call_ok(t, "POST", "/sim/reset", NULL, 200);
    call_ok(t, "GET", "/v1/ledgers/kept", NULL, 404);
    sim_test_stop(t);
    t = sim_test_start(&o);
    call_ok(t, "GET", "/v1/ledgers/kept", NULL, 404);
    sim_test_stop(t);
    unlink(file);
}

/* A device of product @p product_id into @p id. */
static void product_device(const sim_test *t, unsigned int product_id,
                           char id[SIM_DEVICE_ID_LEN + 1])
{
    sim_model *m = sim_server_model(t->srv);
    sim_model_lock(m);
    id[0] = '\0';
    for (uint32_t i = 0; i < m->device_count && !id[0]; i++)
        if (m->devices[i].product != SIM_NONE &&
            m->products[m->devices[i].product].id == product_id)
            pu_strlcpy(id, m->devices[i].id, SIM_DEVICE_ID_LEN + 1);
    sim_model_unlock(m);
    assert_true(id[0] != '\0');
}

/* /v1/products/:product/ledgers: the product's organization's ledgers, scope values limited
 * to that product and its devices, the product's access rules. */
static void test_product_routes(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char mine[SIM_DEVICE_ID_LEN + 1], other[SIM_DEVICE_ID_LEN + 1], path[256];
    product_device(t, 10001, mine);
    product_device(t, 10002, other);
    call_ok(t, "POST", "/v1/products/10001/ledgers",
            "{\"ledger\":{\"name\":\"fleet\",\"scope\":\"Product\",\"direction\":\"Downstream\"}}",
            201);
    call_ok(t, "POST", "/v1/products/asset-tracker/ledgers",
            "{\"ledger\":{\"name\":\"per-device\",\"scope\":\"Device\","
            "\"direction\":\"Downstream\"}}",
            201);
    /* the same ledgers as the organization's */
    call_ok(t, "GET", "/v1/orgs/acme/ledgers/fleet", NULL, 200);
    json_t *j = call(t, "GET", "/v1/products/10001/ledgers", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "ledger_definitions")), 2);
    json_decref(j);
    call_ok(t, "PUT", "/v1/products/10001/ledgers/fleet",
            "{\"ledger\":{\"description\":\"through the product\"}}", 200);
    /* scope values: this product and its devices only */
    call_ok(t, "PUT", "/v1/products/10001/ledgers/fleet/instances/10001",
            "{\"instance\":{\"data\":{\"a\":1}}}", 200);
    call_ok(t, "PUT", "/v1/products/10001/ledgers/fleet/instances/10002",
            "{\"instance\":{\"data\":{\"a\":1}}}", 403);
    call_ok(t, "PUT", "/v1/orgs/acme/ledgers/fleet/instances/10002",
            "{\"instance\":{\"data\":{\"a\":2}}}", 200);
    snprintf(path, sizeof(path), "/v1/products/10001/ledgers/per-device/instances/%s", mine);
    call_ok(t, "PUT", path, "{\"instance\":{\"data\":{\"b\":1}}}", 200);
    call_ok(t, "GET", path, NULL, 200);
    snprintf(path, sizeof(path), "/v1/products/10001/ledgers/per-device/instances/%s", other);
    call_ok(t, "PUT", path, "{\"instance\":{\"data\":{\"b\":1}}}", 403);
    j = call(t, "GET", "/v1/products/10001/ledgers/fleet/instances/10001", NULL, 200);
    assert_data(j, json_pack("{s:i}", "a", 1));
    json_decref(j);
    call_ok(t, "GET", "/v1/products/10001/ledgers/fleet/instances/10001/versions", NULL, 200);
    /* who may call: the product's rules */
    http_reply r = sim_req(t, "GET", "/v1/products/10001/ledgers", OTHER_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    call_ok(t, "GET", "/v1/products/99999/ledgers", NULL, 404);
    call_ok(t, "DELETE", "/v1/products/10001/ledgers/fleet", NULL, 204);
    call_ok(t, "GET", "/v1/orgs/acme/ledgers?archived=true", NULL, 200);
    sim_test_stop(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_definitions),    cmocka_unit_test(test_instances_and_versions),
        cmocka_unit_test(test_versions_kept),  cmocka_unit_test(test_device_side),
        cmocka_unit_test(test_org_scopes),     cmocka_unit_test(test_reset_and_state),
        cmocka_unit_test(test_product_routes),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
