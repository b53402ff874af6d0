/*
 * particle-sim device groups over loopback HTTP (reference/cloud-api.md §9.5): list with the
 * name filter, get, create (201), update (rename, recolor, description), delete (204, the
 * devices leave the group), the batch assignment PUT /v1/products/:p/devices, the ?groups=
 * filter, device_count, and bad input: a 4xx with a JSON error and nothing changed. A fresh
 * simulator per test.
 */
#include "model/sim_groups.h"
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

/* @p method @p path with a JSON @p body (may be NULL) as the demo user; asserts @p status and
 * returns the JSON answer (NULL for a 204). */
static json_t *call(const char *method, const char *path, const char *body, long status)
{
    http_reply r = sim_req(T, method, path, DEMO_TOKEN, body ? JSON_CT : NULL, body);
    json_t *j = NULL;
    if (status == 204) {
        assert_int_equal(r.status, 204);
        assert_string_equal(r.body ? r.body : "", "");
    } else {
        j = sim_json(&r, status);
    }
    http_reply_dispose(&r);
    return j;
}

/* A refused call: @p status and {"ok":false,"error":...} naming @p error_part. */
static void refused(const char *method, const char *path, const char *body, long status,
                    const char *error_part)
{
    json_t *j = call(method, path, body, status);
    assert_true(json_is_string(json_object_get(j, "error")));
    if (error_part && !strstr(jstr(j, "error"), error_part))
        fail_msg("%s %s: error \"%s\" lacks \"%s\"", method, path, jstr(j, "error"), error_part);
    json_decref(j);
}

/* The compact JSON text of GET @p path, for nothing-changed comparisons (caller frees). */
static char *snapshot(const char *path)
{
    json_t *j = call("GET", path, NULL, 200);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

/* Every product device's id and groups (what a batch may change), as text (caller frees). */
static char *membership_snapshot(void)
{
    json_t *j =
        call("GET", "/v1/products/asset-tracker/devices?per_page=100&sortAttr=deviceId", NULL, 200);
    json_t *out = json_object();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(j, "devices"), i, d)
    {
        json_object_set(out, jstr(d, "id"), json_object_get(d, "groups"));
    }
    json_decref(j);
    char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(out);
    return s;
}

static void assert_unchanged(const char *path, char *before)
{
    char *after = snapshot(path);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* The names of device @p name's groups, comma-joined, into @p out. */
static const char *device_groups(const char *name, char *out, size_t size)
{
    char path[256];
    snprintf(path, sizeof(path), "/v1/products/asset-tracker/devices/%s", name);
    json_t *d = call("GET", path, NULL, 200);
    out[0] = '\0';
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(d, "groups"), i, g)
    {
        strncat(out, i ? "," : "", size - strlen(out) - 1);
        strncat(out, json_string_value(g), size - strlen(out) - 1);
    }
    json_decref(d);
    return out;
}

static const char *device_id(const char *name, char out[25])
{
    char path[256];
    snprintf(path, sizeof(path), "/v1/products/asset-tracker/devices/%s", name);
    json_t *d = call("GET", path, NULL, 200);
    snprintf(out, 25, "%s", jstr(d, "id"));
    json_decref(d);
    return out;
}

static void test_list_get_filter(void **state)
{
    (void)state;
    json_t *j = call("GET", "/v1/products/asset-tracker/groups", NULL, 200);
    json_t *groups = json_object_get(j, "groups");
    assert_int_equal(json_array_size(groups), 4);
    json_t *europe = json_array_get(groups, 0);
    assert_string_equal(jstr(europe, "name"), "europe");
    assert_string_equal(jstr(europe, "color"), SIM_GROUP_DEFAULT_COLOR);
    assert_null(json_object_get(europe, "description"));
    assert_null(json_object_get(europe, "fw_version")); /* no release to the group */
    /* tracker-1..12 cycle europe, asia, americas, europe+asia */
    assert_int_equal(json_integer_value(json_object_get(europe, "device_count")), 6);
    json_t *pilot = json_array_get(groups, 3);
    assert_string_equal(jstr(pilot, "name"), "pilot-fleet");
    assert_string_equal(jstr(pilot, "description"), "Trackers in the pilot programme");
    assert_string_equal(jstr(pilot, "color"), "#e74c3c");
    json_decref(j);

    j = call("GET", "/v1/products/10001/groups?name=AS", NULL, 200);    /* partial, any case */
    assert_int_equal(json_array_size(json_object_get(j, "groups")), 2); /* asia, americas */
    json_decref(j);
    j = call("GET", "/v1/products/10001/groups?name=zzz", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "groups")), 0);
    json_decref(j);

    j = call("GET", "/v1/products/10001/groups/americas", NULL, 200);
    json_t *g = json_object_get(j, "group");
    assert_string_equal(jstr(g, "name"), "americas");
    assert_int_equal(json_integer_value(json_object_get(g, "device_count")), 4); /* + customer's */
    json_decref(j);
    refused("GET", "/v1/products/10001/groups/nope", NULL, 404, "Group not found");
    refused("GET", "/v1/products/99999/groups", NULL, 404, "Product not found");
}

static void test_create_and_bad_input(void **state)
{
    (void)state;
    json_t *j =
        call("POST", "/v1/products/asset-tracker/groups",
             "{\"name\":\"beta_2\",\"description\":\"Second beta\",\"color\":\"#112233\"}", 201);
    json_t *g = json_object_get(j, "group");
    assert_string_equal(jstr(g, "name"), "beta_2");
    assert_string_equal(jstr(g, "description"), "Second beta");
    assert_string_equal(jstr(g, "color"), "#112233");
    assert_int_equal(json_integer_value(json_object_get(g, "device_count")), 0);
    json_decref(j);
    /* a form body works too */
    http_reply r =
        sim_req(T, "POST", "/v1/products/asset-tracker/groups", DEMO_TOKEN, FORM, "name=formed");
    assert_int_equal(r.status, 201);
    http_reply_dispose(&r);

    const char *list = "/v1/products/asset-tracker/groups";
    char *before = snapshot(list);
    refused("POST", list, "{\"name\":\"beta_2\"}", 400, "already exists");
    refused("POST", list, "{\"name\":\"Beta\"}", 400, "Invalid group name");
    refused("POST", list, "{\"name\":\"has space\"}", 400, "Invalid group name");
    refused("POST", list, "{\"name\":\"\"}", 400, "Invalid group name");
    char body[256];
    snprintf(body, sizeof(body), "{\"name\":\"%065d\"}", 0); /* 65 characters */
    refused("POST", list, body, 400, "Invalid group name");
    refused("POST", list, "{\"name\":\"ok\",\"color\":\"red\"}", 400, "Invalid color");
    refused("POST", list, "{\"name\":\"ok\",\"description\":\"a\\nb\"}", 400, "description");
    refused("POST", list, "{\"name\":42}", 400, "must be strings");
    refused("POST", list, "{\"color\":\"#000000\"}", 400, "name (required)");
    refused("POST", list, "{\"name\":", 400, "Invalid JSON");
    refused("POST", "/v1/products/99999/groups", "{\"name\":\"x\"}", 404, "Product not found");
    assert_unchanged(list, before);

    /* the product holds at most SIM_MAX_GROUPS: answered clearly, nothing added */
    j = call("GET", list, NULL, 200);
    size_t have = json_array_size(json_object_get(j, "groups"));
    json_decref(j);
    for (size_t i = have; i < SIM_MAX_GROUPS; i++) {
        snprintf(body, sizeof(body), "{\"name\":\"filler-%zu\"}", i);
        json_decref(call("POST", list, body, 201));
    }
    before = snapshot(list);
    refused("POST", list, "{\"name\":\"one-too-many\"}", 400, "most groups");
    assert_unchanged(list, before);
}

static void test_update(void **state)
{
    (void)state;
    char groups[256];
    assert_string_equal(device_groups("tracker-1", groups, sizeof(groups)), "europe");
    json_t *j =
        call("PUT", "/v1/products/asset-tracker/groups/europe",
             "{\"name\":\"europe-west\",\"color\":\"#e74c3c\",\"description\":\"EU\"}", 200);
    json_t *g = json_object_get(j, "group");
    assert_string_equal(jstr(g, "name"), "europe-west");
    assert_string_equal(jstr(g, "color"), "#e74c3c");
    assert_string_equal(jstr(g, "description"), "EU");
    assert_int_equal(json_integer_value(json_object_get(g, "device_count")), 6);
    json_decref(j);
    /* the devices show the new name, and the list filter takes it */
    assert_string_equal(device_groups("tracker-1", groups, sizeof(groups)), "europe-west");
    j = call("GET", "/v1/products/asset-tracker/devices?groups=europe-west&per_page=100", NULL,
             200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 6);
    json_decref(j);
    refused("GET", "/v1/products/asset-tracker/groups/europe", NULL, 404, NULL);
    /* description null removes it */
    j = call("PUT", "/v1/products/asset-tracker/groups/europe-west", "{\"description\":null}", 200);
    assert_null(json_object_get(json_object_get(j, "group"), "description"));
    json_decref(j);

    const char *list = "/v1/products/asset-tracker/groups";
    char *before = snapshot(list);
    refused("PUT", "/v1/products/asset-tracker/groups/europe-west", "{\"name\":\"asia\"}", 400,
            "already exists");
    refused("PUT", "/v1/products/asset-tracker/groups/europe-west", "{\"name\":\"UP\"}", 400,
            "Invalid group name");
    refused("PUT", "/v1/products/asset-tracker/groups/europe-west", "{\"color\":\"#12345\"}", 400,
            "Invalid color");
    refused("PUT", "/v1/products/asset-tracker/groups/europe-west", "{}", 400, "Nothing");
    refused("PUT", "/v1/products/asset-tracker/groups/europe-west", "{\"name\":[1]}", 400,
            "must be strings");
    refused("PUT", "/v1/products/asset-tracker/groups/nope", "{\"name\":\"x\"}", 404, NULL);
    assert_unchanged(list, before);
}

static void test_delete(void **state)
{
    (void)state;
    char groups[256];
    assert_string_equal(device_groups("tracker-4", groups, sizeof(groups)), "europe,asia");
    json_t *j = call("DELETE", "/v1/products/asset-tracker/groups/europe", NULL, 204);
    assert_null(j);
    /* members leave it; the others keep theirs although the bits moved down */
    assert_string_equal(device_groups("tracker-4", groups, sizeof(groups)), "asia");
    assert_string_equal(device_groups("tracker-1", groups, sizeof(groups)), "");
    assert_string_equal(device_groups("tracker-3", groups, sizeof(groups)), "americas");
    j = call("GET", "/v1/products/asset-tracker/groups", NULL, 200);
    json_t *list = json_object_get(j, "groups");
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(jstr(json_array_get(list, 0), "name"), "asia");
    assert_string_equal(jstr(json_array_get(list, 2), "color"), "#e74c3c"); /* pilot-fleet */
    json_decref(j);
    refused("DELETE", "/v1/products/asset-tracker/groups/europe", NULL, 404, "Group not found");
    j = call("GET", "/v1/products/asset-tracker/devices?groups=europe", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "devices")), 0);
    json_decref(j);
}

static void test_batch(void **state)
{
    (void)state;
    char a[25], b[25], body[512], groups[256];
    device_id("tracker-1", a);
    device_id("tracker-2", b);
    snprintf(
        body, sizeof(body),
        "{\"action\":\"groups\",\"devices\":[\"%s\",\"%s\"],"
        "\"metadata\":{\"add\":[\"pilot-fleet\",\"new-one\"],\"remove\":[\"europe\",\"gone\"]}}",
        a, b);
    json_t *j = call("PUT", "/v1/products/asset-tracker/devices", body, 200);
    assert_true(json_is_true(json_object_get(j, "ok")));
    json_decref(j);
    assert_string_equal(device_groups("tracker-1", groups, sizeof(groups)), "pilot-fleet,new-one");
    assert_string_equal(device_groups("tracker-2", groups, sizeof(groups)),
                        "asia,pilot-fleet,new-one");
    j = call("GET", "/v1/products/asset-tracker/groups/new-one", NULL, 200);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "group"), "device_count")), 2);
    json_decref(j);

    /* all or nothing */
    char *before = membership_snapshot();
    char *groups_before = snapshot("/v1/products/asset-tracker/groups");
    const char *path = "/v1/products/asset-tracker/devices";
    snprintf(body, sizeof(body),
             "{\"action\":\"groups\",\"devices\":[\"%s\",\"000000000000000000000000\"],"
             "\"metadata\":{\"add\":[\"another\"]}}",
             a);
    refused("PUT", path, body, 400, "not in this product");
    snprintf(body, sizeof(body),
             "{\"action\":\"groups\",\"devices\":[\"%s\"],\"metadata\":{\"add\":[\"Bad\"]}}", a);
    refused("PUT", path, body, 400, "Invalid group name");
    snprintf(body, sizeof(body),
             "{\"action\":\"rename\",\"devices\":[\"%s\"],\"metadata\":{\"add\":[\"x\"]}}", a);
    refused("PUT", path, body, 400, "action");
    refused("PUT", path, "{\"action\":\"groups\",\"devices\":[],\"metadata\":{\"add\":[\"x\"]}}",
            400, "devices");
    snprintf(body, sizeof(body), "{\"action\":\"groups\",\"devices\":[\"%s\"],\"metadata\":{}}", a);
    refused("PUT", path, body, 400, "metadata");
    refused("PUT", path, "{\"action\":", 400, "Invalid JSON");
    /* a device of another product is not this product's */
    json_t *env = call("GET", "/v1/products/env-sensors/devices/env-1", NULL, 200);
    snprintf(body, sizeof(body),
             "{\"action\":\"groups\",\"devices\":[\"%s\"],\"metadata\":{\"add\":[\"x\"]}}",
             jstr(env, "id"));
    json_decref(env);
    refused("PUT", path, body, 400, "not in this product");
    /* the per-device update refuses what is not a group name */
    snprintf(body, sizeof(body), "/v1/products/asset-tracker/devices/%s", a);
    refused("PUT", body, "{\"groups\":[\"Not A Name\"]}", 400, "Invalid group name");
    char *after = membership_snapshot();
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_unchanged("/v1/products/asset-tracker/groups", groups_before);
}

/* Who may use the group routes: the team and product tokens; others 403, a customer too;
 * a View-only member only reads. */
static void test_access(void **state)
{
    (void)state;
    http_reply r = sim_req(T, "GET", "/v1/products/asset-tracker/groups", OTHER_TOKEN, NULL, NULL);
    json_t *j = sim_json(&r, 403);
    assert_string_equal(jstr(j, "error"), "Permission Denied");
    json_decref(j);
    http_reply_dispose(&r);
    r = sim_req(T, "POST", "/v1/products/asset-tracker/groups", OTHER_TOKEN, JSON_CT,
                "{\"name\":\"intruder\"}");
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    refused("GET", "/v1/products/asset-tracker/groups/intruder", NULL, 404, NULL);
    r = sim_req(T, "GET", "/v1/products/asset-tracker/groups", NULL, NULL, NULL);
    assert_true(r.status == 400 || r.status == 401);
    http_reply_dispose(&r);

    /* a View-only member reads the groups but changes none */
    json_decref(call("POST", "/v1/products/asset-tracker/team",
                     "{\"username\":\"other@example.com\",\"role\":\"View-only\"}", 200));
    r = sim_req(T, "GET", "/v1/products/asset-tracker/groups/europe", OTHER_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    char *before = snapshot("/v1/products/asset-tracker/groups");
    static const char *const writes[][3] = {
        {"POST", "/v1/products/asset-tracker/groups", "{\"name\":\"viewer\"}"},
        {"PUT", "/v1/products/asset-tracker/groups/europe", "{\"color\":\"#000000\"}"},
        {"DELETE", "/v1/products/asset-tracker/groups/europe", NULL},
        {"PUT", "/v1/products/asset-tracker/devices",
         "{\"action\":\"groups\",\"devices\":[\"x\"],\"metadata\":{\"add\":[\"viewer\"]}}"},
    };
    for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
        r = sim_req(T, writes[i][0], writes[i][1], OTHER_TOKEN, writes[i][2] ? JSON_CT : NULL,
                    writes[i][2]);
        json_t *e = sim_json(&r, 403);
        assert_true(json_is_string(json_object_get(e, "error")));
        json_decref(e);
        http_reply_dispose(&r);
    }
    assert_unchanged("/v1/products/asset-tracker/groups", before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_get_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_and_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access, setup, teardown),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
