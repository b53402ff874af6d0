/*
 * Stream internals without sockets: decoding an event's JSON payload (ttl as number or
 * string, data of other types, malformed payloads) and the route for each scope.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <string.h>

#include "stream_internal.h"

static int decode(particle__decoded_event *d, const char *json)
{
    return particle__event_decode(d, "name", json, strlen(json), NULL);
}

static void test_decode_documented_example(void **state)
{
    (void)state;
    particle__decoded_event d;
    const char *json = "{\"data\":\"25.34\",\"ttl\":\"60\",\"published_at\":"
                       "\"2015-07-18T00:12:18.174Z\",\"coreid\":\"0123456789abcdef01234567\"}";
    assert_int_equal(particle__event_decode(&d, "temperature", json, strlen(json), "9"), 0);
    assert_string_equal(d.ev.name, "temperature");
    assert_string_equal(d.ev.data, "25.34");
    assert_int_equal(d.ev.data_len, 5);
    assert_int_equal(d.ev.ttl, 60);
    assert_int_equal(d.ev.published_at_ms, 1437178338174LL);
    assert_string_equal(d.ev.coreid, "0123456789abcdef01234567");
    assert_string_equal(d.ev.id, "9");
    assert_ptr_equal(d.ev.json, json);
    assert_int_equal(d.ev.json_len, strlen(json));
    particle__event_dispose(&d);
}

static void test_decode_ttl_forms(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int ttl;
    } cases[] = {
        {"{\"ttl\":60}", 60},          {"{\"ttl\":\"60\"}", 60},
        {"{\"ttl\":\"60s\"}", -1},     {"{\"ttl\":\"\"}", -1},
        {"{\"ttl\":-1}", -1},          {"{\"ttl\":1e99}", -1},
        {"{\"ttl\":null}", -1},        {"{}", -1},
        {"{\"ttl\":99999999999}", -1}, {"{\"ttl\":\"0\"}", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        particle__decoded_event d;
        assert_int_equal(decode(&d, cases[i].json), 0);
        if (d.ev.ttl != cases[i].ttl)
            fail_msg("%s: ttl %d, want %d", cases[i].json, d.ev.ttl, cases[i].ttl);
        particle__event_dispose(&d);
    }
}

static void test_decode_data_forms(void **state)
{
    (void)state;
    particle__decoded_event d;
    assert_int_equal(decode(&d, "{\"data\":null}"), 0);
    assert_null(d.ev.data);
    assert_int_equal(d.ev.data_len, 0);
    assert_string_equal(d.ev.coreid, "");
    assert_string_equal(d.ev.published_at, "");
    assert_int_equal(d.ev.published_at_ms, -1);
    particle__event_dispose(&d);

    assert_int_equal(decode(&d, "{\"data\":{\"a\":[1,true]}}"), 0);
    assert_string_equal(d.ev.data, "{\"a\":[1,true]}");
    particle__event_dispose(&d);

    assert_int_equal(decode(&d, "{\"data\":42}"), 0);
    assert_string_equal(d.ev.data, "42");
    particle__event_dispose(&d);

    assert_int_equal(decode(&d, "{\"data\":\"line1\\nline2\"}"), 0);
    assert_string_equal(d.ev.data, "line1\nline2");
    particle__event_dispose(&d);
}

static void test_decode_rejects_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {"",
                                "not json",
                                "[1,2]",
                                "\"str\"",
                                "42",
                                "{\"data\":\"a\",\"data\":\"b\"}",
                                "{\"data\":\"x\"",
                                "null"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        particle__decoded_event d;
        int rc = decode(&d, bad[i]);
        if (rc != PARTICLE_EPROTO)
            fail_msg("'%s': got %d", bad[i], rc);
        assert_int_equal(particle_error_last()->code, PARTICLE_EPROTO);
        assert_null(d.root);
    }
}

static void test_path_encodes_segments(void **state)
{
    (void)state;
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.scope = PARTICLE_STREAM_ORG;
    o.org = "a/b";
    o.product = "p?q";
    o.device = "d#1";
    o.prefix = "x y/z%";
    char *path = NULL;
    assert_int_equal(particle__stream_path(&path, &o), 0);
    assert_string_equal(path, "/v1/orgs/a%2Fb/products/p%3Fq/devices/d%231/events/x%20y%2Fz%25");
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_documented_example),
        cmocka_unit_test(test_decode_ttl_forms),
        cmocka_unit_test(test_decode_data_forms),
        cmocka_unit_test(test_decode_rejects_malformed),
        cmocka_unit_test(test_path_encodes_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
