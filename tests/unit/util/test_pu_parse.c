/*
 * pu_parse tests, one table per parser: what the CLI, the simulator and the bridge accepted
 * before they shared this parser is still accepted (each table marks where a row comes
 * from), and malformed, out-of-range or overflowing text is refused without touching *out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <stdbool.h>

#include "pu_parse.h"

#define ROWS(table) (sizeof(table) / sizeof((table)[0]))

static void test_durations(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int ok;
        int64_t ms;
    } rows[] = {
        /* the CLI's --timeout, --until, --expires-in */
        {"30s", 0, 30000},
        {"5m", 0, 300000},
        {"2h", 0, 7200000},
        {"1d", 0, 86400000},
        {"250ms", 0, 250},
        {"45", 0, 45000},
        {"0", 0, 0},
        /* the bridge's config durations (fractions) */
        {"90", 0, 90000},
        {"1.5m", 0, 90000},
        {"0.25s", 0, 250},
        {"1.5ms", 0, 1},
        {".5", 0, 500},
        {"2.", 0, 2000},
        {"9223372036854775807ms", 0, INT64_MAX},
        /* refused */
        {"", -1, 0},
        {"-5s", -1, 0},
        {"+5s", -1, 0},
        {" 5s", -1, 0},
        {"5s ", -1, 0},
        {"5x", -1, 0},
        {"5 weeks", -1, 0},
        {"s", -1, 0},
        {".", -1, 0},
        {"1e3", -1, 0},
        {"5S", -1, 0},
        {"9223372036854775807d", -1, 0},
        {"9223372036854775808ms", -1, 0},
        {"99999999999999999999", -1, 0},
    };
    for (size_t i = 0; i < ROWS(rows); i++) {
        int64_t ms = -42;
        int rc = pu_parse_duration_ms(rows[i].text, &ms);
        if (rc != rows[i].ok) {
            fail_msg("\"%s\": got %d, want %d", rows[i].text, rc, rows[i].ok);
        }
        assert_int_equal(ms, rows[i].ok == 0 ? rows[i].ms : -42);
    }
    int64_t ms = 0;
    assert_int_equal(pu_parse_duration_ms(NULL, &ms), -1);
}

static void test_integers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t min, max;
        int ok;
        int64_t value;
    } rows[] = {
        {"42", 1, 100, 0, 42},
        {"1", 1, 100, 0, 1},
        {"100", 1, 100, 0, 100},
        {"+7", 0, 10, 0, 7},
        {"-7", -10, 10, 0, -7},
        {"007", 0, 10, 0, 7},
        {"9223372036854775807", 0, INT64_MAX, 0, INT64_MAX},
        {"-9223372036854775808", INT64_MIN, 0, 0, INT64_MIN},
        {"0", 1, 100, -1, 0},
        {"101", 1, 100, -1, 0},
        {"4x", 1, 100, -1, 0},
        {" 4", 1, 100, -1, 0},
        {"\t4", 1, 100, -1, 0},
        {"4 ", 1, 100, -1, 0},
        {"", 1, 100, -1, 0},
        {"-", -10, 10, -1, 0},
        {"0x10", 0, 100, -1, 0},
        {"1.0", 0, 100, -1, 0},
        {"9223372036854775808", 0, INT64_MAX, -1, 0},
    };
    for (size_t i = 0; i < ROWS(rows); i++) {
        int64_t v = -42;
        int rc = pu_parse_int64(rows[i].text, rows[i].min, rows[i].max, &v);
        if (rc != rows[i].ok) {
            fail_msg("\"%s\": got %d, want %d", rows[i].text, rc, rows[i].ok);
        }
        assert_int_equal(v, rows[i].ok == 0 ? rows[i].value : -42);
    }
}

static void test_doubles(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int ok;
        double value;
    } rows[] = {
        {"1.5", 0, 1.5},      {"-2", 0, -2},    {"1e3", 0, 1000}, {".5", 0, 0.5},
        {"+0.25", 0, 0.25},   {"1e400", -1, 0}, {"nan", -1, 0},   {"inf", -1, 0},
        {"-infinity", -1, 0}, {"0x1p3", -1, 0}, {" 1", -1, 0},    {"1 ", -1, 0},
        {"", -1, 0},          {"1.5.2", -1, 0}, {"2000", -1, 0},
    };
    for (size_t i = 0; i < ROWS(rows); i++) {
        double v = -42;
        int rc = pu_parse_double(rows[i].text, -1000, 1000, &v);
        if (rc != rows[i].ok) {
            fail_msg("\"%s\": got %d, want %d", rows[i].text, rc, rows[i].ok);
        }
        assert_true(v == (rows[i].ok == 0 ? rows[i].value : -42));
    }
}

static void test_booleans(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int ok;
        bool value;
    } rows[] = {
        /* the simulator's query arguments and variable values */
        {"true", 0, true},
        {"1", 0, true},
        {"false", 0, false},
        {"0", 0, false},
        /* the CLI and the bridge's config: any case, on/off, yes/no */
        {"ON", 0, true},
        {"off", 0, false},
        {"Yes", 0, true},
        {"no", 0, false},
        {"TRUE", 0, true},
        {"maybe", -1, false},
        {"", -1, false},
        {"true ", -1, false},
        {"2", -1, false},
        {"y", -1, false},
    };
    for (size_t i = 0; i < ROWS(rows); i++) {
        bool v = !rows[i].value;
        int rc = pu_parse_bool(rows[i].text, &v);
        if (rc != rows[i].ok) {
            fail_msg("\"%s\": got %d, want %d", rows[i].text, rc, rows[i].ok);
        }
        if (rc == 0) {
            assert_true(v == rows[i].value);
        } else {
            assert_true(v == !rows[i].value); /* untouched */
        }
    }
    bool v = false;
    assert_int_equal(pu_parse_bool(NULL, &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_booleans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
