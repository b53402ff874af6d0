/*
 * particle-sim integration (webhook) list routes over loopback HTTP: the empty lists that
 * particle-cli's `webhook list` / `integration list` and particle-api-js listWebhooks read,
 * token checks, and the product variants' product and team checks.
 */
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

/* GET @p path must answer 200 with a bare, empty JSON array. */
static void expect_empty_list(const char *path, const char *token)
{
    http_reply r = sim_req(T, "GET", path, token, NULL, NULL);
    json_t *j = sim_json(&r, 200);
    if (!json_is_array(j) || json_array_size(j) != 0)
        fail_msg("%s: expected [], got %s", path, r.body);
    char *ct = http_reply_header(&r, "Content-Type");
    assert_non_null(ct);
    assert_non_null(strstr(ct, "application/json"));
    free(ct);
    json_decref(j);
    http_reply_dispose(&r);
}

static void test_user_lists_are_empty_arrays(void **state)
{
    (void)state;
    expect_empty_list("/v1/integrations", DEMO_TOKEN);
    expect_empty_list("/v1/webhooks", DEMO_TOKEN);
    expect_empty_list("/v1/integrations", OTHER_TOKEN);
    /* The token may also come as a query parameter, like every other route. */
    expect_empty_list("/v1/integrations?access_token=" DEMO_TOKEN, NULL);
}

static void test_user_lists_need_a_valid_token(void **state)
{
    (void)state;
    const char *paths[] = {"/v1/integrations", "/v1/webhooks"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        http_reply r = sim_req(T, "GET", paths[i], NULL, NULL, NULL);
        json_t *j = sim_json(&r, 400);
        assert_string_equal(jstr(j, "error"), "invalid_request");
        json_decref(j);
        http_reply_dispose(&r);

        r = sim_req(T, "GET", paths[i], "0000000000000000000000000000000000000000", NULL, NULL);
        j = sim_json(&r, 401);
        assert_string_equal(jstr(j, "error"), "invalid_token");
        json_decref(j);
        http_reply_dispose(&r);
    }
}

static void test_product_lists(void **state)
{
    (void)state;
    /* demo is on both products' teams; products resolve by id or slug. */
    expect_empty_list("/v1/products/10001/integrations", DEMO_TOKEN);
    expect_empty_list("/v1/products/asset-tracker/webhooks", DEMO_TOKEN);
    expect_empty_list("/v1/products/env-sensors/integrations", DEMO_TOKEN);

    http_reply r = sim_req(T, "GET", "/v1/products/99999/integrations", DEMO_TOKEN, NULL, NULL);
    json_t *j = sim_json(&r, 404);
    assert_string_equal(jstr(j, "error"), "Product not found");
    json_decref(j);
    http_reply_dispose(&r);

    /* other@example.com is on no product team. */
    r = sim_req(T, "GET", "/v1/products/10001/webhooks", OTHER_TOKEN, NULL, NULL);
    j = sim_json(&r, 403);
    assert_string_equal(jstr(j, "error"), "Permission Denied");
    json_decref(j);
    http_reply_dispose(&r);
}

static void test_changes_are_not_modelled(void **state)
{
    (void)state;
    /* No integration store: creating one is refused (the path exists only for GET), not a
     * silent success. */
    http_reply r = sim_req(T, "POST", "/v1/integrations", DEMO_TOKEN, JSON_CT,
                           "{\"integration_type\":\"Webhook\",\"event\":\"t\","
                           "\"url\":\"http://127.0.0.1:9/\"}");
    json_t *j = sim_json(&r, 405);
    assert_string_equal(jstr(j, "error"), "Method Not Allowed");
    json_decref(j);
    http_reply_dispose(&r);
    expect_empty_list("/v1/integrations", DEMO_TOKEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_lists_are_empty_arrays),
        cmocka_unit_test(test_user_lists_need_a_valid_token),
        cmocka_unit_test(test_product_lists),
        cmocka_unit_test(test_changes_are_not_modelled),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
