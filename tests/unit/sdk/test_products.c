/* particle_product_devices_add() against a loopback canned server: the exact request line
 * and JSON body for one and several ids, options (import_sims, claim_user, retry), argument
 * checks that send nothing, error mapping, and decoding of the documented §5.4 answer. */
#include "sdk_fixture.h"

/* The documented answer (reference/cloud-api.md §5.4). */
#define IMPORT_ANSWER                                                                              \
    "{\"updated\":1,\"updatedDeviceIds\":[\"abc1234\"],\"existingDeviceIds\":[],"                  \
    "\"nonmemberDeviceIds\":[],\"invalidDeviceIds\":[],\"protectedDeviceIds\":[]}"

static const particle_value *field(const particle_doc *doc, const char *key)
{
    return particle_value_get(particle_doc_root(doc), key);
}

static void assert_ids(const particle_doc *doc, const char *key, size_t n, const char *first)
{
    const particle_value *list = field(doc, key);
    assert_int_equal(particle_value_type_of(list), PARTICLE_VALUE_ARRAY);
    assert_int_equal(particle_value_count(list), n);
    if (first != NULL) {
        assert_string_equal(particle_value_string(particle_value_at(list, 0)), first);
    }
}

static void test_one_id_sends_id(void **state)
{
    (void)state;
    canned_step steps[] = {{.expect = "POST /v1/products/my-product/devices HTTP/1.1",
                            .status = 200,
                            .body = IMPORT_ANSWER}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *ids[] = {"0123456789abcdef01234567"};
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_devices_add(&doc, c, "my-product", ids, 1, NULL), 0);

    fixture_assert_body(srv, 0, "{\"id\":\"0123456789abcdef01234567\"}");
    fixture_assert_request_has(srv, 0, "Content-Type: application/json\r\n");
    fixture_assert_request_has(srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    assert_int_equal(particle_value_int(field(doc, "updated"), -1), 1);
    assert_ids(doc, "updatedDeviceIds", 1, "abc1234");
    assert_ids(doc, "existingDeviceIds", 0, NULL);
    assert_ids(doc, "nonmemberDeviceIds", 0, NULL);
    assert_ids(doc, "invalidDeviceIds", 0, NULL);
    assert_ids(doc, "protectedDeviceIds", 0, NULL);
    fixture_assert_script_ok(srv);
    particle_doc_free(doc);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_several_ids_and_options(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/my%20slug/devices?claim_user=team%40example.com HTTP/1.1",
         .status = 200,
         .body = "{\"updated\":1,\"updatedDeviceIds\":[\"aaaaaaaaaaaaaaaaaaaaaaaa\"],"
                 "\"existingDeviceIds\":[\"bbbbbbbbbbbbbbbbbbbbbbbb\"],\"nonmemberDeviceIds\":[],"
                 "\"invalidDeviceIds\":[\"nope\"],\"protectedDeviceIds\":[],\"extra\":true}"},
        {.expect = "POST /v1/products/1234/devices HTTP/1.1", .status = 200, .body = IMPORT_ANSWER},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *ids[] = {"aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb", "nope"};
    particle_product_import_options o;
    assert_int_equal(
        particle_product_import_options_init(&o, PARTICLE_PRODUCT_IMPORT_OPTIONS_VERSION), 0);
    assert_int_equal(o.import_sims, PARTICLE_UNSET);
    assert_null(o.claim_user);
    o.import_sims = PARTICLE_YES;
    o.claim_user = "team@example.com";
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_devices_add(&doc, c, "my slug", ids, 3, &o), 0);
    fixture_assert_body(srv, 0,
                        "{\"ids\":[\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"bbbbbbbbbbbbbbbbbbbbbbbb\","
                        "\"nope\"],\"import_sims\":true}");
    assert_int_equal(particle_value_int(field(doc, "updated"), -1), 1);
    assert_ids(doc, "updatedDeviceIds", 1, "aaaaaaaaaaaaaaaaaaaaaaaa");
    assert_ids(doc, "existingDeviceIds", 1, "bbbbbbbbbbbbbbbbbbbbbbbb");
    assert_ids(doc, "invalidDeviceIds", 1, "nope");
    particle_doc_free(doc);

    /* two ids still use "ids"; import_sims NO is sent as false; out may be NULL */
    o.import_sims = PARTICLE_NO;
    o.claim_user = NULL;
    assert_int_equal(particle_product_devices_add(NULL, c, "1234", ids, 2, &o), 0);
    fixture_assert_body(srv, 1,
                        "{\"ids\":[\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"bbbbbbbbbbbbbbbbbbbbbbbb\"],"
                        "\"import_sims\":false}");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *ids[] = {"0123456789abcdef01234567", ""};
    const char *with_null[] = {"0123456789abcdef01234567", NULL};
    particle_doc *doc = (particle_doc *)(void *)&doc; /* must come back NULL */

    assert_int_equal(particle_product_devices_add(&doc, c, "p", ids, 0, NULL), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(particle_product_devices_add(&doc, c, "p", NULL, 1, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_add(&doc, c, "p", ids, 2, NULL), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "device id 2 is empty"));
    assert_int_equal(particle_product_devices_add(&doc, c, "p", with_null, 2, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_add(&doc, c, "", ids, 1, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_add(&doc, c, NULL, ids, 1, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_add(&doc, NULL, "p", ids, 1, NULL), PARTICLE_EINVAL);
    particle_product_import_options o = PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(particle_product_devices_add(&doc, c, "p", ids, 1, &o), PARTICLE_EINVAL);
    assert_int_equal(particle_product_import_options_init(&o, 99), PARTICLE_EINVAL);
    assert_int_equal(particle_product_import_options_init(NULL, 1), PARTICLE_EINVAL);
    assert_null(doc);

    assert_int_equal(canned_server_request_count(srv), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_errors_are_mapped(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/nope/devices ",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Product not found\"}"},
        {.expect = "POST /v1/products/theirs/devices ",
         .status = 403,
         .body = "{\"error\":\"Permission Denied\",\"info\":\"You do not have access\"}"},
        /* a 2xx answer that is not an object */
        {.expect = "POST /v1/products/p/devices ", .status = 200, .body = "[1,2]"},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *ids[] = {"0123456789abcdef01234567"};
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_devices_add(&doc, c, "nope", ids, 1, NULL),
                     PARTICLE_ENOTFOUND);
    assert_int_equal(particle_error_last()->http_status, 404);
    assert_non_null(strstr(particle_error_last()->message, "Product not found"));
    assert_null(doc);
    assert_int_equal(particle_product_devices_add(&doc, c, "theirs", ids, 1, NULL),
                     PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_error_last()->http_status, 403);
    assert_int_equal(particle_product_devices_add(&doc, c, "p", ids, 1, NULL), PARTICLE_EPROTO);
    assert_null(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* A POST may have been applied before a 5xx: retried only when the caller allows it. */
static void test_retry_only_when_allowed(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/p/devices ", .status = 500, .body = "{\"error\":\"boom\"}"},
        {.expect = "POST /v1/products/p/devices ", .status = 502, .body = "{\"error\":\"boom\"}"},
        {.expect = "POST /v1/products/p/devices ", .status = 200, .body = IMPORT_ANSWER},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *ids[] = {"0123456789abcdef01234567"};
    assert_int_equal(particle_product_devices_add(NULL, c, "p", ids, 1, NULL), PARTICLE_ESERVER);
    assert_int_equal(canned_server_request_count(srv), 1);
    particle_product_import_options o = PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT;
    o.flags = PARTICLE_REQUEST_RETRY;
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_devices_add(&doc, c, "p", ids, 1, &o), 0);
    assert_int_equal(canned_server_request_count(srv), 3);
    assert_ids(doc, "updatedDeviceIds", 1, "abc1234");
    fixture_assert_script_ok(srv);
    particle_doc_free(doc);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_id_sends_id),
        cmocka_unit_test(test_several_ids_and_options),
        cmocka_unit_test(test_bad_arguments_send_nothing),
        cmocka_unit_test(test_errors_are_mapped),
        cmocka_unit_test(test_retry_only_when_allowed),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
