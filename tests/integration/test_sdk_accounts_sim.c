/*
 * libparticle's typed calls of products, organizations, teams, OAuth clients, customers,
 * device groups, claim codes, serial numbers and the rest of the product-device calls
 * (import by list and by file, quarantine, development flag, firmware lock), and an
 * organization's event stream, against particle-sim in-process on 127.0.0.1 port 0 with the default
 * fleet (docs/SIM.md): the real SDK against the real simulator, checking the values the calls
 * return, not only that they succeed. Every test gets a fresh simulator.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "particle/particle.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define MEMBER_TOKEN "0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e"
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
    assert_int_equal(INT(env, "group_count"), 3); /* lab, field, calibration */
    assert_int_equal(particle_value_count(GET(env, "groups")), 3);
    assert_int_equal(INT(tracker, "group_count"), 4); /* europe, asia, americas, pilot-fleet */
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
    /* an Administrator changes the role; a role the reference does not list is refused */
    assert_ok(particle_team_update(&doc, f->c, "asset-tracker", "other@example.com", "Support"));
    particle_doc_free(doc);
    assert_string_equal(member_role(f->c, "10001", "other@example.com"), "Support");
    doc = NULL;
    assert_int_equal(particle_team_update(&doc, f->c, "asset-tracker", "other@example.com", "Boss"),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_int_equal(
        particle_org_team_update(&doc, f->c, "acme", "nobody@example.com", "Developer"),
        PARTICLE_ENOTFOUND);

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

/* ---- device groups, claim codes, serial numbers, the product-device rest ---- */

/* The id of product device @p name (exact name) into @p out. */
static void product_device_id(particle_client *c, const char *product, const char *name,
                              char out[32])
{
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = product;
    o.device_name = name;
    o.per_page = 100;
    particle_doc *doc = NULL;
    assert_ok(particle_device_list(&doc, c, &o));
    const particle_value *d = find_by(GET(ROOT(doc), "devices"), "name", name);
    assert_non_null(d);
    snprintf(out, 32, "%s", STR(d, "id"));
    particle_doc_free(doc);
}

/* GET /v1/products/:product/devices/:id: the product device as the API shows it. */
static particle_doc *product_device(particle_client *c, const char *product, const char *id)
{
    char path[160];
    snprintf(path, sizeof path, "/v1/products/%s/devices/%s", product, id);
    particle_doc *doc = NULL;
    assert_ok(particle_request(&doc, c, "GET", path, NULL, NULL, NULL));
    return doc;
}

/* The names of a product device's groups joined with ',' (in the API's order). */
static void device_groups(particle_client *c, const char *product, const char *id, char *out,
                          size_t size)
{
    particle_doc *doc = product_device(c, product, id);
    const particle_value *g = GET(ROOT(doc), "groups");
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < particle_value_count(g); i++) {
        int w = snprintf(out + used, size - used, "%s%s", i ? "," : "",
                         particle_value_string(particle_value_at(g, i)));
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
    particle_doc_free(doc);
}

/* How many devices of @p product the ?groups= filter gives for @p groups. */
static size_t devices_in(particle_client *c, const char *product, const char *groups)
{
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = product;
    o.groups = groups;
    o.per_page = 100;
    particle_doc *doc = NULL;
    assert_ok(particle_device_list(&doc, c, &o));
    const particle_value *devs = GET(ROOT(doc), "devices");
    size_t n = particle_value_count(devs);
    for (size_t i = 0; i < n; i++) { /* each one really is in one of them */
        const particle_value *g = GET(particle_value_at(devs, i), "groups");
        bool in = false;
        for (size_t k = 0; k < particle_value_count(g); k++) {
            in = in || strstr(groups, particle_value_string(particle_value_at(g, k))) != NULL;
        }
        assert_true(in);
    }
    particle_doc_free(doc);
    return n;
}

static void test_groups_crud(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_group_list(&doc, f->c, "asset-tracker", NULL));
    const particle_value *groups = GET(ROOT(doc), "groups");
    assert_int_equal(particle_value_count(groups), 4);
    assert_int_equal(INT(find_by(groups, "name", "europe"), "device_count"), 6);
    assert_string_equal(STR(find_by(groups, "name", "pilot-fleet"), "color"), "#e74c3c");
    particle_doc_free(doc);
    assert_ok(particle_group_list(&doc, f->c, "asset-tracker", "ER")); /* partial, any case */
    assert_int_equal(particle_value_count(GET(ROOT(doc), "groups")), 1);
    assert_string_equal(STR(particle_value_at(GET(ROOT(doc), "groups"), 0), "name"), "americas");
    particle_doc_free(doc);

    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = "north_sea";
    g.description = "Rigs";
    g.color = "#112233";
    assert_ok(particle_group_create(&doc, f->c, "asset-tracker", &g));
    assert_string_equal(STR(GET(ROOT(doc), "group"), "name"), "north_sea");
    assert_string_equal(STR(GET(ROOT(doc), "group"), "color"), "#112233");
    particle_doc_free(doc);
    assert_ok(particle_group_get(&doc, f->c, "10001", "north_sea"));
    assert_string_equal(STR(GET(ROOT(doc), "group"), "description"), "Rigs");
    assert_int_equal(INT(GET(ROOT(doc), "group"), "device_count"), 0);
    particle_doc_free(doc);

    /* bad and duplicate names are refused with nothing changed */
    doc = NULL;
    assert_int_equal(particle_group_create(&doc, f->c, "asset-tracker", &g), PARTICLE_EHTTP);
    g.name = "North Sea";
    assert_int_equal(particle_group_create(&doc, f->c, "asset-tracker", &g), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_null(doc);

    particle_group_options u = PARTICLE_GROUP_OPTIONS_INIT;
    u.name = "baltic";
    u.description = "Ships";
    assert_ok(particle_group_update(&doc, f->c, "asset-tracker", "north_sea", &u));
    assert_string_equal(STR(GET(ROOT(doc), "group"), "name"), "baltic");
    assert_string_equal(STR(GET(ROOT(doc), "group"), "description"), "Ships");
    assert_string_equal(STR(GET(ROOT(doc), "group"), "color"), "#112233");
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_group_get(&doc, f->c, "asset-tracker", "north_sea"),
                     PARTICLE_ENOTFOUND);

    assert_ok(particle_group_delete(f->c, "asset-tracker", "baltic"));
    assert_int_equal(particle_group_delete(f->c, "asset-tracker", "baltic"), PARTICLE_ENOTFOUND);
    assert_ok(particle_group_list(&doc, f->c, "asset-tracker", NULL));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "groups")), 4);
    particle_doc_free(doc);
}

static void test_group_assignment_and_filter(void **state)
{
    sim_fixture *f = *state;
    char t1[32], t2[32], got[256];
    product_device_id(f->c, "asset-tracker", "tracker-1", t1);
    product_device_id(f->c, "asset-tracker", "tracker-2", t2);
    device_groups(f->c, "asset-tracker", t1, got, sizeof got);
    assert_string_equal(got, "europe");
    assert_int_equal(devices_in(f->c, "asset-tracker", "europe"), 6);
    assert_int_equal(devices_in(f->c, "asset-tracker", "americas"), 4);

    /* the absolute list on one device; an unknown group is created */
    const char *set[] = {"americas", "arctic"};
    particle_doc *doc = NULL;
    assert_ok(particle_device_set_groups(&doc, f->c, "asset-tracker", t1, set, 2));
    assert_string_equal(STR(ROOT(doc), "id"), t1);
    assert_int_equal(particle_value_count(GET(ROOT(doc), "groups")), 2);
    particle_doc_free(doc);
    device_groups(f->c, "asset-tracker", t1, got, sizeof got);
    assert_string_equal(got, "americas,arctic");
    assert_int_equal(devices_in(f->c, "asset-tracker", "europe"), 5);
    assert_int_equal(devices_in(f->c, "asset-tracker", "americas"), 5);
    assert_int_equal(devices_in(f->c, "asset-tracker", "arctic"), 1);
    assert_ok(particle_group_get(&doc, f->c, "asset-tracker", "arctic"));
    assert_int_equal(INT(GET(ROOT(doc), "group"), "device_count"), 1);
    particle_doc_free(doc);

    /* the batch call: two devices into pilot-fleet, then one out again */
    const char *both[] = {t1, t2};
    assert_ok(particle_group_add_devices(&doc, f->c, "asset-tracker", "pilot-fleet", both, 2));
    assert_true(particle_value_bool(GET(ROOT(doc), "ok"), 0));
    particle_doc_free(doc);
    assert_int_equal(devices_in(f->c, "asset-tracker", "pilot-fleet"), 2);
    assert_ok(particle_group_remove_devices(NULL, f->c, "asset-tracker", "pilot-fleet", both, 1));
    assert_int_equal(devices_in(f->c, "asset-tracker", "pilot-fleet"), 1);
    device_groups(f->c, "asset-tracker", t2, got, sizeof got);
    assert_string_equal(got, "asia,pilot-fleet");
    /* any of a comma list */
    assert_int_equal(devices_in(f->c, "asset-tracker", "arctic,pilot-fleet"), 2);

    /* deleting a group takes it off its devices */
    assert_ok(particle_group_delete(f->c, "asset-tracker", "arctic"));
    device_groups(f->c, "asset-tracker", t1, got, sizeof got);
    assert_string_equal(got, "americas");
    /* a bad group name changes nothing */
    const char *bad[] = {"Not Valid"};
    assert_int_equal(particle_device_set_groups(NULL, f->c, "asset-tracker", t1, bad, 1),
                     PARTICLE_EHTTP);
    device_groups(f->c, "asset-tracker", t1, got, sizeof got);
    assert_string_equal(got, "americas");
}

static void test_claim_codes(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_claim_code_create(&doc, f->c, NULL));
    char code[80];
    snprintf(code, sizeof code, "%s", particle_claim_code_text(ROOT(doc)));
    assert_int_equal(strlen(code), 63);
    assert_int_equal(particle_value_count(GET(ROOT(doc), "device_ids")), 4); /* demo's devices */
    particle_doc_free(doc);

    /* the device presents it (the control API plays the device): demo now owns it */
    char t3[32], path[96], body[128];
    product_device_id(f->c, "asset-tracker", "tracker-3", t3);
    snprintf(path, sizeof path, "/sim/devices/%s/claim", t3);
    snprintf(body, sizeof body, "{\"claim_code\":\"%s\"}", code);
    assert_ok(particle_request(&doc, f->c, "POST", path, NULL, body, NULL));
    assert_string_equal(STR(ROOT(doc), "owner"), "demo@example.com");
    particle_doc_free(doc);
    assert_ok(particle_device_get(&doc, f->c, t3, NULL));
    assert_string_equal(STR(ROOT(doc), "name"), "tracker-3");
    particle_doc_free(doc);
    /* single use */
    doc = NULL;
    assert_int_not_equal(particle_request(&doc, f->c, "POST", path, NULL, body, NULL), 0);
    assert_int_equal(particle_error_last()->http_status, 404);

    /* a customer's code for the product claims a product device for the customer */
    particle_client *cc = client_with(f, NULL);
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_ok(particle_customer_token(NULL, cc, TRACKER_CLIENT, TRACKER_SECRET,
                                      "customer2@example.com", &lo));
    particle_claim_code_options co = PARTICLE_CLAIM_CODE_OPTIONS_INIT;
    co.product = "asset-tracker";
    assert_ok(particle_claim_code_create(&doc, cc, &co));
    snprintf(code, sizeof code, "%s", particle_claim_code_text(ROOT(doc)));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "device_ids")), 0);
    particle_doc_free(doc);
    char t6[32];
    product_device_id(f->c, "asset-tracker", "tracker-6", t6);
    snprintf(path, sizeof path, "/sim/devices/%s/claim", t6);
    snprintf(body, sizeof body, "{\"claim_code\":\"%s\"}", code);
    assert_ok(particle_request(NULL, f->c, "POST", path, NULL, body, NULL));
    assert_ok(particle_device_list(&doc, cc, NULL));
    assert_int_equal(particle_value_count(ROOT(doc)), 1);
    assert_string_equal(STR(particle_value_at(ROOT(doc), 0), "id"), t6);
    particle_doc_free(doc);
    /* and the product's customer list shows it */
    particle_customer_list_options lopt = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    assert_ok(particle_customer_list(&doc, f->c, "asset-tracker", &lopt));
    const particle_value *c2 =
        find_by(GET(ROOT(doc), "customers"), "username", "customer2@example.com");
    assert_int_equal(particle_value_count(GET(c2, "devices")), 1);
    particle_doc_free(doc);
    /* a user, not a customer of the product, gets no product code */
    doc = NULL;
    assert_int_equal(particle_claim_code_create(&doc, f->c, &co), PARTICLE_EFORBIDDEN);
    particle_client_free(cc);
}

static void test_serial_number_lookup(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    char ct[32];
    product_device_id(f->c, "asset-tracker", "customer-tracker", ct);
    assert_ok(particle_serial_number_lookup(&doc, f->c, "e40kab111111111")); /* any case */
    assert_true(particle_value_bool(GET(ROOT(doc), "ok"), 0));
    assert_string_equal(STR(ROOT(doc), "deviceID"), ct);
    assert_non_null(STR(ROOT(doc), "iccid")); /* a Boron: cellular */
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_serial_number_lookup(&doc, f->c, "NOSUCHSERIAL0000"),
                     PARTICLE_ENOTFOUND);
    assert_null(doc);
}

static void test_import_by_list_and_file(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    /* demo-argon-1 (an Argon of demo's, a team member) into env-sensors (Argons) */
    const char *argon = "c1675e0bb980a575a89661fe";
    const char *ids[] = {argon, "ffffffffffffffffffffffff"};
    assert_ok(particle_product_devices_add(&doc, f->c, "env-sensors", ids, 2, NULL));
    assert_int_equal(INT(ROOT(doc), "updated"), 1);
    assert_string_equal(
        particle_value_string(particle_value_at(GET(ROOT(doc), "updatedDeviceIds"), 0)), argon);
    assert_string_equal(
        particle_value_string(particle_value_at(GET(ROOT(doc), "invalidDeviceIds"), 0)),
        "ffffffffffffffffffffffff");
    particle_doc_free(doc);
    doc = product_device(f->c, "env-sensors", argon);
    assert_int_equal(INT(ROOT(doc), "product_id"), 10002);
    particle_doc_free(doc);

    /* by file (multipart): the same id again, another platform's device, other's Argon */
    const char file[] = "C1675E0BB980A575A89661FE\n9ff735ab278a84ba6d1c170c\n"
                        "737a74e5f8908fafafcc5252\n";
    assert_ok(particle_product_devices_import_file(&doc, f->c, "env-sensors", file, sizeof file - 1,
                                                   NULL, NULL));
    const particle_value *r = ROOT(doc);
    assert_int_equal(INT(r, "updated"), 0);
    assert_string_equal(particle_value_string(particle_value_at(GET(r, "existingDeviceIds"), 0)),
                        argon);
    assert_string_equal(particle_value_string(particle_value_at(GET(r, "invalidDeviceIds"), 0)),
                        "9ff735ab278a84ba6d1c170c"); /* a P2 is not an Argon */
    assert_string_equal(particle_value_string(particle_value_at(GET(r, "nonmemberDeviceIds"), 0)),
                        "737a74e5f8908fafafcc5252");
    particle_doc_free(doc);
    assert_ok(particle_product_get(&doc, f->c, "env-sensors"));
    assert_int_equal(INT(GET(ROOT(doc), "product"), "device_count"), 61);
    particle_doc_free(doc);
}

static void test_quarantine_approve_and_deny(void **state)
{
    sim_fixture *f = *state;
    char t5[32], t10[32], t7[32];
    product_device_id(f->c, "asset-tracker", "tracker-5", t5);
    product_device_id(f->c, "asset-tracker", "tracker-10", t10);
    product_device_id(f->c, "asset-tracker", "tracker-7", t7);
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = "asset-tracker";
    o.quarantined = PARTICLE_YES;
    particle_doc *doc = NULL;
    assert_ok(particle_device_list(&doc, f->c, &o));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "devices")), 2);
    particle_doc_free(doc);

    assert_ok(particle_product_device_approve(&doc, f->c, "asset-tracker", t5));
    assert_string_equal(
        particle_value_string(particle_value_at(GET(ROOT(doc), "updatedDeviceIds"), 0)), t5);
    particle_doc_free(doc);
    doc = product_device(f->c, "asset-tracker", t5);
    assert_false(particle_value_bool(GET(ROOT(doc), "quarantined"), 1));
    particle_doc_free(doc);

    assert_ok(particle_product_device_deny(f->c, "asset-tracker", t10));
    doc = product_device(f->c, "asset-tracker", t10);
    assert_true(particle_value_bool(GET(ROOT(doc), "denied"), 0));
    particle_doc_free(doc);
    assert_ok(particle_device_list(&doc, f->c, &o));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "devices")), 0);
    particle_doc_free(doc);
    /* only a quarantined device can be denied */
    assert_int_equal(particle_product_device_deny(f->c, "asset-tracker", t7), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    doc = product_device(f->c, "asset-tracker", t7);
    assert_false(particle_value_bool(GET(ROOT(doc), "denied"), 1));
    particle_doc_free(doc);
}

static void test_development_and_firmware_lock(void **state)
{
    sim_fixture *f = *state;
    char t2[32];
    product_device_id(f->c, "asset-tracker", "tracker-2", t2);
    particle_doc *doc = NULL;
    assert_ok(particle_product_device_set_development(&doc, f->c, "asset-tracker", t2, 1));
    assert_true(particle_value_bool(GET(ROOT(doc), "development"), 0));
    particle_doc_free(doc);
    doc = product_device(f->c, "asset-tracker", t2);
    assert_true(particle_value_bool(GET(ROOT(doc), "development"), 0));
    particle_doc_free(doc);
    assert_ok(particle_product_device_set_development(NULL, f->c, "asset-tracker", t2, 0));
    doc = product_device(f->c, "asset-tracker", t2);
    assert_false(particle_value_bool(GET(ROOT(doc), "development"), 1));
    particle_doc_free(doc);

    assert_ok(particle_product_device_lock_firmware(&doc, f->c, "asset-tracker", t2, 3, 1));
    assert_int_equal(INT(ROOT(doc), "desired_firmware_version"), 3);
    particle_doc_free(doc);
    doc = product_device(f->c, "asset-tracker", t2);
    assert_int_equal(INT(ROOT(doc), "desired_firmware_version"), 3);
    particle_doc_free(doc);
    assert_ok(particle_product_device_unlock_firmware(&doc, f->c, "asset-tracker", t2));
    assert_true(particle_value_is_null(GET(ROOT(doc), "desired_firmware_version")));
    particle_doc_free(doc);
    doc = product_device(f->c, "asset-tracker", t2);
    assert_true(particle_value_is_null(GET(ROOT(doc), "desired_firmware_version")));
    particle_doc_free(doc);
}

/* ---- organization event streams ---- */

typedef struct org_listener {
    pthread_mutex_t lock;
    bool connected;
    char name[64], data[64]; /* the last event */
    particle_stream *stream;
    pthread_t thread;
    int run_rc;
} org_listener;

static int org_on_event(const particle_event *ev, void *payload)
{
    org_listener *l = payload;
    pthread_mutex_lock(&l->lock);
    snprintf(l->name, sizeof l->name, "%s", ev->name);
    snprintf(l->data, sizeof l->data, "%s", ev->data != NULL ? ev->data : "");
    pthread_mutex_unlock(&l->lock);
    return 0;
}

static void org_on_connect(unsigned int attempt, void *payload)
{
    (void)attempt;
    org_listener *l = payload;
    pthread_mutex_lock(&l->lock);
    l->connected = true;
    pthread_mutex_unlock(&l->lock);
}

static void *org_run(void *arg)
{
    org_listener *l = arg;
    l->run_rc = particle_stream_run(l->stream);
    return NULL;
}

/* Waits up to WAIT_MS for @p l to be connected (@p want_event NULL) or to have received
 * an event named @p want_event. */
static bool org_wait(org_listener *l, const char *want_event)
{
    for (int waited = 0; waited < WAIT_MS; waited += 20) {
        pthread_mutex_lock(&l->lock);
        bool done = want_event == NULL ? l->connected : strcmp(l->name, want_event) == 0;
        pthread_mutex_unlock(&l->lock);
        if (done) {
            return true;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return false;
}

static void test_org_event_stream(void **state)
{
    sim_fixture *f = *state;
    particle_client *member = client_with(f, MEMBER_TOKEN);
    org_listener l = {.run_rc = 1};
    pthread_mutex_init(&l.lock, NULL);
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.scope = PARTICLE_STREAM_ORG;
    o.org = "acme";
    o.prefix = "e2e";
    o.on_event = org_on_event;
    o.on_connect = org_on_connect;
    o.payload = &l;
    assert_ok(particle_stream_open(&l.stream, member, &o));
    assert_int_equal(pthread_create(&l.thread, NULL, org_run, &l), 0);
    assert_true(org_wait(&l, NULL));
    /* an event of one of the organization's products reaches the organization's stream */
    assert_ok(particle_request(NULL, f->c, "POST", "/v1/products/env-sensors/events", NULL,
                               "{\"name\":\"e2e/org\",\"data\":\"hello\"}", NULL));
    assert_true(org_wait(&l, "e2e/org"));
    assert_string_equal(l.data, "hello");
    particle_stream_cancel(l.stream);
    pthread_join(l.thread, NULL);
    particle_stream_free(l.stream);
    assert_int_equal(l.run_rc, PARTICLE_ECANCELED);
    particle_client_free(member);

    /* someone outside the organization is refused, and the stream says so */
    particle_client *other = client_with(f, OTHER_TOKEN);
    org_listener refused = {.run_rc = 1};
    pthread_mutex_init(&refused.lock, NULL);
    o.payload = &refused;
    o.max_reconnects = 1;
    o.reconnect_base_ms = 10;
    assert_ok(particle_stream_open(&refused.stream, other, &o));
    assert_int_equal(particle_stream_run(refused.stream), PARTICLE_EFORBIDDEN);
    assert_false(refused.connected);
    particle_stream_free(refused.stream);
    pthread_mutex_destroy(&refused.lock);
    pthread_mutex_destroy(&l.lock);
    particle_client_free(other);
}

/* One customer found through the listing (the reference has no route for one), and a
 * product's configuration. */
static void test_customer_get_and_configuration(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_customer_get(&doc, f->c, "asset-tracker", "Customer@Example.com"));
    assert_string_equal(particle_customer_username(ROOT(doc)), "customer@example.com");
    assert_int_equal(particle_value_count(GET(ROOT(doc), "devices")), 1);
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_customer_get(&doc, f->c, "asset-tracker", "nobody@example.com"),
                     PARTICLE_ENOTFOUND);
    assert_int_equal(particle_customer_get(&doc, f->c, "no-such-product", "a@example.com"),
                     PARTICLE_ENOTFOUND);

    assert_int_equal(particle_product_config_get(&doc, f->c, "asset-tracker", NULL),
                     PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "no configuration is set");
    assert_ok(particle_product_config_set(NULL, f->c, "asset-tracker", NULL,
                                          "{\"location\":{\"radius\":12}}"));
    assert_ok(particle_product_config_get(&doc, f->c, "10001", NULL));
    assert_int_equal(INT(GET(GET(ROOT(doc), "configuration"), "location"), "radius"), 12);
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(
        particle_product_config_set(&doc, f->c, "asset-tracker", NULL, "{\"location\":7}"),
        PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 422);
    /* a device is named by its id on this route */
    assert_int_equal(particle_product_config_get(&doc, f->c, "asset-tracker", "customer-tracker"),
                     PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "Device not found in this product");

    /* the schema: none yet, then set, read back, and a configuration it refuses */
    assert_int_equal(particle_product_config_schema_get(&doc, f->c, "asset-tracker", NULL),
                     PARTICLE_ENOTFOUND);
    assert_ok(particle_product_config_schema_set(
        NULL, f->c, "asset-tracker", NULL,
        "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"object\","
        "\"properties\":{\"radius\":{\"type\":\"number\",\"maximum\":100}}}}}"));
    assert_ok(particle_product_config_schema_get(&doc, f->c, "asset-tracker", NULL));
    assert_string_equal(
        STR(GET(GET(GET(GET(ROOT(doc), "properties"), "location"), "properties"), "radius"),
            "type"),
        "number");
    particle_doc_free(doc);
    doc = NULL;
    assert_int_equal(particle_product_config_set(NULL, f->c, "asset-tracker", NULL,
                                                 "{\"location\":{\"radius\":500}}"),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 422);
    assert_ok(particle_product_config_set(NULL, f->c, "asset-tracker", NULL,
                                          "{\"location\":{\"radius\":50}}"));
    assert_int_equal(particle_product_config_schema_set(NULL, f->c, "asset-tracker", NULL, "[1]"),
                     PARTICLE_EINVAL);
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
        cmocka_unit_test_setup_teardown(test_org_event_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oauth_client_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customers_create_list_walk_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_token_sees_own_devices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups_crud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_assignment_and_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_number_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_by_list_and_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quarantine_approve_and_deny, setup, teardown),
        cmocka_unit_test_setup_teardown(test_development_and_firmware_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_get_and_configuration, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
