/* util/pu_log.c: the line's shape in text and JSON, JSON escaping, cutting long messages at a
 * character boundary, the level filter and the timestamp (UTC, milliseconds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pu_log.h"

#define T_MS 1769860800123LL /* 2026-01-31T12:00:00.123Z */

static void test_text_line(void **state)
{
    (void)state;
    char out[PU_LOG_LINE_MAX];
    size_t n = pu_log_render(out, PU_LOG_FORMAT_TEXT, "particle-bridge", T_MS, PU_LOG_WARN, "sse",
                             "stream user lost");
    assert_string_equal(out, "2026-01-31T12:00:00.123Z WARN particle-bridge/sse: stream user lost");
    assert_int_equal(n, strlen(out));
}

static void test_text_line_stays_one_line(void **state)
{
    (void)state;
    char out[PU_LOG_LINE_MAX];
    pu_log_render(out, PU_LOG_FORMAT_TEXT, "app", T_MS, PU_LOG_ERROR, "c", "a\nb\rc\td");
    assert_string_equal(out, "2026-01-31T12:00:00.123Z ERROR app/c: a b c d");
}

static void test_json_line_parses(void **state)
{
    (void)state;
    char out[PU_LOG_LINE_MAX];
    const char *msg = "quote \" backslash \\ newline \n tab \t bell \x07 utf8 \xc3\xa9";
    pu_log_render(out, PU_LOG_FORMAT_JSON, "particle-sim", T_MS, PU_LOG_INFO, "http", msg);
    assert_null(strchr(out, '\n'));
    json_error_t err;
    json_t *j = json_loads(out, JSON_REJECT_DUPLICATES, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "time")), "2026-01-31T12:00:00.123Z");
    assert_string_equal(json_string_value(json_object_get(j, "level")), "info");
    assert_string_equal(json_string_value(json_object_get(j, "app")), "particle-sim");
    assert_string_equal(json_string_value(json_object_get(j, "component")), "http");
    assert_string_equal(json_string_value(json_object_get(j, "msg")), msg);
    assert_int_equal(json_object_size(j), 5);
    json_decref(j);
    assert_non_null(strstr(out, "bell \\u0007"));
}

/* A message over the cap is cut, and never inside a UTF-8 character: the JSON stays valid. */
static void test_long_message_cut_on_character(void **state)
{
    (void)state;
    char msg[3000];
    for (size_t i = 0; i + 2 < sizeof msg; i += 2) {
        msg[i] = (char)0xc3; /* é, two bytes */
        msg[i + 1] = (char)0xa9;
    }
    msg[sizeof msg - 2] = 'x';
    msg[sizeof msg - 1] = '\0';
    char out[PU_LOG_LINE_MAX];
    pu_log_render(out, PU_LOG_FORMAT_JSON, "app", T_MS, PU_LOG_INFO, "c", msg);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    size_t kept = strlen(json_string_value(json_object_get(j, "msg")));
    assert_true(kept <= PU_LOG_MESSAGE_MAX - 1);
    assert_true(kept >= PU_LOG_MESSAGE_MAX - 3);
    assert_int_equal(kept % 2, 0);
    json_decref(j);
}

static void test_parse_words(void **state)
{
    (void)state;
    pu_log_level l;
    pu_log_format f;
    pu_log_output o;
    assert_int_equal(pu_log_level_parse("debug", &l), 0);
    assert_int_equal(l, PU_LOG_DEBUG);
    assert_int_equal(pu_log_level_parse("warning", &l), 0);
    assert_int_equal(l, PU_LOG_WARN);
    assert_int_equal(pu_log_level_parse("error", &l), 0);
    assert_int_equal(l, PU_LOG_ERROR);
    assert_int_equal(pu_log_level_parse("loud", &l), -1);
    assert_int_equal(pu_log_format_parse("json", &f), 0);
    assert_int_equal(f, PU_LOG_FORMAT_JSON);
    assert_int_equal(pu_log_format_parse("xml", &f), -1);
    assert_int_equal(pu_log_output_parse("journald", &o), 0);
    assert_int_equal(o, PU_LOG_OUTPUT_SYSLOG);
    assert_int_equal(pu_log_output_parse("stderr", &o), 0);
    assert_int_equal(o, PU_LOG_OUTPUT_STDERR);
    assert_int_equal(pu_log_output_parse("file", &o), -1);
    assert_string_equal(pu_log_level_name(PU_LOG_WARN), "warn");
}

/* Runs pu_log() with stderr pointed at a temporary file and returns what was written. */
static char *capture_stderr(void (*write_lines)(void))
{
    char path[] = "/tmp/test_pu_log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    write_lines();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    static char text[4 * PU_LOG_LINE_MAX];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    assert_true(n >= 0);
    text[n] = '\0';
    close(fd);
    unlink(path);
    return text;
}

static void warn_level_lines(void)
{
    pu_log_options o = {"test", PU_LOG_WARN, PU_LOG_FORMAT_TEXT, PU_LOG_OUTPUT_STDERR};
    pu_log_configure(&o);
    pu_log(PU_LOG_DEBUG, "c", "debug %d", 1);
    pu_log(PU_LOG_INFO, "c", "info %d", 2);
    pu_log(PU_LOG_WARN, "c", "warn %d", 3);
    pu_log(PU_LOG_ERROR, "c", "error %s", "four");
}

static void test_level_filter(void **state)
{
    (void)state;
    char *text = capture_stderr(warn_level_lines);
    assert_null(strstr(text, "debug 1"));
    assert_null(strstr(text, "info 2"));
    char *warn = strstr(text, " WARN test/c: warn 3\n");
    char *error = strstr(text, " ERROR test/c: error four\n");
    assert_non_null(warn);
    assert_non_null(error);
    assert_true(warn < error);
    /* each line starts with the time: YYYY-MM-DDTHH:MM:SS.mmmZ */
    const char *shape = "dddd-dd-ddTdd:dd:dd.dddZ ";
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'd') {
            assert_true(text[i] >= '0' && text[i] <= '9');
        } else {
            assert_int_equal(text[i], shape[i]);
        }
    }
}

static void json_lines(void)
{
    pu_log_options o = {"test", PU_LOG_DEBUG, PU_LOG_FORMAT_JSON, PU_LOG_OUTPUT_STDERR};
    pu_log_configure(&o);
    pu_log(PU_LOG_DEBUG, "store", "opened %s", "bridge.db");
}

static void test_json_output(void **state)
{
    (void)state;
    char *text = capture_stderr(json_lines);
    size_t n = strlen(text);
    assert_true(n > 1 && text[n - 1] == '\n');
    json_t *j = json_loadb(text, n - 1, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "level")), "debug");
    assert_string_equal(json_string_value(json_object_get(j, "msg")), "opened bridge.db");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_line),
        cmocka_unit_test(test_text_line_stays_one_line),
        cmocka_unit_test(test_json_line_parses),
        cmocka_unit_test(test_long_message_cut_on_character),
        cmocka_unit_test(test_parse_words),
        cmocka_unit_test(test_level_filter),
        cmocka_unit_test(test_json_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
