/*
 * libparticle's typed calls of products, organizations, teams, OAuth clients and customers
 * against particle-sim in-process on 127.0.0.1 port 0 with the default fleet (docs/SIM.md):
 * the real SDK against the real simulator, checking the values the calls return, not only
 * that they succeed. Every test gets a fresh simulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "particle/particle.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define OTHER_TOKEN "fedcba9876543210fedcba9876543210fedcba98"
#define ACME_ID "5f0c0ffee0c0ffee0c0ffee0"
#define TRACKER_CLIENT "asset-tracker-client"
#define TRACKER_SECRET "asset-tracker-secret"
#define WAIT_MS 5000

typedef struct sim_fixture {
    sim_server *sim;
    char url[64];
    particle_client *c; /* the demo user's token */
} sim_fixture;

static particle_client *client_with(const sim_fixture *f, const char *token)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->url;
    o.access_token = token;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = WAIT_MS;
    o.retry_base_ms = 10;
    o.retry_max_ms = 40;
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
    so.offline_delay_ms = 200;
    so.threads = 4;
    char err[256] = "";
    if (sim_server_new(&f->sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(f->sim, err, sizeof(err)) < 0) {
        sim_server_free(f->sim);
        free(f);
        fail_msg("particle-sim: %s", err);
    }
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)sim_server_port(f->sim));
    f->c = client_with(f, DEMO_TOKEN);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    sim_fixture *f = *state;
    particle_client_free(f->c);
    sim_server_free(f->sim);
    free(f);
    return 0;
}

#define ROOT(doc) particle_doc_root(doc)
#define GET(v, key) particle_value_get((v), (key))
#define STR(v, key) particle_value_string(GET((v), (key)))
#define INT(v, key) particle_value_int(GET((v), (key)), -1)

static void assert_ok(int rc)
{
    if (rc != 0) {
        fail_msg("call failed: %s (%s, HTTP %d)", particle_code_name(rc),
                 particle_error_last()->message, particle_error_last()->http_status);
    }
}

/* The element of array @p arr whose string member @p key is @p want, or NULL. */
static const particle_value *find_by(const particle_value *arr, const char *key, const char *want)
{
    for (size_t i = 0; i < particle_value_count(arr); i++) {
        const char *s = STR(particle_value_at(arr, i), key);
        if (s != NULL && strcmp(s, want) == 0) {
            return particle_value_at(arr, i);
        }
    }
    return NULL;
}

/* The product of array @p arr with numeric id @p id, or NULL. */
static const particle_value *product_by_id(const particle_value *arr, long long id)
{
    for (size_t i = 0; i < particle_value_count(arr); i++) {
        if (INT(particle_value_at(arr, i), "id") == id) {
            return particle_value_at(arr, i);
        }
    }
    return NULL;
}

/* The two default products with the fields of the reference (§9.1) and their counts. */
static void assert_default_products(const particle_value *products)
{
    assert_int_equal(particle_value_count(products), 2);
    const particle_value *tracker = product_by_id(products, 10001);
    assert_non_null(tracker);
    assert_string_equal(STR(tracker, "slug"), "asset-tracker");
    assert_string_equal(STR(tracker, "name"), "Asset Tracker");
    assert_int_equal(INT(tracker, "platform_id"), 13);
    assert_string_equal(STR(tracker, "organization"), ACME_ID);
    assert_string_equal(STR(tracker, "org"), "Acme Industries");
    assert_int_equal(INT(tracker, "device_count"), 13); /* tracker-1..12 + customer-tracker */
    assert_true(particle_value_bool(GET(GET(tracker, "settings"), "quarantine"), 0));
    const particle_value *env = product_by_id(products, 10002);
    assert_non_null(env);
    assert_string_equal(STR(env, "slug"), "env-sensors");
    assert_int_equal(INT(env, "platform_id"), 12);
    assert_int_equal(INT(env, "device_count"), 60);
    assert_int_equal(INT(env, "group_count"), 2);
    assert_int_equal(particle_value_count(GET(env, "groups")), 2);
}

/* ---- products and organizations ---- */

static void test_products_of_user_and_org(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_product_list(&doc, f->c, NULL));
    assert_default_products(GET(ROOT(doc), "products"));
    particle_doc_free(doc);

    particle_product_list_options o = PARTICLE_PRODUCT_LIST_OPTIONS_INIT;
    o.org = "acme";
    assert_ok(particle_product_list(&doc, f->c, &o));
    assert_default_products(GET(ROOT(doc), "products"));
    particle_doc_free(doc);
    o.org = ACME_ID; /* by id too */
    assert_ok(particle_product_list(&doc, f->c, &o));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "products")), 2);
    particle_doc_free(doc);

    /* other@example.com is on no team: no products, and the org is not theirs. */
    particle_client *other = client_with(f, OTHER_TOKEN);
    assert_ok(particle_product_list(&doc, other, NULL));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "products")), 0);
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_product_list(&doc, other, &o), PARTICLE_EFORBIDDEN);
    assert_null(doc);
    particle_client_free(other);
}

static void test_product_get_by_slug_and_id(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_product_get(&doc, f->c, "asset-tracker"));
    const particle_value *p = GET(ROOT(doc), "product");
    assert_int_equal(INT(p, "id"), 10001);
    assert_string_equal(STR(p, "description"), "Trackers on shipping containers");
    assert_string_equal(STR(p, "device_protection"), "disabled");
    assert_string_equal(STR(p, "user"), "demo@example.com");
    particle_doc_free(doc);

    assert_ok(particle_product_get(&doc, f->c, "10002"));
    assert_string_equal(STR(GET(ROOT(doc), "product"), "slug"), "env-sensors");
    particle_doc_free(doc);

    doc = NULL;
    assert_int_equal(particle_product_get(&doc, f->c, "no-such-product"), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_error_last()->http_status, 404);
    assert_null(doc);
}

static void test_orgs_list_and_get(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_org_list(&doc, f->c));
    const particle_value *orgs = GET(ROOT(doc), "organizations");
    assert_int_equal(particle_value_count(orgs), 1);
    assert_string_equal(STR(particle_value_at(orgs, 0), "id"), ACME_ID);
    assert_string_equal(STR(particle_value_at(orgs, 0), "slug"), "acme");
    assert_string_equal(STR(particle_value_at(orgs, 0), "name"), "Acme Industries");
    particle_doc_free(doc);

    assert_ok(particle_org_get(&doc, f->c, "acme"));
    assert_string_equal(STR(GET(ROOT(doc), "organization"), "id"), ACME_ID);
    particle_doc_free(doc);
    assert_ok(particle_org_get(&doc, f->c, ACME_ID));
    assert_string_equal(STR(GET(ROOT(doc), "organization"), "slug"), "acme");
    particle_doc_free(doc);

    doc = NULL;
    assert_int_equal(particle_org_get(&doc, f->c, "no-such-org"), PARTICLE_ENOTFOUND);
    assert_null(doc);
}

/* ---- team ---- */

static const char *member_role(particle_client *c, const char *product, const char *username)
{
    static char role[32];
    particle_doc *doc = NULL;
    assert_ok(particle_team_list(&doc, c, product));
    assert_true(particle_value_bool(GET(ROOT(doc), "ok"), 0));
    const particle_value *m = find_by(GET(ROOT(doc), "team"), "username", username);
    role[0] = '\0';
    if (m != NULL) {
        snprintf(role, sizeof role, "%s", STR(GET(m, "role"), "name"));
        assert_non_null(STR(m, "_id"));
    }
    particle_doc_free(doc);
    return m != NULL ? role : NULL;
}

static void test_team_invite_reaches_product_remove_refuses(void **state)
{
    sim_fixture *f = *state;
    particle_client *other = client_with(f, OTHER_TOKEN);
    particle_doc *doc = NULL;
    assert_string_equal(member_role(f->c, "asset-tracker", "demo@example.com"), "Administrator");
    assert_null(member_role(f->c, "asset-tracker", "other@example.com"));
    assert_int_equal(particle_product_get(&doc, other, "asset-tracker"), PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_error_last()->http_status, 403);

    assert_ok(particle_team_invite(&doc, f->c, "asset-tracker", "other@example.com", "View-only"));
    assert_string_equal(STR(GET(ROOT(doc), "invited"), "username"), "other@example.com");
    particle_doc_free(doc);
    assert_string_equal(member_role(f->c, "10001", "other@example.com"), "View-only");

    /* The member's own token now reaches the product (and its list), not the other one. */
    assert_ok(particle_product_get(&doc, other, "asset-tracker"));
    assert_int_equal(INT(GET(ROOT(doc), "product"), "id"), 10001);
    particle_doc_free(doc);
    assert_ok(particle_product_list(&doc, other, NULL));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "products")), 1);
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_product_get(&doc, other, "env-sensors"), PARTICLE_EFORBIDDEN);

    assert_ok(particle_team_remove(&doc, f->c, "asset-tracker", "other@example.com"));
    assert_true(particle_value_bool(GET(ROOT(doc), "ok"), 0));
    particle_doc_free(doc);
    assert_null(member_role(f->c, "asset-tracker", "other@example.com"));
    doc = NULL;
    assert_int_equal(particle_product_get(&doc, other, "asset-tracker"), PARTICLE_EFORBIDDEN);
    particle_client_free(other);

    /* A role the reference does not list is refused. */
    assert_int_not_equal(
        particle_team_invite(&doc, f->c, "asset-tracker", "other@example.com", "Overlord"), 0);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_null(member_role(f->c, "asset-tracker", "other@example.com"));
}

static void test_org_team_list(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_org_team_list(&doc, f->c, "acme"));
    const particle_value *team = GET(ROOT(doc), "team");
    assert_string_equal(STR(GET(find_by(team, "username", "demo@example.com"), "role"), "name"),
                        "Administrator");
    assert_string_equal(STR(GET(find_by(team, "username", "member@example.com"), "role"), "name"),
                        "Developer");
    particle_doc_free(doc);
}

/* ---- OAuth clients and the per-client login ---- */

static void test_oauth_client_lifecycle(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    particle_oauth_client_options o = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    o.name = "E2E Server";
    o.type = "installed";
    o.scope = "*:*";
    assert_ok(particle_oauth_client_create(&doc, f->c, "asset-tracker", &o));
    const particle_value *made = ROOT(doc); /* the `client` object */
    char id[96], secret[96];
    snprintf(id, sizeof id, "%s", particle_oauth_client_id(made));
    snprintf(secret, sizeof secret, "%s", particle_oauth_client_secret(made));
    assert_string_equal(STR(made, "name"), "E2E Server");
    assert_string_equal(STR(made, "type"), "installed");
    /* the name as a slug plus "-NNNN" (docs/SIM.md) */
    assert_non_null(strrchr(id, '-'));
    assert_int_equal(strlen(strrchr(id, '-')), 5);
    assert_true(strlen(secret) >= 20);
    particle_doc_free(doc);

    /* Listed without its secret, in its product and not in the user's clients. */
    assert_ok(particle_oauth_client_list(&doc, f->c, "asset-tracker"));
    const particle_value *listed = find_by(GET(ROOT(doc), "clients"), "id", id);
    assert_non_null(listed);
    assert_null(GET(listed, "secret"));
    assert_int_equal(INT(listed, "product_id"), 10001);
    assert_string_equal(STR(listed, "scope"), "*:*");
    assert_non_null(find_by(GET(ROOT(doc), "clients"), "id", TRACKER_CLIENT));
    particle_doc_free(doc);
    assert_ok(particle_oauth_client_list(&doc, f->c, NULL));
    assert_null(find_by(GET(ROOT(doc), "clients"), "id", id));
    assert_non_null(find_by(GET(ROOT(doc), "clients"), "id", "demo-client"));
    particle_doc_free(doc);

    particle_oauth_client_options u = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    u.name = "E2E Server 2";
    assert_ok(particle_oauth_client_update(&doc, f->c, "asset-tracker", id, &u));
    assert_string_equal(STR(ROOT(doc), "name"), "E2E Server 2");
    assert_string_equal(STR(ROOT(doc), "id"), id);
    assert_string_equal(STR(ROOT(doc), "scope"), "*:*");
    particle_doc_free(doc);

    /* The new client's credentials give a product token that reaches its product only. */
    particle_client *pc = client_with(f, NULL);
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_ok(particle_login_client_credentials_with(NULL, pc, id, secret, &lo));
    assert_ok(particle_product_get(&doc, pc, "asset-tracker"));
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_product_get(&doc, pc, "env-sensors"), PARTICLE_EFORBIDDEN);
    particle_client *wrong = client_with(f, NULL);
    assert_int_equal(particle_login_client_credentials_with(NULL, wrong, id, "bad-secret", &lo),
                     PARTICLE_EAUTH);
    particle_client_free(wrong);

    /* Deleting the client revokes its tokens and its credentials. */
    assert_ok(particle_oauth_client_delete(f->c, "asset-tracker", id));
    assert_int_equal(particle_product_get(&doc, pc, "asset-tracker"), PARTICLE_EAUTH);
    assert_int_equal(particle_login_client_credentials_with(NULL, pc, id, secret, &lo),
                     PARTICLE_EAUTH);
    particle_client_free(pc);
    assert_ok(particle_oauth_client_list(&doc, f->c, "asset-tracker"));
    assert_null(find_by(GET(ROOT(doc), "clients"), "id", id));
    particle_doc_free(doc);
    assert_int_equal(particle_oauth_client_delete(f->c, "asset-tracker", id), PARTICLE_ENOTFOUND);
}

/* ---- customers ---- */

/* Every customer of @p product through the iterator, @p per_page a page: the usernames
 * joined with ',' into @p out; returns how many and sets *pages to the pages reported. */
static size_t walk_customers(particle_client *c, const char *product, unsigned int per_page,
                             char *out, size_t size, unsigned int *pages)
{
    particle_customer_list_options o = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    o.per_page = per_page;
    particle_customer_iter *it = NULL;
    assert_ok(particle_customer_iter_new(&it, c, product, &o));
    size_t n = 0, used = 0;
    out[0] = '\0';
    for (;;) {
        const particle_value *cust = NULL;
        assert_ok(particle_customer_iter_next(&cust, it));
        if (cust == NULL) {
            break;
        }
        int w = snprintf(out + used, size - used, "%s%s", n ? "," : "",
                         particle_customer_username(cust));
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
        n++;
    }
    *pages = particle_customer_iter_total_pages(it);
    particle_customer_iter_free(it);
    return n;
}

static void test_customers_create_list_walk_delete(void **state)
{
    sim_fixture *f = *state;
    char names[1024];
    unsigned int pages = 0;
    assert_int_equal(walk_customers(f->c, "asset-tracker", 2, names, sizeof names, &pages), 3);
    assert_string_equal(names, "customer@example.com,customer2@example.com,shadow@example.com");
    assert_int_equal(pages, 2);

    /* With the product client's credentials (particle-api-js createCustomer). */
    particle_client *anon = client_with(f, NULL);
    particle_customer_create_options co = PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT;
    co.client_id = TRACKER_CLIENT;
    co.client_secret = TRACKER_SECRET;
    co.password = "jane-password";
    particle_token *tok = NULL;
    assert_ok(particle_customer_create(&tok, anon, "asset-tracker", "jane@example.com", &co));
    assert_true(strlen(particle_token_access_token(tok)) >= 20);
    particle_client *jane = client_with(f, particle_token_access_token(tok));
    particle_token_free(tok);
    /* the same e-mail again is refused (409, docs/COMPATIBILITY.md) */
    assert_int_equal(particle_customer_create(NULL, anon, "asset-tracker", "jane@example.com", &co),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 409);
    co.client_secret = "wrong-secret";
    assert_int_equal(particle_customer_create(NULL, anon, "asset-tracker", "joe@example.com", &co),
                     PARTICLE_EAUTH);
    particle_client_free(anon);

    /* A shadow customer with the team member's token. */
    particle_customer_create_options so = PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT;
    so.no_password = 1;
    assert_ok(particle_customer_create(NULL, f->c, "asset-tracker", "ghost@example.com", &so));

    particle_customer_list_options lo = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    lo.page = 1;
    lo.per_page = 100;
    particle_doc *doc = NULL;
    assert_ok(particle_customer_list(&doc, f->c, "asset-tracker", &lo));
    const particle_value *custs = GET(ROOT(doc), "customers");
    assert_int_equal(particle_value_count(custs), 5);
    const particle_value *ghost = find_by(custs, "username", "ghost@example.com");
    assert_true(particle_value_bool(GET(ghost, "no_password"), 0));
    assert_false(
        particle_value_bool(GET(find_by(custs, "username", "jane@example.com"), "no_password"), 1));
    const particle_value *owner = find_by(custs, "username", "customer@example.com");
    assert_int_equal(particle_value_count(GET(owner, "devices")), 1);
    char tracker_id[32];
    snprintf(tracker_id, sizeof tracker_id, "%s",
             particle_value_string(particle_value_at(GET(owner, "devices"), 0)));
    assert_non_null(find_by(GET(ROOT(doc), "devices"), "id", tracker_id));
    assert_int_equal(INT(GET(ROOT(doc), "meta"), "total_pages"), 1);
    particle_doc_free(doc);

    /* Every page, two at a time: 5 customers over 3 pages, in the listing's order. */
    assert_int_equal(walk_customers(f->c, "asset-tracker", 2, names, sizeof names, &pages), 5);
    assert_int_equal(pages, 3);
    assert_non_null(strstr(names, "jane@example.com"));
    assert_non_null(strstr(names, "ghost@example.com"));
    /* A page past the last one is a 400, not an empty page. */
    lo.page = 4;
    lo.per_page = 2;
    doc = NULL;
    assert_int_equal(particle_customer_list(&doc, f->c, "asset-tracker", &lo), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_null(doc);

    /* The customer sees none of the product API. */
    assert_int_equal(particle_customer_list(&doc, jane, "asset-tracker", NULL),
                     PARTICLE_EFORBIDDEN);

    /* Deleting revokes the customer's token; the list loses it. */
    assert_ok(particle_customer_delete(f->c, "asset-tracker", "jane@example.com"));
    particle_doc *me = NULL;
    assert_int_equal(particle_device_list(&me, jane, NULL), PARTICLE_EAUTH);
    particle_client_free(jane);
    assert_int_equal(walk_customers(f->c, "asset-tracker", 2, names, sizeof names, &pages), 4);
    assert_null(strstr(names, "jane@example.com"));
    assert_int_equal(particle_customer_delete(f->c, "asset-tracker", "jane@example.com"),
                     PARTICLE_ENOTFOUND);
}

static void test_customer_token_sees_own_devices(void **state)
{
    sim_fixture *f = *state;
    particle_client *cc = client_with(f, NULL);
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_ok(particle_customer_token(NULL, cc, TRACKER_CLIENT, TRACKER_SECRET,
                                      "customer@example.com", &lo));
    particle_doc *doc = NULL;
    assert_ok(particle_device_list(&doc, cc, NULL));
    assert_int_equal(particle_value_count(ROOT(doc)), 1);
    assert_string_equal(STR(particle_value_at(ROOT(doc), 0), "name"), "customer-tracker");
    assert_int_equal(INT(particle_value_at(ROOT(doc), 0), "product_id"), 10001);
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_product_get(&doc, cc, "asset-tracker"), PARTICLE_EFORBIDDEN);
    particle_client_free(cc);

    /* A customer of another product, or with the wrong secret, gets no token. */
    particle_client *bad = client_with(f, NULL);
    assert_int_equal(
        particle_customer_token(NULL, bad, TRACKER_CLIENT, "nope", "customer@example.com", &lo),
        PARTICLE_EAUTH);
    assert_int_not_equal(particle_customer_token(NULL, bad, "env-sensors-client",
                                                 "env-sensors-secret", "customer@example.com", &lo),
                         0);
    particle_client_free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_products_of_user_and_org, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_get_by_slug_and_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_orgs_list_and_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_team_invite_reaches_product_remove_refuses, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_org_team_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oauth_client_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customers_create_list_walk_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_token_sees_own_devices, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
