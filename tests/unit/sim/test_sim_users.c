/* particle-sim's developer accounts: RFC 4226/6238 one-time passwords and base32 (against
 * the RFCs' test vectors), MFA enrolment and login over loopback HTTP with codes computed
 * from the handed-out secret, account changes, and --state keeping all of it across a
 * restart (a signed-up user renamed, MFA on, a fleet user's new password, a deleted user). */
#include <sys/stat.h>
#include <unistd.h>

#include "model/sim_totp.h"
#include "pu_str.h"
#include "pu_time.h"
#include "sim_test.h"

/* RFC 4226 Appendix D: HOTP of "12345678901234567890" for counters 0..9. */
static void test_hotp_rfc4226_vectors(void **state)
{
    (void)state;
    static const uint32_t want[] = {755224, 287082, 359152, 969429, 338314,
                                    254676, 287922, 162583, 399871, 520489};
    const uint8_t *key = (const uint8_t *)"12345678901234567890";
    for (uint64_t i = 0; i < 10; i++)
        assert_int_equal(sim_hotp(key, 20, i), want[i]);
}

/* RFC 6238 Appendix B (SHA-1), the last 6 of the 8 digits. */
static void test_totp_rfc6238_vectors(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *code;
    } v[] = {{59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
             {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}};
    char secret[SIM_TOTP_SECRET_LEN + 1], code[SIM_TOTP_DIGITS + 1];
    sim_base32_encode((const uint8_t *)"12345678901234567890", 20, secret);
    assert_string_equal(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        assert_int_equal(sim_totp_code(secret, v[i].t, code), 0);
        assert_string_equal(code, v[i].code);
    }
    /* one step of drift either way, each step good once, nothing else */
    int64_t now = 1111111111, step = now / SIM_TOTP_STEP_S;
    assert_int_equal(sim_totp_check(secret, "050471", now, -1), step);
    assert_int_equal(sim_totp_check(secret, "050471", now, step), -1);
    assert_int_equal(sim_totp_code(secret, now - 30, code), 0);
    assert_int_equal(sim_totp_check(secret, code, now, -1), step - 1);
    assert_int_equal(sim_totp_code(secret, now + 30, code), 0);
    assert_int_equal(sim_totp_check(secret, code, now, step), step + 1);
    assert_int_equal(sim_totp_code(secret, now + 90, code), 0);
    assert_int_equal(sim_totp_check(secret, code, now, -1), -1);
    assert_int_equal(sim_totp_check(secret, "05047", now, -1), -1);
    assert_int_equal(sim_totp_check(secret, "05047x", now, -1), -1);
    assert_int_equal(sim_totp_check(secret, NULL, now, -1), -1);
    assert_int_equal(sim_totp_check("not base32!", "050471", now, -1), -1);
}

static void test_base32(void **state)
{
    (void)state;
    uint8_t out[16];
    char text[32];
    assert_int_equal(sim_base32_decode("MZXW6YTBOI======", out, sizeof(out)), 6);
    assert_memory_equal(out, "foobar", 6);
    assert_int_equal(sim_base32_decode("mzxw 6ytb oi", out, sizeof(out)), 6); /* app style */
    assert_int_equal(sim_base32_decode("MZXW1", out, sizeof(out)), -1);       /* 1: not base32 */
    assert_int_equal(sim_base32_decode("MZXW6YTBOIMZXW6YTBOIMZXW6YTBOI", out, 4), -1);
    sim_base32_encode((const uint8_t *)"foob", 4, text);
    assert_string_equal(text, "MZXW6YQ");
    char a[SIM_TOTP_SECRET_LEN + 1], b[SIM_TOTP_SECRET_LEN + 1];
    sim_totp_new_secret(a);
    sim_totp_new_secret(b);
    assert_int_equal(strlen(a), SIM_TOTP_SECRET_LEN);
    assert_string_not_equal(a, b);
}

static json_t *call(const sim_test *t, const char *method, const char *path, const char *token,
                    const char *body, long status)
{
    http_reply r = sim_req(t, method, path, token, body ? JSON_CT : NULL, body);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

/* A password login's answer: the token, or (MFA) the mfa_token; NULL when refused. */
static char *login(const sim_test *t, const char *user, const char *password, long status,
                   const char *key)
{
    char form[256];
    snprintf(form, sizeof(form),
             "grant_type=password&username=%s&password=%s&client_id=particle&client_secret=p", user,
             password);
    http_reply r = sim_req(t, "POST", "/oauth/token", NULL, FORM, form);
    json_t *j = sim_json(&r, status);
    char *out = key ? pu_xstrdup(jstr(j, key)) : NULL;
    json_decref(j);
    http_reply_dispose(&r);
    return out;
}

static char *mfa_login(const sim_test *t, const char *mfa_token, const char *otp, long status)
{
    char form[256];
    snprintf(form, sizeof(form), "grant_type=urn:custom:mfa-otp&mfa_token=%s&otp=%s", mfa_token,
             otp);
    http_reply r = sim_req(t, "POST", "/oauth/token", NULL, FORM, form);
    json_t *j = sim_json(&r, status);
    char *out = status == 200 ? pu_xstrdup(jstr(j, "access_token")) : NULL;
    json_decref(j);
    http_reply_dispose(&r);
    return out;
}

static void code_in(const char *secret, int64_t ahead_s, char out[SIM_TOTP_DIGITS + 1])
{
    assert_int_equal(sim_totp_code(secret, pu_time_now_ms() / 1000 + ahead_s, out), 0);
}

static void test_state_keeps_accounts(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-users-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/state.db", dir);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = path;
    sim_test *t = sim_test_start(&o);

    json_decref(call(t, "POST", "/v1/users", NULL,
                     "{\"username\":\"kim@example.com\",\"password\":\"pw\","
                     "\"account_info\":{\"first_name\":\"Kim\",\"business_account\":true}}",
                     200));
    json_decref(call(t, "POST", "/v1/users", NULL,
                     "{\"username\":\"gone@example.com\",\"password\":\"pw\"}", 200));
    char *kim = login(t, "kim@example.com", "pw", 200, "access_token");
    json_decref(call(t, "PUT", "/v1/user", kim,
                     "{\"username\":\"kim.l@example.com\",\"current_password\":\"pw\"}", 200));
    /* MFA enrolment with a code computed from the secret */
    json_t *enrol = call(t, "GET", "/v1/user/mfa-enable", kim, NULL, 200);
    char secret[64], body[256], code[SIM_TOTP_DIGITS + 1];
    snprintf(secret, sizeof(secret), "%s", jstr(enrol, "secret"));
    code_in(secret, 0, code);
    snprintf(body, sizeof(body), "{\"mfa_token\":\"%s\",\"otp\":\"%s\"}", jstr(enrol, "mfa_token"),
             code);
    json_decref(enrol);
    json_t *ok = call(t, "POST", "/v1/user/mfa-enable", kim, body, 200);
    assert_true(json_is_true(json_object_get(ok, "enrolled")));
    json_decref(ok);
    /* a fleet user changes its password; another account goes */
    json_decref(call(t, "PUT", "/v1/user", OTHER_TOKEN,
                     "{\"password\":\"new-other\",\"current_password\":\"other-password\"}", 200));
    char *gone = login(t, "gone@example.com", "pw", 200, "access_token");
    json_decref(call(t, "DELETE", "/v1/user", gone, "{\"password\":\"pw\"}", 200));
    sim_test_stop(t);

    t = sim_test_start(&o);
    free(login(t, "kim@example.com", "pw", 400, NULL)); /* the old name is gone */
    char *mfa_token = login(t, "kim.l@example.com", "pw", 403, "mfa_token");
    char next[SIM_TOTP_DIGITS + 1];
    code_in(secret, SIM_TOTP_STEP_S, next); /* the same secret after the restart */
    char *tok = mfa_login(t, mfa_token, next, 200);
    json_t *me = call(t, "GET", "/v1/user", tok, NULL, 200);
    assert_string_equal(jstr(me, "username"), "kim.l@example.com");
    json_t *info = json_object_get(me, "account_info");
    assert_string_equal(jstr(info, "first_name"), "Kim");
    assert_true(json_is_true(json_object_get(info, "business_account")));
    assert_true(json_is_true(json_object_get(json_object_get(me, "mfa"), "enabled")));
    json_decref(me);
    free(login(t, "other@example.com", "other-password", 400, NULL));
    free(login(t, "other@example.com", "new-other", 200, NULL));
    free(login(t, "gone@example.com", "pw", 400, NULL));
    json_decref(call(t, "POST", "/v1/users", NULL,
                     "{\"username\":\"kim.l@example.com\",\"password\":\"x\"}", 409));
    sim_test_stop(t);
    free(kim);
    free(gone);
    free(mfa_token);
    free(tok);
    unlink(path);
    rmdir(dir);
}

/* The fleet's MFA user keeps its fixed code until MFA is turned off; then logins need none,
 * and the change is kept. */
static void test_fixture_mfa_user(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char *mfa_token = login(t, "mfa@example.com", "mfa-password", 403, "mfa_token");
    char *tok = mfa_login(t, mfa_token, "123456", 200);
    json_t *j = call(t, "GET", "/v1/user/mfa-enable", tok, NULL, 409); /* on already */
    json_decref(j);
    json_decref(call(t, "PUT", "/v1/user/mfa-disable", tok,
                     "{\"current_password\":\"mfa-password\"}", 200));
    free(login(t, "mfa@example.com", "mfa-password", 200, "access_token"));
    sim_test_stop(t);
    free(mfa_token);
    free(tok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hotp_rfc4226_vectors),
        cmocka_unit_test(test_totp_rfc6238_vectors),
        cmocka_unit_test(test_base32),
        cmocka_unit_test(test_state_keeps_accounts),
        cmocka_unit_test(test_fixture_mfa_user),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
