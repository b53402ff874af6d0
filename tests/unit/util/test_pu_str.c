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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contains_nocase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
