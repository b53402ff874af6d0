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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting_table),
        cmocka_unit_test(test_records_end_with_the_line_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
