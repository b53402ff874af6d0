/* TimeSpan, ISO 8601 duration and date formats of the DTO, and config durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "timespan.h"

static void test_timespan_roundtrip(void **state)
{
    (void)state;
    char buf[BRIDGE_TIMESPAN_SIZE];
    assert_string_equal(bridge_timespan_format(0, buf), "00:00:00");
    assert_string_equal(bridge_timespan_format(123, buf), "00:00:00.1230000");
    assert_string_equal(bridge_timespan_format(90061001, buf), "1.01:01:01.0010000");
    int64_t ms = 0;
    assert_true(bridge_timespan_parse("00:00:00.1234567", &ms));
    assert_int_equal(ms, 123);
    assert_true(bridge_timespan_parse("1.01:01:01.001", &ms));
    assert_int_equal(ms, 90061001);
    assert_true(bridge_timespan_parse("00:05:00", &ms));
    assert_int_equal(ms, 300000);
    assert_false(bridge_timespan_parse("00:60:00", &ms));
    assert_false(bridge_timespan_parse("5 minutes", &ms));
    assert_false(bridge_timespan_parse("00:00", &ms));
    assert_false(bridge_timespan_parse("00:00:00.", &ms));
}

static void test_iso_duration(void **state)
{
    (void)state;
    char buf[BRIDGE_TIMESPAN_SIZE];
    assert_string_equal(bridge_duration_format(123, buf), "PT0.123S");
    assert_string_equal(bridge_duration_format(0, buf), "PT0S");
    assert_string_equal(bridge_duration_format(90000, buf), "PT1M30S");
    assert_string_equal(bridge_duration_format(86400000, buf), "P1D");
    assert_string_equal(bridge_duration_format(93600500, buf), "P1DT2H0.5S");
    int64_t ms = 0;
    assert_true(bridge_duration_parse("PT0.1234567S", &ms));
    assert_int_equal(ms, 123);
    assert_true(bridge_duration_parse("P1DT2H0.5S", &ms));
    assert_int_equal(ms, 93600500);
    assert_false(bridge_duration_parse("PT", &ms));
    assert_false(bridge_duration_parse("P1H", &ms));
    assert_false(bridge_duration_parse("1S", &ms));
}

static void test_config_durations(void **state)
{
    (void)state;
    int64_t ms = 0;
    assert_true(bridge_config_duration_parse("90", &ms));
    assert_int_equal(ms, 90000);
    assert_true(bridge_config_duration_parse("250ms", &ms));
    assert_int_equal(ms, 250);
    assert_true(bridge_config_duration_parse("1.5m", &ms));
    assert_int_equal(ms, 90000);
    assert_true(bridge_config_duration_parse("00:01:00", &ms));
    assert_int_equal(ms, 60000);
    assert_false(bridge_config_duration_parse("-5", &ms));
    assert_false(bridge_config_duration_parse("5 weeks", &ms));
}

static void test_date_format(void **state)
{
    (void)state;
    char buf[BRIDGE_TIMESPAN_SIZE];
    assert_string_equal(bridge_date_format(1762259449892, buf),
                        "2025-11-04T12:30:49.8920000+00:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timespan_roundtrip),
        cmocka_unit_test(test_iso_duration),
        cmocka_unit_test(test_config_durations),
        cmocka_unit_test(test_date_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
