/* "did you mean": the edit distance and the choice of the closest command or option. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "suggest.h"

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(cli_edit_distance("list", "list", 3), 0);
    assert_int_equal(cli_edit_distance("lst", "list", 3), 1);   /* deletion */
    assert_int_equal(cli_edit_distance("lisst", "list", 3), 1); /* insertion */
    assert_int_equal(cli_edit_distance("lust", "list", 3), 1);  /* substitution */
    assert_int_equal(cli_edit_distance("jsno", "json", 3), 1);  /* swap of neighbours */
    assert_int_equal(cli_edit_distance("", "call", 9), 4);
    assert_int_equal(cli_edit_distance("subscribe", "publish", 1), 2); /* stops at limit + 1 */
}

static void test_suggest_closest(void **state)
{
    (void)state;
    static const char *const commands[] = {"login", "list", "get", NULL, "call", "monitor"};
    size_t n = sizeof(commands) / sizeof(commands[0]);
    assert_string_equal(cli_suggest("lst", commands, n), "list");
    assert_string_equal(cli_suggest("monitr", commands, n), "monitor");
    assert_string_equal(cli_suggest("gte", commands, n), "get");
    assert_null(cli_suggest("xyz", commands, n));
    /* short words allow one edit only: "cal" is one from "call", "clal" a swap */
    assert_string_equal(cli_suggest("clal", commands, n), "call");
    assert_null(cli_suggest("gxtx", commands, n));
    assert_null(cli_suggest("anything", commands, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_suggest_closest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
