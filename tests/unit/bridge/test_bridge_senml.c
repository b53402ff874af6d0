/*
 * The SenML encoder (bridge/api/senml*.c): every value type, units, the name mapping of
 * RFC 8428 section 4.5.1 and base values, each pack checked against the RFC's rules by a
 * validator written from the RFC (resolved records, section 4.6), and its CBOR form decoded
 * with libcbor and compared label by label with the JSON form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cbor.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/senml.h"
#include "api/senml_units.h"

#define DEV_A "0123456789abcdef01234567"
#define DEV_B "aaaaaaaaaaaaaaaaaaaaaaaa"
#define T0 1733220000123LL /* 2024-12-03T10:00:00.123Z */

/* ---- a validator of RFC 8428's rules for the JSON form ---- */

/* A record after section 4.6's resolution: base values applied. */
typedef struct resolved {
    char name[512];
    char unit[16];
    double time;
    const char *value_label; /* "v", "vs" or "vb" */
    json_t *value;           /* borrowed from the pack */
} resolved;

static bool name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == ':' || c == '.' || c == '/' || c == '_';
}

static bool alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Fails the test at the first broken rule; fills @p out (up to @p max) and returns the count. */
static size_t validate(const char *text, resolved *out, size_t max)
{
    json_error_t e;
    json_t *pack = json_loads(text, 0, &e);
    if (!json_is_array(pack)) {
        fail_msg("section 5: a pack is a JSON array: %s", text);
    }
    const char *bn = "", *bu = "";
    double bt = 0;
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(pack); i++) {
        json_t *rec = json_array_get(pack, i);
        assert_true(json_is_object(rec));
        const char *label;
        json_t *value;
        int values = 0;
        resolved r = {.time = 0};
        const char *name = "";
        const char *unit = NULL;
        double t = 0;
        json_object_foreach(rec, label, value)
        {
            if (strcmp(label, "bn") == 0 || strcmp(label, "bu") == 0 || strcmp(label, "n") == 0 ||
                strcmp(label, "u") == 0 || strcmp(label, "vs") == 0) {
                if (!json_is_string(value)) {
                    fail_msg("section 5: %s is a string in record %zu", label, i);
                }
            } else if (strcmp(label, "bt") == 0 || strcmp(label, "t") == 0 ||
                       strcmp(label, "v") == 0) {
                if (!json_is_number(value)) {
                    fail_msg("section 5: %s is a number in record %zu", label, i);
                }
            } else if (strcmp(label, "vb") == 0) {
                if (!json_is_boolean(value)) {
                    fail_msg("section 5: vb is a boolean in record %zu", i);
                }
            } else {
                fail_msg("record %zu: label \"%s\" is not one this encoder should write", i, label);
            }
            if (strcmp(label, "bn") == 0) {
                bn = json_string_value(value);
            } else if (strcmp(label, "bu") == 0) {
                bu = json_string_value(value);
            } else if (strcmp(label, "bt") == 0) {
                bt = json_number_value(value);
            } else if (strcmp(label, "n") == 0) {
                name = json_string_value(value);
            } else if (strcmp(label, "u") == 0) {
                unit = json_string_value(value);
            } else if (strcmp(label, "t") == 0) {
                t = json_number_value(value);
            } else if (label[0] == 'v') {
                values++;
                r.value_label = strcmp(label, "v") == 0    ? "v"
                                : strcmp(label, "vs") == 0 ? "vs"
                                                           : "vb";
                r.value = value;
            }
        }
        /* Section 4.6: the resolved name is bn + n, and a record has one value. */
        if (values != 1) {
            fail_msg("record %zu has %d values, expected exactly one", i, values);
        }
        snprintf(r.name, sizeof r.name, "%s%s", bn, name);
        if (r.name[0] == '\0' || !alnum(r.name[0])) {
            fail_msg("section 4.5.1: name \"%s\" must start with a letter or digit", r.name);
        }
        for (const char *c = r.name; *c; c++) {
            if (!name_char(*c)) {
                fail_msg("section 4.5.1: name \"%s\" has '%c'", r.name, *c);
            }
        }
        snprintf(r.unit, sizeof r.unit, "%s", unit ? unit : bu);
        if (r.unit[0] != '\0' && !bridge_senml_unit_known(r.unit)) {
            fail_msg("section 12.1: \"%s\" is not a registered unit", r.unit);
        }
        /* Section 4.5.3: below 2^28 a time is relative to now; every time here is absolute. */
        r.time = bt + t;
        if (r.time < 268435456.0) {
            fail_msg("section 4.5.3: record %zu resolves to a relative time %f", i, r.time);
        }
        assert_true(n < max);
        out[n++] = r;
    }
    json_decref(pack); /* the values stay alive through the callers' own parse */
    return n;
}

/* ---- helpers ---- */

static char *json_of(const bridge_senml_value *values, size_t count)
{
    bridge_senml_pack *p = bridge_senml_pack_new();
    assert_non_null(p);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(bridge_senml_pack_add(p, &values[i]), 0);
    }
    size_t len = 0;
    char *text = bridge_senml_pack_json(p, &len);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    bridge_senml_pack_free(p);
    return text;
}

static const bridge_senml_value mixed[] = {
    {DEV_A, "temp", BRIDGE_SENML_NUMBER, 21.5, NULL, "Cel", T0},
    {DEV_A, "door_open", BRIDGE_SENML_BOOL, 1, NULL, NULL, T0 + 500},
    {DEV_A, "mode", BRIDGE_SENML_STRING, 0, "heating \"eco\"", NULL, T0 + 1000},
    {DEV_B, "temp", BRIDGE_SENML_NUMBER, -3.25, NULL, "Cel", T0 - 60000},
    {DEV_B, "ok", BRIDGE_SENML_BOOL, 0, NULL, NULL, T0},
};

static void test_value_types(void **state)
{
    (void)state;
    char *text = json_of(mixed, 5);
    resolved r[8];
    assert_int_equal(validate(text, r, 8), 5);
    assert_string_equal(r[0].name, "urn:dev:particle:" DEV_A ":temp");
    assert_string_equal(r[0].value_label, "v");
    json_t *pack = json_loads(text, 0, NULL);
    json_t *rec0 = json_array_get(pack, 0);
    assert_true(json_number_value(json_object_get(rec0, "v")) == 21.5);
    json_t *rec1 = json_array_get(pack, 1);
    assert_true(json_is_true(json_object_get(rec1, "vb")));
    assert_null(json_object_get(rec1, "v"));
    json_t *rec2 = json_array_get(pack, 2);
    assert_string_equal(json_string_value(json_object_get(rec2, "vs")), "heating \"eco\"");
    json_t *rec4 = json_array_get(pack, 4);
    assert_true(json_is_false(json_object_get(rec4, "vb")));
    assert_string_equal(r[3].name, "urn:dev:particle:" DEV_B ":temp");
    assert_true(fabs(r[3].time - (double)(T0 - 60000) / 1000.0) < 1e-6);
    json_decref(pack);
    free(text);
}

static void test_units_and_base_unit(void **state)
{
    (void)state;
    /* Mixed pack: a boolean has no unit, so no bu; each unit in its own u. */
    char *text = json_of(mixed, 5);
    assert_null(strstr(text, "\"bu\""));
    resolved r[8];
    validate(text, r, 8);
    assert_string_equal(r[0].unit, "Cel");
    assert_string_equal(r[1].unit, "");
    free(text);

    /* Every record has a unit and two share one: bu, and u only where it differs. */
    const bridge_senml_value units[] = {
        {DEV_A, "t1", BRIDGE_SENML_NUMBER, 20, NULL, "Cel", T0},
        {DEV_A, "t2", BRIDGE_SENML_NUMBER, 21, NULL, "Cel", T0},
        {DEV_A, "rh", BRIDGE_SENML_NUMBER, 40, NULL, "%RH", T0},
    };
    text = json_of(units, 3);
    assert_int_equal(validate(text, r, 8), 3);
    assert_string_equal(r[0].unit, "Cel");
    assert_string_equal(r[1].unit, "Cel");
    assert_string_equal(r[2].unit, "%RH");
    json_t *pack = json_loads(text, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(pack, 0), "bu")), "Cel");
    assert_null(json_object_get(json_array_get(pack, 0), "u"));
    assert_null(json_object_get(json_array_get(pack, 1), "u"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(pack, 2), "u")), "%RH");
    json_decref(pack);
    free(text);
}

static void test_units_registry(void **state)
{
    (void)state;
    const char *known[] = {"m", "Cel", "%RH", "%EL", "m/s2", "1/min", "beat/min", "/", "S/m"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_true(bridge_senml_unit_known(known[i]));
    }
    /* Case-sensitive; RFC 8798's later additions (B, VA) and made-up names are refused. */
    const char *unknown[] = {"cel", "C ", "degC", "B", "VA", "", "%rh"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_false(bridge_senml_unit_known(unknown[i]));
    }
    assert_int_equal(bridge_senml_unit_count, 58);
}

static void test_name_mapping(void **state)
{
    (void)state;
    char out[128];
    bridge_senml_name("A-z_0.9:/x", out, sizeof out);
    assert_string_equal(out, "A-z_0.9:/x"); /* the allowed set is kept */
    bridge_senml_name("temp \xC2\xB0"
                      "C",
                      out, sizeof out);
    assert_string_equal(out, "temp_20_C2_B0C");
    bridge_senml_name("a+b=c%", out, sizeof out);
    assert_string_equal(out, "a_2Bb_3Dc_25");
    bridge_senml_name("abc def", out, 6); /* cut before an escape that does not fit */
    assert_string_equal(out, "abc");

    const bridge_senml_value odd[] = {
        {DEV_A,
         "temp \xC2\xB0"
         "C",
         BRIDGE_SENML_NUMBER, 1, NULL, NULL, T0},
        {DEV_A, "", BRIDGE_SENML_NUMBER, 2, NULL, NULL, T0},
        {"bad id!", "_x", BRIDGE_SENML_NUMBER, 3, NULL, NULL, T0},
    };
    char *text = json_of(odd, 3);
    resolved r[4];
    assert_int_equal(validate(text, r, 4), 3);
    assert_string_equal(r[0].name, "urn:dev:particle:" DEV_A ":temp_20_C2_B0C");
    assert_string_equal(r[1].name, "urn:dev:particle:" DEV_A ":");
    assert_string_equal(r[2].name, "urn:dev:particle:bad_20id_21:_x");
    free(text);
}

static void test_base_values(void **state)
{
    (void)state;
    char *text = json_of(mixed, 5);
    json_t *pack = json_loads(text, 0, NULL);
    /* bn on the first record of each device's run only. */
    assert_non_null(json_object_get(json_array_get(pack, 0), "bn"));
    assert_null(json_object_get(json_array_get(pack, 1), "bn"));
    assert_null(json_object_get(json_array_get(pack, 2), "bn"));
    assert_non_null(json_object_get(json_array_get(pack, 3), "bn"));
    assert_null(json_object_get(json_array_get(pack, 4), "bn"));
    /* bt is the first record's time; t relative, left out where it is 0. */
    json_t *rec0 = json_array_get(pack, 0);
    assert_true(json_number_value(json_object_get(rec0, "bt")) == (double)T0 / 1000.0);
    assert_null(json_object_get(rec0, "t"));
    assert_true(json_number_value(json_object_get(json_array_get(pack, 1), "t")) == 0.5);
    assert_true(json_integer_value(json_object_get(json_array_get(pack, 2), "t")) == 1);
    assert_true(json_integer_value(json_object_get(json_array_get(pack, 3), "t")) == -60);
    assert_null(json_object_get(json_array_get(pack, 4), "t"));
    json_decref(pack);

    /* The base values shorten the pack: the same records with a bn and an absolute t each. */
    size_t longhand = 0;
    for (size_t i = 0; i < 5; i++) {
        char *one = json_of(&mixed[i], 1); /* a pack of one has no bt: t absolute */
        assert_null(strstr(one, "\"bt\""));
        assert_non_null(strstr(one, "\"t\":17332"));
        longhand += strlen(one) - 2 + (i ? 1 : 0); /* without the brackets, with a comma */
        free(one);
    }
    assert_true(strlen(text) < longhand + 2);
    free(text);

    char *empty = json_of(NULL, 0);
    assert_string_equal(empty, "[]");
    free(empty);
}

/* ---- CBOR (section 6) ---- */

static const char *label_name(int64_t label)
{
    switch (label) {
    case -2:
        return "bn";
    case -3:
        return "bt";
    case -4:
        return "bu";
    case 0:
        return "n";
    case 1:
        return "u";
    case 2:
        return "v";
    case 3:
        return "vs";
    case 4:
        return "vb";
    case 6:
        return "t";
    default:
        return NULL;
    }
}

static int64_t cbor_int(const cbor_item_t *item)
{
    int64_t magnitude = (int64_t)cbor_get_int(item);
    return cbor_isa_negint(item) ? -1 - magnitude : magnitude;
}

/* The decoded CBOR pack with its integer labels turned back into the JSON names. */
static json_t *cbor_to_json(const unsigned char *bytes, size_t len)
{
    struct cbor_load_result result;
    cbor_item_t *pack = cbor_load(bytes, len, &result);
    assert_int_equal(result.error.code, CBOR_ERR_NONE);
    assert_int_equal(result.read, len);
    assert_true(cbor_isa_array(pack) && cbor_array_is_definite(pack));
    json_t *out = json_array();
    for (size_t i = 0; i < cbor_array_size(pack); i++) {
        cbor_item_t *map = cbor_array_get(pack, i);
        assert_true(cbor_isa_map(map));
        json_t *rec = json_object();
        struct cbor_pair *pairs = cbor_map_handle(map);
        for (size_t k = 0; k < cbor_map_size(map); k++) {
            cbor_item_t *key = pairs[k].key, *value = pairs[k].value;
            assert_true(cbor_isa_uint(key) || cbor_isa_negint(key)); /* integer labels */
            const char *name = label_name(cbor_int(key));
            assert_non_null(name);
            json_t *v = NULL;
            if (cbor_isa_string(value)) {
                v = json_stringn((const char *)cbor_string_handle(value),
                                 cbor_string_length(value));
            } else if (cbor_isa_uint(value) || cbor_isa_negint(value)) {
                v = json_integer(cbor_int(value));
            } else if (cbor_isa_float_ctrl(value) && cbor_float_get_width(value) == CBOR_FLOAT_0 &&
                       cbor_is_bool(value)) {
                v = json_boolean(cbor_get_bool(value));
            } else if (cbor_isa_float_ctrl(value)) {
                v = json_real(cbor_float_get_float(value));
            }
            assert_non_null(v);
            json_object_set_new(rec, name, v);
        }
        json_array_append_new(out, rec);
        cbor_decref(&map);
    }
    cbor_decref(&pack);
    return out;
}

static void assert_cbor_matches_json(const bridge_senml_value *values, size_t count)
{
    bridge_senml_pack *p = bridge_senml_pack_new();
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(bridge_senml_pack_add(p, &values[i]), 0);
    }
    size_t json_len = 0, cbor_len = 0;
    char *text = bridge_senml_pack_json(p, &json_len);
    unsigned char *bytes = bridge_senml_pack_cbor(p, &cbor_len);
    assert_non_null(bytes);
    assert_true(cbor_len < json_len); /* the point of the CBOR form */
    json_t *from_json = json_loads(text, 0, NULL);
    json_t *from_cbor = cbor_to_json(bytes, cbor_len);
    if (!json_equal(from_json, from_cbor)) {
        char *dump = json_dumps(from_cbor, JSON_COMPACT);
        fail_msg("CBOR %s\nJSON %s", dump, text);
    }
    json_decref(from_json);
    json_decref(from_cbor);
    free(text);
    free(bytes);
    bridge_senml_pack_free(p);
}

static void test_cbor_round_trip(void **state)
{
    (void)state;
    assert_cbor_matches_json(mixed, 5);
    const bridge_senml_value units[] = {
        {DEV_A, "t1", BRIDGE_SENML_NUMBER, 20.25, NULL, "Cel", T0},
        {DEV_A, "t2", BRIDGE_SENML_NUMBER, -7, NULL, "Cel", T0 + 1},
        {DEV_A, "big", BRIDGE_SENML_NUMBER, 4294967296.0, NULL, "count", T0 - 1},
    };
    assert_cbor_matches_json(units, 3);

    /* Section 6's labels on the wire: the first map's n is label 0, bn label -2 (0x21). */
    bridge_senml_pack *p = bridge_senml_pack_new();
    assert_int_equal(bridge_senml_pack_add(p, &mixed[1]), 0);
    size_t len = 0;
    unsigned char *bytes = bridge_senml_pack_cbor(p, &len);
    assert_int_equal(bytes[0], 0x81);          /* array of 1 */
    assert_int_equal(bytes[1], 0xA4);          /* map of 4: bn, n, vb, t */
    assert_int_equal(bytes[2], 0x21);          /* -2 */
    assert_non_null(memchr(bytes, 0xF5, len)); /* true */
    free(bytes);
    bridge_senml_pack_free(p);

    p = bridge_senml_pack_new();
    bytes = bridge_senml_pack_cbor(p, &len);
    assert_int_equal(len, 1);
    assert_int_equal(bytes[0], 0x80); /* an empty array */
    free(bytes);
    bridge_senml_pack_free(p);
}

/* The describe hook turns numbers into booleans and gives units; strings are left alone. */
static int describe_fake(const char *device_id, const char *name, bridge_senml_kind *kind,
                         char *unit, size_t unit_size, void *payload)
{
    (*(int *)payload)++;
    assert_string_equal(device_id, DEV_A);
    if (strcmp(name, "temp \xC2\xB0"
                     "C") == 0) { /* the stored name, not the mapped one */
        snprintf(unit, unit_size, "Cel");
    } else if (strcmp(name, "on") == 0) {
        *kind = BRIDGE_SENML_BOOL;
    }
    return 0;
}

static void test_describe(void **state)
{
    (void)state;
    const bridge_senml_value values[] = {
        {DEV_A,
         "temp \xC2\xB0"
         "C",
         BRIDGE_SENML_NUMBER, 20, NULL, NULL, T0},
        {DEV_A, "on", BRIDGE_SENML_NUMBER, 1, NULL, NULL, T0},
        {DEV_A, "mode", BRIDGE_SENML_STRING, 0, "x", NULL, T0},
    };
    bridge_senml_pack *p = bridge_senml_pack_new();
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(bridge_senml_pack_add(p, &values[i]), 0);
    }
    int calls = 0;
    assert_int_equal(bridge_senml_pack_describe(p, describe_fake, &calls), 0);
    assert_int_equal(calls, 2);
    size_t len;
    char *text = bridge_senml_pack_json(p, &len);
    resolved r[4];
    assert_int_equal(validate(text, r, 4), 3);
    assert_string_equal(r[0].unit, "Cel");
    assert_string_equal(r[1].value_label, "vb");
    assert_string_equal(r[2].value_label, "vs");
    free(text);
    bridge_senml_pack_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_types),    cmocka_unit_test(test_units_and_base_unit),
        cmocka_unit_test(test_units_registry), cmocka_unit_test(test_name_mapping),
        cmocka_unit_test(test_base_values),    cmocka_unit_test(test_cbor_round_trip),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
