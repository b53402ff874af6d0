/*
 * particle-sim POST /v1/products/:product/devices over loopback HTTP (reference/cloud-api.md
 * §5.4): the answer's exact shape, how each id is sorted (updated, existing, nonmember,
 * invalid), the move into the product as the listings then show it, quarantine approval,
 * JSON and form bodies, claim_user, and who may call it. A fresh simulator per test, so no
 * test sees another's imports.
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

/* The id of device @p name, read through @p path_prefix ("/v1/devices/" or a product's). */
static void device_id(const char *path_prefix, const char *name, char out[25])
{
    char path[256];
    snprintf(path, sizeof(path), "%s%s", path_prefix, name);
    http_reply r = sim_req(T, "GET", path, DEMO_TOKEN, NULL, NULL);
    json_t *d = sim_json(&r, 200);
    assert_non_null(jstr(d, "id"));
    snprintf(out, 25, "%s", jstr(d, "id"));
    json_decref(d);
    http_reply_dispose(&r);
}

/* POST the import with @p body (JSON unless @p content_type says otherwise) and @p query
 * (NULL = none); returns the answer after checking @p status. */
static json_t *import_q(const char *product, const char *query, const char *token,
                        const char *content_type, const char *body, long status)
{
    char path[256];
    snprintf(path, sizeof(path), "/v1/products/%s/devices%s%s", product, query ? "?" : "",
             query ? query : "");
    http_reply r = sim_req(T, "POST", path, token, content_type ? content_type : JSON_CT, body);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static json_t *import(const char *product, const char *token, const char *content_type,
                      const char *body, long status)
{
    return import_q(product, NULL, token, content_type, body, status);
}

/* The compact text of @p j, for exact comparisons (caller frees). */
static char *text_of(const json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    assert_non_null(s);
    return s;
}

static void assert_json_text(json_t *j, const char *expected)
{
    char *s = text_of(j);
    if (strcmp(s, expected) != 0)
        fail_msg("expected %s\n     got %s", expected, s);
    free(s);
}

/* GET a device through a product's route: the device object, or NULL on 403. */
static json_t *product_device(const char *product, const char *id)
{
    char path[256];
    snprintf(path, sizeof(path), "/v1/products/%s/devices/%s", product, id);
    http_reply r = sim_req(T, "GET", path, DEMO_TOKEN, NULL, NULL);
    json_t *j = r.status == 200 ? sim_json(&r, 200) : NULL;
    if (r.status != 200 && r.status != 403)
        fail_msg("GET %s: HTTP %ld", path, r.status);
    http_reply_dispose(&r);
    return j;
}

static void test_one_id_moves_a_developer_device(void **state)
{
    (void)state;
    char id[25], body[128], expected[512];
    device_id("/v1/devices/", "demo-boron-1", id);
    assert_null(product_device("asset-tracker", id));

    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
    json_t *j = import("asset-tracker", DEMO_TOKEN, NULL, body, 200);
    snprintf(expected, sizeof(expected),
             "{\"updated\":1,\"updatedDeviceIds\":[\"%s\"],\"existingDeviceIds\":[],"
             "\"nonmemberDeviceIds\":[],\"invalidDeviceIds\":[],\"protectedDeviceIds\":[]}",
             id);
    assert_json_text(j, expected);
    json_decref(j);

    /* now a product device with no groups, still owned by demo */
    json_t *d = product_device("10001", id);
    assert_non_null(d);
    assert_int_equal(json_integer_value(json_object_get(d, "product_id")), 10001);
    assert_int_equal(json_array_size(json_object_get(d, "groups")), 0);
    assert_true(json_is_false(json_object_get(d, "quarantined")));
    json_decref(d);
    http_reply r = sim_req(T, "GET", "/v1/devices/demo-boron-1", DEMO_TOKEN, NULL, NULL);
    d = sim_json(&r, 200);
    assert_int_equal(json_integer_value(json_object_get(d, "product_id")), 10001);
    json_decref(d);
    http_reply_dispose(&r);

    /* a second import changes nothing */
    j = import("asset-tracker", DEMO_TOKEN, NULL, body, 200);
    snprintf(expected, sizeof(expected),
             "{\"updated\":0,\"updatedDeviceIds\":[],\"existingDeviceIds\":[\"%s\"],"
             "\"nonmemberDeviceIds\":[],\"invalidDeviceIds\":[],\"protectedDeviceIds\":[]}",
             id);
    assert_json_text(j, expected);
    json_decref(j);
}

static void test_each_id_is_sorted(void **state)
{
    (void)state;
    char env1[25], argon[25], boron[25], other[25], body[1024], expected[1024];
    device_id("/v1/products/env-sensors/devices/", "env-1", env1);
    device_id("/v1/devices/", "demo-argon-1", argon);
    device_id("/v1/devices/", "demo-boron-1", boron);
    /* other@example.com's device, read with their token */
    http_reply r = sim_req(T, "GET", "/v1/devices/other-argon-1", OTHER_TOKEN, NULL, NULL);
    json_t *d = sim_json(&r, 200);
    snprintf(other, sizeof(other), "%s", jstr(d, "id"));
    json_decref(d);
    http_reply_dispose(&r);

    char upper[25];
    for (size_t i = 0; i < 25; i++)
        upper[i] = (char)(argon[i] >= 'a' && argon[i] <= 'f' ? argon[i] - 'a' + 'A' : argon[i]);
    /* existing, unknown hex, not an id, nonmember, updated (upper case), other platform,
     * the same device again */
    snprintf(body, sizeof(body),
             "{\"ids\":[\"%s\",\"ffffffffffffffffffffffff\",\"not-an-id\",\"%s\",\"%s\",\"%s\","
             "\"%s\"],\"import_sims\":true}",
             env1, other, upper, boron, argon);
    json_t *j = import("env-sensors", DEMO_TOKEN, NULL, body, 200);
    snprintf(expected, sizeof(expected),
             "{\"updated\":1,\"updatedDeviceIds\":[\"%s\"],\"existingDeviceIds\":[\"%s\",\"%s\"],"
             "\"nonmemberDeviceIds\":[\"%s\"],\"invalidDeviceIds\":[\"ffffffffffffffffffffffff\","
             "\"not-an-id\",\"%s\"],\"protectedDeviceIds\":[]}",
             argon, env1, argon, other, boron);
    assert_json_text(j, expected);
    json_decref(j);

    /* only the updated device moved */
    d = product_device("env-sensors", argon);
    assert_non_null(d);
    json_decref(d);
    assert_null(product_device("env-sensors", other));
    assert_null(product_device("env-sensors", boron));
}

static void test_form_body_and_product_token(void **state)
{
    (void)state;
    char argon[25], body[256];
    device_id("/v1/devices/", "demo-argon-1", argon);
    http_reply r = sim_req(T, "POST", "/oauth/token", NULL, FORM,
                           "grant_type=client_credentials&client_id=env-sensors-client&"
                           "client_secret=env-sensors-secret");
    json_t *tok = sim_json(&r, 200);
    http_reply_dispose(&r);
    const char *ptoken = jstr(tok, "access_token");
    assert_non_null(ptoken);

    snprintf(body, sizeof(body), "ids[]=%s&ids[]=0000", argon);
    json_t *j = import("env-sensors", ptoken, FORM, body, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "updated")), 1);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(j, "updatedDeviceIds"), 0)), argon);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(j, "invalidDeviceIds"), 0)), "0000");
    json_decref(j);

    /* a plain form id= too; a product token of another product may not import here */
    snprintf(body, sizeof(body), "id=%s", argon);
    j = import("env-sensors", ptoken, FORM, body, 200);
    assert_int_equal(json_array_size(json_object_get(j, "existingDeviceIds")), 1);
    json_decref(j);
    j = import("asset-tracker", ptoken, FORM, body, 403);
    assert_string_equal(jstr(j, "error"), "Permission Denied");
    json_decref(j);
    json_decref(tok);
}

static void test_approves_a_quarantined_device(void **state)
{
    (void)state;
    char id[25], body[128];
    http_reply r = sim_req(T, "GET", "/v1/products/asset-tracker/devices?quarantined=true",
                           DEMO_TOKEN, NULL, NULL);
    json_t *list = sim_json(&r, 200);
    http_reply_dispose(&r);
    json_t *devices = json_object_get(list, "devices");
    size_t before = json_array_size(devices);
    assert_true(before >= 1);
    json_t *q = json_array_get(devices, 0);
    snprintf(id, sizeof(id), "%s", jstr(q, "id"));
    size_t groups = json_array_size(json_object_get(q, "groups"));
    assert_true(groups >= 1);
    json_decref(list);

    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
    json_t *j = import("asset-tracker", DEMO_TOKEN, NULL, body, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "updated")), 1);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(j, "updatedDeviceIds"), 0)), id);
    json_decref(j);

    json_t *d = product_device("asset-tracker", id);
    assert_true(json_is_false(json_object_get(d, "quarantined")));
    /* approval keeps the device's groups: it never left the product */
    assert_int_equal(json_array_size(json_object_get(d, "groups")), groups);
    json_decref(d);
    r = sim_req(T, "GET", "/v1/products/asset-tracker/devices?quarantined=true", DEMO_TOKEN, NULL,
                NULL);
    list = sim_json(&r, 200);
    assert_int_equal(json_array_size(json_object_get(list, "devices")), before - 1);
    json_decref(list);
    http_reply_dispose(&r);
}

/* DELETE with {"deny": true} denies a quarantined device (§9.7): it leaves the lists; denying
 * an approved device, or a deny that is not a boolean, is 400 and changes nothing. */
static void test_denies_a_quarantined_device(void **state)
{
    (void)state;
    http_reply r = sim_req(T, "DELETE", "/v1/products/asset-tracker/devices/tracker-1", DEMO_TOKEN,
                           JSON_CT, "{\"deny\":true}");
    json_t *j = sim_json(&r, 400);
    assert_string_equal(jstr(j, "error"), "Only a quarantined device can be denied");
    json_decref(j);
    http_reply_dispose(&r);
    r = sim_req(T, "DELETE", "/v1/products/asset-tracker/devices/tracker-5", DEMO_TOKEN, JSON_CT,
                "{\"deny\":\"perhaps\"}");
    json_decref(sim_json(&r, 400));
    http_reply_dispose(&r);
    json_t *d = product_device("asset-tracker", "tracker-5");
    assert_true(json_is_true(json_object_get(d, "quarantined")));
    json_decref(d);
    d = product_device("asset-tracker", "tracker-1");
    assert_true(json_is_false(json_object_get(d, "denied")));
    json_decref(d);

    r = sim_req(T, "DELETE", "/v1/products/asset-tracker/devices/tracker-5", DEMO_TOKEN, JSON_CT,
                "{\"deny\":true}");
    assert_int_equal(r.status, 204);
    http_reply_dispose(&r);
    d = product_device("asset-tracker", "tracker-5");
    assert_true(json_is_true(json_object_get(d, "denied")));
    assert_true(json_is_false(json_object_get(d, "quarantined")));
    json_decref(d);
    r = sim_req(T, "GET", "/v1/products/asset-tracker/devices?per_page=100&deviceName=tracker-5",
                DEMO_TOKEN, NULL, NULL);
    j = sim_json(&r, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 0); /* denied: not listed */
    json_decref(j);
    http_reply_dispose(&r);
}

/* A device of another product moves over (same platform), leaving its customer and groups. */
static void test_moves_between_products(void **state)
{
    (void)state;
    char id[25], body[128];
    device_id("/v1/products/asset-tracker/devices/", "customer-tracker", id);
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    uint32_t spare = sim_model_add_product(m, 10003, "spare-trackers", "Spare", 13, true);
    sim_model_add_team_member(m, spare, sim_model_find_user(m, "demo@example.com"));
    sim_model_unlock(m);

    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
    json_t *j = import("spare-trackers", DEMO_TOKEN, NULL, body, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "updated")), 1);
    json_decref(j);
    assert_null(product_device("asset-tracker", id));
    json_t *d = product_device("spare-trackers", id);
    assert_non_null(d);
    assert_int_equal(json_integer_value(json_object_get(d, "product_id")), 10003);
    assert_int_equal(json_array_size(json_object_get(d, "groups")), 0);
    json_decref(d);
    sim_model_lock(m);
    uint32_t dev = sim_model_find_device_id(m, id);
    assert_int_equal(m->devices[dev].owner, SIM_NONE); /* the customer was asset-tracker's */
    sim_model_unlock(m);
}

static void test_claim_user(void **state)
{
    (void)state;
    char id[25], body[128];
    device_id("/v1/products/asset-tracker/devices/", "tracker-1", id);
    char path[128];
    snprintf(path, sizeof(path), "/v1/products/asset-tracker/devices/%s", id);
    http_reply r = sim_req(T, "DELETE", path, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 204);
    http_reply_dispose(&r);

    /* back in, claimed by a team member named in the query string */
    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
    json_t *j =
        import_q("asset-tracker", "claim_user=nobody%40example.com", DEMO_TOKEN, NULL, body, 400);
    assert_string_equal(jstr(j, "error"), "claim_user is not a member of the product team");
    json_decref(j);
    j = import_q("asset-tracker", "claim_user=other%40example.com", DEMO_TOKEN, NULL, body, 400);
    json_decref(j);
    j = import_q("asset-tracker", "claim_user=demo%40example.com", DEMO_TOKEN, NULL, body, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "updated")), 1);
    json_decref(j);
    r = sim_req(T, "GET", "/v1/devices/tracker-1", DEMO_TOKEN, NULL, NULL);
    json_t *d = sim_json(&r, 200);
    assert_string_equal(jstr(d, "id"), id);
    json_decref(d);
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/devices", DEMO_TOKEN, NULL, NULL);
    assert_non_null(strstr(r.body, id)); /* in demo's own list now */
    http_reply_dispose(&r);
}

static void test_who_may_import_and_bad_bodies(void **state)
{
    (void)state;
    const char *body = "{\"id\":\"ffffffffffffffffffffffff\"}";
    json_t *j = import("no-such-product", DEMO_TOKEN, NULL, body, 404);
    assert_json_text(j, "{\"ok\":false,\"error\":\"Product not found\"}");
    json_decref(j);
    j = import("asset-tracker", OTHER_TOKEN, NULL, body, 403);
    assert_string_equal(jstr(j, "error"), "Permission Denied");
    json_decref(j);
    j = import("asset-tracker", NULL, NULL, body, 400);
    assert_string_equal(jstr(j, "error"), "invalid_request");
    json_decref(j);
    j = import("asset-tracker", "0000000000000000000000000000000000000000", NULL, body, 401);
    json_decref(j);
    /* a customer token may not import */
    http_reply r =
        sim_req(T, "POST", "/oauth/token", NULL, FORM,
                "grant_type=client_credentials&client_id=asset-tracker-client&"
                "client_secret=asset-tracker-secret&scope=customer%3Dcustomer%40example.com");
    json_t *tok = sim_json(&r, 200);
    http_reply_dispose(&r);
    j = import("asset-tracker", jstr(tok, "access_token"), NULL, body, 403);
    json_decref(j);
    json_decref(tok);

    const char *bad[] = {"{}",           "{\"id\":5}",    "{\"ids\":\"\"}",
                         "{\"ids\":[]}", "{\"ids\":[1]}", "{\"ids\":{\"a\":\"b\"}}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        j = import("asset-tracker", DEMO_TOKEN, NULL, bad[i], 400);
        assert_true(json_is_false(json_object_get(j, "ok")));
        assert_non_null(jstr(j, "error"));
        json_decref(j);
    }
    /* the device list is untouched by all of the above */
    r = sim_req(T, "GET", "/v1/products/asset-tracker/devices?per_page=100", DEMO_TOKEN, NULL,
                NULL);
    j = sim_json(&r, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 13);
    json_decref(j);
    http_reply_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_id_moves_a_developer_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_id_is_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_body_and_product_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_approves_a_quarantined_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_denies_a_quarantined_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_moves_between_products, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_may_import_and_bad_bodies, setup, teardown),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
