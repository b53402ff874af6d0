/*
 * libparticle's account, MFA, provisioning, Device Protection and retired calls against
 * particle-sim in-process on 127.0.0.1 port 0 (docs/SIM.md): sign-up and the account's
 * changes, TOTP codes computed from the secret enrolment hands out (RFC 6238, as an
 * authenticator app would), a device provisioned, its public key sent and the unprotect
 * handshake signed with the device's own key (OpenSSL). Every test gets a fresh simulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "model/sim_totp.h"
#include "particle/particle.h"
#include "pu_base64.h"
#include "pu_time.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define WAIT_MS 5000

typedef struct sim_fixture {
    sim_server *sim;
    char url[64];
    particle_client *demo;
} sim_fixture;

#define ROOT(doc) particle_doc_root(doc)
#define GET(v, key) particle_value_get((v), (key))
#define STR(v, key) particle_value_string(GET((v), (key)))

static void assert_ok(int rc)
{
    if (rc != 0) {
        fail_msg("call failed: %s (%s, HTTP %d)", particle_code_name(rc),
                 particle_error_last()->message, particle_error_last()->http_status);
    }
}

static particle_client *client_with(const sim_fixture *f, const char *token)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->url;
    o.access_token = token;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = WAIT_MS;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static int setup(void **state)
{
    sim_fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    so.threads = 2;
    char err[256] = "";
    if (sim_server_new(&f->sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(f->sim, err, sizeof(err)) < 0) {
        sim_server_free(f->sim);
        free(f);
        fail_msg("particle-sim: %s", err);
    }
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)sim_server_port(f->sim));
    f->demo = client_with(f, DEMO_TOKEN);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    sim_fixture *f = *state;
    particle_client_free(f->demo);
    sim_server_free(f->sim);
    free(f);
    return 0;
}

/* A client logged in as @p user with @p password (no MFA). */
static particle_client *login(const sim_fixture *f, const char *user, const char *password)
{
    particle_client *anon = client_with(f, NULL);
    particle_token *tok = NULL;
    assert_ok(particle_login_password(&tok, anon, user, password, NULL));
    particle_client *c = client_with(f, particle_token_access_token(tok));
    particle_token_free(tok);
    particle_client_free(anon);
    return c;
}

static void test_signup_and_account_changes(void **state)
{
    sim_fixture *f = *state;
    particle_client *anon = client_with(f, NULL);
    particle_account_info info = PARTICLE_ACCOUNT_INFO_INIT;
    info.first_name = "Ada";
    info.company_name = "Engines Ltd";
    assert_ok(particle_user_create(anon, "ada@example.com", "first-pw", &info));
    assert_int_equal(particle_user_create(anon, "ada@example.com", "x", NULL), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 409);
    assert_int_equal(particle_user_create(anon, "not-an-email", "x", NULL), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);

    particle_client *c = login(f, "ada@example.com", "first-pw");
    particle_doc *doc = NULL;
    assert_ok(particle_user_get(&doc, c));
    assert_string_equal(STR(ROOT(doc), "username"), "ada@example.com");
    const particle_value *ai = GET(ROOT(doc), "account_info");
    assert_string_equal(STR(ai, "first_name"), "Ada");
    assert_string_equal(STR(ai, "company_name"), "Engines Ltd");
    assert_int_equal(particle_value_bool(GET(GET(ROOT(doc), "mfa"), "enabled"), -1), 0);
    particle_doc_free(doc);

    particle_account_info more = PARTICLE_ACCOUNT_INFO_INIT;
    more.last_name = "Lovelace";
    more.business_account = PARTICLE_BUSINESS_YES;
    assert_ok(particle_user_set_info(&doc, c, &more));
    ai = GET(ROOT(doc), "account_info");
    assert_string_equal(STR(ai, "first_name"), "Ada");
    assert_string_equal(STR(ai, "last_name"), "Lovelace");
    assert_int_equal(particle_value_bool(GET(ai, "business_account"), -1), 1);
    particle_doc_free(doc);
    particle_account_info none = PARTICLE_ACCOUNT_INFO_INIT;
    assert_int_equal(particle_user_set_info(NULL, c, &none), PARTICLE_EINVAL);

    /* a wrong current password changes nothing */
    assert_int_equal(particle_user_change_password(c, "wrong", "second-pw", 0),
                     PARTICLE_EFORBIDDEN);
    assert_ok(particle_user_change_password(c, "first-pw", "second-pw", 0));
    particle_client *again = login(f, "ada@example.com", "second-pw");
    /* a taken name is refused; a free one renames the account */
    assert_int_equal(particle_user_change_username(c, "second-pw", "demo@example.com", 0),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 409);
    assert_ok(particle_user_change_username(c, "second-pw", "ada.l@example.com",
                                            PARTICLE_INVALIDATE_TOKENS));
    /* invalidate_tokens revoked every other token of the account, not the caller's */
    assert_int_equal(particle_user_get(&doc, again), PARTICLE_EAUTH);
    assert_ok(particle_user_get(&doc, c));
    assert_string_equal(STR(ROOT(doc), "username"), "ada.l@example.com");
    particle_doc_free(doc);

    assert_ok(particle_user_tracking_identity(&doc, c, 0));
    assert_string_equal(STR(ROOT(doc), "email"), "ada.l@example.com");
    assert_int_equal(strlen(STR(ROOT(doc), "id")), 24);
    particle_doc_free(doc);

    assert_ok(particle_user_reset_password(anon, "ada.l@example.com"));
    assert_ok(particle_user_reset_password(anon, "nobody@example.com")); /* tells no one */
    assert_int_equal(particle_user_verify(anon, "some-token"), PARTICLE_ENOTFOUND);

    assert_int_equal(particle_user_delete(c, "first-pw"), PARTICLE_EFORBIDDEN);
    assert_ok(particle_user_delete(c, "second-pw"));
    assert_int_equal(particle_user_get(&doc, c), PARTICLE_EAUTH);
    particle_token *tok = NULL;
    assert_int_equal(particle_login_password(&tok, anon, "ada.l@example.com", "second-pw", NULL),
                     PARTICLE_EAUTH);
    particle_client_free(again);
    particle_client_free(c);
    particle_client_free(anon);
}

/* The code an authenticator app shows for @p secret @p ahead_s seconds from now. */
static void code_at(const char *secret, int64_t ahead_s, char out[SIM_TOTP_DIGITS + 1])
{
    assert_int_equal(sim_totp_code(secret, pu_time_now_ms() / 1000 + ahead_s, out), 0);
}

static void test_mfa_enrol_login_disable(void **state)
{
    sim_fixture *f = *state;
    particle_client *anon = client_with(f, NULL);
    assert_ok(particle_user_create(anon, "mfa2@example.com", "pw", NULL));
    particle_client *c = login(f, "mfa2@example.com", "pw");

    particle_doc *enrol = NULL;
    assert_ok(particle_mfa_enable(&enrol, c));
    const char *secret = STR(ROOT(enrol), "secret");
    const char *mfa_token = STR(ROOT(enrol), "mfa_token");
    assert_non_null(secret);
    assert_non_null(strstr(STR(ROOT(enrol), "qr_url"), secret));
    char code[SIM_TOTP_DIGITS + 1];
    code_at(secret, 0, code);
    char wrong[SIM_TOTP_DIGITS + 1];
    memcpy(wrong, code, sizeof(wrong));
    wrong[0] = wrong[0] == '9' ? '0' : (char)(wrong[0] + 1);
    particle_doc *doc = NULL;
    assert_int_equal(particle_mfa_confirm(&doc, c, mfa_token, wrong, 0), PARTICLE_EHTTP);
    assert_int_equal(particle_mfa_confirm(&doc, c, "not-the-token", code, 0), PARTICLE_EHTTP);
    assert_ok(particle_mfa_confirm(&doc, c, mfa_token, code, 0));
    assert_int_equal(particle_value_bool(GET(ROOT(doc), "enrolled"), -1), 1);
    particle_doc_free(doc);
    assert_int_equal(particle_mfa_enable(&doc, c), PARTICLE_EHTTP); /* already on */

    /* a password login now asks for a code; the one used to confirm is spent, so the next
     * step's code (within the one step of drift allowed) completes it */
    particle_token *tok = NULL;
    assert_int_equal(particle_login_password(&tok, anon, "mfa2@example.com", "pw", NULL),
                     PARTICLE_EMFA);
    char pending[512];
    snprintf(pending, sizeof(pending), "%s", particle_error_last()->mfa_token);
    assert_int_equal(particle_login_mfa(&tok, anon, pending, code, NULL), PARTICLE_EAUTH);
    assert_int_equal(particle_login_password(&tok, anon, "mfa2@example.com", "pw", NULL),
                     PARTICLE_EMFA);
    snprintf(pending, sizeof(pending), "%s", particle_error_last()->mfa_token);
    char next[SIM_TOTP_DIGITS + 1];
    code_at(secret, SIM_TOTP_STEP_S, next);
    assert_ok(particle_login_mfa(&tok, anon, pending, next, NULL));
    particle_token_free(tok);
    particle_doc_free(enrol);

    assert_int_equal(particle_mfa_disable(c, "wrong"), PARTICLE_EFORBIDDEN);
    assert_ok(particle_mfa_disable(c, "pw"));
    assert_int_equal(particle_mfa_disable(c, "pw"), PARTICLE_EHTTP);
    assert_ok(particle_login_password(&tok, anon, "mfa2@example.com", "pw", NULL));
    particle_token_free(tok);
    particle_client_free(c);
    particle_client_free(anon);
}

static char *b64(const unsigned char *in, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    assert_non_null(out);
    EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    return out;
}

static size_t unb64(const char *in, unsigned char *out, size_t cap)
{
    size_t n = 0;
    assert_true(pu_base64_decode(in, (char *)out, cap, &n));
    return n;
}

static char *protection_of(sim_fixture *f, const char *id)
{
    particle_doc *doc = NULL;
    assert_ok(particle_device_get(&doc, f->demo, id, NULL));
    char *s = strdup(STR(GET(ROOT(doc), "device_protection"), "status"));
    particle_doc_free(doc);
    return s;
}

static void test_provision_key_and_unprotect(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_device_provision(&doc, f->demo, "10001"));
    char id[32];
    snprintf(id, sizeof(id), "%s", STR(ROOT(doc), "id"));
    particle_doc_free(doc);
    assert_int_equal(strlen(id), 24);
    assert_int_equal(particle_device_provision(&doc, f->demo, "no-such-product"),
                     PARTICLE_ENOTFOUND);

    /* the device's key pair, as the device would hold it */
    EVP_PKEY *key = EVP_EC_gen("P-256");
    assert_non_null(key);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PUBKEY(bio, key), 1);
    char pem[1024] = "";
    assert_true(BIO_read(bio, pem, sizeof(pem) - 1) > 0);
    BIO_free(bio);
    assert_int_equal(particle_device_send_public_key(f->demo, id, pem, "rsa"), PARTICLE_EHTTP);
    assert_int_equal(particle_device_send_public_key(f->demo, id, "not a key", "ecc"),
                     PARTICLE_EHTTP);
    assert_ok(particle_device_send_public_key(f->demo, id, pem, "ecc"));

    char *status = protection_of(f, id);
    assert_string_equal(status, "disabled");
    free(status);
    particle_unprotect_options u = PARTICLE_UNPROTECT_OPTIONS_INIT;
    u.action = "prepare";
    assert_int_equal(particle_device_unprotect(&doc, f->demo, id, &u), PARTICLE_EHTTP);

    /* the control API protects it, as the product's setting would */
    char path[96], body[] = "{\"status\":\"active\"}";
    snprintf(path, sizeof(path), "/sim/devices/%s/protection", id);
    assert_ok(particle_request(NULL, f->demo, "PUT", path, NULL, body, NULL));
    status = protection_of(f, id);
    assert_string_equal(status, "active");
    free(status);

    assert_ok(particle_device_unprotect(&doc, f->demo, id, &u));
    char server_nonce[64];
    snprintf(server_nonce, sizeof(server_nonce), "%s", STR(ROOT(doc), "server_nonce"));
    particle_doc_free(doc);

    unsigned char msg[128], device_nonce[16] = "device-nonce-16";
    size_t sn = unb64(server_nonce, msg, sizeof(msg));
    memcpy(msg + sn, device_nonce, sizeof(device_nonce));
    unsigned char sig[256], fp[32], *der = NULL;
    size_t sig_len = sizeof(sig);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
    assert_int_equal(EVP_DigestSign(md, sig, &sig_len, msg, sn + sizeof(device_nonce)), 1);
    EVP_MD_CTX_free(md);
    int der_len = i2d_PUBKEY(key, &der);
    assert_true(der_len > 0);
    assert_int_equal(EVP_Digest(der, (size_t)der_len, fp, NULL, EVP_sha256(), NULL), 1);
    OPENSSL_free(der);
    char *dn64 = b64(device_nonce, sizeof(device_nonce)), *sig64 = b64(sig, sig_len);
    char *fp64 = b64(fp, sizeof(fp));

    u.action = "confirm";
    u.server_nonce = server_nonce;
    u.device_nonce = dn64;
    u.device_public_key_fingerprint = fp64;
    u.device_signature = dn64; /* not a signature */
    assert_int_equal(particle_device_unprotect(&doc, f->demo, id, &u), PARTICLE_EHTTP);
    u.device_signature = sig64;
    u.product = "10001"; /* the product variant, as a team member */
    assert_ok(particle_device_unprotect(&doc, f->demo, id, &u));
    assert_non_null(STR(ROOT(doc), "server_signature"));
    assert_non_null(STR(ROOT(doc), "server_public_key_fingerprint"));
    particle_doc_free(doc);
    status = protection_of(f, id);
    assert_string_equal(status, "service_mode");
    free(status);
    /* the nonce was good once */
    assert_int_equal(particle_device_unprotect(&doc, f->demo, id, &u), PARTICLE_EHTTP);
    free(dn64);
    free(sig64);
    free(fp64);
    EVP_PKEY_free(key);
}

static void test_retired_mesh_calls(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_int_equal(particle_mesh_network_list(&doc, f->demo, 1, 10), PARTICLE_ENOTFOUND);
    assert_int_equal(
        particle_mesh_network_create(&doc, f->demo, "home", "0123456789abcdef01234567", NULL),
        PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_get(&doc, f->demo, "home"), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_add_device(&doc, f->demo, "home", "abc"),
                     PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_remove_device(f->demo, NULL, "abc"), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_list_devices(&doc, f->demo, "home", "gateway", 0, 0),
                     PARTICLE_ENOTFOUND);
    assert_int_equal(particle_mesh_network_remove(f->demo, "home"), PARTICLE_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_signup_and_account_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mfa_enrol_login_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provision_key_and_unprotect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retired_mesh_calls, setup, teardown),
    };
    particle_global_init();
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
