/* pu_time_parse_iso8601: the forms it takes and the impossible times it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pu_time.h"

static void test_accepts_real_times(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(pu_time_parse_iso8601("2015-07-17T22:28:40.907Z", &ms), 0);
    assert_int_equal(ms, 1437172120907LL);
    assert_int_equal(pu_time_parse_iso8601("2024-02-29T00:00:00Z", &ms), 0); /* leap year */
    assert_int_equal(pu_time_parse_iso8601("2000-02-29T00:00:00Z", &ms), 0);
    assert_int_equal(pu_time_parse_iso8601("2025-12-31T23:59:59+14:00", &ms), 0);
    assert_int_equal(pu_time_parse_iso8601("2025-01-01T00:00:00-12:00", &ms), 0);
    assert_int_equal(pu_time_parse_iso8601("2025-01-01T00:00:00-14:00", &ms), 0);
    assert_int_equal(pu_time_parse_iso8601("2025-01-01T01:00:00+0100", &ms), 0);
    assert_int_equal(ms, 1735689600000LL);
    assert_int_equal(pu_time_parse_iso8601("2025-11-04T12:30:49.8920467+00:00", &ms), 0);
}

static void test_refuses_impossible_times(void **state)
{
    (void)state;
    const char *bad[] = {
        "2025-02-30T00:00:00Z",      "2023-02-29T00:00:00Z",      "1900-02-29T00:00:00Z",
        "2025-04-31T00:00:00Z",      "2025-13-01T00:00:00Z",      "2025-00-10T00:00:00Z",
        "2025-01-00T00:00:00Z",      "2025-01-01T24:00:00Z",      "2025-01-01T00:60:00Z",
        "2025-01-01T00:00:61Z",      "2025-01-01T00:00:00+99:99", "2025-01-01T00:00:00+14:01",
        "2025-01-01T00:00:00-15:00", "2025-01-01T00:00:00+05:60", "2025-01-01T00:00:00",
        "2025-01-01T00:00:00Zjunk",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t ms = 0;
        if (pu_time_parse_iso8601(bad[i], &ms) != -1)
            fail_msg("accepted %s", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_real_times),
        cmocka_unit_test(test_refuses_impossible_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
