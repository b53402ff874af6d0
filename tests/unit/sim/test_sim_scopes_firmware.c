/* Scope matrix of the firmware routes (product firmware, release, binaries, builds): each
 * route against the owner, a team member, a non-member, a customer and a product client
 * token (scope_matrix.h). Refused writes must leave the listed read unchanged. */
#include "firmware_test.h"
#include "model/sim_firmware.h"
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
    /* version 1 of asset-tracker (a Boron product) to read, change and release */
    sim_model *m = sim_server_model(SM->t->srv);
    unsigned char *bin = fw_module(13, 1024, 0, 1);
    sim_firmware_upload u = {.version = 1, .title = "one", .data = bin, .size = 1024};
    uint32_t fw;
    sim_result result;
    sim_model_lock(m);
    const char *bad =
        sim_firmware_upload_add(m, sim_model_find_product(m, "asset-tracker"), &u, &fw, &result);
    sim_model_unlock(m);
    free(bin);
    assert_null(bad);
    return 0;
}

static int teardown(void **state)
{
    sm_stop(SM);
    return sim_test_global_teardown(state);
}

#define FW "/v1/products/{product}/firmware"

static void test_product_firmware_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", FW, NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}/firmware/1", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", FW "/1/binary", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", FW "/99", NULL, SM_EXPECT(404, 404, 403, 403, 404)},
        {"GET", FW "/one", NULL, SM_EXPECT(400, 400, 403, 403, 400)},
        {"PUT", FW "/1", "{\"title\":\"by {who}\"}", SM_EXPECT(200, 200, 403, 403, 200),
         .unchanged = FW "/1"},
        {"PUT", FW "/1", "{\"title\":7}", SM_EXPECT(400, 400, 403, 403, 400), .unchanged = FW "/1"},
        {"PUT", FW "/1", "{}", SM_EXPECT(400, 400, 403, 403, 400), .unchanged = FW "/1"},
        {"PUT", FW "/release", "{\"version\":99,\"product_default\":true}",
         SM_EXPECT(404, 404, 403, 403, 404), .unchanged = FW},
        {"PUT", FW "/release", "{\"version\":1,\"groups\":[\"nope\"]}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = FW},
        {"PUT", FW "/release", "{\"version\":1,\"groups\":[\"europe\"]}",
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = FW},
        {"POST", FW, "{\"version\":2,\"title\":\"no binary\"}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = FW},
        {"DELETE", FW "/99", NULL, SM_EXPECT(404, 404, 403, 403, 404), .unchanged = FW},
        {"DELETE", FW "/1", NULL, SM_EXPECT(400, 400, 403, 403, 400), .unchanged = FW},
        {"GET", "/v1/products/99999/firmware", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_build_routes(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/build_targets", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/device-os/versions?platform_id=13", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/device-os/versions/6.3.2", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/binaries/0123456789abcdef01234567", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"POST", "/v1/binaries", "{\"platform_id\":13}", SM_EXPECT(400, 400, 400, 400, 400)},
        {"PUT", "/v1/devices/{device}/backup_files", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        /* control: developers only */
        {"POST", "/sim/devices/{device}/firmware", "{\"fail\":false}",
         SM_EXPECT(200, 200, 200, 403, 403)},
        {"POST", "/sim/devices/{device}/firmware", "{\"fail\":\"maybe\"}",
         SM_EXPECT(400, 400, 400, 403, 403)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_firmware_routes),
        cmocka_unit_test(test_build_routes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
