/* The circuit breaker: threshold, skip until reset, growing delay, success closes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "breaker.h"

static void test_breaker_cycle(void **state)
{
    (void)state;
    bridge_breaker_policy p = {3, 1000, 3000};
    bridge_breaker_state s = {0};
    assert_true(bridge_breaker_allows(&s, 0));
    assert_false(bridge_breaker_failure(&s, &p, 0));
    assert_false(bridge_breaker_failure(&s, &p, 0));
    assert_true(bridge_breaker_failure(&s, &p, 100)); /* third in a row trips */
    assert_true(s.faulted);
    assert_int_equal(s.fault_count, 3);
    assert_int_equal(s.reset_at_ms, 1100);
    assert_false(bridge_breaker_failure(&s, &p, 200)); /* was in flight: no second trip */
    assert_int_equal(s.reset_at_ms, 1100);
    assert_false(bridge_breaker_allows(&s, 1099));
    assert_true(bridge_breaker_allows(&s, 1100)); /* half-open try */
    assert_true(bridge_breaker_failure(&s, &p, 1100));
    assert_int_equal(s.reset_at_ms, 1100 + 2000); /* the delay doubled */
    assert_true(bridge_breaker_failure(&s, &p, 3100));
    assert_int_equal(s.reset_at_ms, 3100 + 3000); /* capped */
    assert_true(bridge_breaker_success(&s));
    assert_false(s.faulted);
    assert_int_equal(s.fault_count, 0);
    assert_int_equal(s.trips, 0);
    assert_false(bridge_breaker_success(&s));           /* nothing to change */
    assert_false(bridge_breaker_failure(&s, &p, 7000)); /* counting starts afresh */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_breaker_cycle)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
