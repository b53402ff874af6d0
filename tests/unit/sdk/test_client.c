/* The client handle: options, resolution of endpoint and token (option > environment >
 * particle-cli profile > default) with a temporary profile directory, argument checks,
 * and the per-thread error record. */
#include "internal.h" /* the error record, written directly by one test */
#include "sdk_fixture.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

static int setup(void **state)
{
    (void)state;
    unsetenv("PARTICLE_API_BASE_URL");
    unsetenv("PARTICLE_ACCESS_TOKEN");
    return fixture_profile_dir_setup(state);
}

static int teardown(void **state)
{
    int rc = fixture_profile_dir_teardown(state);
    unsetenv("PARTICLE_API_BASE_URL");
    unsetenv("PARTICLE_ACCESS_TOKEN");
    return rc;
}

static particle_client *new_client(const particle_client_options *o)
{
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, o), 0);
    return c;
}

static void test_defaults_without_anything(void **state)
{
    (void)state;
    particle_client_options o;
    assert_int_equal(particle_client_options_init(&o, PARTICLE_CLIENT_OPTIONS_VERSION), 0);
    assert_int_equal(o.max_retries, 0);  /* the default, 3 */
    o.profile_dir = fixture_profile_dir; /* empty: no profile */
    particle_client *c = new_client(&o);
    assert_string_equal(particle_client_base_url(c), "https://api.particle.io");
    assert_int_equal(particle_client_has_token(c), 0);
    assert_null(particle_client_profile_username(c));
    particle_client_free(c);
}

/* One rule for every options struct: `= {0}` means the documented defaults, as NULL does
 * (version 0 reads as version 1), and each _init() gives the same defaults. */
static void test_zero_options_are_the_defaults(void **state)
{
    (void)state;
    particle_client_options zero = {0};
    zero.profile_dir = fixture_profile_dir;
    particle_client *c = new_client(&zero);
    assert_string_equal(particle_client_base_url(c), "https://api.particle.io");
    particle_client_free(c);

    particle_request_options r;
    assert_int_equal(particle_request_options_init(&r, PARTICLE_REQUEST_OPTIONS_VERSION), 0);
    assert_int_equal(r.version, PARTICLE_REQUEST_OPTIONS_VERSION);
    assert_null(r.product);
    assert_int_equal(r.flags, 0);
    assert_int_equal(particle_request_options_init(&r, 99), PARTICLE_EINVAL);
    assert_int_equal(particle_request_options_init(NULL, PARTICLE_REQUEST_OPTIONS_VERSION),
                     PARTICLE_EINVAL);
    particle_multi_options m;
    assert_int_equal(particle_multi_options_init(&m, PARTICLE_MULTI_OPTIONS_VERSION), 0);
    assert_int_equal(m.version, PARTICLE_MULTI_OPTIONS_VERSION);
    assert_int_equal(m.max_in_flight, 0);
    assert_int_equal(particle_multi_options_init(&m, 99), PARTICLE_EINVAL);

    /* the INIT macros are all zero but the version */
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    assert_int_equal(lo.expires_in, 0);
    particle_sim_update_options su = PARTICLE_SIM_UPDATE_OPTIONS_INIT;
    assert_int_equal(su.set_mb_limit, 0);
    assert_int_equal(su.mb_limit, 0);
}

/* PARTICLE_CODE_LAST_ comes from the error map: one below its lowest code. */
static void test_code_last_follows_the_map(void **state)
{
    (void)state;
    assert_int_equal(PARTICLE_CODE_LAST_, PARTICLE_EIO - 1);
    assert_string_equal(particle_code_name(PARTICLE_CODE_LAST_), "PARTICLE_UNKNOWN");
}

/* Clearing the record wipes every field, the MFA token included. */
static void test_error_clear_wipes_the_record(void **state)
{
    (void)state;
    particle__error_set(PARTICLE_EMFA, "mfa");
    snprintf(particle__error_record()->mfa_token, 512, "%s", "secret-mfa");
    particle_error_clear();
    const particle_error *e = particle_error_last();
    assert_int_equal(e->code, PARTICLE_OK);
    assert_string_equal(e->mfa_token, "");
    assert_int_equal(e->retry_after_ms, -1);
    snprintf(particle__error_record()->mfa_token, 512, "%s", "secret-mfa");
    particle__error_set(PARTICLE_EINVAL, "next error");
    assert_string_equal(particle_error_last()->mfa_token, "");
}

static void test_profile_is_read(void **state)
{
    (void)state;
    fixture_profile_write(
        "particle.config.json",
        "{\"apiUrl\":\"https://api.example.test/\",\"access_token\":\"proftoken\","
        "\"username\":\"joe@example.com\"}");
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.profile_dir = fixture_profile_dir;
    particle_client *c = new_client(&o);
    assert_string_equal(particle_client_base_url(c), "https://api.example.test");
    assert_int_equal(particle_client_has_token(c), 1);
    assert_string_equal(particle_client_profile_username(c), "joe@example.com");
    particle_client_free(c);

    /* profile.json selects another profile */
    fixture_profile_write("profile.json", "{\"name\":\"staging\"}");
    fixture_profile_write("staging.config.json", "{\"apiUrl\":\"http://staging.test\"}");
    c = new_client(&o);
    assert_string_equal(particle_client_base_url(c), "http://staging.test");
    assert_int_equal(particle_client_has_token(c), 0);
    particle_client_free(c);

    /* NO_PROFILE ignores it */
    o.flags = PARTICLE_CLIENT_NO_PROFILE;
    c = new_client(&o);
    assert_string_equal(particle_client_base_url(c), PARTICLE_DEFAULT_BASE_URL);
    particle_client_free(c);
}

static void test_env_beats_profile_and_option_beats_env(void **state)
{
    (void)state;
    fixture_profile_write("particle.config.json",
                          "{\"apiUrl\":\"https://profile.test\",\"access_token\":\"proftoken\"}");
    setenv("PARTICLE_API_BASE_URL", "http://env.test:8080/", 1);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.profile_dir = fixture_profile_dir;
    particle_client *c = new_client(&o);
    assert_string_equal(particle_client_base_url(c), "http://env.test:8080");
    /* the token still comes from the profile */
    assert_int_equal(particle_client_has_token(c), 1);
    particle_client_free(c);

    o.base_url = "https://option.test";
    c = new_client(&o);
    assert_string_equal(particle_client_base_url(c), "https://option.test");
    particle_client_free(c);

    o.base_url = NULL;
    o.flags = PARTICLE_CLIENT_NO_ENV;
    c = new_client(&o);
    assert_string_equal(particle_client_base_url(c), "https://profile.test");
    particle_client_free(c);
}

/* The token that goes out on the wire shows which source won. */
static void test_token_precedence_on_the_wire(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/user ", .status = 200, .body = "{}"},
        {.expect = "GET /v1/user ", .status = 200, .body = "{}"},
        {.expect = "GET /v1/user ", .status = 200, .body = "{}"},
    };
    canned_server *srv = canned_server_start(steps, 3);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    fixture_profile_write("particle.config.json", "{\"access_token\":\"proftoken\"}");
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.profile_dir = fixture_profile_dir;
    o.base_url = url;
    particle_doc *doc = NULL;

    particle_client *c = new_client(&o);
    assert_int_equal(particle_user_get(&doc, c), 0);
    particle_doc_free(doc);
    particle_client_free(c);

    setenv("PARTICLE_ACCESS_TOKEN", "envtoken", 1);
    c = new_client(&o);
    assert_int_equal(particle_user_get(&doc, c), 0);
    particle_doc_free(doc);
    particle_client_free(c);

    o.access_token = "opttoken";
    c = new_client(&o);
    assert_int_equal(particle_user_get(&doc, c), 0);
    particle_doc_free(doc);
    particle_client_free(c);

    fixture_assert_request_has(srv, 0, "Authorization: Bearer proftoken\r\n");
    fixture_assert_request_has(srv, 1, "Authorization: Bearer envtoken\r\n");
    fixture_assert_request_has(srv, 2, "Authorization: Bearer opttoken\r\n");
    fixture_assert_script_ok(srv);
    canned_server_stop(srv);
}

static void test_bad_profiles_and_options(void **state)
{
    (void)state;
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.profile_dir = fixture_profile_dir;
    particle_client *c = (particle_client *)&o; /* must be reset to NULL on failure */

    fixture_profile_write("particle.config.json", "{\"apiUrl\": ");
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EIO);
    assert_null(c);
    assert_non_null(strstr(particle_error_last()->message, "particle.config.json"));

    fixture_profile_write("particle.config.json", "{}");
    fixture_profile_write("profile.json", "{\"name\":\"../../etc/passwd\"}");
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EIO);
    fixture_profile_remove("profile.json");

    o.base_url = "api.particle.io";
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EINVAL);
    o.base_url = "ftp://api.particle.io";
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EINVAL);
    o.base_url = NULL;
    o.version = 99;
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EINVAL);
    assert_int_equal(particle_client_options_init(&o, 99), PARTICLE_EINVAL);
    assert_int_equal(particle_client_new(NULL, NULL), PARTICLE_EINVAL);

    /* NULL-safety of the small calls */
    particle_client_free(NULL);
    assert_int_equal(particle_client_has_token(NULL), 0);
    assert_null(particle_client_base_url(NULL));
    assert_int_equal(particle_client_set_access_token(NULL, "x"), PARTICLE_EINVAL);
    assert_int_equal(particle_user_get(NULL, NULL), PARTICLE_EINVAL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_event_publish(NULL, NULL), PARTICLE_EINVAL);
}

static void test_set_access_token(void **state)
{
    (void)state;
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = new_client(&o);
    assert_int_equal(particle_client_has_token(c), 0);
    assert_int_equal(particle_client_set_access_token(c, "abc"), 0);
    assert_int_equal(particle_client_has_token(c), 1);
    assert_int_equal(particle_client_set_access_token(c, ""), 0);
    assert_int_equal(particle_client_has_token(c), 0);
    particle_client_free(c);
}

/* libcurl sends header text verbatim: a CR/LF in the token or User-Agent would inject a
 * header of its own, so such values are refused wherever they come from. */
static void test_header_text_refused(void **state)
{
    (void)state;
    static const char *const bad_tokens[] = {"abc\r\nX-Injected: 1", "abc\ndef", "abc def",
                                             "tab\there", "del\x7f"};
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = NULL;
    for (size_t i = 0; i < sizeof(bad_tokens) / sizeof(bad_tokens[0]); i++) {
        o.access_token = bad_tokens[i];
        assert_int_equal(particle_client_new(&c, &o), PARTICLE_EINVAL);
        assert_null(c);
    }
    o.access_token = NULL;
    o.user_agent = "agent/1\r\nX-Injected: 1";
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EINVAL);
    o.user_agent = "agent/1 (with spaces)";
    c = new_client(&o);

    /* set_access_token refuses it and keeps the token it had */
    assert_int_equal(particle_client_set_access_token(c, "good"), 0);
    assert_int_equal(particle_client_set_access_token(c, "bad\r\nX-Injected: 1"), PARTICLE_EINVAL);
    assert_int_equal(particle_client_has_token(c), 1);
    particle_client_free(c);

    /* from the environment and from a profile file */
    o.flags = PARTICLE_CLIENT_NO_PROFILE;
    setenv("PARTICLE_ACCESS_TOKEN", "env\r\nX-Injected: 1", 1);
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EINVAL);
    unsetenv("PARTICLE_ACCESS_TOKEN");
    o.flags = PARTICLE_CLIENT_NO_ENV;
    o.profile_dir = fixture_profile_dir;
    fixture_profile_write("particle.config.json", "{\"access_token\":\"prof\\r\\nX-Injected: 1\"}");
    assert_int_equal(particle_client_new(&c, &o), PARTICLE_EINVAL);
    assert_null(c);
}

/* A call that fails on its arguments still sets *out to NULL, so the caller's usual
 * cleanup (free whatever came out) is safe on every path. */
static void test_failed_calls_reset_out(void **state)
{
    (void)state;
    particle_doc *garbage = (particle_doc *)&garbage;
    particle_doc *doc = garbage;
    assert_int_equal(particle_access_token_list(&doc, NULL, NULL, "pw", NULL), PARTICLE_EINVAL);
    assert_null(doc);
    doc = garbage;
    assert_int_equal(particle_access_token_list(&doc, NULL, "joe", "pw", NULL), PARTICLE_EINVAL);
    assert_null(doc);
    doc = garbage;
    assert_int_equal(particle_device_rename(&doc, NULL, "dev", NULL, NULL), PARTICLE_EINVAL);
    assert_null(doc);
    doc = garbage;
    assert_int_equal(particle_doc_parse(&doc, NULL, 0), PARTICLE_EINVAL);
    assert_null(doc);
    char *text = (char *)&text;
    assert_int_equal(particle_value_to_json(&text, NULL, 0), PARTICLE_EINVAL);
    assert_null(text);
}

/* Text that is not UTF-8 cannot go into a JSON body: the caller's mistake
 * (PARTICLE_EINVAL naming the field), not out of memory. Nothing is sent: the body is
 * built before the request. */
static void test_non_utf8_text_is_invalid_argument(void **state)
{
    (void)state;
    static const char bad[] = "caf\xe9";
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.base_url = "http://127.0.0.1:9";
    o.max_retries = PARTICLE_NO_RETRIES;
    particle_client *c = new_client(&o);
    particle_request_options product = PARTICLE_REQUEST_OPTIONS_INIT;
    product.product = "my-product";

    assert_int_equal(particle_device_rename(NULL, c, "dev", bad, NULL), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "name is not UTF-8"));
    assert_int_equal(particle_device_set_notes(NULL, c, "dev", bad, NULL), PARTICLE_EINVAL);
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    const char *groups[] = {"europe", bad};
    u.groups = groups;
    u.groups_count = 2;
    assert_int_equal(particle_device_update(NULL, c, "dev", &u, &product), PARTICLE_EINVAL);
    groups[1] = NULL;
    assert_int_equal(particle_device_update(NULL, c, "dev", &u, &product), PARTICLE_EINVAL);
    assert_int_equal(particle_device_claim(NULL, c, bad, 0, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_function_call(NULL, c, "dev", "led", bad, NULL), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "argument is not UTF-8"));
    particle_publish_options p = PARTICLE_PUBLISH_OPTIONS_INIT;
    p.name = "temp";
    p.data = bad;
    assert_int_equal(particle_event_publish(c, &p), PARTICLE_EINVAL);
    p.data = NULL;
    p.name = bad;
    assert_int_equal(particle_event_publish(c, &p), PARTICLE_EINVAL);
    const char *ids[] = {"0123456789abcdef01234567", bad};
    assert_int_equal(particle_product_devices_add(NULL, c, "my-product", ids, 2, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_add(NULL, c, "my-product", ids + 1, 1, NULL),
                     PARTICLE_EINVAL);
    particle_client_free(c);
}

static void *fail_in_thread(void *arg)
{
    (void)arg;
    particle_doc *doc = NULL;
    int rc = particle_device_get(&doc, NULL, "x", NULL);
    const particle_error *e = particle_error_last();
    /* report what this thread sees: its own record */
    return (void *)(intptr_t)(rc == PARTICLE_EINVAL && e->code == PARTICLE_EINVAL ? 1 : 0);
}

static void test_error_record_is_per_thread(void **state)
{
    (void)state;
    particle_error_clear();
    assert_int_equal(particle_error_last()->code, PARTICLE_OK);
    assert_int_equal(particle_error_last()->retry_after_ms, -1);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
    void *result = NULL;
    assert_int_equal(pthread_join(t, &result), 0);
    assert_int_equal((intptr_t)result, 1);
    /* the other thread's failure left this thread's record untouched */
    assert_int_equal(particle_error_last()->code, PARTICLE_OK);
    assert_string_equal(particle_code_name(PARTICLE_EOFFLINE), "PARTICLE_EOFFLINE");
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_without_anything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_options_are_the_defaults, setup, teardown),
        cmocka_unit_test(test_code_last_follows_the_map),
        cmocka_unit_test(test_error_clear_wipes_the_record),
        cmocka_unit_test_setup_teardown(test_profile_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_beats_profile_and_option_beats_env, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_token_precedence_on_the_wire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_profiles_and_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_access_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_text_refused, setup, teardown),
        cmocka_unit_test(test_failed_calls_reset_out),
        cmocka_unit_test(test_non_utf8_text_is_invalid_argument),
        cmocka_unit_test(test_error_record_is_per_thread),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
