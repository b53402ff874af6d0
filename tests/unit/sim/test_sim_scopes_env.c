/* Scope matrix of the environment-variable routes (routes/env.c) at sandbox, organization,
 * product and device scope: each route against the owner, a team member, a non-member, a
 * customer and a product client token (scope_matrix.h). Refused writes leave the listing
 * unchanged. Also: unknown ids, bad input, malformed and oversized bodies. */
#include "scope_matrix.h"

static sm_ctx *SM;

static int setup(void **state)
{
    sim_test_global_setup(state);
    sm_fleet f = SM_DEFAULT_FLEET;
    SM = sm_start(&f);
    return 0;
}

static int teardown(void **state)
{
    sm_stop(SM);
    return sim_test_global_teardown(state);
}

#define SET_BODY "{\"value\":\"{who}\"}"
#define OPS_BODY "{\"ops\":[{\"op\":\"Set\",\"key\":\"K_{who}\",\"value\":\"v\"}]}"

static void test_sandbox_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/env", NULL, SM_EXPECT(200, 200, 200, 403, 403)},
        {"PATCH", "/v1/env", OPS_BODY, SM_EXPECT(200, 200, 200, 403, 403), .unchanged = "/v1/env"},
        {"PUT", "/v1/env/K_{who}", SET_BODY, SM_EXPECT(200, 200, 200, 403, 403),
         .unchanged = "/v1/env"},
        {"GET", "/v1/env/render", NULL, SM_EXPECT(200, 200, 200, 403, 403)},
        {"GET", "/v1/env/rollout", NULL, SM_EXPECT(200, 200, 200, 403, 403)},
        {"POST", "/v1/env/rollout", "{\"when\":\"Connect\"}", SM_EXPECT(200, 200, 200, 403, 403),
         .unchanged = "/v1/env"},
        {"DELETE", "/v1/env/K_{who}", NULL, SM_EXPECT(200, 200, 200, 403, 403),
         .unchanged = "/v1/env"},
        /* gone now, or never there */
        {"DELETE", "/v1/env/K_{who}", NULL, SM_EXPECT(404, 404, 404, 403, 403),
         .unchanged = "/v1/env"},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_org_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/orgs/{org}/env", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"PATCH", "/v1/orgs/{org}/env", OPS_BODY, SM_EXPECT(200, 200, 403, 403, 403),
         .unchanged = "/v1/orgs/{org}/env"},
        {"PUT", "/v1/orgs/{org}/env/K_{who}", SET_BODY, SM_EXPECT(200, 200, 403, 403, 403),
         .unchanged = "/v1/orgs/{org}/env"},
        {"GET", "/v1/orgs/{org}/env/render", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"GET", "/v1/orgs/{org}/env/rollout", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"POST", "/v1/orgs/{org}/env/rollout", "{\"when\":\"Immediate\"}",
         SM_EXPECT(200, 200, 403, 403, 403), .unchanged = "/v1/orgs/{org}/env"},
        {"DELETE", "/v1/orgs/{org}/env/K_{who}", NULL, SM_EXPECT(200, 200, 403, 403, 403),
         .unchanged = "/v1/orgs/{org}/env"},
        {"GET", "/v1/orgs/no-such-org/env", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_product_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products/{product}/env", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}/env", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"PATCH", "/v1/products/{product}/env", OPS_BODY, SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = "/v1/products/{product}/env"},
        {"PUT", "/v1/products/{product}/env/K_{who}", SET_BODY, SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = "/v1/products/{product}/env"},
        {"GET", "/v1/products/{product}/env/render", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{product}/env/rollout", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"POST", "/v1/products/{product}/env/rollout", "{\"when\":\"Connect\"}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = "/v1/products/{product}/env"},
        {"DELETE", "/v1/products/{product}/env/K_{who}", NULL, SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = "/v1/products/{product}/env"},
        {"GET", "/v1/products/999999/env", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"PATCH", "/v1/products/999999/env", OPS_BODY, SM_EXPECT(404, 404, 404, 404, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_device_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/env/{device}", NULL, SM_EXPECT(200, 200, 403, 200, 200)},
        {"PATCH", "/v1/env/{device}", OPS_BODY, SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = "/v1/env/{device}"},
        {"PUT", "/v1/env/{device}/K_{who}", SET_BODY, SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = "/v1/env/{device}"},
        {"GET", "/v1/env/{device}/render", NULL, SM_EXPECT(200, 200, 403, 200, 200)},
        {"GET", "/v1/env/{device}/rollout", NULL, SM_EXPECT(200, 200, 403, 200, 200)},
        {"POST", "/v1/env/{device}/rollout", "{\"when\":\"Immediate\"}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = "/v1/env/{device}"},
        {"DELETE", "/v1/env/{device}/K_{who}", NULL, SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = "/v1/env/{device}"},
        {"GET", "/v1/env/000000000000000000000000", NULL, SM_EXPECT(403, 403, 403, 403, 403)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

/* Bad input is 400 with a JSON error for whoever may write, and changes nothing. */
static void test_bad_input(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"PATCH", "/v1/products/{product}/env", "{\"ops\":[", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/products/{product}/env"},
        {"PATCH", "/v1/products/{product}/env", "{\"ops\":[]}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = "/v1/products/{product}/env"},
        {"PATCH", "/v1/products/{product}/env", "{\"ops\":{}}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = "/v1/products/{product}/env"},
        {"PATCH", "/v1/products/{product}/env",
         "{\"ops\":[{\"op\":\"Set\",\"key\":\"OK\",\"value\":\"v\"},{\"op\":\"Set\",\"key\":\"9"
         "BAD\",\"value\":\"v\"}]}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = "/v1/products/{product}/env"},
        {"PATCH", "/v1/products/{product}/env",
         "{\"ops\":[{\"op\":\"Replace\",\"key\":\"A\",\"value\":\"v\"}]}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = "/v1/products/{product}/env"},
        {"PATCH", "/v1/products/{product}/env", "{\"ops\":[{\"op\":\"Set\",\"key\":\"A\"}]}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = "/v1/products/{product}/env"},
        {"PATCH", "/v1/products/{product}/env",
         "{\"ops\":[{\"op\":\"Set\",\"key\":\"A\",\"value\":7}]}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = "/v1/products/{product}/env"},
        {"PUT", "/v1/products/{product}/env/A", "{}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = "/v1/products/{product}/env"},
        {"PUT", "/v1/products/{product}/env/A-B", SET_BODY, SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = "/v1/products/{product}/env"},
        {"POST", "/v1/products/{product}/env/rollout", "{\"when\":\"Later\"}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = "/v1/products/{product}/env"},
        {"POST", "/v1/products/{product}/env/rollout", "{}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = "/v1/products/{product}/env"},
        {"POST", "/v1/env/rollout", "{\"when\":", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/env"},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

/* Every writing route answers an oversized body with 413 and a JSON error; nothing
 * changes. */
static void test_oversized_bodies(void **state)
{
    (void)state;
    static const char *const ROUTES[][2] = {
        {"PATCH", "/v1/env"},
        {"PUT", "/v1/env/BIG"},
        {"POST", "/v1/env/rollout"},
        {"PATCH", "/v1/products/asset-tracker/env"},
        {"PUT", "/v1/orgs/acme/env/BIG"},
        {"POST", "/v1/orgs/acme/env/rollout"},
    };
    size_t n = 2 * 1024 * 1024;
    char *big = malloc(n + 64);
    assert_non_null(big);
    memcpy(big, "{\"value\":\"", 10);
    memset(big + 10, 'a', n);
    memcpy(big + 10 + n, "\"}", 3);
    http_reply before = sim_req(SM->t, "GET", "/v1/env", DEMO_TOKEN, NULL, NULL);
    for (size_t i = 0; i < SM_COUNT(ROUTES); i++) {
        http_reply r = sim_req(SM->t, ROUTES[i][0], ROUTES[i][1], DEMO_TOKEN, JSON_CT, big);
        if (r.status != 413)
            fail_msg("%s %s: expected 413, got %ld", ROUTES[i][0], ROUTES[i][1], r.status);
        json_t *j = http_reply_json(&r);
        assert_non_null(j);
        assert_non_null(json_object_get(j, "error"));
        json_decref(j);
        http_reply_dispose(&r);
    }
    http_reply after = sim_req(SM->t, "GET", "/v1/env", DEMO_TOKEN, NULL, NULL);
    assert_string_equal(before.body, after.body);
    http_reply_dispose(&before);
    http_reply_dispose(&after);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sandbox_routes), cmocka_unit_test(test_org_routes),
        cmocka_unit_test(test_product_routes), cmocka_unit_test(test_device_routes),
        cmocka_unit_test(test_bad_input),      cmocka_unit_test(test_oversized_bodies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
