/* Scope matrix of the account, MFA, provisioning, Device Protection and retired routes
 * (routes/user.c, routes/provisioning.c, routes/retired.c): each route against the owner, a
 * team member, a non-member, a customer and a product client token (scope_matrix.h). The
 * account routes act on the caller's own account; refused writes leave the read unchanged.
 * Also: malformed and oversized bodies on every new writing route. */
#include "scope_matrix.h"

static sm_ctx *SM;

static int setup(void **state)
{
    sim_test_global_setup(state);
    sm_fleet f = SM_DEFAULT_FLEET;
    SM = sm_start(&f);
    http_reply r = sim_req(SM->t, "POST", "/sim/clock/pause", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    return 0;
}

static int teardown(void **state)
{
    sm_stop(SM);
    return sim_test_global_teardown(state);
}

static void test_account_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/user", NULL, SM_EXPECT(200, 200, 200, 200, 400)},
        {"GET", "/v1/user/identify?tracking=1", NULL, SM_EXPECT(200, 200, 200, 200, 400)},
        {"PUT", "/v1/user", "{\"account_info\":{\"first_name\":\"{who}\"}}",
         SM_EXPECT(200, 200, 200, 403, 400), .unchanged = "/v1/user"},
        /* a wrong current password, or none, changes nothing */
        {"PUT", "/v1/user", "{\"password\":\"new-pw\",\"current_password\":\"wrong\"}",
         SM_EXPECT(403, 403, 403, 403, 400), .unchanged = "/v1/user"},
        {"PUT", "/v1/user", "{\"username\":\"x@example.com\"}", SM_EXPECT(403, 403, 403, 403, 400),
         .unchanged = "/v1/user"},
        {"PUT", "/v1/user",
         "{\"username\":\"member@example.com\",\"current_password\":\"demo-password\"}",
         SM_EXPECT(409, 403, 403, 403, 400), .unchanged = "/v1/user"},
        {"PUT", "/v1/user", "{\"username\":\"no-at-sign\",\"current_password\":\"demo-password\"}",
         SM_EXPECT(400, 403, 403, 403, 400), .unchanged = "/v1/user"},
        /* malformed input: 400 before anything else */
        {"PUT", "/v1/user", "{\"account_info\":7}", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/user"},
        {"PUT", "/v1/user", "{\"account_info\":{\"business_account\":\"maybe\"}}",
         SM_EXPECT(400, 400, 400, 400, 400), .unchanged = "/v1/user"},
        {"PUT", "/v1/user", "{\"password\":7}", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/user"},
        {"PUT", "/v1/user", "{}", SM_EXPECT(400, 400, 400, 400, 400), .unchanged = "/v1/user"},
        {"PUT", "/v1/user", "{\"account_info\":", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/user"},
        {"DELETE", "/v1/user", "{\"password\":\"wrong\"}", SM_EXPECT(403, 403, 403, 403, 400),
         .unchanged = "/v1/user"},
        {"DELETE", "/v1/user", "{\"password\":[]}", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/user"},
        /* sign-up and password reset are public: the token does not matter */
        {"POST", "/v1/users", "{\"username\":\"{who}@new.example.com\",\"password\":\"p\"}",
         SM_EXPECT(200, 200, 200, 200, 200)},
        {"POST", "/v1/users", "{\"username\":\"demo@example.com\",\"password\":\"p\"}",
         SM_EXPECT(409, 409, 409, 409, 409), .unchanged = "/v1/user"},
        {"POST", "/v1/users", "{\"username\":\"x@example.com\"}",
         SM_EXPECT(400, 400, 400, 400, 400)},
        {"POST", "/v1/users", "{\"username\":\"y@example.com\",\"password\":\"p\",\"utm\":3}",
         SM_EXPECT(400, 400, 400, 400, 400)},
        {"POST", "/v1/user/password-reset", "{\"username\":\"demo@example.com\"}",
         SM_EXPECT(200, 200, 200, 200, 200)},
        {"POST", "/v1/user/password-reset", "{}", SM_EXPECT(400, 400, 400, 400, 400)},
        {"POST", "/v1/user/verify", "{\"token\":\"t\"}", SM_EXPECT(404, 404, 404, 404, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_mfa_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/user/mfa-enable", NULL, SM_EXPECT(200, 200, 200, 403, 400)},
        {"POST", "/v1/user/mfa-enable", "{\"mfa_token\":\"nope\",\"otp\":\"123456\"}",
         SM_EXPECT(400, 400, 400, 403, 400), .unchanged = "/v1/user"},
        {"POST", "/v1/user/mfa-enable", "{\"otp\":\"123456\"}", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/user"},
        {"POST", "/v1/user/mfa-enable", "{\"mfa_token\":5,\"otp\":\"1\"}",
         SM_EXPECT(400, 400, 400, 400, 400), .unchanged = "/v1/user"},
        {"PUT", "/v1/user/mfa-disable", "{\"current_password\":\"wrong\"}",
         SM_EXPECT(403, 403, 403, 403, 400), .unchanged = "/v1/user"},
        /* MFA is off for these users: disabling it is refused */
        {"PUT", "/v1/user/mfa-disable", "{\"current_password\":\"demo-password\"}",
         SM_EXPECT(400, 403, 403, 403, 400), .unchanged = "/v1/user"},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

#define DEVICE_GET "/v1/products/{product}/devices/{device}"

static void test_provisioning_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"POST", "/v1/devices", "{\"product_id\":{product}}", SM_EXPECT(200, 200, 403, 403, 403)},
        {"POST", "/v1/devices", "{\"product_id\":99999}", SM_EXPECT(404, 404, 404, 403, 403)},
        {"POST", "/v1/provisioning/{device}", "{\"publicKey\":\"nope\",\"algorithm\":\"ecc\"}",
         SM_EXPECT(400, 400, 403, 400, 400), .unchanged = DEVICE_GET},
        {"POST", "/v1/provisioning/{device}", "{\"publicKey\":1}",
         SM_EXPECT(400, 400, 400, 400, 400), .unchanged = DEVICE_GET},
        {"POST", "/v1/provisioning/000000000000000000000000", "{\"publicKey\":\"k\"}",
         SM_EXPECT(403, 403, 403, 403, 403)},
        /* an open device cannot be unprotected */
        {"PUT", "/v1/products/{product}/devices/{device}/unprotect", "{\"action\":\"prepare\"}",
         SM_EXPECT(400, 400, 403, 400, 400), .unchanged = DEVICE_GET},
        {"PUT", "/v1/devices/{device}/unprotect", "{\"action\":\"confirm\"}",
         SM_EXPECT(400, 400, 403, 400, 400), .unchanged = DEVICE_GET},
        {"PUT", "/v1/orgs/{org}/devices/{device}/unprotect", "{\"action\":\"prepare\"}",
         SM_EXPECT(400, 400, 403, 403, 403), .unchanged = DEVICE_GET},
        {"PUT", "/v1/devices/{device}/unprotect", "{\"action\":\"wipe\"}",
         SM_EXPECT(400, 400, 400, 400, 400), .unchanged = DEVICE_GET},
        {"PUT", "/sim/devices/{device}/protection", "{\"status\":\"locked\"}",
         SM_EXPECT(400, 400, 400, 403, 403), .unchanged = DEVICE_GET},
        {"PUT", "/sim/devices/000000000000000000000000/protection", "{\"status\":\"active\"}",
         SM_EXPECT(404, 404, 404, 403, 403)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_retired_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/networks", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"POST", "/v1/networks", "{\"name\":\"n\",\"device_id\":\"{device}\"}",
         SM_EXPECT(404, 404, 404, 404, 404), .unchanged = DEVICE_GET},
        {"GET", "/v1/networks/n", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"PUT", "/v1/networks/n", "{\"action\":\"add-device\",\"device_id\":\"{device}\"}",
         SM_EXPECT(404, 404, 404, 404, 404), .unchanged = DEVICE_GET},
        {"DELETE", "/v1/networks/n", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"GET", "/v1/networks/n/devices", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"DELETE", "/v1/devices/{device}/network", NULL, SM_EXPECT(404, 404, 404, 404, 404),
         .unchanged = DEVICE_GET},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

/* Every new writing route answers an oversized body with 413 and a JSON error, and the
 * account stays as it was. */
static void test_oversized_bodies(void **state)
{
    (void)state;
    static const char *const ROUTES[][2] = {
        {"PUT", "/v1/user"},
        {"DELETE", "/v1/user"},
        {"POST", "/v1/users"},
        {"POST", "/v1/user/password-reset"},
        {"POST", "/v1/user/mfa-enable"},
        {"PUT", "/v1/user/mfa-disable"},
        {"POST", "/v1/provisioning/{device}"},
        {"PUT", "/v1/devices/{device}/unprotect"},
    };
    size_t n = 2 * 1024 * 1024;
    char *big = malloc(n + 64);
    assert_non_null(big);
    memcpy(big, "{\"password\":\"", 13);
    memset(big + 13, 'a', n);
    memcpy(big + 13 + n, "\"}", 3);
    http_reply before = sim_req(SM->t, "GET", "/v1/user", DEMO_TOKEN, NULL, NULL);
    for (size_t i = 0; i < SM_COUNT(ROUTES); i++) {
        char path[128];
        const char *at = strstr(ROUTES[i][1], "{device}");
        if (at)
            snprintf(path, sizeof(path), "%.*s%s%s", (int)(at - ROUTES[i][1]), ROUTES[i][1],
                     SM->device_id, at + 8);
        else
            snprintf(path, sizeof(path), "%s", ROUTES[i][1]);
        http_reply r = sim_req(SM->t, ROUTES[i][0], path, DEMO_TOKEN, JSON_CT, big);
        if (r.status != 413)
            fail_msg("%s %s: expected 413, got %ld", ROUTES[i][0], path, r.status);
        json_t *j = http_reply_json(&r);
        assert_non_null(j);
        assert_non_null(json_object_get(j, "error"));
        json_decref(j);
        http_reply_dispose(&r);
    }
    http_reply after = sim_req(SM->t, "GET", "/v1/user", DEMO_TOKEN, NULL, NULL);
    assert_string_equal(before.body, after.body);
    http_reply_dispose(&before);
    http_reply_dispose(&after);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_routes),      cmocka_unit_test(test_mfa_routes),
        cmocka_unit_test(test_provisioning_routes), cmocka_unit_test(test_retired_routes),
        cmocka_unit_test(test_oversized_bodies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
