/* The shared request budget: the sliding window and the pause after a 429. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "budget.h"
#include "pu_time.h"

static void test_window_allows_the_budget_then_says_when(void **state)
{
    (void)state;
    bridge_budget *b = bridge_budget_new(3);
    assert_non_null(b);
    int64_t retry = -1;
    for (int i = 0; i < 3; i++) {
        assert_true(bridge_budget_take(b, &retry));
        assert_int_equal(retry, 0);
    }
    assert_false(bridge_budget_take(b, &retry));
    assert_true(retry > 0);
    /* the sliding window weighs the previous window in: at most two windows away */
    assert_true(retry <= 2 * 5 * 60 * 1000);
    assert_false(bridge_budget_take(b, NULL));
    assert_false(bridge_budget_take_wait(b, 30)); /* bounded: gives up */
    bridge_budget *c = bridge_budget_new(3);
    assert_true(bridge_budget_take(c, NULL));
    assert_false(bridge_budget_take_n(c, 3, &retry)); /* all or none: nothing taken */
    assert_true(bridge_budget_take_n(c, 2, NULL));
    bridge_budget_free(c);
    assert_int_equal(bridge_budget_paused_until(b), 0);
    bridge_budget_free(b);
}

static void test_pause_stops_everyone_until_it_runs_out(void **state)
{
    (void)state;
    bridge_budget *b = bridge_budget_new(0); /* default 9000 */
    assert_true(bridge_budget_take(b, NULL));
    bridge_budget_pause(b, 150);
    assert_true(bridge_budget_paused_until(b) > pu_time_mono_ms());
    int64_t retry = 0;
    assert_false(bridge_budget_take(b, &retry));
    assert_true(retry > 0 && retry <= 150);
    /* a shorter pause does not cut a longer one short */
    bridge_budget_pause(b, 1);
    assert_false(bridge_budget_take(b, NULL));
    /* a taker that may wait gets through once the pause is over */
    assert_true(bridge_budget_take_wait(b, 5000));
    assert_int_equal(bridge_budget_paused_until(b), 0);
    bridge_budget_free(b);
    bridge_budget_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_allows_the_budget_then_says_when),
        cmocka_unit_test(test_pause_stops_everyone_until_it_runs_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
