/* util/pu_str.c: the case-insensitive substring test the list filters share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "pu_buf.h"
#include "pu_str.h"

static void test_contains_nocase(void **state)
{
    (void)state;
    assert_true(pu_str_contains_nocase("demo-Argon-1", "argon"));
    assert_true(pu_str_contains_nocase("demo-argon-1", "DEMO-ARGON-1"));
    assert_true(pu_str_contains_nocase("abc", "c"));
    assert_false(pu_str_contains_nocase("abc", "abcd"));
    assert_false(pu_str_contains_nocase("abc", "x"));
    assert_false(pu_str_contains_nocase("", "a"));
    /* no filter matches everything, even a missing field; a missing field matches no filter */
    assert_true(pu_str_contains_nocase("abc", ""));
    assert_true(pu_str_contains_nocase(NULL, NULL));
    assert_true(pu_str_contains_nocase(NULL, ""));
    assert_false(pu_str_contains_nocase(NULL, "a"));
}

/* pu_percent_decode undoes pu_buf's percent encoder, control and UTF-8 bytes included. */
static void test_percent_round_trip(void **state)
{
    (void)state;
    const char *text = "a b/c?d&e=f#\"<>\x01\xc3\xa9";
    pu_buf b;
    pu_buf_init(&b, PU_BUF_UNLIMITED, NULL);
    assert_int_equal(pu_buf_append_percent_encoded(&b, text), 0);
    assert_string_equal(b.data, "a%20b%2Fc%3Fd%26e%3Df%23%22%3C%3E%01%C3%A9");
    assert_true(pu_percent_decode(b.data));
    assert_string_equal(b.data, text);
    pu_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contains_nocase),
        cmocka_unit_test(test_percent_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
