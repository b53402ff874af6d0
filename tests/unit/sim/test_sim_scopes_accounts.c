/* Scope matrix of the account routes (products, organizations, team, OAuth clients,
 * customers): each route against the owner, a team member, a non-member, a customer and a
 * product client token (scope_matrix.h). */
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

/* The harness itself, on routes that predate this file. */
static void test_harness_principals(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products/{product}/devices", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}/devices/{device}", NULL, SM_EXPECT(200, 200, 403, 200, 200)},
        {"GET", "/v1/devices/{device}", NULL, SM_EXPECT(200, 200, 403, 200, 200)},
        {"GET", "/v1/products/99999/devices", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_harness_principals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
