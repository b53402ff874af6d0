/* Scope matrix of the library routes (routes/libraries.c), scope_matrix.h: every principal
 * reads the public libraries; nobody but a library's owner changes it, so the fixture's
 * libraries (owned by no user) refuse publishing and deleting to all five, and customers
 * and product tokens may not change anything. Malformed bodies are 400; refusals leave the
 * library as it was. (Contributions are multipart: test_sim_libraries.c covers them.) */
#include "scope_matrix.h"

static void test_libraries(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/libraries", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/libraries?scope=official&sort=-installs&limit=2", NULL,
         SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/libraries?scope=nope", NULL, SM_EXPECT(400, 400, 400, 400, 400)},
        {"GET", "/v1/libraries/neopixel", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/libraries/neopixel?version=1.0.0", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"GET", "/v1/libraries/nope", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"GET", "/v1/libraries/neopixel/versions", NULL, SM_EXPECT(200, 200, 200, 200, 200)},
        {"PATCH", "/v1/libraries/neopixel", "{\"visibility\":\"public\"}",
         SM_EXPECT(403, 403, 403, 403, 403), .unchanged = "/v1/libraries/neopixel"},
        {"PATCH", "/v1/libraries/neopixel", "{\"visibility\":", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/libraries/neopixel"},
        {"DELETE", "/v1/libraries/neopixel", NULL, SM_EXPECT(403, 403, 403, 403, 403),
         .unchanged = "/v1/libraries/neopixel/versions"},
        {"DELETE", "/v1/libraries/nope", NULL, SM_EXPECT(404, 404, 404, 403, 403)},
        {"POST", "/v1/libraries", "{\"name\":\"x\"}", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/libraries"},
    };
    sm_fleet f = SM_DEFAULT_FLEET;
    sm_ctx *sm = sm_start(&f);
    sm_run(sm, ROWS, SM_COUNT(ROWS));
    sm_stop(sm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_libraries)};
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
