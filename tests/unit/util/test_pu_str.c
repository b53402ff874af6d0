/* util/pu_str.c: the case-insensitive substring test the list filters share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

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

static void test_percent_encode(void **state)
{
    (void)state;
    char out[64];
    assert_true(pu_percent_encode("abc-._~XYZ019", out, sizeof(out)));
    assert_string_equal(out, "abc-._~XYZ019");
    assert_true(pu_percent_encode("a b/c?d&e=f#\"<>\x01\xc3\xa9", out, sizeof(out)));
    assert_string_equal(out, "a%20b%2Fc%3Fd%26e%3Df%23%22%3C%3E%01%C3%A9");
    assert_true(pu_percent_decode(out));
    assert_string_equal(out, "a b/c?d&e=f#\"<>\x01\xc3\xa9");
    assert_false(pu_percent_encode("/////", out, 15)); /* needs 16 */
    assert_string_equal(out, "");
    assert_true(pu_percent_encode("/////", out, 16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contains_nocase),
        cmocka_unit_test(test_percent_encode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
