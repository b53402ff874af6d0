/* Account, MFA, provisioning, Device Protection and retired mesh calls (account.h,
 * provisioning.h, mesh.h) against a loopback canned server: request lines, JSON bodies as
 * particle-api-js sends them, no Authorization where particle-api-js sends none, answers,
 * documented errors, and argument checks that send nothing. */
#include "sdk_fixture.h"

typedef struct fixture {
    canned_server *srv;
    particle_client *c;
} fixture;

static fixture start(const canned_step *steps, size_t n)
{
    fixture f;
    f.srv = canned_server_start(steps, n);
    assert_non_null(f.srv);
    f.c = fixture_client(f.srv, TEST_TOKEN, NULL, NULL);
    return f;
}

static void finish(fixture *f)
{
    fixture_assert_script_ok(f->srv);
    particle_client_free(f->c);
    canned_server_stop(f->srv);
}

static void assert_no_auth(canned_server *srv, size_t i)
{
    static char text[64 * 1024];
    assert_true(canned_server_request(srv, i, text, sizeof(text)));
    if (strstr(text, "Authorization:") != NULL) {
        fail_msg("request %zu has an Authorization header:\n%s", i, text);
    }
}

#define OK "{\"ok\":true}"
#define USER                                                                                       \
    "{\"username\":\"a@example.com\",\"account_info\":{\"first_name\":\"Ada\"},\"mfa\":"           \
    "{\"enabled\":false}}"

static void test_signup_info_and_credentials(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/users HTTP/1.1", .status = 200, .body = OK},
        {.expect = "POST /v1/users HTTP/1.1",
         .status = 409,
         .body = "{\"ok\":false,\"error\":\"A user with that email already exists\"}"},
        {.expect = "PUT /v1/user HTTP/1.1", .status = 200, .body = USER},
        {.expect = "PUT /v1/user HTTP/1.1", .status = 200, .body = OK},
        {.expect = "PUT /v1/user HTTP/1.1",
         .status = 403,
         .body = "{\"ok\":false,\"error\":\"Invalid current password\"}"},
        {.expect = "PUT /v1/user HTTP/1.1", .status = 200, .body = OK},
        {.expect = "POST /v1/user/password-reset HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"message\":\"Password reset email sent.\"}"},
        {.expect = "DELETE /v1/user HTTP/1.1", .status = 200, .body = OK},
        {.expect = "GET /v1/user/identify?tracking=1 HTTP/1.1",
         .status = 200,
         .body = "{\"id\":\"abc\",\"email\":\"a@example.com\"}"},
        {.expect = "GET /v1/user/identify HTTP/1.1", .status = 200, .body = "{\"id\":\"abc\"}"},
        {.expect = "POST /v1/user/verify HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Not Found\"}"},
    };
    fixture f = start(steps, sizeof(steps) / sizeof(steps[0]));
    particle_account_info info = PARTICLE_ACCOUNT_INFO_INIT;
    info.first_name = "Ada";
    info.business_account = PARTICLE_BUSINESS_NO;
    assert_int_equal(particle_user_create(f.c, "a@example.com", "pw", &info), 0);
    fixture_assert_body(f.srv, 0,
                        "{\"username\":\"a@example.com\",\"password\":\"pw\",\"account_info\":"
                        "{\"first_name\":\"Ada\",\"business_account\":false}}");
    assert_no_auth(f.srv, 0);
    assert_int_equal(particle_user_create(f.c, "a@example.com", "pw", NULL), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 409);

    particle_doc *doc = NULL;
    particle_account_info set = PARTICLE_ACCOUNT_INFO_INIT;
    set.company_name = "Engines";
    assert_int_equal(particle_user_set_info(&doc, f.c, &set), 0);
    fixture_assert_body(f.srv, 2, "{\"account_info\":{\"company_name\":\"Engines\"}}");
    fixture_assert_request_has(f.srv, 2, "Authorization: Bearer " TEST_TOKEN);
    assert_string_equal(
        particle_value_string(particle_value_get(particle_doc_root(doc), "username")),
        "a@example.com");
    particle_doc_free(doc);

    assert_int_equal(
        particle_user_change_username(f.c, "pw", "b@example.com", PARTICLE_INVALIDATE_TOKENS), 0);
    fixture_assert_body(f.srv, 3,
                        "{\"username\":\"b@example.com\",\"current_password\":\"pw\","
                        "\"invalidate_tokens\":true}");
    assert_int_equal(particle_user_change_password(f.c, "bad", "new", 0), PARTICLE_EFORBIDDEN);
    fixture_assert_body(f.srv, 4, "{\"password\":\"new\",\"current_password\":\"bad\"}");
    assert_string_equal(particle_error_last()->message, "Invalid current password");
    assert_int_equal(particle_user_change_password(f.c, "pw", "new", 0), 0);
    assert_int_equal(particle_user_reset_password(f.c, "a@example.com"), 0);
    fixture_assert_body(f.srv, 6, "{\"username\":\"a@example.com\"}");
    assert_no_auth(f.srv, 6);
    assert_int_equal(particle_user_delete(f.c, "pw"), 0);
    fixture_assert_body(f.srv, 7, "{\"password\":\"pw\"}");
    assert_int_equal(particle_user_tracking_identity(&doc, f.c, 0), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_user_tracking_identity(&doc, f.c, 1), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_user_verify(f.c, "t0k"), PARTICLE_ENOTFOUND);
    fixture_assert_body(f.srv, 10, "{\"token\":\"t0k\"}");

    /* argument checks send nothing */
    assert_int_equal(particle_user_create(f.c, "", "pw", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_user_create(f.c, "a@example.com", NULL, NULL), PARTICLE_EINVAL);
    particle_account_info empty = PARTICLE_ACCOUNT_INFO_INIT;
    assert_int_equal(particle_user_set_info(&doc, f.c, &empty), PARTICLE_EINVAL);
    assert_int_equal(particle_user_set_info(&doc, f.c, NULL), PARTICLE_EINVAL);
    particle_account_info bad_version = PARTICLE_ACCOUNT_INFO_INIT;
    bad_version.version = 99;
    assert_int_equal(particle_user_set_info(&doc, f.c, &bad_version), PARTICLE_EINVAL);
    assert_int_equal(particle_user_change_username(f.c, NULL, "x@y", 0), PARTICLE_EINVAL);
    assert_int_equal(particle_user_change_password(f.c, "pw", "", 0), PARTICLE_EINVAL);
    assert_int_equal(particle_user_delete(f.c, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_user_reset_password(NULL, "a@example.com"), PARTICLE_EINVAL);
    particle_account_info zero = {0}; /* the one rule: {0} sends nothing, so it sets nothing */
    assert_int_equal(particle_user_set_info(&doc, f.c, &zero), PARTICLE_EINVAL);
    particle_account_info odd = PARTICLE_ACCOUNT_INFO_INIT;
    odd.business_account = (particle_business_account)7;
    assert_int_equal(particle_user_set_info(&doc, f.c, &odd), PARTICLE_EINVAL);
    assert_int_equal(particle_account_info_init(&empty, 99), PARTICLE_EINVAL);
    assert_int_equal(particle_account_info_init(&empty, PARTICLE_ACCOUNT_INFO_VERSION), 0);
    assert_int_equal(empty.business_account, PARTICLE_BUSINESS_LEAVE);
    finish(&f);
}

#define ENROL                                                                                      \
    "{\"mfa_token\":\"m1\",\"qr_url\":\"otpauth://totp/Particle:a?secret=ABC\",\"secret\":"        \
    "\"ABC\"}"

static void test_mfa(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/user/mfa-enable HTTP/1.1", .status = 200, .body = ENROL},
        {.expect = "GET /v1/user/mfa-enable HTTP/1.1", .status = 200, .body = "{\"qr_url\":\"x\"}"},
        {.expect = "POST /v1/user/mfa-enable HTTP/1.1",
         .status = 200,
         .body = "{\"enrolled\":true}"},
        {.expect = "POST /v1/user/mfa-enable HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"Invalid one-time password\"}"},
        {.expect = "PUT /v1/user/mfa-disable HTTP/1.1", .status = 200, .body = OK},
    };
    fixture f = start(steps, sizeof(steps) / sizeof(steps[0]));
    particle_doc *doc = NULL;
    assert_int_equal(particle_mfa_enable(&doc, f.c), 0);
    assert_string_equal(particle_value_string(particle_value_get(particle_doc_root(doc), "secret")),
                        "ABC");
    particle_doc_free(doc);
    assert_int_equal(particle_mfa_enable(&doc, f.c), PARTICLE_EPROTO);
    assert_null(doc);
    assert_int_equal(particle_mfa_confirm(&doc, f.c, "m1", "123456", PARTICLE_INVALIDATE_TOKENS),
                     0);
    fixture_assert_body(f.srv, 2,
                        "{\"mfa_token\":\"m1\",\"otp\":\"123456\",\"invalidate_tokens\":true}");
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "enrolled"), 0),
                     1);
    particle_doc_free(doc);
    assert_int_equal(particle_mfa_confirm(NULL, f.c, "m1", "000000", 0), PARTICLE_EHTTP);
    fixture_assert_body(f.srv, 3, "{\"mfa_token\":\"m1\",\"otp\":\"000000\"}");
    assert_int_equal(particle_mfa_disable(f.c, "pw"), 0);
    fixture_assert_body(f.srv, 4, "{\"current_password\":\"pw\"}");
    assert_int_equal(particle_mfa_confirm(NULL, f.c, "m1", NULL, 0), PARTICLE_EINVAL);
    assert_int_equal(particle_mfa_enable(NULL, f.c), PARTICLE_EINVAL);
    assert_int_equal(particle_mfa_disable(f.c, ""), PARTICLE_EINVAL);
    finish(&f);
}

static void test_provisioning(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/devices HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"id\":\"0123456789abcdef01234567\"}"},
        {.expect = "POST /v1/devices HTTP/1.1", .status = 404, .body = "{\"ok\":false}"},
        {.expect = "POST /v1/provisioning/0123456789abcdef01234567 HTTP/1.1",
         .status = 200,
         .body = OK},
        {.expect = "PUT /v1/devices/dev/unprotect HTTP/1.1",
         .status = 200,
         .body = "{\"server_nonce\":\"bm9uY2U=\"}"},
        {.expect = "PUT /v1/products/my%20prod/devices/dev/unprotect HTTP/1.1",
         .status = 200,
         .body = "{\"server_signature\":\"c2ln\",\"server_public_key_fingerprint\":\"ZnA=\"}"},
        {.expect = "PUT /v1/orgs/acme/devices/dev/unprotect HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Device public key was not found\"}"},
    };
    fixture f = start(steps, sizeof(steps) / sizeof(steps[0]));
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_provision(&doc, f.c, "10001"), 0);
    fixture_assert_body(f.srv, 0, "{\"product_id\":10001}");
    particle_doc_free(doc);
    assert_int_equal(particle_device_provision(&doc, f.c, "my-slug"), PARTICLE_ENOTFOUND);
    fixture_assert_body(f.srv, 1, "{\"product_id\":\"my-slug\"}");
    assert_int_equal(particle_device_send_public_key(f.c, "0123456789abcdef01234567",
                                                     "-----BEGIN PUBLIC KEY-----", "ecc"),
                     0);
    fixture_assert_request_has(f.srv, 2,
                               "\"deviceID\":\"0123456789abcdef01234567\","
                               "\"publicKey\":\"-----BEGIN PUBLIC KEY-----\","
                               "\"filename\":\"libparticle\",\"order\":\"manual_");
    fixture_assert_request_has(f.srv, 2, "\"algorithm\":\"ecc\"}");

    particle_unprotect_options u = PARTICLE_UNPROTECT_OPTIONS_INIT;
    u.action = "prepare";
    assert_int_equal(particle_device_unprotect(&doc, f.c, "dev", &u), 0);
    fixture_assert_body(f.srv, 3, "{\"action\":\"prepare\"}");
    particle_doc_free(doc);
    u.action = "confirm";
    u.product = "my prod";
    u.server_nonce = "bm9uY2U=";
    u.device_nonce = "ZA==";
    u.device_signature = "c2ln";
    u.device_public_key_fingerprint = "ZnA=";
    assert_int_equal(particle_device_unprotect(&doc, f.c, "dev", &u), 0);
    fixture_assert_body(f.srv, 4,
                        "{\"action\":\"confirm\",\"server_nonce\":\"bm9uY2U=\",\"device_nonce\":"
                        "\"ZA==\",\"device_signature\":\"c2ln\",\"device_public_key_fingerprint\":"
                        "\"ZnA=\"}");
    particle_doc_free(doc);
    u.org = "acme"; /* wins over the product */
    assert_int_equal(particle_device_unprotect(&doc, f.c, "dev", &u), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "Device public key was not found");

    assert_int_equal(particle_device_unprotect(&doc, f.c, "dev", NULL), PARTICLE_EINVAL);
    u.action = NULL;
    assert_int_equal(particle_device_unprotect(&doc, f.c, "dev", &u), PARTICLE_EINVAL);
    assert_int_equal(particle_device_send_public_key(f.c, "dev", "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_device_provision(&doc, f.c, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_unprotect_options_init(&u, 99), PARTICLE_EINVAL);
    finish(&f);
}

#define GONE "{\"ok\":false,\"error\":\"Not Found\"}"

static void test_retired_mesh(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/networks HTTP/1.1", .status = 404, .body = GONE},
        {.expect = "DELETE /v1/networks/home HTTP/1.1", .status = 404, .body = GONE},
        {.expect = "GET /v1/networks?page=2&per_page=5 HTTP/1.1", .status = 404, .body = GONE},
        {.expect = "GET /v1/networks HTTP/1.1", .status = 200, .body = "[]"},
        {.expect = "GET /v1/networks/my%20net HTTP/1.1", .status = 404, .body = GONE},
        {.expect = "PUT /v1/networks/home HTTP/1.1", .status = 404, .body = GONE},
        {.expect = "PUT /v1/networks/home HTTP/1.1", .status = 404, .body = GONE},
        {.expect = "DELETE /v1/devices/dev/network HTTP/1.1", .status = 404, .body = GONE},
        {.expect = "GET /v1/networks/home/devices?role=node&per_page=3 HTTP/1.1",
         .status = 404,
         .body = GONE},
    };
    fixture f = start(steps, sizeof(steps) / sizeof(steps[0]));
    particle_doc *doc = NULL;
    assert_int_equal(particle_mesh_network_create(&doc, f.c, "home", "gw", "8934"),
                     PARTICLE_ENOTFOUND);
    fixture_assert_body(f.srv, 0, "{\"name\":\"home\",\"device_id\":\"gw\",\"iccid\":\"8934\"}");
    assert_int_equal(particle_mesh_network_remove(f.c, "home"), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_list(&doc, f.c, 2, 5), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_list(&doc, f.c, 0, 0), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_mesh_network_get(&doc, f.c, "my net"), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_add_device(&doc, f.c, "home", "dev"),
                     PARTICLE_ENOTFOUND);
    fixture_assert_body(f.srv, 5, "{\"action\":\"add-device\",\"device_id\":\"dev\"}");
    assert_int_equal(particle_mesh_network_remove_device(f.c, "home", "dev"), PARTICLE_ENOTFOUND);
    fixture_assert_body(f.srv, 6, "{\"action\":\"remove-device\",\"device_id\":\"dev\"}");
    assert_int_equal(particle_mesh_network_remove_device(f.c, NULL, "dev"), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_list_devices(&doc, f.c, "home", "node", 0, 3),
                     PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_update(&doc, f.c, "home", NULL, "dev"), PARTICLE_EINVAL);
    assert_int_equal(particle_mesh_network_create(&doc, f.c, "", "gw", NULL), PARTICLE_EINVAL);
    finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signup_info_and_credentials),
        cmocka_unit_test(test_mfa),
        cmocka_unit_test(test_provisioning),
        cmocka_unit_test(test_retired_mesh),
    };
    particle_global_init();
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
