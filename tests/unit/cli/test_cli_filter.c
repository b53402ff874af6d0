/* The platform names, the list filter, and exit-code mapping (the value parsers are util's
 * pu_parse, tested in tests/unit/util/test_pu_parse.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "errors.h"
#include "filter.h"

static void test_platforms(void **state)
{
    (void)state;
    assert_string_equal(cli_platform_name(13), "boron");
    assert_string_equal(cli_platform_name(6), "photon");
    assert_null(cli_platform_name(9999));
    assert_int_equal(cli_platform_id("Argon"), 12);
    assert_int_equal(cli_platform_id("toaster"), -1);
}

static void test_filters(void **state)
{
    (void)state;
    assert_true(cli_filter_match(NULL, "lamp", "abc", 6, false));
    assert_true(cli_filter_match("online", "lamp", "abc", 6, true));
    assert_false(cli_filter_match("online", "lamp", "abc", 6, false));
    assert_true(cli_filter_match("OFFLINE", "lamp", "abc", 6, false));
    assert_true(cli_filter_match("photon", "lamp", "abc", 6, false));
    assert_false(cli_filter_match("boron", "lamp", "abc", 6, false));
    assert_true(cli_filter_match("AM", "lamp", "e00f", 13, true));
    assert_true(cli_filter_match("00F", "lamp", "e00f", 13, true));
    assert_false(cli_filter_match("zz", "lamp", "e00f", 13, true));
    assert_false(cli_filter_match("zz", NULL, "e00f", 13, true));
}

static void test_exit_statuses(void **state)
{
    (void)state;
    assert_int_equal(cli_exit_status(PARTICLE_OK), CLI_EXIT_OK);
    assert_int_equal(cli_exit_status(PARTICLE_ENOTFOUND), CLI_EXIT_API);
    assert_int_equal(cli_exit_status(PARTICLE_EFORBIDDEN), CLI_EXIT_API);
    assert_int_equal(cli_exit_status(PARTICLE_EOFFLINE), CLI_EXIT_API);
    assert_int_equal(cli_exit_status(PARTICLE_EINVAL), CLI_EXIT_USAGE);
    assert_int_equal(cli_exit_status(PARTICLE_ENET), CLI_EXIT_NETWORK);
    assert_int_equal(cli_exit_status(PARTICLE_ETIMEDOUT), CLI_EXIT_NETWORK);
    assert_int_equal(cli_exit_status(PARTICLE_EAUTH), CLI_EXIT_AUTH);
    assert_int_equal(cli_exit_status(PARTICLE_EMFA), CLI_EXIT_AUTH);
}

static void test_error_line(void **state)
{
    (void)state;
    char line[700];
    particle_error e;
    memset(&e, 0, sizeof(e));
    e.code = PARTICLE_EFORBIDDEN;
    e.http_status = 403;
    snprintf(e.api_code, sizeof(e.api_code), "Permission Denied");
    snprintf(e.message, sizeof(e.message), "I didn't recognize that device name or ID");
    cli_error_format(&e, line, sizeof(line));
    assert_string_equal(line,
                        "I didn't recognize that device name or ID (HTTP 403, Permission Denied)");
    /* the API's info text is preferred over a terse error */
    snprintf(e.message, sizeof(e.message), "Permission Denied");
    snprintf(e.info, sizeof(e.info), "I didn't recognize that device name or ID");
    cli_error_format(&e, line, sizeof(line));
    assert_string_equal(line,
                        "I didn't recognize that device name or ID (HTTP 403, Permission Denied)");
    e.info[0] = '\0';
    snprintf(e.api_code, sizeof(e.api_code), "Variable not found");
    snprintf(e.message, sizeof(e.message), "Variable not found");
    e.http_status = 404;
    cli_error_format(&e, line, sizeof(line));
    assert_string_equal(line, "Variable not found (HTTP 404)");
    /* an `error` too long for api_code, also the message: said once */
    snprintf(e.message, sizeof(e.message), "%s",
             "Invalid group name: 1 to 64 lowercase letters, digits, dashes or underscores");
    memcpy(e.api_code, e.message, sizeof(e.api_code) - 1); /* as the SDK cuts it */
    e.api_code[sizeof(e.api_code) - 1] = '\0';
    e.http_status = 400;
    cli_error_format(&e, line, sizeof(line));
    assert_string_equal(line, "Invalid group name: 1 to 64 lowercase letters, digits, dashes or "
                              "underscores (HTTP 400)");
    e.http_status = 404;
    /* control characters from the server never reach the terminal */
    snprintf(e.message, sizeof(e.message), "bad\x1b[31m\r\nthing");
    snprintf(e.api_code, sizeof(e.api_code), "oops");
    cli_error_format(&e, line, sizeof(line));
    assert_string_equal(line, "bad?[31m??thing (HTTP 404, oops)");
    memset(&e, 0, sizeof(e));
    e.code = PARTICLE_ENET;
    cli_error_format(&e, line, sizeof(line));
    assert_string_equal(line, "network error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_platforms),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_exit_statuses),
        cmocka_unit_test(test_error_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
