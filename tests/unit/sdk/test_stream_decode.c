/*
 * Stream internals without sockets: decoding an event's JSON payload (ttl as number or
 * string, data of other types, malformed payloads), the fast decoder against the general one
 * (same event wherever the fast one answers), the route for each scope, and the rule that
 * makes two announcements of one lost stretch one gap report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <stdint.h>
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

/* The cloud's payload takes the fast path: no jansson tree behind the event. */
static void test_decode_cloud_shape_is_flat(void **state)
{
    (void)state;
    static const char *flat[] = {
        "{\"data\":\"25.34\",\"ttl\":60,\"published_at\":\"2015-07-18T00:12:18.174Z\","
        "\"coreid\":\"0123456789abcdef01234567\"}",
        " {\"coreid\":\"x\" , \"data\":null,\"ttl\":\"60\"}\r\n\t",
        "{\"data\":\"line1\\nline2 \\\"q\\\" \\u0041\\/\"}",
        "{}",
        "{\"published_at\":null,\"coreid\":null,\"ttl\":null}",
    };
    for (size_t i = 0; i < sizeof(flat) / sizeof(flat[0]); i++) {
        particle__decoded_event d;
        if (particle__event_decode_flat(&d, "n", flat[i], strlen(flat[i]), NULL) != 0)
            fail_msg("'%s' declined", flat[i]);
        assert_null(d.root);
        particle__event_dispose(&d);
    }
    particle__decoded_event d;
    assert_int_equal(decode(&d, flat[2]), 0);
    assert_string_equal(d.ev.data, "line1\nline2 \"q\" A/");
    assert_null(d.root);
    particle__event_dispose(&d);
}

/* Whatever jansson might judge differently from yajl goes to the general decoder. */
static void test_decode_flat_declines_the_rest(void **state)
{
    (void)state;
    static const char *others[] = {
        "{\"data\":\"x\",\"public\":true}", /* another member */
        "{\"data\":\"a\",\"data\":\"b\"}",  /* repeated (jansson refuses) */
        "{\"data\":{\"a\":1}}",             /* nested */
        "{\"data\":[1]}",                   /* array */
        "{\"data\":42}",                    /* rendered as text by jansson */
        "{\"data\":true}",                  /* boolean */
        "{\"ttl\":6e1}",                    /* real */
        "{\"data\":\"\xc3\xa9\"}",          /* UTF-8: jansson's checks rule */
        "{\"data\":\"\xed\xa0\x80\"}",      /* an encoded surrogate, not UTF-8 */
        "{\"data\":\"\xc0\x80\"}",          /* overlong */
        "{\"data\":\"\\u00e9\"}",           /* escape to non-ASCII */
        "{\"data\":\"\\ud800\"}",           /* lone high surrogate: yajl gives '?' */
        "{\"data\":\"\\udc00\"}",           /* lone low surrogate */
        "{\"data\":\"\\ud800\\u0041\"}",    /* high surrogate, then not a low one */
        "{\"data\":\"\\u0000\"}",           /* NUL (jansson refuses) */
        "{\"data\":\"\\u003f\"}",           /* a '?' from an escape is not told apart */
        "{\v\"data\":\"x\"}",               /* whitespace to yajl only */
        "{\f\"data\":\"x\"}",
        "{\"data\":\"x\"}x",   /* trailing bytes */
        "{\"data\":\"x\"}\"}", /* a cut string after it (yajl misses that) */
        "{\"data\":\"x\"",     /* cut */
        "[{\"data\":\"x\"}]",
        "\"x\"",
        "",
    };
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        particle__decoded_event d;
        int rc = particle__event_decode_flat(&d, "n", others[i], strlen(others[i]), NULL);
        if (rc != PARTICLE__EVENT_NOT_FLAT)
            fail_msg("'%s': got %d", others[i], rc);
    }
    const char nul_inside[] = "{\"data\":\"a\0b\"}";
    particle__decoded_event d;
    assert_int_equal(particle__event_decode_flat(&d, "n", nul_inside, sizeof(nul_inside) - 1, NULL),
                     PARTICLE__EVENT_NOT_FLAT);
}

static void assert_same_event(const char *json, size_t len, const particle_event *a,
                              const particle_event *b)
{
    bool same = a->ttl == b->ttl && a->published_at_ms == b->published_at_ms &&
                strcmp(a->published_at, b->published_at) == 0 &&
                strcmp(a->coreid, b->coreid) == 0 && (a->data == NULL) == (b->data == NULL) &&
                a->data_len == b->data_len &&
                (a->data == NULL || memcmp(a->data, b->data, a->data_len) == 0);
    if (!same)
        fail_msg("the decoders differ on '%.*s'", (int)len, json);
}

/* One input: where the fast decoder answers, the general one gives the same event. */
static void compare_decoders(const char *json, size_t len, unsigned long *flat_count)
{
    particle__decoded_event fast, general;
    int rc = particle__event_decode_flat(&fast, "n", json, len, "1");
    if (rc == PARTICLE__EVENT_NOT_FLAT)
        return;
    assert_int_equal(rc, 0);
    (*flat_count)++;
    if (particle__event_decode_tree(&general, "n", json, len, "1") != 0)
        fail_msg("jansson refuses '%.*s', the fast decoder took it", (int)len, json);
    assert_same_event(json, len, &fast.ev, &general.ev);
    particle__event_dispose(&fast);
    particle__event_dispose(&general);
}

/* Mutations of the cloud's payload (bytes replaced, inserted, removed; a fixed seed), each
 * decoded both ways: a difference fails with the input. */
static void test_decode_paths_agree(void **state)
{
    (void)state;
    static const char *seeds[] = {
        "{\"data\":\"25.34\",\"ttl\":60,\"published_at\":\"2015-07-18T00:12:18.174Z\","
        "\"coreid\":\"0123456789abcdef01234567\"}",
        "{\"data\":\"a\\\"b\\\\c\\u0041\\ud83d\\ude00\",\"ttl\":\"-0\",\"coreid\":null}",
        "{\"data\":null,\"ttl\":9223372036854775807,\"published_at\":\"2026-02-30T00:00:00Z\"}",
    };
    static const unsigned char alphabet[] = "\"\\u{}[],: \t\n\r\v\f-+.0189eEdDaAnt?\x00\x7f\x80"
                                            "\xc3\xa9\xed\xa0\xf0\xff";
    uint32_t rng = 12345u;
    unsigned long flat_count = 0;
    char buf[256];
    for (int round = 0; round < 30000; round++) {
        const char *seed = seeds[round % 3];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        int edits = 1 + round % 3;
        for (int e = 0; e < edits && len > 0; e++) {
            rng = rng * 1103515245u + 12345u;
            size_t at = (rng >> 8) % len;
            unsigned char c = alphabet[(rng >> 20) % (sizeof(alphabet) - 1)];
            switch ((rng >> 4) % 3) {
            case 0:
                buf[at] = (char)c;
                break;
            case 1:
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = (char)c;
                len++;
                break;
            default:
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
                break;
            }
        }
        compare_decoders(buf, len, &flat_count);
    }
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        compare_decoders(seeds[i], strlen(seeds[i]), &flat_count);
    assert_true(flat_count > 1000); /* the comparison is not empty */
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

/* ":gap" then ":gap 7" after the same id is one loss of 7; a gap after another id is
 * another loss, handed back to be reported first. */
static void test_gap_hold_merges_one_loss(void **state)
{
    (void)state;
    particle__held_gap held = {0}, out, earlier;
    assert_false(particle__gap_take(&held, &out));
    assert_false(particle__gap_hold(&held, -1, true, 41, &earlier));
    assert_false(particle__gap_hold(&held, 7, true, 41, &earlier));
    /* and a later ":gap" about it keeps the size told */
    assert_false(particle__gap_hold(&held, -1, true, 41, &earlier));
    assert_true(particle__gap_hold(&held, 5, true, 90, &earlier));
    assert_true(earlier.set && earlier.missed == 7 && earlier.has_after && earlier.after == 41);
    assert_true(particle__gap_take(&held, &out));
    assert_true(out.missed == 5 && out.has_after && out.after == 90);
    assert_false(particle__gap_take(&held, &out));
    /* without a known id before it: the same loss only while no id is known */
    assert_false(particle__gap_hold(&held, 3, false, 0, &earlier));
    assert_true(particle__gap_hold(&held, -1, true, 1, &earlier));
    assert_true(!earlier.has_after && earlier.missed == 3);
    assert_true(particle__gap_take(&held, &out));
    assert_true(out.missed == -1 && out.after == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_documented_example),
        cmocka_unit_test(test_decode_ttl_forms),
        cmocka_unit_test(test_decode_data_forms),
        cmocka_unit_test(test_decode_rejects_malformed),
        cmocka_unit_test(test_decode_cloud_shape_is_flat),
        cmocka_unit_test(test_decode_flat_declines_the_rest),
        cmocka_unit_test(test_decode_paths_agree),
        cmocka_unit_test(test_path_encodes_segments),
        cmocka_unit_test(test_gap_hold_merges_one_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
