/*
 * pu_buf tests: appends of strings, bytes with NULs and single characters keep the data
 * NUL-terminated; growth across many appends keeps every byte; reserve avoids later
 * reallocation; take hands over the malloc'd data and empties the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pu_buf.h"

static void test_appends_stay_terminated(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_init(&b);
    assert_null(b.data);
    pu_buf_append_str(&b, "[\"a\"");
    pu_buf_append_char(&b, ',');
    pu_buf_append(&b, "x\0y", 3);
    assert_int_equal(b.len, 8);
    assert_memory_equal(b.data, "[\"a\",x\0y", 8);
    assert_int_equal(b.data[b.len], '\0');
    pu_buf_append(&b, NULL, 0);
    assert_int_equal(b.len, 8);
    pu_buf_dispose(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    pu_buf_dispose(NULL);
}

static void test_growth_keeps_bytes(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_init(&b);
    for (int i = 0; i < 10000; i++)
        pu_buf_append_char(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[10000], '\0');
    pu_buf_dispose(&b);
}

static void test_reserve(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_init(&b);
    pu_buf_reserve(&b, 5000);
    assert_true(b.cap >= 5001);
    assert_string_equal(b.data, "");
    char *before = b.data;
    for (int i = 0; i < 5000; i++)
        pu_buf_append_char(&b, 'z');
    assert_ptr_equal(b.data, before);
    pu_buf_dispose(&b);
}

static void test_take(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_init(&b);
    size_t len = 99;
    char *empty = pu_buf_take(&b, &len);
    assert_non_null(empty);
    assert_int_equal(len, 0);
    assert_string_equal(empty, "");
    free(empty);

    pu_buf_append_str(&b, "{\"ok\":true}");
    char *text = pu_buf_take(&b, &len);
    assert_int_equal(len, 11);
    assert_string_equal(text, "{\"ok\":true}");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(text);
    /* the buffer is usable again */
    pu_buf_append_str(&b, "again");
    assert_string_equal(b.data, "again");
    pu_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends_stay_terminated),
        cmocka_unit_test(test_growth_keeps_bytes),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
