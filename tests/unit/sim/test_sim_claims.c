/*
 * particle-sim claim codes, serial-number lookup, product import by multipart file, and the
 * --state file keeping groups, memberships and claim codes across a restart
 * (reference/cloud-api.md §5.4, §5.10, §5.11, §9.5). Claim codes: the user and product
 * (customer) routes, the device's side through POST /sim/devices/:d/claim, single use,
 * expiry after 24 hours of simulation time, a code bound to an ICCID, and who may ask.
 * A fresh simulator per test.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "model/sim_claims.h"
#include "sim_test.h"

#define MULTIPART_CT "Content-Type: multipart/form-data; boundary=XbOuNdArY"

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

static json_t *call_as(const sim_test *t, const char *token, const char *method, const char *path,
                       const char *content_type, const char *body, long status)
{
    http_reply r =
        sim_req(t, method, path, token, body && !content_type ? JSON_CT : content_type, body);
    if (status == 204) {
        assert_int_equal(r.status, 204);
        http_reply_dispose(&r);
        return NULL;
    }
    json_t *j = sim_json(&r, status);
    if (status >= 400 && !json_is_string(json_object_get(j, "error")))
        fail_msg("%s %s: %ld without an error string", method, path, status);
    http_reply_dispose(&r);
    return j;
}

static json_t *call(const char *token, const char *method, const char *path, const char *body,
                    long status)
{
    return call_as(T, token, method, path, NULL, body, status);
}

/* The customer's token (client credentials of the product's client, scope=customer=EMAIL). */
static void customer_token(const sim_test *t, char out[SIM_TOKEN_LEN + 1])
{
    http_reply r = sim_req(t, "POST", "/oauth/token", NULL, FORM,
                           "grant_type=client_credentials&client_id=asset-tracker-client"
                           "&client_secret=asset-tracker-secret"
                           "&scope=customer%3Dcustomer%40example.com");
    json_t *j = sim_json(&r, 200);
    snprintf(out, SIM_TOKEN_LEN + 1, "%s", jstr(j, "access_token"));
    json_decref(j);
    http_reply_dispose(&r);
}

static void product_token(char out[SIM_TOKEN_LEN + 1])
{
    http_reply r = sim_req(T, "POST", "/oauth/token", NULL, FORM,
                           "grant_type=client_credentials&client_id=asset-tracker-client"
                           "&client_secret=asset-tracker-secret");
    json_t *j = sim_json(&r, 200);
    snprintf(out, SIM_TOKEN_LEN + 1, "%s", jstr(j, "access_token"));
    json_decref(j);
    http_reply_dispose(&r);
}

/* Device @p name's object through the product route, as the demo user. */
static json_t *tracker(const sim_test *t, const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "/v1/products/asset-tracker/devices/%s", name);
    return call_as(t, DEMO_TOKEN, "GET", path, NULL, NULL, 200);
}

/* A new code from @p path as @p token with @p body (NULL = none) into @p out. */
static void new_code(const char *token, const char *path, const char *body, char *out)
{
    json_t *j = call(token, "POST", path, body, 200);
    assert_int_equal(strlen(jstr(j, "claim_code")), SIM_CLAIM_CODE_LEN);
    assert_true(json_is_array(json_object_get(j, "device_ids")));
    snprintf(out, SIM_CLAIM_CODE_LEN + 1, "%s", jstr(j, "claim_code"));
    json_decref(j);
}

/* Device @p device presents @p code; returns the answer after checking @p status. */
static json_t *present(const char *device, const char *code, long status)
{
    char path[256], body[256];
    snprintf(path, sizeof(path), "/sim/devices/%s/claim", device);
    snprintf(body, sizeof(body), "{\"claim_code\":\"%s\"}", code);
    return call(DEMO_TOKEN, "POST", path, body, status);
}

static void assert_owner(const char *name, const char *owner)
{
    json_t *d = tracker(T, name);
    if (owner)
        assert_string_equal(jstr(d, "owner"), owner);
    else
        assert_null(json_string_value(json_object_get(d, "owner")));
    json_decref(d);
}

static void test_user_code_claims_a_device(void **state)
{
    (void)state;
    json_t *j = call(DEMO_TOKEN, "POST", "/v1/device_claims", "{}", 200);
    json_t *ids = json_object_get(j, "device_ids");
    assert_int_equal(json_array_size(ids), 4); /* the demo user's devices */
    char code[SIM_CLAIM_CODE_LEN + 1];
    snprintf(code, sizeof(code), "%s", jstr(j, "claim_code"));
    json_decref(j);
    assert_owner("tracker-1", NULL);
    j = present("tracker-1", code, 200);
    assert_true(json_is_true(json_object_get(j, "ok")));
    assert_string_equal(jstr(j, "owner"), "demo@example.com");
    json_decref(j);
    assert_owner("tracker-1", "demo@example.com");
    /* single use */
    json_decref(present("tracker-2", code, 404));
    assert_owner("tracker-2", NULL);
    /* a device owned by someone else stays theirs, and the code stays valid */
    new_code(OTHER_TOKEN, "/v1/device_claims", NULL, code);
    json_decref(present("tracker-1", code, 403));
    assert_owner("tracker-1", "demo@example.com");
    json_decref(present("tracker-2", code, 200));
    assert_owner("tracker-2", "other@example.com");
    /* bad presentations */
    json_decref(present("tracker-3", "not-a-code", 404));
    json_decref(call(DEMO_TOKEN, "POST", "/sim/devices/tracker-3/claim", "{}", 400));
    json_decref(present("no-such-device", code, 404));
    json_decref(call(OTHER_TOKEN, "POST", "/v1/device_claims", "{\"iccid\":", 400));
    assert_owner("tracker-3", NULL);
}

static void test_customer_code(void **state)
{
    (void)state;
    char customer[SIM_TOKEN_LEN + 1], product[SIM_TOKEN_LEN + 1], code[SIM_CLAIM_CODE_LEN + 1];
    customer_token(T, customer);
    product_token(product);
    json_t *j = call(customer, "POST", "/v1/products/asset-tracker/device_claims", "{}", 200);
    json_t *mine = tracker(T, "customer-tracker");
    assert_int_equal(json_array_size(json_object_get(j, "device_ids")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "device_ids"), 0)),
                        jstr(mine, "id"));
    snprintf(code, sizeof(code), "%s", jstr(j, "claim_code"));
    json_decref(j);
    json_decref(mine);
    /* a device of another product is not the customer's to claim */
    json_decref(present("env-1", code, 400));
    json_decref(present("tracker-5", code, 200));
    assert_owner("tracker-5", "customer@example.com");
    j = call(customer, "GET", "/v1/devices", NULL, 200);
    assert_int_equal(json_array_size(j), 2); /* customer-tracker and tracker-5 */
    json_decref(j);

    /* who may ask */
    json_decref(call(DEMO_TOKEN, "POST", "/v1/products/asset-tracker/device_claims", "{}", 403));
    json_decref(call(product, "POST", "/v1/products/asset-tracker/device_claims", "{}", 403));
    json_decref(call(customer, "POST", "/v1/products/env-sensors/device_claims", "{}", 403));
    json_decref(call(customer, "POST", "/v1/products/99999/device_claims", "{}", 404));
    j = call(product, "POST", "/v1/device_claims", "{}", 400);
    assert_string_equal(jstr(j, "error"), "unauthorized");
    json_decref(j);
    new_code(customer, "/v1/device_claims", NULL, code); /* the user route works for customers */
    /* deleting the customer revokes its codes (§9.4) */
    json_decref(call(DEMO_TOKEN, "DELETE",
                     "/v1/products/asset-tracker/customers/customer@example.com", NULL, 200));
    json_decref(present("tracker-6", code, 404));
    assert_owner("tracker-6", NULL);
    j = call_as(T, NULL, "POST", "/v1/device_claims", NULL, NULL, 400);
    json_decref(j);
}

static void test_iccid_code_and_expiry(void **state)
{
    (void)state;
    char code[SIM_CLAIM_CODE_LEN + 1], body[128];
    json_t *t3 = tracker(T, "tracker-3");
    snprintf(body, sizeof(body), "{\"iccid\":\"%s\"}", jstr(t3, "iccid"));
    json_decref(t3);
    new_code(DEMO_TOKEN, "/v1/device_claims", body, code);
    json_decref(present("tracker-4", code, 400)); /* another device's code */
    assert_owner("tracker-4", NULL);
    json_decref(present("tracker-3", code, 200));
    json_decref(call(DEMO_TOKEN, "POST", "/v1/device_claims", "{\"iccid\":\"123\"}", 400));
    json_decref(
        call(DEMO_TOKEN, "POST", "/v1/device_claims", "{\"imei\":\"12345678901234\"}", 400));
    json_decref(call(DEMO_TOKEN, "POST", "/v1/device_claims", "{\"iccid\":42}", 400));

    /* valid for 24 hours of simulation time */
    new_code(DEMO_TOKEN, "/v1/device_claims", "{}", code);
    char advance[64];
    snprintf(advance, sizeof(advance), "{\"ms\":%lld}", (long long)SIM_CLAIM_VALID_MS - 60000);
    json_decref(call(DEMO_TOKEN, "POST", "/sim/clock/pause", NULL, 200));
    json_decref(call(DEMO_TOKEN, "POST", "/sim/clock/advance", advance, 200));
    char second[SIM_CLAIM_CODE_LEN + 1];
    new_code(DEMO_TOKEN, "/v1/device_claims", "{}", second);
    json_decref(call(DEMO_TOKEN, "POST", "/sim/clock/advance", "{\"ms\":60000}", 200));
    json_decref(present("tracker-6", code, 404)); /* expired */
    assert_owner("tracker-6", NULL);
    json_decref(present("tracker-6", second, 200)); /* a younger one still works */
    /* the fixture's codes */
    json_decref(present("tracker-7",
                        "DemoClaimCode0000000000000000000000000000000000000000000000000A", 404));
}

/* Releasing a device drops its previous owner's codes bound to it (a code that would claim it
 * back), not the owner's unbound codes nor another user's code for the device. */
static void test_release_revokes_bound_codes(void **state)
{
    (void)state;
    char code[SIM_CLAIM_CODE_LEN + 1], bound[SIM_CLAIM_CODE_LEN + 1];
    char unbound[SIM_CLAIM_CODE_LEN + 1], others[SIM_CLAIM_CODE_LEN + 1], body[128], path[96];
    json_t *t3 = tracker(T, "tracker-3");
    snprintf(body, sizeof(body), "{\"iccid\":\"%s\"}", jstr(t3, "iccid"));
    snprintf(path, sizeof(path), "/v1/devices/%s", jstr(t3, "id"));
    json_decref(t3);
    new_code(DEMO_TOKEN, "/v1/device_claims", body, code);
    json_decref(present("tracker-3", code, 200));
    new_code(DEMO_TOKEN, "/v1/device_claims", body, bound);
    new_code(DEMO_TOKEN, "/v1/device_claims", "{}", unbound);
    new_code(OTHER_TOKEN, "/v1/device_claims", body, others);
    json_decref(call(DEMO_TOKEN, "DELETE", path, NULL, 200));
    assert_owner("tracker-3", NULL);
    json_decref(present("tracker-3", bound, 404));
    json_decref(present("tracker-3", others, 200));
    assert_owner("tracker-3", "other@example.com");
    json_decref(present("tracker-4", unbound, 200));
}

static void test_fixture_codes_and_serials(void **state)
{
    (void)state;
    json_decref(present("tracker-7",
                        "CustomerClaimCode000000000000000000000000000000000000000000000B", 200));
    assert_owner("tracker-7", "customer@example.com");
    json_decref(present("tracker-8",
                        "DemoClaimCode0000000000000000000000000000000000000000000000000A", 200));
    assert_owner("tracker-8", "demo@example.com");

    json_t *mine = tracker(T, "customer-tracker");
    json_t *j = call(OTHER_TOKEN, "GET", "/v1/serial_numbers/e40kab111111111", NULL, 200);
    assert_true(json_is_true(json_object_get(j, "ok")));
    assert_string_equal(jstr(j, "deviceID"), jstr(mine, "id"));
    assert_string_equal(jstr(j, "iccid"), jstr(mine, "iccid"));
    json_decref(j);
    json_decref(mine);
    j = call(DEMO_TOKEN, "GET", "/v1/devices/demo-argon-1", NULL, 200);
    char path[128];
    snprintf(path, sizeof(path), "/v1/serial_numbers/%s", jstr(j, "serial_number"));
    json_t *wifi = call(DEMO_TOKEN, "GET", path, NULL, 200);
    assert_string_equal(jstr(wifi, "deviceID"), jstr(j, "id"));
    assert_null(json_object_get(wifi, "iccid")); /* a Wi-Fi device has none */
    json_decref(wifi);
    json_decref(j);
    json_decref(call(DEMO_TOKEN, "GET", "/v1/serial_numbers/NOPE00000000000", NULL, 404));
}

/* 50 serial lookups an hour per caller (§3.3): the 51st is 429 with a JSON error and a
 * Retry-After within the hour, misses count too, another caller is not affected. (The window
 * itself is util/pu_ratelimit's, tested there; advancing the simulation clock by an hour
 * runs an hour of the fleet's publishes, too slow for a loaded test machine.) */
static void test_serial_lookup_limit(void **state)
{
    (void)state;
    for (int i = 0; i < 50; i++)
        json_decref(call(DEMO_TOKEN, "GET",
                         i % 2 ? "/v1/serial_numbers/E40KAB111111111"
                               : "/v1/serial_numbers/NOPE00000000000",
                         NULL, i % 2 ? 200 : 404));
    http_reply r = sim_req(T, "GET", "/v1/serial_numbers/NOPE00000000000", DEMO_TOKEN, NULL, NULL);
    json_t *j = sim_json(&r, 429);
    assert_string_equal(jstr(j, "error"), "too_many_requests");
    assert_string_equal(jstr(j, "error_description"),
                        "Serial number lookups are limited to 50 per hour");
    const char *retry = strstr(r.headers, "Retry-After: ");
    assert_non_null(retry);
    long secs = strtol(retry + strlen("Retry-After: "), NULL, 10);
    assert_true(secs > 0 && secs <= 3600);
    json_decref(j);
    http_reply_dispose(&r);
    json_decref(call(OTHER_TOKEN, "GET", "/v1/serial_numbers/E40KAB111111111", NULL, 200));
}

static void test_import_by_file(void **state)
{
    (void)state;
    json_t *boron = call(DEMO_TOKEN, "GET", "/v1/devices/demo-boron-1", NULL, 200);
    json_t *argon = call(DEMO_TOKEN, "GET", "/v1/devices/demo-argon-1", NULL, 200);
    char body[1024], expected[512];
    snprintf(body, sizeof(body),
             "--XbOuNdArY\r\n"
             "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n"
             "%s\r\n  \n%s\nbogus\n\r\n"
             "--XbOuNdArY--\r\n",
             jstr(boron, "serial_number"), jstr(argon, "id"));
    json_t *j = call_as(T, DEMO_TOKEN, "POST", "/v1/products/asset-tracker/devices", MULTIPART_CT,
                        body, 200);
    snprintf(expected, sizeof(expected),
             "{\"updated\":1,\"updatedDeviceIds\":[\"%s\"],\"existingDeviceIds\":[],"
             "\"nonmemberDeviceIds\":[],\"invalidDeviceIds\":[\"%s\",\"bogus\"],"
             "\"protectedDeviceIds\":[]}",
             jstr(boron, "id"), jstr(argon, "id"));
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(text, expected);
    free(text);
    json_decref(j);
    json_decref(
        call(DEMO_TOKEN, "GET", "/v1/products/asset-tracker/devices/demo-boron-1", NULL, 200));
    json_decref(boron);
    json_decref(argon);
    /* an empty file imports nothing: 400 */
    snprintf(body, sizeof(body),
             "--XbOuNdArY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n"
             "\r\n--XbOuNdArY--\r\n");
    json_decref(call_as(T, DEMO_TOKEN, "POST", "/v1/products/asset-tracker/devices", MULTIPART_CT,
                        body, 400));
}

/* Groups, memberships and claim codes survive a restart with --state. */
static void test_state_survives_restart(void **state)
{
    (void)state;
    sim_test_stop(T);
    char dir[] = "/tmp/sim-fleet-state-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/state.db", dir);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = path;
    T = sim_test_start(&o);

    json_decref(call(DEMO_TOKEN, "POST", "/v1/products/asset-tracker/groups",
                     "{\"name\":\"kept\",\"description\":\"Kept\",\"color\":\"#010203\"}", 201));
    json_decref(call(DEMO_TOKEN, "DELETE", "/v1/products/asset-tracker/groups/europe", NULL, 204));
    json_decref(call(DEMO_TOKEN, "PUT", "/v1/products/asset-tracker/groups/asia",
                     "{\"name\":\"asia-pacific\"}", 200));
    json_t *t1 = tracker(T, "tracker-1");
    char body[512], code[SIM_CLAIM_CODE_LEN + 1];
    snprintf(body, sizeof(body),
             "{\"action\":\"groups\",\"devices\":[\"%s\"],\"metadata\":{\"add\":[\"kept\"]}}",
             jstr(t1, "id"));
    json_decref(t1);
    json_decref(call(DEMO_TOKEN, "PUT", "/v1/products/asset-tracker/devices", body, 200));
    json_decref(call(DEMO_TOKEN, "PUT", "/v1/products/asset-tracker/devices/tracker-2",
                     "{\"development\":true,\"desired_firmware_version\":2}", 200));
    json_t *boron = call(DEMO_TOKEN, "GET", "/v1/devices/demo-boron-1", NULL, 200);
    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", jstr(boron, "id"));
    json_decref(boron);
    json_decref(call(DEMO_TOKEN, "POST", "/v1/products/asset-tracker/devices", body, 200));
    new_code(DEMO_TOKEN, "/v1/device_claims", NULL, code);
    sim_test_stop(T);

    T = sim_test_start(&o);
    json_t *j = call(DEMO_TOKEN, "GET", "/v1/products/asset-tracker/groups", NULL, 200);
    char *text = json_dumps(json_object_get(j, "groups"), JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(
        text, "[{\"name\":\"asia-pacific\",\"color\":\"#34495e\",\"device_count\":6},"
              "{\"name\":\"americas\",\"color\":\"#34495e\",\"device_count\":4},"
              "{\"name\":\"pilot-fleet\",\"description\":\"Trackers in the pilot programme\","
              "\"color\":\"#e74c3c\",\"device_count\":0},"
              "{\"name\":\"kept\",\"description\":\"Kept\",\"color\":\"#010203\","
              "\"device_count\":1}]");
    free(text);
    json_decref(j);
    j = tracker(T, "tracker-1");
    assert_int_equal(json_array_size(json_object_get(j, "groups")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "groups"), 0)), "kept");
    json_decref(j);
    j = tracker(T, "tracker-4"); /* europe + asia: asia under its new name */
    assert_int_equal(json_array_size(json_object_get(j, "groups")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "groups"), 0)),
                        "asia-pacific");
    json_decref(j);
    j = tracker(T, "tracker-2");
    assert_true(json_is_true(json_object_get(j, "development")));
    assert_int_equal(json_integer_value(json_object_get(j, "desired_firmware_version")), 2);
    json_decref(j);
    json_decref(tracker(T, "demo-boron-1"));      /* still imported */
    json_decref(present("tracker-9", code, 200)); /* the code survived */
    assert_owner("tracker-9", "demo@example.com");
    sim_test_stop(T);
    T = sim_test_start(NULL); /* for teardown */
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_code_claims_a_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iccid_code_and_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_revokes_bound_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fixture_codes_and_serials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_lookup_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_by_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_survives_restart, setup, teardown),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
