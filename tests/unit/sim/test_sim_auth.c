/* particle-sim auth routes over loopback HTTP: login grants, token errors, token routes. */
#include "sim_test.h"

static sim_test *T;

static int setup(void **state)
{
    sim_test_global_setup(state);
    T = sim_test_start(NULL);
    return 0;
}

static int teardown(void **state)
{
    sim_test_stop(T);
    return sim_test_global_teardown(state);
}

/* POST /oauth/token with a form body; returns the reply JSON after checking @p status. */
static json_t *oauth(const char *form, const char *basic, long status)
{
    char url[256], auth[256];
    const char *headers[3] = {FORM, NULL, NULL};
    if (basic) {
        snprintf(auth, sizeof(auth), "Authorization: Basic %s", basic);
        headers[1] = auth;
    }
    http_call call = {.method = "POST",
                      .url = http_url(url, sizeof(url), T->port, "/oauth/token"),
                      .headers = headers,
                      .body = form,
                      .body_len = strlen(form)};
    http_reply r;
    http_perform(&call, &r);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static void test_password_login(void **state)
{
    (void)state;
    json_t *j = oauth("username=demo%40example.com&password=demo-password&grant_type=password&"
                      "client_id=particle-cli&client_secret=particle-cli&expires_in=0",
                      NULL, 200);
    assert_string_equal(jstr(j, "token_type"), "bearer");
    assert_int_equal(json_integer_value(json_object_get(j, "expires_in")), 0);
    assert_int_equal(strlen(jstr(j, "access_token")), 40);
    assert_int_equal(strlen(jstr(j, "refresh_token")), 40);
    http_reply r = sim_req(T, "GET", "/v1/user", jstr(j, "access_token"), NULL, NULL);
    json_t *user = sim_json(&r, 200);
    assert_string_equal(jstr(user, "username"), "demo@example.com");
    json_decref(user);
    http_reply_dispose(&r);
    /* The default lifetime is 90 days. */
    json_t *k =
        oauth("username=demo%40example.com&password=demo-password&grant_type=password", NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(k, "expires_in")), 7776000);
    /* refresh_token gives a new token and retires the old one. */
    char form[256];
    snprintf(form, sizeof(form), "grant_type=refresh_token&refresh_token=%s",
             jstr(k, "refresh_token"));
    json_t *n = oauth(form, NULL, 200);
    assert_string_not_equal(jstr(n, "access_token"), jstr(k, "access_token"));
    r = sim_req(T, "GET", "/v1/user", jstr(k, "access_token"), NULL, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    json_decref(oauth(form, NULL, 400));
    /* A lifetime too long to mean anything is refused, not turned into "never expires". */
    json_decref(oauth("username=demo%40example.com&password=demo-password&grant_type=password&"
                      "expires_in=9223372036854775807",
                      NULL, 400));
    /* A century is the longest lifetime; negative or not a whole number is refused. */
    json_t *century = oauth("username=demo%40example.com&password=demo-password&"
                            "grant_type=password&expires_in=3153600000",
                            NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(century, "expires_in")), 3153600000);
    json_decref(century);
    const char *bad_lifetimes[] = {"3153600001", "-1", "1x", "1.5", "%201"};
    for (size_t i = 0; i < sizeof(bad_lifetimes) / sizeof(bad_lifetimes[0]); i++) {
        char login[160];
        snprintf(login, sizeof(login),
                 "username=demo%%40example.com&password=demo-password&grant_type=password&"
                 "expires_in=%s",
                 bad_lifetimes[i]);
        json_decref(oauth(login, NULL, 400));
    }
    json_decref(j);
    json_decref(k);
    json_decref(n);
}

static void test_bad_password(void **state)
{
    (void)state;
    char url[256];
    const char *headers[] = {FORM, NULL};
    const char *form = "username=demo%40example.com&password=wrong&grant_type=password";
    http_call call = {.method = "POST",
                      .url = http_url(url, sizeof(url), T->port, "/oauth/token"),
                      .headers = headers,
                      .body = form,
                      .body_len = strlen(form)};
    http_reply r;
    http_perform(&call, &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(
        r.body,
        "{\"error\":\"invalid_grant\",\"error_description\":\"User credentials are invalid\"}");
    http_reply_dispose(&r);
    json_decref(oauth("username=nobody%40example.com&password=x&grant_type=password", NULL, 400));
    json_decref(oauth("grant_type=magic", NULL, 400));
}

static void test_mfa_flow(void **state)
{
    (void)state;
    json_t *j =
        oauth("username=mfa%40example.com&password=mfa-password&grant_type=password", NULL, 403);
    assert_string_equal(jstr(j, "error"), "mfa_required");
    assert_string_equal(jstr(j, "error_description"), "Multifactor authentication required");
    const char *mfa = jstr(j, "mfa_token");
    assert_non_null(mfa);
    char form[256];
    snprintf(form, sizeof(form), "grant_type=urn%%3Acustom%%3Amfa-otp&mfa_token=%s&otp=999999",
             mfa);
    json_decref(oauth(form, NULL, 400));
    snprintf(form, sizeof(form), "grant_type=urn%%3Acustom%%3Amfa-otp&mfa_token=%s&otp=123456",
             mfa);
    json_t *ok = oauth(form, NULL, 200);
    http_reply r = sim_req(T, "GET", "/v1/user", jstr(ok, "access_token"), NULL, NULL);
    json_t *user = sim_json(&r, 200);
    assert_string_equal(jstr(user, "username"), "mfa@example.com");
    assert_true(json_is_true(json_object_get(json_object_get(user, "mfa"), "enabled")));
    json_decref(user);
    http_reply_dispose(&r);
    json_decref(ok);
    json_decref(j);
}

static void test_client_credentials(void **state)
{
    (void)state;
    /* Basic asset-tracker-client:asset-tracker-secret -> a product token */
    json_t *p = oauth("grant_type=client_credentials",
                      "YXNzZXQtdHJhY2tlci1jbGllbnQ6YXNzZXQtdHJhY2tlci1zZWNyZXQ=", 200);
    const char *ptoken = jstr(p, "access_token");
    http_reply r = sim_req(T, "GET", "/v1/products/asset-tracker/devices", ptoken, NULL, NULL);
    json_t *list = sim_json(&r, 200);
    assert_int_equal(json_array_size(json_object_get(list, "devices")), 13);
    json_decref(list);
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/products/env-sensors/devices", ptoken, NULL, NULL);
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/devices/demo-argon-1", ptoken, NULL, NULL);
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    /* Form-body credentials with a customer scope -> a customer token. */
    json_t *c = oauth("grant_type=client_credentials&client_id=asset-tracker-client&"
                      "client_secret=asset-tracker-secret&scope=customer%3Dcustomer%40example.com",
                      NULL, 200);
    r = sim_req(T, "GET", "/v1/devices", jstr(c, "access_token"), NULL, NULL);
    list = sim_json(&r, 200);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(jstr(json_array_get(list, 0), "name"), "customer-tracker");
    json_decref(list);
    http_reply_dispose(&r);
    json_decref(oauth("grant_type=client_credentials&client_id=asset-tracker-client&"
                      "client_secret=wrong",
                      NULL, 401));
    json_decref(oauth("grant_type=client_credentials&client_id=asset-tracker-client&"
                      "client_secret=asset-tracker-secret&scope=customer%3Dnobody%40x.com",
                      NULL, 400));
    json_decref(p);
    json_decref(c);
}

static void test_token_errors(void **state)
{
    (void)state;
    sim_expect_body(T, "GET", "/v1/devices", "0000000000000000000000000000000000000000", 401,
                    "{\"error\":\"invalid_token\",\"error_description\":\"The access token "
                    "provided is invalid.\"}");
    sim_expect_body(T, "GET", "/v1/devices", NULL, 400,
                    "{\"error\":\"invalid_request\",\"error_description\":\"The access token was "
                    "not found\"}");
    /* access_token in the query string works on any verb, and in a form body. */
    http_reply r = sim_req(T, "GET", "/v1/user?access_token=" DEMO_TOKEN, NULL, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = sim_req(T, "PUT", "/v1/devices/demo-argon-1/ping?access_token=" DEMO_TOKEN, NULL, NULL,
                NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = sim_req(T, "PUT", "/v1/devices/demo-argon-1/ping", NULL, FORM, "access_token=" DEMO_TOKEN);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
}

static void test_token_routes(void **state)
{
    (void)state;
    json_t *a = oauth("username=other%40example.com&password=other-password&grant_type=password",
                      NULL, 200);
    json_t *b = oauth("username=other%40example.com&password=other-password&grant_type=password",
                      NULL, 200);
    /* GET /v1/access_tokens needs Basic username:password. */
    char url[256];
    const char *basic[] = {"Authorization: Basic b3RoZXJAZXhhbXBsZS5jb206b3RoZXItcGFzc3dvcmQ=",
                           NULL};
    http_call call = {.url = http_url(url, sizeof(url), T->port, "/v1/access_tokens"),
                      .headers = basic};
    http_reply r;
    http_perform(&call, &r);
    json_t *list = sim_json(&r, 200);
    assert_true(json_array_size(list) >= 3); /* fixture token + two logins */
    json_decref(list);
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/access_tokens", OTHER_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);
    /* GET current, then DELETE current revokes it. */
    r = sim_req(T, "GET", "/v1/access_tokens/current", jstr(a, "access_token"), NULL, NULL);
    json_t *cur = sim_json(&r, 200);
    assert_true(json_is_string(json_object_get(cur, "expires_at")));
    assert_true(json_is_array(json_object_get(cur, "scopes")));
    json_decref(cur);
    http_reply_dispose(&r);
    r = sim_req(T, "DELETE", "/v1/access_tokens/current", jstr(a, "access_token"), NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/user", jstr(a, "access_token"), NULL, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    /* DELETE /v1/access_tokens/:token with no credentials: the path token is enough. */
    char path[128];
    snprintf(path, sizeof(path), "/v1/access_tokens/%s", jstr(b, "access_token"));
    r = sim_req(T, "DELETE", path, NULL, NULL, NULL);
    json_t *ok = sim_json(&r, 200);
    assert_true(json_is_true(json_object_get(ok, "ok")));
    json_decref(ok);
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/user", jstr(b, "access_token"), NULL, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    json_decref(a);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_login), cmocka_unit_test(test_bad_password),
        cmocka_unit_test(test_mfa_flow),       cmocka_unit_test(test_client_credentials),
        cmocka_unit_test(test_token_errors),   cmocka_unit_test(test_token_routes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
