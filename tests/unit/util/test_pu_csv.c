/*
 * pu_csv tests (RFC 4180): plain fields are written as they are; a comma, a quote, CR or LF
 * quotes the field and doubles its quotes; records end with the writer's line end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <stdlib.h>

#include "pu_csv.h"

static void test_quoting_table(void **state)
{
    (void)state;
    static const struct {
        const char *field;
        const char *written;
    } cases[] = {
        {"plain", "plain"},   {"", ""},
        {"a,b", "\"a,b\""},   {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},   {"line\nbreak", "\"line\nbreak\""},
        {"cr\r", "\"cr\r\""}, {"semi;colon and spaces", "semi;colon and spaces"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pu_csv c;
        pu_csv_init(&c, PU_CSV_LF);
        assert_int_equal(pu_csv_field(&c, cases[i].field, false), 0);
        size_t n = c.buf.len;
        assert_true(n > 0 && c.buf.data[n - 1] == ',');
        c.buf.data[n - 1] = '\0';
        assert_string_equal(c.buf.data, cases[i].written);
        pu_csv_dispose(&c);
    }
}

static void test_records_end_with_the_line_end(void **state)
{
    (void)state;
    pu_csv c;
    pu_csv_init(&c, PU_CSV_CRLF);
    pu_csv_field(&c, "id", false);
    pu_csv_field(&c, "name", true);
    pu_csv_field(&c, "1", false);
    pu_csv_field(&c, "a, b", true);
    size_t len = 0;
    char *text = pu_buf_take(&c.buf, &len);
    assert_string_equal(text, "id,name\r\n1,\"a, b\"\r\n");
    assert_int_equal(len, 19);
    free(text);
    pu_csv_dispose(&c);

    pu_csv_init(&c, PU_CSV_LF);
    pu_csv_field(&c, "only", true);
    assert_string_equal(c.buf.data, "only\n");
    pu_csv_dispose(&c);
    pu_csv_dispose(NULL);
}

/* Writes one field with a fresh writer; returns the text without the trailing comma. */
static char *one_field(const char *field, bool raw)
{
    pu_csv c;
    pu_csv_init(&c, PU_CSV_LF);
    pu_csv_set_raw(&c, raw);
    assert_int_equal(pu_csv_field(&c, field, false), 0);
    size_t len = 0;
    char *text = pu_buf_take(&c.buf, &len);
    assert_true(len > 0 && text[len - 1] == ',');
    text[len - 1] = '\0';
    pu_csv_dispose(&c);
    return text;
}

/* OWASP CSV injection: formulas are shown as text unless raw; numbers keep their sign. */
static void test_formulas_neutralised(void **state)
{
    (void)state;
    static const struct {
        const char *field;
        const char *written;
        const char *raw;
    } cases[] = {
        {"=1+2", "'=1+2", "=1+2"},
        {"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"},
        {"+1+2", "'+1+2", "+1+2"},
        {"-2+3", "'-2+3", "-2+3"},
        {"@SUM(A1)", "'@SUM(A1)", "@SUM(A1)"},
        {"\tx", "'\tx", "\tx"},
        {"\rx", "\"'\rx\"", "\"\rx\""},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
         "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"-12.5", "-12.5", "-12.5"},
        {"+3", "+3", "+3"},
        {"-1e-3", "-1e-3", "-1e-3"},
        {"-", "'-", "-"},
        {"a=b", "a=b", "a=b"},
        {"", "", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = one_field(cases[i].field, false);
        assert_string_equal(text, cases[i].written);
        free(text);
        text = one_field(cases[i].field, true);
        assert_string_equal(text, cases[i].raw);
        free(text);
    }
}

/* Control characters other than tab, CR and LF become U+FFFD, raw or not. */
static void test_control_characters_replaced(void **state)
{
    (void)state;
    for (int raw = 0; raw < 2; raw++) {
        char *text = one_field("a\x01"
                               "b\x1b"
                               "[2Jc\x7f",
                               raw);
        assert_string_equal(text, "a\xef\xbf\xbd"
                                  "b\xef\xbf\xbd"
                                  "[2Jc\xef\xbf\xbd");
        free(text);
        text = one_field("tab\tok", raw);
        assert_string_equal(text, "tab\tok");
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting_table),
        cmocka_unit_test(test_records_end_with_the_line_end),
        cmocka_unit_test(test_formulas_neutralised),
        cmocka_unit_test(test_control_characters_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
