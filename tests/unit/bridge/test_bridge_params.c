/* The API's query-parameter parser (api/params.c) and paging cursor (api/cursor.c): every
 * class of bad input is refused with the parameter's name, and a cursor survives its round
 * trip but not damage, truncation or use on another list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/catalog.h"
#include "api/cursor.h"
#include "api/params.h"

static const char *const colours[] = {"red", "green", NULL};
static const bridge_param_spec specs[] = {
    {.name = "limit", .type = BRIDGE_PARAM_INT, .min = 1, .max = 100},
    {.name = "on", .type = BRIDGE_PARAM_BOOL},
    {.name = "from", .type = BRIDGE_PARAM_TIME},
    {.name = "colour", .type = BRIDGE_PARAM_ENUM, .choices = colours},
    {.name = "name", .type = BRIDGE_PARAM_STRING, .max = 5},
    {.name = "device", .type = BRIDGE_PARAM_ID, .max = 8},
    {.name = "cursor", .type = BRIDGE_PARAM_CURSOR, .max = 600},
};
#define NSPECS (sizeof specs / sizeof specs[0])

/* One pair into a fresh parser: true when accepted. */
static bool one(const char *name, const char *value, bridge_params *p)
{
    bridge_params_init(p, specs, NSPECS);
    return bridge_params_add(p, name, value);
}

static void refused(const char *name, const char *value, const char *message)
{
    bridge_params p;
    if (one(name, value, &p)) {
        fail_msg("%s=%s was accepted", name, value);
    }
    assert_string_equal(p.bad, name[0] != '\0' ? name : "(empty name)");
    if (strstr(p.message, message) == NULL) {
        fail_msg("%s=%s: \"%s\" does not say \"%s\"", name, value, p.message, message);
    }
}

static void test_accepts_each_type(void **state)
{
    (void)state;
    bridge_params p;
    bridge_params_init(&p, specs, NSPECS);
    assert_true(bridge_params_add(&p, "limit", "100"));
    assert_true(bridge_params_add(&p, "on", "no"));
    assert_true(bridge_params_add(&p, "from", "2025-01-31T12:00:00Z"));
    assert_true(bridge_params_add(&p, "colour", "green"));
    assert_true(bridge_params_add(&p, "name", "abcde"));
    assert_true(bridge_params_add(&p, "device", "a-b_C9"));
    assert_true(bridge_params_add(&p, "cursor", "AQ"));
    assert_int_equal(bridge_params_get(&p, "limit")->num, 100);
    assert_int_equal(bridge_params_get(&p, "on")->num, 0);
    assert_int_equal(bridge_params_get(&p, "from")->num, INT64_C(1738324800000));
    assert_int_equal(bridge_params_get(&p, "colour")->num, 1);
    assert_string_equal(bridge_params_text(&p, "device"), "a-b_C9");
    assert_null(bridge_params_get(&p, "nonesuch"));
    bridge_params_init(&p, specs, NSPECS);
    assert_true(bridge_params_add(&p, "from", "1738324800000")); /* epoch ms */
    assert_int_equal(bridge_params_get(&p, "from")->num, INT64_C(1738324800000));
    assert_null(bridge_params_text(&p, "limit")); /* absent */
}

static void test_refuses_every_class(void **state)
{
    (void)state;
    /* unknown */
    refused("nonesuch", "1", "unknown parameter");
    refused("LIMIT", "1", "unknown parameter");
    refused("", "1", "unknown parameter");
    /* duplicated, even with the same value */
    bridge_params p;
    assert_true(one("limit", "5", &p));
    assert_false(bridge_params_add(&p, "limit", "5"));
    assert_string_equal(p.bad, "limit");
    assert_non_null(strstr(p.message, "more than once"));
    assert_false(bridge_params_add(&p, "on", "true")); /* the first refusal sticks */
    assert_string_equal(p.bad, "limit");
    /* negative */
    refused("limit", "-1", "from 1 to 100");
    refused("from", "-5", "RFC 3339");
    /* huge */
    refused("limit", "101", "from 1 to 100");
    refused("limit", "99999999999999999999999", "from 1 to 100");
    refused("from", "253402300800000", "RFC 3339"); /* after year 9999 */
    refused("name", "abcdef", "at most 5");
    refused("device", "abcdefghi", "at most 8");
    char big[BRIDGE_PARAM_MAX_TEXT + 2];
    memset(big, '7', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    refused("cursor", big, "too long");
    refused("limit", big, "too long");
    /* malformed */
    refused("limit", "", "empty");
    refused("limit", "1.5", "whole number");
    refused("limit", " 1", "whole number");
    refused("limit", "0x10", "whole number");
    refused("on", "maybe", "true or false");
    refused("from", "2025-02-30T00:00:00Z", "RFC 3339");
    refused("from", "2025-01-31 12:00:00", "RFC 3339");
    refused("from", "yesterday", "RFC 3339");
    refused("colour", "blue", "one of: red, green");
    refused("colour", "RED", "one of");
    refused("device", "a/b", "letters, digits");
    refused("device", "a b", "letters, digits");
    refused("name", "", "empty");
}

static void test_catalog_declarations_are_sane(void **state)
{
    (void)state;
    for (int id = 0; id < BRIDGE_ROUTE_COUNT; id++) {
        const bridge_route_doc *doc = bridge_route_doc_get((bridge_route_id)id);
        assert_non_null(doc->path);
        assert_true(doc->param_count <= BRIDGE_PARAMS_MAX);
        for (size_t i = 0; i < doc->param_count; i++) {
            const bridge_param_spec *s = &doc->params[i];
            assert_non_null(s->doc);
            assert_true(s->type != BRIDGE_PARAM_ENUM || s->choices != NULL);
            assert_true(s->type != BRIDGE_PARAM_INT || s->min <= s->max);
            for (size_t j = 0; j < i; j++) {
                assert_string_not_equal(s->name, doc->params[j].name);
            }
        }
        if (doc->paged) {
            bridge_params p;
            bridge_params_init(&p, doc->params, doc->param_count);
            assert_non_null(bridge_params_get(&p, "limit"));
            assert_non_null(bridge_params_get(&p, "cursor"));
        }
    }
}

static void test_cursor_round_trip(void **state)
{
    (void)state;
    bridge_cursor_key key = {.n1 = INT64_MIN, .n2 = -1}, back;
    memset(key.s1, 'x', sizeof key.s1 - 1);
    key.s1[sizeof key.s1 - 1] = '\0';
    snprintf(key.s2, sizeof key.s2, "%s", "dev-ü,\"<>");
    char text[BRIDGE_CURSOR_SIZE];
    const char *why = NULL;
    assert_true(bridge_cursor_encode("devices:name", &key, text, sizeof text));
    assert_int_equal(
        strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        strlen(text));
    assert_true(bridge_cursor_decode(text, "devices:name", &back, &why));
    assert_true(back.n1 == INT64_MIN && back.n2 == -1);
    assert_string_equal(back.s1, key.s1);
    assert_string_equal(back.s2, key.s2);
    /* another list or order */
    assert_false(bridge_cursor_decode(text, "devices:last_heard", &back, &why));
    assert_non_null(strstr(why, "another list"));
    /* too small a buffer */
    char small[16];
    assert_false(bridge_cursor_encode("devices:name", &key, small, sizeof small));
}

static void test_cursor_refuses_garbage(void **state)
{
    (void)state;
    bridge_cursor_key key = {.n1 = 1700000000000, .n2 = 42}, back;
    char text[BRIDGE_CURSOR_SIZE];
    const char *why = NULL;
    assert_true(bridge_cursor_encode("measurements:time", &key, text, sizeof text));
    size_t len = strlen(text);
    /* every single-character change is caught */
    for (size_t i = 0; i < len; i++) {
        char damaged[BRIDGE_CURSOR_SIZE];
        memcpy(damaged, text, len + 1);
        damaged[i] = damaged[i] == 'A' ? 'B' : 'A';
        assert_false(bridge_cursor_decode(damaged, "measurements:time", &back, &why));
    }
    /* truncated at any length */
    for (size_t n = 0; n < len; n++) {
        char cut[BRIDGE_CURSOR_SIZE];
        memcpy(cut, text, n);
        cut[n] = '\0';
        assert_false(bridge_cursor_decode(cut, "measurements:time", &back, &why));
    }
    const char *garbage[] = {
        "", "A", "!!!!", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAA", "eyJpZCI6MX0", "AQ==", "a+b/"};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        assert_false(bridge_cursor_decode(garbage[i], "measurements:time", &back, &why));
        assert_non_null(why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_each_type),
        cmocka_unit_test(test_refuses_every_class),
        cmocka_unit_test(test_catalog_declarations_are_sane),
        cmocka_unit_test(test_cursor_round_trip),
        cmocka_unit_test(test_cursor_refuses_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
