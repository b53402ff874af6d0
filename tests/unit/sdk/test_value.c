/* JSON documents and the typed device getters on the documented example answers of
 * cloud-api.md (tests/data/http). */
#include "sdk_fixture.h"

static particle_doc *parse_fixture(const char *name)
{
    char *text = fixture_read(name);
    particle_doc *doc = NULL;
    assert_int_equal(particle_doc_parse(&doc, text, strlen(text)), 0);
    free(text);
    return doc;
}

static void test_device_object(void **state)
{
    (void)state;
    particle_doc *doc = parse_fixture("device.json");
    const particle_value *d = particle_doc_root(doc);
    assert_string_equal(particle_device_id(d), "0123456789abcdef01234567");
    assert_string_equal(particle_device_name(d), "gongbot");
    assert_int_equal(particle_device_online(d), 1);
    assert_int_equal(particle_device_platform_id(d), 13);
    assert_int_equal(particle_device_product_id(d), 13);
    assert_int_equal(particle_device_cellular(d), 1);
    assert_int_equal(particle_device_last_heard_ms(d), 1437172120907LL);
    assert_null(particle_device_notes(d)); /* null in the example */
    assert_true(particle_value_is_null(particle_value_get(d, "notes")));
    assert_string_equal(particle_device_serial_number(d), "AAAAAA111111111");
    assert_string_equal(particle_device_system_firmware_version(d), "1.5.0");
    const particle_value *fns = particle_device_functions(d);
    assert_int_equal(particle_value_count(fns), 2);
    assert_string_equal(particle_value_string(particle_value_at(fns, 1)), "goto");
    const particle_value *vars = particle_device_variables(d);
    assert_int_equal(particle_value_count(vars), 1);
    assert_string_equal(particle_value_key_at(vars, 0), "Gongs");
    assert_string_equal(particle_value_string(particle_value_at(vars, 0)), "int32");
    /* fields without a getter stay reachable */
    assert_string_equal(particle_value_string(particle_value_get(
                            particle_value_get(d, "device_protection"), "status")),
                        "disabled");
    assert_int_equal(particle_value_bool(particle_value_get(d, "firmware_updates_forced"), -1), 0);
    assert_null(particle_device_groups(d));
    particle_doc_free(doc);
}

/* The product firmware fields of a product device (cloud-api.md 5.1): numbers, null
 * (unlocked) and absent. */
static void test_device_firmware_fields(void **state)
{
    (void)state;
    static const char product_device[] =
        "{\"id\":\"0123456789abcdef01234567\",\"firmware_version\":3,"
        "\"targeted_firmware_release_version\":4,\"desired_firmware_version\":null,"
        "\"firmware_updates_enabled\":true,\"firmware_updates_forced\":false}";
    particle_doc *doc = NULL;
    assert_int_equal(particle_doc_parse(&doc, product_device, strlen(product_device)), 0);
    const particle_value *d = particle_doc_root(doc);
    assert_int_equal(particle_device_firmware_version(d), 3);
    assert_int_equal(particle_device_targeted_firmware_release_version(d), 4);
    assert_int_equal(particle_device_desired_firmware_version(d), -1);
    assert_int_equal(particle_device_firmware_updates_enabled(d), 1);
    assert_int_equal(particle_device_firmware_updates_forced(d), 0);
    particle_doc_free(doc);
    doc = parse_fixture("device_2016.json"); /* a developer device of 2016: none of them */
    d = particle_doc_root(doc);
    assert_int_equal(particle_device_firmware_version(d), -1);
    assert_int_equal(particle_device_targeted_firmware_release_version(d), -1);
    assert_int_equal(particle_device_firmware_updates_enabled(d), -1);
    assert_int_equal(particle_device_firmware_updates_forced(d), -1);
    particle_doc_free(doc);
}

static void test_device_object_2016(void **state)
{
    (void)state;
    particle_doc *doc = parse_fixture("device_2016.json");
    const particle_value *d = particle_doc_root(doc);
    /* no `online` then: the deprecated `connected` answers */
    assert_int_equal(particle_device_online(d), 1);
    assert_int_equal(particle_value_count(particle_device_variables(d)), 5);
    assert_string_equal(particle_value_key_at(particle_device_variables(d), 1), "temperature");
    assert_true(particle_value_is_null(particle_value_get(d, "last_app")));
    particle_doc_free(doc);
}

static void test_document_navigation(void **state)
{
    (void)state;
    particle_doc *doc = parse_fixture("user.json");
    const particle_value *u = particle_doc_root(doc);
    assert_int_equal(particle_value_type_of(u), PARTICLE_VALUE_OBJECT);
    assert_int_equal(particle_value_count(u), 8);
    assert_string_equal(particle_value_key_at(u, 0), "username");
    assert_null(particle_value_key_at(u, 8));
    assert_null(particle_value_at(u, 8));
    assert_int_equal(
        particle_value_bool(particle_value_get(particle_value_get(u, "mfa"), "enabled"), -1), 0);
    assert_int_equal(particle_value_type_of(particle_value_get(u, "subscription_ids")),
                     PARTICLE_VALUE_ARRAY);
    /* absent members chain safely */
    const particle_value *missing = particle_value_get(particle_value_get(u, "nope"), "deeper");
    assert_null(missing);
    assert_int_equal(particle_value_type_of(missing), PARTICLE_VALUE_ABSENT);
    assert_int_equal(particle_value_int(missing, 42), 42);
    assert_true(particle_value_double(missing, 1.5) == 1.5);
    assert_null(particle_value_string(missing));
    assert_int_equal(particle_value_count(missing), 0);

    char *json = NULL;
    assert_int_equal(particle_value_to_json(&json, particle_value_get(u, "account_info"), 0), 0);
    assert_string_equal(
        json, "{\"first_name\":\"Test\",\"last_name\":\"User\",\"business_account\":false}");
    particle_free(json);
    assert_int_equal(particle_value_to_json(&json, NULL, 0), PARTICLE_EINVAL);
    particle_doc_free(doc);
    particle_doc_free(NULL);
}

static void test_numbers_and_scalars(void **state)
{
    (void)state;
    static const char text[] = "[46, 21.5, \"s\", true, null, 1e300]";
    particle_doc *doc = NULL;
    assert_int_equal(particle_doc_parse(&doc, text, sizeof(text) - 1), 0);
    const particle_value *a = particle_doc_root(doc);
    assert_int_equal(particle_value_type_of(particle_value_at(a, 0)), PARTICLE_VALUE_INT);
    assert_int_equal(particle_value_type_of(particle_value_at(a, 1)), PARTICLE_VALUE_DOUBLE);
    assert_int_equal(particle_value_type_of(particle_value_at(a, 2)), PARTICLE_VALUE_STRING);
    assert_int_equal(particle_value_type_of(particle_value_at(a, 3)), PARTICLE_VALUE_BOOL);
    assert_int_equal(particle_value_type_of(particle_value_at(a, 4)), PARTICLE_VALUE_NULL);
    assert_true(particle_value_double(particle_value_at(a, 0), 0) == 46.0);
    assert_int_equal(particle_value_int(particle_value_at(a, 1), 0), 21);
    /* too large for an integer: the fallback, not undefined behaviour */
    assert_int_equal(particle_value_int(particle_value_at(a, 5), -1), -1);
    assert_int_equal(particle_value_int(particle_value_at(a, 2), 7), 7);
    particle_doc_free(doc);

    /* malformed and duplicate-key documents are refused */
    assert_int_equal(particle_doc_parse(&doc, "{\"a\":", 5), PARTICLE_EPROTO);
    assert_null(doc);
    assert_int_equal(particle_doc_parse(&doc, "{\"a\":1,\"a\":2}", 13), PARTICLE_EPROTO);
}

static void test_product_listing_and_tokens(void **state)
{
    (void)state;
    particle_doc *doc = parse_fixture("product_devices.json");
    const particle_value *devices = particle_value_get(particle_doc_root(doc), "devices");
    const particle_value *second = particle_value_at(devices, 1);
    assert_null(particle_device_name(second)); /* unnamed product device */
    assert_int_equal(particle_value_bool(particle_value_get(second, "quarantined"), 0), 1);
    assert_int_equal(particle_device_product_id(second), 13);
    particle_doc_free(doc);

    doc = parse_fixture("tokens.json");
    assert_string_equal(particle_value_string(particle_value_get(
                            particle_value_at(particle_doc_root(doc), 0), "expires_at")),
                        "2014-04-27T02:20:36.177Z");
    particle_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_object),
        cmocka_unit_test(test_device_object_2016),
        cmocka_unit_test(test_device_firmware_fields),
        cmocka_unit_test(test_document_navigation),
        cmocka_unit_test(test_numbers_and_scalars),
        cmocka_unit_test(test_product_listing_and_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
