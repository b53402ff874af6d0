/* Scope matrix of the fleet routes (device groups, batch assignment, product device
 * settings, import, claim codes, serial lookup, the device's claim in the control API,
 * product and device configuration): each route against the owner, a team member, a
 * non-member, a customer and a product client token (scope_matrix.h). Refused writes must leave the
 * listed read unchanged. */
#include "scope_matrix.h"

static sm_ctx *SM;

static int setup(void **state)
{
    sim_test_global_setup(state);
    sm_fleet f = SM_DEFAULT_FLEET;
    SM = sm_start(&f);
    /* A paused clock keeps last_heard still, so a device read compares equal when unchanged. */
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

#define GROUPS "/v1/products/{product}/groups"
#define DEVICE "/v1/products/{product}/devices/{device}"

static void test_group_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", GROUPS, NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}/groups?name=eu", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", GROUPS "/europe", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", GROUPS "/nope", NULL, SM_EXPECT(404, 404, 403, 403, 404)},
        {"GET", "/v1/products/99999/groups", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"POST", GROUPS, "{\"name\":\"g-{who}\"}", SM_EXPECT(201, 201, 403, 403, 201),
         .unchanged = GROUPS},
        {"PUT", GROUPS "/g-{who}", "{\"color\":\"#000000\",\"description\":\"d\"}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = GROUPS},
        {"DELETE", GROUPS "/g-{who}", NULL, SM_EXPECT(204, 204, 403, 403, 204),
         .unchanged = GROUPS},
        /* bad input: 400 for who may write, nothing changed */
        {"POST", GROUPS, "{\"name\":\"Bad Name\"}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = GROUPS},
        {"POST", GROUPS, "{\"name\":\"europe\"}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = GROUPS},
        {"POST", GROUPS, "{\"name\":\"x\",\"color\":7}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = GROUPS},
        {"PUT", GROUPS "/europe", "{\"name\":\"asia\"}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = GROUPS},
        {"PUT", GROUPS "/europe", "{}", SM_EXPECT(400, 400, 403, 403, 400), .unchanged = GROUPS},
        {"DELETE", GROUPS "/nope", NULL, SM_EXPECT(404, 404, 403, 403, 404), .unchanged = GROUPS},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_product_device_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products/{product}/devices?groups=americas", NULL,
         SM_EXPECT(200, 200, 403, 403, 200)},
        {"PUT", "/v1/products/{product}/devices",
         "{\"action\":\"groups\",\"devices\":[\"{device}\"],\"metadata\":{\"add\":[\"asia\"],"
         "\"remove\":[\"asia\"]}}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = DEVICE},
        {"PUT", "/v1/products/{product}/devices",
         "{\"action\":\"groups\",\"devices\":[\"{device}\"],\"metadata\":{\"add\":[\"Bad\"]}}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = DEVICE},
        {"PUT", "/v1/products/{product}/devices", "{\"action\":\"nope\"}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = DEVICE},
        {"PUT", DEVICE, "{\"groups\":[\"americas\"]}", SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = DEVICE},
        {"PUT", DEVICE, "{\"development\":false}", SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = DEVICE},
        {"PUT", DEVICE, "{\"desired_firmware_version\":null}", SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = DEVICE},
        {"PUT", DEVICE, "{\"development\":\"maybe\"}", SM_EXPECT(400, 400, 403, 400, 400),
         .unchanged = DEVICE},
        {"POST", "/v1/products/{product}/devices", "{\"id\":\"{device}\"}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = DEVICE},
        {"POST", "/v1/products/{product}/devices", "{\"ids\":7}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = DEVICE},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_claim_and_serial_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"POST", "/v1/device_claims", "{}", SM_EXPECT(200, 200, 200, 200, 400)},
        {"POST", "/v1/device_claims", "{\"iccid\":\"1\"}", SM_EXPECT(400, 400, 400, 400, 400)},
        {"POST", "/v1/products/{product}/device_claims", "{}", SM_EXPECT(403, 403, 403, 200, 403)},
        {"POST", "/v1/products/99999/device_claims", "{}", SM_EXPECT(404, 404, 404, 404, 404)},
        {"GET", "/v1/serial_numbers/E40KAB111111111", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/serial_numbers/NOPE", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"POST", "/sim/devices/{device}/claim", "{\"claim_code\":\"nope\"}",
         SM_EXPECT(404, 404, 404, 403, 403), .unchanged = DEVICE},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

#define CONFIG "/v1/products/{product}/config"

/* Product and device configuration: the owner sets it first, so later reads find one. */
static void test_config_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"PUT", CONFIG, "{\"location\":{\"radius\":5},\"set_by\":{\"who\":\"{who}\"}}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = CONFIG},
        {"GET", CONFIG, NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}/config/{device}", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"PUT", CONFIG "/{device}", "{\"imu_trig\":{\"motion\":\"disable\"}}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = CONFIG "/{device}"},
        {"DELETE", CONFIG "/{device}", NULL, SM_EXPECT(204, 204, 403, 403, 204),
         .unchanged = CONFIG "/{device}"},
        {"GET", "/v1/products/99999/config", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        /* bad input: nothing changed */
        {"PUT", CONFIG, "{\"location\":5}", SM_EXPECT(422, 422, 403, 403, 422),
         .unchanged = CONFIG},
        {"PUT", CONFIG, "{}", SM_EXPECT(400, 400, 403, 403, 400), .unchanged = CONFIG},
        {"PUT", CONFIG, "{\"location\":", SM_EXPECT(400, 400, 400, 400, 400), .unchanged = CONFIG},
        {"PUT", CONFIG "/0123456789abcdef01234567", "{\"location\":{}}",
         SM_EXPECT(404, 404, 403, 403, 404), .unchanged = CONFIG},
        {"GET", CONFIG "/nope", NULL, SM_EXPECT(404, 404, 403, 403, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_routes),
        cmocka_unit_test(test_product_device_routes),
        cmocka_unit_test(test_claim_and_serial_routes),
        cmocka_unit_test(test_config_routes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
