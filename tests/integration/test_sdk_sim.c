/*
 * The SDK end to end against particle-sim, in-process on 127.0.0.1 port 0, with the default
 * fleet (docs/SIM.md): logins (password, MFA, client credentials), tokens, the user, device
 * listings and the product page iterator, device calls, variables of every type, functions,
 * error mapping (403, 404, offline, 401, 429), publishing, and event streams (API and device
 * events, idle reconnect with Last-Event-ID replay, resume from a stored id, a restarted
 * server). Every test gets a fresh simulator; simulated time is moved through /sim/ calls
 * made with particle_request().
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "particle/particle.h"
#include "pu_time.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define DEMO_USER "demo@example.com"
#define DEMO_PASSWORD "demo-password"
#define ARGON_ID "c1675e0bb980a575a89661fe" /* demo-argon-1 with seed 1 */
#define OFFLINE_DELAY_MS 200u
#define WAIT_MS 5000 /* upper bound for anything a test waits for */

typedef struct sim_fixture {
    sim_server *sim;
    unsigned short port;
    char url[64];
    particle_client *c; /* the demo user's token */
} sim_fixture;

/* ---- simulator and clients ---- */

static sim_server *start_sim(unsigned short port, bool rate_limit, unsigned int keepalive_ms)
{
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = port;
    so.offline_delay_ms = OFFLINE_DELAY_MS;
    so.rate_limit = rate_limit;
    so.threads = 4;
    if (keepalive_ms > 0) {
        so.keepalive_ms = keepalive_ms;
    }
    char err[256] = "";
    sim_server *sim = NULL;
    if (sim_server_new(&sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(sim, err, sizeof(err)) < 0) {
        sim_server_free(sim);
        fail_msg("particle-sim: %s", err);
    }
    return sim;
}

/* A client for the fixture's simulator with @p token (NULL = none) and fast retries. */
static particle_client *client_with(const sim_fixture *f, const char *token, const char *client_id,
                                    const char *client_secret)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->url;
    o.access_token = token;
    o.client_id = client_id;
    o.client_secret = client_secret;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = WAIT_MS;
    o.retry_base_ms = 10;
    o.retry_max_ms = 40;
    o.retry_after_max_ms = 1000;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static int setup_with(void **state, bool rate_limit, unsigned int keepalive_ms)
{
    sim_fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->sim = start_sim(0, rate_limit, keepalive_ms);
    f->port = sim_server_port(f->sim);
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)f->port);
    f->c = client_with(f, DEMO_TOKEN, NULL, NULL);
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_with(state, false, 0);
}

static int setup_rate_limited(void **state)
{
    return setup_with(state, true, 0);
}

/* A keep-alive far beyond the streams' idle timeout: a silent stream really goes idle. */
static int setup_quiet_streams(void **state)
{
    return setup_with(state, false, 60000);
}

static int teardown(void **state)
{
    sim_fixture *f = *state;
    particle_client_free(f->c);
    sim_server_free(f->sim);
    free(f);
    return 0;
}

/* The root of a document, failing the test when the call failed. */
#define ROOT(doc) particle_doc_root(doc)
#define STR(v, key) particle_value_string(particle_value_get((v), (key)))

static void assert_ok(int rc)
{
    if (rc != 0) {
        fail_msg("call failed: %s (%s, HTTP %d)", particle_code_name(rc),
                 particle_error_last()->message, particle_error_last()->http_status);
    }
}

/* A control-API call (or any other) whose answer is not needed. */
static void sim_call(particle_client *c, const char *method, const char *path, const char *body)
{
    assert_ok(particle_request(NULL, c, method, path, NULL, body, NULL));
}

/* ---- auth ---- */

static void test_password_login(void **state)
{
    sim_fixture *f = *state;
    particle_client *c = client_with(f, NULL, NULL, NULL);
    particle_token *tok = NULL;
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.expires_in = 3600;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_ok(particle_login_password(&tok, c, DEMO_USER, DEMO_PASSWORD, &lo));
    assert_int_equal(strlen(particle_token_access_token(tok)), 40);
    assert_string_equal(particle_token_type(tok), "bearer");
    assert_int_equal(particle_token_expires_in(tok), 3600);
    assert_non_null(particle_token_refresh_token(tok));
    particle_token_free(tok);
    assert_int_equal(particle_client_has_token(c), 1);
    particle_doc *doc = NULL;
    assert_ok(particle_user_get(&doc, c));
    assert_string_equal(STR(ROOT(doc), "username"), DEMO_USER);
    particle_doc_free(doc);

    assert_int_equal(particle_login_password(&tok, c, DEMO_USER, "wrong-password", NULL),
                     PARTICLE_EAUTH);
    assert_null(tok);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_string_equal(particle_error_last()->api_code, "invalid_grant");
    particle_client_free(c);
}

static void test_mfa_login(void **state)
{
    sim_fixture *f = *state;
    particle_client *c = client_with(f, NULL, NULL, NULL);
    particle_token *tok = NULL;
    assert_int_equal(particle_login_password(&tok, c, "mfa@example.com", "mfa-password", NULL),
                     PARTICLE_EMFA);
    assert_int_equal(particle_error_last()->http_status, 403);
    char mfa_token[sizeof(particle_error_last()->mfa_token)];
    snprintf(mfa_token, sizeof(mfa_token), "%s", particle_error_last()->mfa_token);
    assert_true(mfa_token[0] != '\0');

    assert_int_equal(particle_login_mfa(&tok, c, mfa_token, "000000", NULL), PARTICLE_EAUTH);
    assert_string_equal(particle_error_last()->api_code, "invalid_grant");

    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_ok(particle_login_mfa(&tok, c, mfa_token, "123456", &lo));
    assert_int_equal(strlen(particle_token_access_token(tok)), 40);
    particle_token_free(tok);
    particle_doc *doc = NULL;
    assert_ok(particle_user_get(&doc, c));
    assert_string_equal(STR(ROOT(doc), "username"), "mfa@example.com");
    particle_doc_free(doc);
    particle_client_free(c);
}

static void test_client_credentials_login(void **state)
{
    sim_fixture *f = *state;
    particle_client *c = client_with(f, NULL, "demo-client", "demo-client-secret");
    particle_token *tok = NULL;
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_ok(particle_login_client_credentials(&tok, c, &lo));
    assert_int_equal(strlen(particle_token_access_token(tok)), 40);
    particle_token_free(tok);
    /* the client belongs to the demo user: its token sees the demo user's devices */
    particle_doc *doc = NULL;
    assert_ok(particle_device_get(&doc, c, "demo-argon-1", NULL));
    assert_string_equal(particle_device_id(ROOT(doc)), ARGON_ID);
    particle_doc_free(doc);
    particle_client_free(c);

    c = client_with(f, NULL, "demo-client", "not-the-secret");
    assert_int_equal(particle_login_client_credentials(&tok, c, NULL), PARTICLE_EAUTH);
    assert_int_equal(particle_error_last()->http_status, 401);
    assert_string_equal(particle_error_last()->api_code, "invalid_client");
    particle_client_free(c);
}

/* Logs the demo user in again and returns a copy of the new token. */
static char *new_demo_token(const sim_fixture *f)
{
    particle_client *c = client_with(f, NULL, NULL, NULL);
    particle_token *tok = NULL;
    assert_ok(particle_login_password(&tok, c, DEMO_USER, DEMO_PASSWORD, NULL));
    char *copy = strdup(particle_token_access_token(tok));
    assert_non_null(copy);
    particle_token_free(tok);
    particle_client_free(c);
    return copy;
}

static bool token_listed(const particle_doc *doc, const char *token)
{
    const particle_value *list = ROOT(doc);
    for (size_t i = 0; i < particle_value_count(list); i++) {
        const char *t = STR(particle_value_at(list, i), "token");
        if (t != NULL && strcmp(t, token) == 0) {
            return true;
        }
    }
    return false;
}

static void test_tokens_list_current_delete(void **state)
{
    sim_fixture *f = *state;
    char *fresh = new_demo_token(f);
    particle_doc *doc = NULL;
    assert_ok(particle_access_token_list(&doc, f->c, DEMO_USER, DEMO_PASSWORD, NULL));
    assert_int_equal(particle_value_type_of(ROOT(doc)), PARTICLE_VALUE_ARRAY);
    assert_true(token_listed(doc, DEMO_TOKEN));
    assert_true(token_listed(doc, fresh));
    particle_doc_free(doc);
    assert_int_equal(particle_access_token_list(&doc, f->c, DEMO_USER, "nope", NULL),
                     PARTICLE_EAUTH);

    /* current: the token the client holds (made by a password login with the default
     * OAuth client, valid for 90 days) */
    particle_client *fc = client_with(f, fresh, NULL, NULL);
    assert_ok(particle_access_token_current(&doc, fc));
    assert_string_equal(STR(ROOT(doc), "client"), "particle-api");
    assert_non_null(STR(ROOT(doc), "expires_at"));
    assert_int_equal(particle_value_type_of(particle_value_get(ROOT(doc), "scopes")),
                     PARTICLE_VALUE_ARRAY);
    particle_doc_free(doc);
    /* the fleet's token never expires */
    assert_ok(particle_access_token_current(&doc, f->c));
    assert_true(particle_value_is_null(particle_value_get(ROOT(doc), "expires_at")));
    particle_doc_free(doc);

    /* delete by value: the token stops working */
    assert_ok(particle_access_token_delete(f->c, fresh));
    assert_int_equal(particle_user_get(&doc, fc), PARTICLE_EAUTH);
    assert_int_equal(particle_error_last()->http_status, 401);
    particle_client_free(fc);
    free(fresh);

    /* delete the current one */
    fresh = new_demo_token(f);
    fc = client_with(f, fresh, NULL, NULL);
    assert_ok(particle_user_get(&doc, fc));
    particle_doc_free(doc);
    assert_ok(particle_access_token_delete_current(fc));
    assert_int_equal(particle_client_has_token(fc), 0); /* forgotten */
    particle_client_free(fc);
    fc = client_with(f, fresh, NULL, NULL);
    assert_int_equal(particle_user_get(&doc, fc), PARTICLE_EAUTH); /* and revoked */
    assert_ok(particle_access_token_list(&doc, f->c, DEMO_USER, DEMO_PASSWORD, NULL));
    assert_false(token_listed(doc, fresh));
    assert_true(token_listed(doc, DEMO_TOKEN));
    particle_doc_free(doc);
    particle_client_free(fc);
    free(fresh);
}

static void test_bad_token_is_eauth(void **state)
{
    sim_fixture *f = *state;
    particle_client *c = client_with(f, "ffffffffffffffffffffffffffffffffffffffff", NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_user_get(&doc, c), PARTICLE_EAUTH);
    assert_null(doc);
    assert_int_equal(particle_error_last()->http_status, 401);
    assert_string_equal(particle_error_last()->api_code, "invalid_token");
    assert_int_equal(particle_device_list(&doc, c, NULL), PARTICLE_EAUTH);
    particle_client_free(c);
}

static void test_user_get(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_user_get(&doc, f->c));
    assert_string_equal(STR(ROOT(doc), "username"), DEMO_USER);
    particle_doc_free(doc);
}

/* ---- devices ---- */

static const particle_value *find_by_name(const particle_value *list, const char *name)
{
    for (size_t i = 0; i < particle_value_count(list); i++) {
        const particle_value *d = particle_value_at(list, i);
        if (particle_device_name(d) != NULL && strcmp(particle_device_name(d), name) == 0) {
            return d;
        }
    }
    return NULL;
}

static void test_user_device_list(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_device_list(&doc, f->c, NULL));
    const particle_value *list = ROOT(doc);
    assert_int_equal(particle_value_type_of(list), PARTICLE_VALUE_ARRAY);
    assert_int_equal(particle_value_count(list), 4);
    const particle_value *argon = find_by_name(list, "demo-argon-1");
    assert_non_null(argon);
    assert_string_equal(particle_device_id(argon), ARGON_ID);
    assert_int_equal(particle_device_online(argon), 1);
    assert_int_equal(particle_device_platform_id(argon), 12);
    assert_non_null(find_by_name(list, "demo-boron-1"));
    assert_non_null(find_by_name(list, "demo-p2-1"));
    assert_int_equal(particle_device_online(find_by_name(list, "demo-photon-1")), 0);
    assert_null(find_by_name(list, "other-argon-1"));
    particle_doc_free(doc);
}

/* Walks a product listing; every device name must be seen once. Returns the count. */
static size_t walk_product(particle_client *c, const char *product, long long product_id,
                           unsigned int per_page, const char *const *names, size_t nnames,
                           unsigned int *pages)
{
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = product;
    o.per_page = per_page;
    particle_device_iter *it = NULL;
    assert_ok(particle_device_iter_new(&it, c, &o));
    unsigned int *seen = calloc(nnames, sizeof(*seen));
    assert_non_null(seen);
    size_t count = 0;
    const particle_value *d = NULL;
    for (;;) {
        assert_ok(particle_device_iter_next(&d, it));
        if (d == NULL) {
            break;
        }
        count++;
        assert_int_equal(particle_device_product_id(d), product_id);
        for (size_t i = 0; i < nnames; i++) {
            if (strcmp(particle_device_name(d), names[i]) == 0) {
                seen[i]++;
            }
        }
    }
    *pages = particle_device_iter_total_pages(it);
    particle_device_iter_free(it);
    for (size_t i = 0; i < nnames; i++) {
        if (seen[i] != 1) {
            fail_msg("%s: device %s seen %u times", product, names[i], seen[i]);
        }
    }
    free(seen);
    return count;
}

static void test_product_iterator_walks_every_page(void **state)
{
    sim_fixture *f = *state;
    char storage[60][16];
    const char *names[60];
    for (int i = 0; i < 60; i++) {
        snprintf(storage[i], sizeof(storage[i]), "env-%d", i + 1);
        names[i] = storage[i];
    }
    unsigned int pages = 0;
    /* server default page size (25): 3 pages */
    assert_int_equal(walk_product(f->c, "env-sensors", 10002, 0, names, 60, &pages), 60);
    assert_int_equal(pages, 3);
    /* by id, 7 per page: 9 pages, the last one short */
    assert_int_equal(walk_product(f->c, "10002", 10002, 7, names, 60, &pages), 60);
    assert_int_equal(pages, 9);

    const char *trackers[13];
    char tstorage[12][16];
    for (int i = 0; i < 12; i++) {
        snprintf(tstorage[i], sizeof(tstorage[i]), "tracker-%d", i + 1);
        trackers[i] = tstorage[i];
    }
    trackers[12] = "customer-tracker";
    assert_int_equal(walk_product(f->c, "asset-tracker", 10001, 5, trackers, 13, &pages), 13);
    assert_int_equal(pages, 3);

    /* a product filter: quarantined only (tracker-5 and tracker-10) */
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = "asset-tracker";
    o.quarantined = PARTICLE_YES;
    particle_doc *doc = NULL;
    assert_ok(particle_device_list(&doc, f->c, &o));
    const particle_value *devices = particle_value_get(ROOT(doc), "devices");
    assert_int_equal(particle_value_count(devices), 2);
    assert_non_null(find_by_name(devices, "tracker-5"));
    assert_non_null(find_by_name(devices, "tracker-10"));
    particle_doc_free(doc);
}

static void test_device_get_by_id_and_name(void **state)
{
    sim_fixture *f = *state;
    particle_doc *by_id = NULL, *by_name = NULL;
    assert_ok(particle_device_get(&by_id, f->c, ARGON_ID, NULL));
    assert_ok(particle_device_get(&by_name, f->c, "demo-argon-1", NULL));
    assert_string_equal(particle_device_id(ROOT(by_id)), ARGON_ID);
    assert_string_equal(particle_device_id(ROOT(by_name)), ARGON_ID);
    assert_string_equal(particle_device_name(ROOT(by_id)), "demo-argon-1");
    assert_string_equal(particle_device_notes(ROOT(by_id)), "on the desk");
    assert_int_equal(particle_value_type_of(particle_device_variables(ROOT(by_id))),
                     PARTICLE_VALUE_OBJECT);
    assert_string_equal(STR(particle_device_variables(ROOT(by_id)), "temperature"), "double");
    particle_doc_free(by_id);
    particle_doc_free(by_name);

    /* the product route gives the product fields */
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "asset-tracker";
    assert_ok(particle_device_get(&by_name, f->c, "tracker-1", &ro));
    assert_int_equal(particle_device_product_id(ROOT(by_name)), 10001);
    assert_int_equal(particle_value_type_of(particle_device_groups(ROOT(by_name))),
                     PARTICLE_VALUE_ARRAY);
    particle_doc_free(by_name);
}

static void test_unknown_and_foreign_devices_are_forbidden(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_get(&doc, f->c, "no-such-device", NULL), PARTICLE_EFORBIDDEN);
    assert_null(doc);
    assert_int_equal(particle_error_last()->http_status, 403);
    assert_string_equal(particle_error_last()->message, "Permission Denied");
    /* someone else's device looks the same */
    assert_int_equal(particle_device_get(&doc, f->c, "other-argon-1", NULL), PARTICLE_EFORBIDDEN);
    particle_variable *v = NULL;
    assert_int_equal(particle_variable_get(&v, f->c, "no-such-device", "temperature", NULL),
                     PARTICLE_EFORBIDDEN);
    assert_null(v);
}

static void test_rename_and_notes_round_trip(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_device_rename(&doc, f->c, "demo-argon-1", "sdk-renamed", NULL));
    assert_string_equal(STR(ROOT(doc), "name"), "sdk-renamed");
    particle_doc_free(doc);
    assert_ok(particle_device_get(&doc, f->c, "sdk-renamed", NULL));
    assert_string_equal(particle_device_id(ROOT(doc)), ARGON_ID);
    particle_doc_free(doc);
    assert_int_equal(particle_device_get(&doc, f->c, "demo-argon-1", NULL), PARTICLE_EFORBIDDEN);
    assert_ok(particle_device_rename(NULL, f->c, ARGON_ID, "demo-argon-1", NULL));
    assert_ok(particle_device_get(&doc, f->c, "demo-argon-1", NULL));
    assert_string_equal(particle_device_id(ROOT(doc)), ARGON_ID);
    particle_doc_free(doc);

    assert_ok(particle_device_set_notes(NULL, f->c, "demo-argon-1", "moved to the lab", NULL));
    assert_ok(particle_device_get(&doc, f->c, ARGON_ID, NULL));
    assert_string_equal(particle_device_notes(ROOT(doc)), "moved to the lab");
    particle_doc_free(doc);
    assert_ok(particle_device_set_notes(NULL, f->c, "demo-argon-1", "on the desk", NULL));
    assert_ok(particle_device_get(&doc, f->c, ARGON_ID, NULL));
    assert_string_equal(particle_device_notes(ROOT(doc)), "on the desk");
    particle_doc_free(doc);
}

static void test_signal_and_ping(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_device_signal(&doc, f->c, "demo-argon-1", 1, NULL));
    assert_int_equal(particle_value_bool(particle_value_get(ROOT(doc), "signaling"), -1), 1);
    particle_doc_free(doc);
    assert_ok(particle_device_signal(&doc, f->c, "demo-argon-1", 0, NULL));
    assert_int_equal(particle_value_bool(particle_value_get(ROOT(doc), "signaling"), -1), 0);
    particle_doc_free(doc);

    assert_ok(particle_device_ping(&doc, f->c, "demo-argon-1", NULL));
    assert_int_equal(particle_value_bool(particle_value_get(ROOT(doc), "online"), -1), 1);
    particle_doc_free(doc);
    assert_ok(particle_device_ping(&doc, f->c, "demo-photon-1", NULL));
    assert_int_equal(particle_value_bool(particle_value_get(ROOT(doc), "online"), -1), 0);
    particle_doc_free(doc);
}

static void test_remove_and_claim(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_device_get(&doc, f->c, "demo-p2-1", NULL));
    char id[32];
    snprintf(id, sizeof(id), "%s", particle_device_id(ROOT(doc)));
    particle_doc_free(doc);

    assert_ok(particle_device_remove(NULL, f->c, "demo-p2-1", 0, NULL));
    assert_int_equal(particle_device_get(&doc, f->c, id, NULL), PARTICLE_EFORBIDDEN);
    assert_ok(particle_device_list(&doc, f->c, NULL));
    assert_int_equal(particle_value_count(ROOT(doc)), 3);
    particle_doc_free(doc);

    assert_ok(particle_device_claim(&doc, f->c, id, 0, NULL));
    assert_string_equal(STR(ROOT(doc), "id"), id);
    particle_doc_free(doc);
    assert_ok(particle_device_get(&doc, f->c, id, NULL));
    assert_string_equal(particle_device_name(ROOT(doc)), "demo-p2-1");
    particle_doc_free(doc);

    /* someone else's device cannot be claimed */
    assert_int_equal(particle_device_claim(&doc, f->c, "737a74e5f8908fafafcc5252", 0, NULL),
                     PARTICLE_EFORBIDDEN);
}

/* ---- variables and functions ---- */

static void expect_var(particle_client *c, const char *device, const char *name,
                       particle_value_type type, const particle_request_options *ro)
{
    particle_variable *v = NULL;
    assert_ok(particle_variable_get(&v, c, device, name, ro));
    if (particle_variable_type(v) != type) {
        fail_msg("%s.%s: type %d, expected %d", device, name, (int)particle_variable_type(v),
                 (int)type);
    }
    assert_string_equal(particle_variable_name(v), name);
    particle_variable_free(v);
}

static void test_variables_keep_their_type(void **state)
{
    sim_fixture *f = *state;
    expect_var(f->c, "demo-argon-1", "temperature", PARTICLE_VALUE_DOUBLE, NULL);
    expect_var(f->c, "demo-argon-1", "humidity", PARTICLE_VALUE_DOUBLE, NULL);
    expect_var(f->c, "demo-argon-1", "setpoint", PARTICLE_VALUE_DOUBLE, NULL);
    expect_var(f->c, "demo-argon-1", "uptime", PARTICLE_VALUE_INT, NULL);
    expect_var(f->c, "demo-argon-1", "status", PARTICLE_VALUE_STRING, NULL);
    expect_var(f->c, "demo-argon-1", "armed", PARTICLE_VALUE_BOOL, NULL);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "asset-tracker";
    expect_var(f->c, "tracker-1", "signal", PARTICLE_VALUE_INT, &ro);
    expect_var(f->c, "tracker-1", "moving", PARTICLE_VALUE_BOOL, &ro);

    particle_variable *v = NULL;
    assert_ok(particle_variable_get(&v, f->c, ARGON_ID, "status", NULL));
    assert_string_equal(particle_variable_string(v), "ok");
    assert_string_equal(STR(particle_value_get(particle_variable_root(v), "coreInfo"), "deviceID"),
                        ARGON_ID);
    particle_variable_free(v);
    assert_ok(particle_variable_get(&v, f->c, ARGON_ID, "setpoint", NULL));
    assert_true(particle_variable_double(v) == 21.5);
    particle_variable_free(v);
    /* a value set through the control API comes back with its type */
    sim_call(f->c, "PUT", "/sim/devices/demo-argon-1/variables/uptime", "{\"value\":4242}");
    assert_ok(particle_variable_get(&v, f->c, ARGON_ID, "uptime", NULL));
    assert_int_equal(particle_variable_int(v), 4242);
    particle_variable_free(v);

    assert_int_equal(particle_variable_get(&v, f->c, ARGON_ID, "no_such_variable", NULL),
                     PARTICLE_ENOTFOUND);
    assert_null(v);
    assert_int_equal(particle_error_last()->http_status, 404);
}

static void test_function_calls(void **state)
{
    sim_fixture *f = *state;
    int rv = 0;
    assert_ok(particle_function_call(&rv, f->c, "demo-argon-1", "led", "10,20,30", NULL));
    assert_int_equal(rv, 1);
    particle_variable *v = NULL;
    assert_ok(particle_variable_get(&v, f->c, ARGON_ID, "color", NULL));
    assert_string_equal(particle_variable_string(v), "10,20,30");
    particle_variable_free(v);
    assert_ok(particle_function_call(&rv, f->c, ARGON_ID, "led", "red", NULL));
    assert_int_equal(rv, -1);
    assert_ok(particle_function_call(&rv, f->c, ARGON_ID, "setTemp", "22.5", NULL));
    assert_int_equal(rv, 1);
    assert_ok(particle_variable_get(&v, f->c, ARGON_ID, "setpoint", NULL));
    assert_true(particle_variable_double(v) == 22.5);
    particle_variable_free(v);
    assert_ok(particle_function_call(&rv, f->c, ARGON_ID, "arm", "true", NULL));
    assert_ok(particle_variable_get(&v, f->c, ARGON_ID, "armed", NULL));
    assert_int_equal(particle_variable_bool(v), 1);
    particle_variable_free(v);

    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "asset-tracker";
    assert_ok(particle_function_call(&rv, f->c, "tracker-2", "reset", "", &ro));
    assert_int_equal(rv, 1);
    assert_int_equal(particle_function_call(&rv, f->c, ARGON_ID, "noSuchFunction", "", NULL),
                     PARTICLE_ENOTFOUND);
}

static void test_offline_device_is_eoffline(void **state)
{
    sim_fixture *f = *state;
    particle_variable *v = NULL;
    int rv = 7;
    int64_t started = pu_time_mono_ms();
    assert_int_equal(particle_variable_get(&v, f->c, "demo-photon-1", "temperature", NULL),
                     PARTICLE_EOFFLINE);
    assert_true(pu_time_mono_ms() - started >= OFFLINE_DELAY_MS - 20);
    assert_null(v);
    assert_int_equal(particle_function_call(&rv, f->c, "demo-photon-1", "reset", "", NULL),
                     PARTICLE_EOFFLINE);
    assert_int_equal(rv, 0);

    /* an online device taken offline through the control API, and back */
    sim_call(f->c, "POST", "/sim/devices/demo-boron-1/offline", NULL);
    assert_int_equal(particle_variable_get(&v, f->c, "demo-boron-1", "uptime", NULL),
                     PARTICLE_EOFFLINE);
    assert_int_equal(particle_function_call(&rv, f->c, "demo-boron-1", "led", "1,2,3", NULL),
                     PARTICLE_EOFFLINE);
    sim_call(f->c, "POST", "/sim/devices/demo-boron-1/online", NULL);
    assert_ok(particle_variable_get(&v, f->c, "demo-boron-1", "uptime", NULL));
    assert_int_equal(particle_variable_type(v), PARTICLE_VALUE_INT);
    particle_variable_free(v);
}

static void test_rate_limit_is_eratelimit(void **state)
{
    sim_fixture *f = *state;
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->url;
    o.access_token = DEMO_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES; /* the 429 must reach us */
    particle_client *c = NULL;
    assert_ok(particle_client_new(&c, &o));
    /* a login flood: 100 per 5 minutes on /oauth/token, then 429 */
    int rc = PARTICLE_EAUTH, calls = 0;
    while (rc == PARTICLE_EAUTH && calls < 150) {
        rc = particle_login_password(NULL, c, DEMO_USER, "wrong-password", NULL);
        calls++;
    }
    assert_int_equal(rc, PARTICLE_ERATELIMIT);
    assert_int_equal(calls, 101);
    assert_int_equal(particle_error_last()->http_status, 429);
    assert_string_equal(particle_error_last()->api_code, "too_many_requests");
    assert_true(particle_error_last()->retry_after_ms > 0);
    /* the right password is refused too, until the window passes */
    assert_int_equal(particle_login_password(NULL, c, DEMO_USER, DEMO_PASSWORD, NULL),
                     PARTICLE_ERATELIMIT);
    /* other routes still answer */
    particle_doc *doc = NULL;
    assert_ok(particle_user_get(&doc, c));
    particle_doc_free(doc);
    particle_client_free(c);
}

/* ---- events ---- */

typedef struct seen_event {
    char name[64];
    char data[256];
    char coreid[32];
    char id[32];
    char published_at[40];
    long long published_at_ms;
    int ttl;
} seen_event;

typedef struct collector {
    pthread_mutex_t lock;
    seen_event ev[64];
    size_t n;
    unsigned int reconnect_successes;
    unsigned int idle_disconnects;
    /* called on the stream thread before each reconnect wait */
    void (*on_reconnect)(struct collector *col);
    particle_client *publisher; /* for on_reconnect; not used by the test thread meanwhile */
    int publish_rc;             /* what on_reconnect's publish returned (1 = not called) */
    particle_stream *stream;
    pthread_t thread;
    int run_rc;
} collector;

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

static int on_event(const particle_event *ev, void *payload)
{
    collector *col = payload;
    pthread_mutex_lock(&col->lock);
    if (col->n < sizeof(col->ev) / sizeof(col->ev[0])) {
        seen_event *s = &col->ev[col->n++];
        copy_text(s->name, sizeof(s->name), ev->name);
        copy_text(s->data, sizeof(s->data), ev->data);
        copy_text(s->coreid, sizeof(s->coreid), ev->coreid);
        copy_text(s->id, sizeof(s->id), ev->id);
        copy_text(s->published_at, sizeof(s->published_at), ev->published_at);
        s->published_at_ms = ev->published_at_ms;
        s->ttl = ev->ttl;
    }
    pthread_mutex_unlock(&col->lock);
    return 0;
}

static void on_disconnect(int reason, void *payload)
{
    collector *col = payload;
    pthread_mutex_lock(&col->lock);
    if (reason == PARTICLE_ETIMEDOUT) {
        col->idle_disconnects++;
    }
    pthread_mutex_unlock(&col->lock);
}

static void on_reconnect(unsigned int attempt, long delay_ms, void *payload)
{
    (void)attempt;
    (void)delay_ms;
    collector *col = payload;
    if (col->on_reconnect != NULL) {
        col->on_reconnect(col);
    }
}

static void on_reconnect_success(unsigned int attempt, void *payload)
{
    (void)attempt;
    collector *col = payload;
    pthread_mutex_lock(&col->lock);
    col->reconnect_successes++;
    pthread_mutex_unlock(&col->lock);
}

static void *run_stream(void *arg)
{
    collector *col = arg;
    col->run_rc = particle_stream_run(col->stream);
    return NULL;
}

/* Opens a stream with @p o (callbacks filled in here) and runs it on a thread. */
static void collector_start(collector *col, particle_client *c, particle_stream_options *o)
{
    pthread_mutex_init(&col->lock, NULL);
    o->on_event = on_event;
    o->on_disconnect = on_disconnect;
    o->on_reconnect = on_reconnect;
    o->on_reconnect_success = on_reconnect_success;
    o->payload = col;
    if (o->reconnect_base_ms == 0) {
        o->reconnect_base_ms = 100;
    }
    o->reconnect_max_ms = 400;
    assert_ok(particle_stream_open(&col->stream, c, o));
    assert_int_equal(pthread_create(&col->thread, NULL, run_stream, col), 0);
}

/* Cancels, joins and frees; run() must have ended because of the cancel. */
static void collector_stop(collector *col)
{
    particle_stream_cancel(col->stream);
    pthread_join(col->thread, NULL);
    particle_stream_free(col->stream);
    pthread_mutex_destroy(&col->lock);
    assert_int_equal(col->run_rc, PARTICLE_ECANCELED);
}

/* Index of the first event named @p name with data @p data (NULL = any), waiting up to
 * WAIT_MS; -1 when none came. */
static int wait_event(collector *col, const char *name, const char *data)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    do {
        pthread_mutex_lock(&col->lock);
        for (size_t i = 0; i < col->n; i++) {
            if (strcmp(col->ev[i].name, name) == 0 &&
                (data == NULL || strcmp(col->ev[i].data, data) == 0)) {
                pthread_mutex_unlock(&col->lock);
                return (int)i;
            }
        }
        pthread_mutex_unlock(&col->lock);
        pu_time_sleep_ms(10);
    } while (pu_time_mono_ms() < deadline);
    return -1;
}

static size_t count_events(collector *col, const char *name, const char *data)
{
    size_t count = 0;
    pthread_mutex_lock(&col->lock);
    for (size_t i = 0; i < col->n; i++) {
        if (strcmp(col->ev[i].name, name) == 0 && strcmp(col->ev[i].data, data) == 0) {
            count++;
        }
    }
    pthread_mutex_unlock(&col->lock);
    return count;
}

/* Waits up to WAIT_MS until the stream has reconnected successfully at least once. */
static bool wait_reconnected(collector *col)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    do {
        pthread_mutex_lock(&col->lock);
        unsigned int n = col->reconnect_successes;
        pthread_mutex_unlock(&col->lock);
        if (n >= 1) {
            return true;
        }
        pu_time_sleep_ms(10);
    } while (pu_time_mono_ms() < deadline);
    return false;
}

/* Waits until the simulator has @p want open streams (so a publish cannot race the
 * subscription). */
static void wait_subscribers(particle_client *c, long long want)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    long long have = -1;
    do {
        particle_doc *doc = NULL;
        assert_ok(particle_request(&doc, c, "GET", "/sim/status", NULL, NULL, NULL));
        have = particle_value_int(particle_value_get(ROOT(doc), "sse_subscribers"), -1);
        particle_doc_free(doc);
        if (have == want) {
            return;
        }
        pu_time_sleep_ms(10);
    } while (pu_time_mono_ms() < deadline);
    fail_msg("the simulator has %lld streams, expected %lld", have, want);
}

static void publish(particle_client *c, const char *name, const char *data, long ttl)
{
    particle_publish_options po = PARTICLE_PUBLISH_OPTIONS_INIT;
    po.name = name;
    po.data = data;
    po.ttl = ttl;
    assert_ok(particle_event_publish(c, &po));
}

static void test_publish_then_receive_on_mine(void **state)
{
    sim_fixture *f = *state;
    collector col = {.n = 0};
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.scope = PARTICLE_STREAM_MINE;
    o.prefix = "sdk-test";
    collector_start(&col, f->c, &o);
    wait_subscribers(f->c, 1);

    int64_t before_ms = (int64_t)pu_time_now_ms();
    publish(f->c, "sdk-test/hello", "payload one", 120);
    publish(f->c, "other-prefix", "not for this stream", 0);
    publish(f->c, "sdk-test/hello", "payload two", 0);
    int i = wait_event(&col, "sdk-test/hello", "payload two");
    assert_true(i >= 0);
    int first = wait_event(&col, "sdk-test/hello", "payload one");
    assert_true(first >= 0 && first < i);
    const seen_event *e = &col.ev[first];
    assert_int_equal(e->ttl, 120);
    assert_string_equal(e->coreid, "api");
    assert_true(e->published_at[0] != '\0');
    /* the sim's clock runs with the wall clock unless advanced */
    assert_true(e->published_at_ms >= before_ms - 5000 && e->published_at_ms <= before_ms + 5000);
    assert_true(e->id[0] != '\0');
    assert_int_equal(col.ev[i].ttl, 60); /* the default */
    assert_int_equal(count_events(&col, "other-prefix", "not for this stream"), 0);
    collector_stop(&col);
}

static void test_device_schedule_reaches_stream(void **state)
{
    sim_fixture *f = *state;
    collector col = {.n = 0};
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.scope = PARTICLE_STREAM_DEVICE;
    o.device = "demo-argon-1";
    o.prefix = "temperature";
    collector_start(&col, f->c, &o);
    wait_subscribers(f->c, 1);

    /* the publisher runs every 5 s of simulated time: move the clock past it */
    particle_doc *doc = NULL;
    assert_ok(
        particle_request(&doc, f->c, "POST", "/sim/clock/advance", NULL, "{\"ms\":6000}", NULL));
    assert_true(particle_value_int(particle_value_get(ROOT(doc), "published"), 0) >= 1);
    particle_doc_free(doc);
    int i = wait_event(&col, "temperature", NULL);
    assert_true(i >= 0);
    assert_string_equal(col.ev[i].coreid, ARGON_ID);
    /* data: the temperature with 2 decimals, inside the template's 18..26 */
    char *end = NULL;
    double t = strtod(col.ev[i].data, &end);
    assert_true(end != col.ev[i].data && *end == '\0');
    assert_true(t >= 18.0 && t <= 26.0);
    assert_non_null(strchr(col.ev[i].data, '.'));
    collector_stop(&col);
}

/* Publishes while the stream is between connections: only a Last-Event-ID replay can
 * deliver this event. Runs on the stream thread, so it records instead of asserting. */
static void publish_while_disconnected(collector *col)
{
    pthread_mutex_lock(&col->lock);
    bool first = col->idle_disconnects == 1 && col->reconnect_successes == 0;
    pthread_mutex_unlock(&col->lock);
    if (first) {
        particle_publish_options po = PARTICLE_PUBLISH_OPTIONS_INIT;
        po.name = "sdk-test/replay";
        po.data = "sent while disconnected";
        col->publish_rc = particle_event_publish(col->publisher, &po);
    }
}

static void test_idle_reconnect_replays_with_last_event_id(void **state)
{
    sim_fixture *f = *state;
    collector col = {.n = 0};
    col.on_reconnect = publish_while_disconnected;
    col.publisher = client_with(f, DEMO_TOKEN, NULL, NULL);
    col.publish_rc = 1;
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.prefix = "sdk-test";
    o.idle_timeout_ms = 1000; /* the sim's keep-alive is 60 s here: the stream goes idle */
    o.reconnect_base_ms = 300;
    collector_start(&col, f->c, &o);
    wait_subscribers(f->c, 1);
    publish(f->c, "sdk-test/before", "seen live", 0);
    assert_true(wait_event(&col, "sdk-test/before", "seen live") >= 0);

    int i = wait_event(&col, "sdk-test/replay", "sent while disconnected");
    assert_true(i >= 0);
    pthread_mutex_lock(&col.lock);
    assert_int_equal(col.publish_rc, 0);
    assert_true(col.idle_disconnects >= 1);
    assert_true(col.reconnect_successes >= 1);
    pthread_mutex_unlock(&col.lock);
    /* replayed after the last id seen: nothing seen before comes twice */
    assert_int_equal(count_events(&col, "sdk-test/before", "seen live"), 1);
    assert_int_equal(count_events(&col, "sdk-test/replay", "sent while disconnected"), 1);
    collector_stop(&col);
    particle_client_free(col.publisher);
}

static void test_resume_from_stored_event_id(void **state)
{
    sim_fixture *f = *state;
    collector col = {.n = 0};
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.prefix = "sdk-test";
    collector_start(&col, f->c, &o);
    wait_subscribers(f->c, 1);
    publish(f->c, "sdk-test/a", "first", 0);
    publish(f->c, "sdk-test/b", "second", 0);
    publish(f->c, "sdk-test/c", "third", 0);
    assert_true(wait_event(&col, "sdk-test/c", "third") >= 0);
    char stored[32];
    int a = wait_event(&col, "sdk-test/a", "first");
    assert_true(a >= 0);
    snprintf(stored, sizeof(stored), "%s", col.ev[a].id);
    collector_stop(&col);
    wait_subscribers(f->c, 0);

    /* a new stream given the id of "first" gets what came after it, in order */
    collector again = {.n = 0};
    particle_stream_options o2 = PARTICLE_STREAM_OPTIONS_INIT;
    o2.prefix = "sdk-test";
    o2.last_event_id = stored;
    collector_start(&again, f->c, &o2);
    int c = wait_event(&again, "sdk-test/c", "third");
    assert_true(c >= 0);
    int b = wait_event(&again, "sdk-test/b", "second");
    assert_true(b >= 0 && b < c);
    assert_int_equal(count_events(&again, "sdk-test/a", "first"), 0);
    collector_stop(&again);
}

static void test_stream_survives_server_restart(void **state)
{
    sim_fixture *f = *state;
    collector col = {.n = 0};
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.prefix = "sdk-test";
    o.idle_timeout_ms = 2000;
    collector_start(&col, f->c, &o);
    wait_subscribers(f->c, 1);
    publish(f->c, "sdk-test/old", "before restart", 0);
    assert_true(wait_event(&col, "sdk-test/old", "before restart") >= 0);

    /* a new simulator on the same port: the stream's connection drops, it reconnects */
    sim_server_free(f->sim);
    f->sim = start_sim(f->port, false, 0);
    wait_subscribers(f->c, 1);
    assert_true(wait_reconnected(&col));
    publish(f->c, "sdk-test/new", "after restart", 0);
    assert_true(wait_event(&col, "sdk-test/new", "after restart") >= 0);
    assert_int_equal(count_events(&col, "sdk-test/old", "before restart"), 1);
    collector_stop(&col);
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_password_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mfa_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_client_credentials_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_list_current_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_token_is_eauth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_device_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_iterator_walks_every_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_get_by_id_and_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_foreign_devices_are_forbidden, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rename_and_notes_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_and_ping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_and_claim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variables_keep_their_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_function_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_device_is_eoffline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_is_eratelimit, setup_rate_limited,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_publish_then_receive_on_mine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_schedule_reaches_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_reconnect_replays_with_last_event_id,
                                        setup_quiet_streams, teardown),
        cmocka_unit_test_setup_teardown(test_resume_from_stored_event_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_survives_server_restart, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
