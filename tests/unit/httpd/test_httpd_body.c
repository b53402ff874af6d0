/* Body parsing without sockets: forms and JSON objects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "httpd_body.h"

static json_t *form(const char *text, char *err)
{
    return httpd_form_parse(text, strlen(text), err, 256);
}

static void test_form_shapes(void **state)
{
    (void)state;
    char err[256];
    json_t *o = form("a=1&&b=&c&d=x%2By+z&e[]=1&e[]=2&e=last&f[]=only", err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "a")), "1");
    assert_string_equal(json_string_value(json_object_get(o, "b")), "");
    assert_string_equal(json_string_value(json_object_get(o, "c")), "");
    assert_string_equal(json_string_value(json_object_get(o, "d")), "x+y z");
    assert_string_equal(json_string_value(json_object_get(o, "e")), "last"); /* last wins */
    assert_int_equal(json_array_size(json_object_get(o, "f")), 1);
    assert_int_equal(json_object_size(o), 6);
    json_decref(o);
    o = form("", err);
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
}

static void test_form_errors(void **state)
{
    (void)state;
    char err[256];
    const char *bad[] = {"=x", "a=%2", "a=%G0", "a%00=1", "a=\xff"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_null(form(bad[i], err));
        assert_true(strlen(err) > 0);
    }
    assert_null(httpd_form_parse("a=1\0b", 5, err, sizeof(err)));
}

static void test_json_and_content_types(void **state)
{
    (void)state;
    char err[256];
    json_t *o = httpd_body_parse("Application/JSON;charset=utf-8", "{\"a\":1}", 7, err, 256);
    assert_int_equal(json_integer_value(json_object_get(o, "a")), 1);
    json_decref(o);
    assert_null(httpd_body_parse("application/json", "{\"a\":1,\"a\":2}", 13, err, 256));
    assert_null(httpd_body_parse("application/json", "1", 1, err, 256));
    assert_string_equal(err, "JSON body must be an object");
    assert_null(httpd_body_parse("application/json", "{\"a\":\"\\u0000\"}", 14, err, 256));
    o = httpd_body_parse("application/jsonx", "[", 1, err, 256); /* not JSON: ignored */
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
    o = httpd_body_parse(NULL, "x", 1, err, 256);
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
    o = httpd_body_parse("application/json", "", 0, err, 256);
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_shapes),
        cmocka_unit_test(test_form_errors),
        cmocka_unit_test(test_json_and_content_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
