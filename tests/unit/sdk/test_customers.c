/* Customers and claim codes (include/particle/customers.h) against a loopback canned
 * server: the request lines, query strings and form or JSON bodies sent, the page
 * iterator, the token a creation answers with, argument checks that send nothing, and the
 * mapping of the documented errors (cloud-api.md §9.4, §4.1, §5.10). */
#include "sdk_fixture.h"

#include "alloc.h"

/* The documented listing (§9.4). */
#define CUSTOMER_PAGE                                                                              \
    "{\"customers\":[{\"id\":\"01234567890ABCDEF\",\"full_name\":\"Bob Loblaw\","                  \
    "\"username\":\"bob@loblaw.net\",\"devices\":[\"0123456789abcdef01234567\"]}],"                \
    "\"devices\":[{\"id\":\"0123456789abcdef01234567\",\"product_id\":6,"                          \
    "\"last_ip_address\":\"127.0.0.1\",\"firmware_version\":1,\"online\":true}],"                  \
    "\"meta\":{\"total_pages\":4}}"

/* The documented creation answer (§9.4), 201. */
#define CUSTOMER_TOKEN                                                                             \
    "{\"token_type\":\"bearer\",\"access_token\":\"92b6d13edaab936b016d54266a46134160f087e8\","    \
    "\"refresh_token\":\"14b4d13edaab634b019d54265a46132160f017e8\",\"expires_in\":7776000}"

#define CLAIM                                                                                      \
    "{\"claim_code\":\"rCFr2KAJNgzJ2rR3Jm1ZoUd7G4Sr3ak7MRHdWrM274eYzInP1+psZ0fP2qNehlj\","         \
    "\"device_ids\":[\"33ff210644893f533e242597\"]}"

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

static void test_list_one_page(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/my%20prod/customers HTTP/1.1",
         .status = 200,
         .body = CUSTOMER_PAGE},
        {.expect = "GET /v1/products/42/customers?page=3&perPage=10 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[],\"devices\":[],\"meta\":{\"total_pages\":2}}"},
    };
    fixture f = start(steps, 2);
    particle_doc *doc = NULL;
    assert_int_equal(particle_customer_list(&doc, f.c, "my prod", NULL), 0);
    const particle_value *root = particle_doc_root(doc);
    const particle_value *cust = particle_value_at(particle_value_get(root, "customers"), 0);
    assert_string_equal(particle_customer_username(cust), "bob@loblaw.net");
    assert_int_equal(particle_value_count(particle_value_get(root, "devices")), 1);
    assert_int_equal(
        particle_value_int(particle_value_get(particle_value_get(root, "meta"), "total_pages"), 0),
        4);
    assert_null(particle_customer_username(NULL));
    fixture_assert_request_has(f.srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    particle_doc_free(doc);

    particle_customer_list_options o;
    assert_int_equal(
        particle_customer_list_options_init(&o, PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION), 0);
    o.page = 3;
    o.per_page = 10;
    assert_int_equal(particle_customer_list(&doc, f.c, "42", &o), 0);
    particle_doc_free(doc);
    finish(&f);
}

static void test_iterator_walks_pages(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/42/customers?page=1&perPage=1 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"username\":\"a@x.io\"}],\"meta\":{\"total_pages\":2}}"},
        {.expect = "GET /v1/products/42/customers?page=2&perPage=1 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"username\":\"b@x.io\"}],\"meta\":{\"total_pages\":2}}"},
        /* no meta: that page is the last */
        {.expect = "GET /v1/products/42/customers?page=5 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"username\":\"c@x.io\"}]}"},
        {.expect = "GET /v1/products/42/customers?page=1 HTTP/1.1",
         .status = 200,
         .body = "{\"clients\":[]}"},
    };
    fixture f = start(steps, 4);
    particle_customer_list_options o = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    o.per_page = 1;
    char product[] = "42";
    particle_customer_iter *it = NULL;
    assert_int_equal(particle_customer_iter_new(&it, f.c, product, &o), 0);
    product[0] = 'X'; /* the iterator kept its own copy */
    assert_int_equal(particle_customer_iter_total_pages(it), 0);
    const particle_value *v = NULL;
    assert_int_equal(particle_customer_iter_next(&v, it), 0);
    assert_string_equal(particle_customer_username(v), "a@x.io");
    assert_int_equal(particle_customer_iter_next(&v, it), 0);
    assert_string_equal(particle_customer_username(v), "b@x.io");
    assert_int_equal(particle_customer_iter_total_pages(it), 2);
    assert_int_equal(particle_customer_iter_next(&v, it), 0);
    assert_null(v);
    particle_customer_iter_free(it);

    o.per_page = 0;
    o.page = 5;
    assert_int_equal(particle_customer_iter_new(&it, f.c, "42", &o), 0);
    assert_int_equal(particle_customer_iter_next(&v, it), 0);
    assert_string_equal(particle_customer_username(v), "c@x.io");
    assert_int_equal(particle_customer_iter_next(&v, it), 0);
    assert_null(v);
    particle_customer_iter_free(it);

    assert_int_equal(particle_customer_iter_new(&it, f.c, "42", NULL), 0);
    assert_int_equal(particle_customer_iter_next(&v, it), PARTICLE_EPROTO);
    assert_string_equal(particle_error_last()->message, "customer page has no customers array");
    particle_customer_iter_free(it);
    particle_customer_iter_free(NULL);
    assert_int_equal(particle_customer_iter_total_pages(NULL), 0);
    finish(&f);
}

/* One customer: found on the second page of the listing (case ignored), a copy that outlives
 * the pages; a missing one walks every page and is PARTICLE_ENOTFOUND. */
static void test_get_walks_the_listing(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/42/customers?page=1 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"username\":\"a@x.io\"}],\"meta\":{\"total_pages\":2}}"},
        {.expect = "GET /v1/products/42/customers?page=2 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"id\":\"c2\",\"username\":\"Bob@X.io\","
                 "\"devices\":[\"0123456789abcdef01234567\"]}],\"meta\":{\"total_pages\":2}}"},
        {.expect = "GET /v1/products/42/customers?page=1 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"username\":\"a@x.io\"}],\"meta\":{\"total_pages\":1}}"},
        {.expect = "GET /v1/products/43/customers?page=1 HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Product not found\"}"},
    };
    fixture f = start(steps, 4);
    particle_doc *doc = NULL;
    assert_int_equal(particle_customer_get(&doc, f.c, "42", "bob@x.io"), 0);
    const particle_value *root = particle_doc_root(doc);
    assert_string_equal(particle_customer_username(root), "Bob@X.io");
    assert_string_equal(particle_value_string(particle_value_get(root, "id")), "c2");
    assert_int_equal(particle_value_count(particle_value_get(root, "devices")), 1);
    particle_doc_free(doc);

    doc = (particle_doc *)&doc;
    assert_int_equal(particle_customer_get(&doc, f.c, "42", "nobody@x.io"), PARTICLE_ENOTFOUND);
    assert_null(doc);
    assert_int_equal(particle_customer_get(&doc, f.c, "43", "a@x.io"), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_customer_get(&doc, f.c, "42", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_get(&doc, f.c, "", "a@x.io"), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_get(NULL, f.c, "42", "a@x.io"), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_get(&doc, NULL, "42", "a@x.io"), PARTICLE_EINVAL);
    finish(&f);
}

static void test_create_with_client_credentials(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/my-product/customers HTTP/1.1",
         .status = 201,
         .body = CUSTOMER_TOKEN},
        {.expect = "POST /v1/products/my-product/customers HTTP/1.1",
         .status = 201,
         .body = CUSTOMER_TOKEN},
    };
    fixture f = start(steps, 2);
    particle_customer_create_options o;
    assert_int_equal(
        particle_customer_create_options_init(&o, PARTICLE_CUSTOMER_CREATE_OPTIONS_VERSION), 0);
    o.client_id = "myapp-2146";
    o.client_secret = "615c620d647b6e1dab13bef1695c120b0293c342";
    o.password = "p@ss word";
    particle_token *t = NULL;
    assert_int_equal(particle_customer_create(&t, f.c, "my-product", "jane@example.com", &o), 0);
    assert_string_equal(particle_token_access_token(t), "92b6d13edaab936b016d54266a46134160f087e8");
    assert_string_equal(particle_token_refresh_token(t),
                        "14b4d13edaab634b019d54265a46132160f017e8");
    assert_int_equal(particle_token_expires_in(t), 7776000);
    particle_token_free(t);
    fixture_assert_body(f.srv, 0,
                        "email=jane%40example.com&password=p%40ss%20word"
                        "&grant_type=client_credentials&client_id=myapp-2146"
                        "&client_secret=615c620d647b6e1dab13bef1695c120b0293c342");
    fixture_assert_request_has(f.srv, 0, "Content-Type: application/x-www-form-urlencoded\r\n");
    /* the client credentials authenticate, not the stored user token */
    static char text[8192];
    assert_true(canned_server_request(f.srv, 0, text, sizeof(text)));
    assert_null(strstr(text, "Authorization:"));

    /* a shadow customer, token not wanted */
    o.password = NULL;
    o.no_password = 1;
    assert_int_equal(particle_customer_create(NULL, f.c, "my-product", "shadow-1", &o), 0);
    fixture_assert_body(f.srv, 1,
                        "email=shadow-1&no_password=true&grant_type=client_credentials"
                        "&client_id=myapp-2146"
                        "&client_secret=615c620d647b6e1dab13bef1695c120b0293c342");
    finish(&f);
}

static void test_create_with_team_token(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/7/customers HTTP/1.1", .status = 201, .body = CUSTOMER_TOKEN},
        {.expect = "POST /v1/products/7/customers HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"Customer already exists\"}"},
        {.expect = "POST /v1/products/7/customers HTTP/1.1",
         .status = 401,
         .body = "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication "
                 "failed\"}"},
        {.expect = "POST /v1/products/7/customers HTTP/1.1", .status = 201, .body = "{}"},
    };
    fixture f = start(steps, 4);
    particle_customer_create_options o = PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT;
    o.password = "secret";
    particle_token *t = NULL;
    assert_int_equal(particle_customer_create(&t, f.c, "7", "jane@example.com", &o), 0);
    particle_token_free(t);
    fixture_assert_body(f.srv, 0, "email=jane%40example.com&password=secret");
    fixture_assert_request_has(f.srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");

    t = (particle_token *)&t;
    assert_int_equal(particle_customer_create(&t, f.c, "7", "jane@example.com", &o),
                     PARTICLE_EHTTP);
    assert_null(t);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_string_equal(particle_error_last()->message, "Customer already exists");
    assert_int_equal(particle_customer_create(&t, f.c, "7", "jane@example.com", &o),
                     PARTICLE_EAUTH);
    /* a 201 without a token */
    assert_int_equal(particle_customer_create(&t, f.c, "7", "jane@example.com", &o),
                     PARTICLE_EPROTO);
    assert_null(t);
    finish(&f);
}

static void test_password_delete_and_token(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "PUT /v1/products/7/customers/jane%40example.com HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/products/7/customers/jane%40example.com HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/products/7/customers/nobody HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Customer not found\"}"},
        {.expect = "POST /oauth/token HTTP/1.1",
         .status = 200,
         .body = "{\"access_token\":\"" TEST_TOKEN "\",\"token_type\":\"bearer\","
                 "\"expires_in\":7776000}"},
    };
    fixture f = start(steps, 4);
    assert_int_equal(particle_customer_set_password(f.c, "7", "jane@example.com", "n3w pass"), 0);
    fixture_assert_body(f.srv, 0, "password=n3w%20pass");
    fixture_assert_request_has(f.srv, 0, "Content-Type: application/x-www-form-urlencoded\r\n");
    assert_int_equal(particle_customer_delete(f.c, "7", "jane@example.com"), 0);
    assert_int_equal(particle_customer_delete(f.c, "7", "nobody"), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "Customer not found");

    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    particle_token *t = NULL;
    assert_int_equal(
        particle_customer_token(&t, f.c, "myapp-2146", "s3cret", "jane@example.com", &lo), 0);
    assert_string_equal(particle_token_access_token(t), TEST_TOKEN);
    particle_token_free(t);
    fixture_assert_body(f.srv, 3,
                        "grant_type=client_credentials&scope=customer%3Djane%40example.com"
                        "&client_id=myapp-2146&client_secret=s3cret");
    finish(&f);
}

static void test_claim_codes(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/device_claims HTTP/1.1", .status = 200, .body = CLAIM},
        {.expect = "POST /v1/products/my-product/device_claims HTTP/1.1",
         .status = 200,
         .body = CLAIM},
        {.expect = "POST /v1/products/my-product/device_claims HTTP/1.1",
         .status = 403,
         .body = "{\"ok\":false,\"error\":\"Only customers of this product can create claim "
                 "codes\"}"},
        {.expect = "POST /v1/device_claims HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
    };
    fixture f = start(steps, 4);
    particle_doc *doc = NULL;
    assert_int_equal(particle_claim_code_create(&doc, f.c, NULL), 0);
    assert_string_equal(particle_claim_code_text(particle_doc_root(doc)),
                        "rCFr2KAJNgzJ2rR3Jm1ZoUd7G4Sr3ak7MRHdWrM274eYzInP1+psZ0fP2qNehlj");
    assert_int_equal(particle_value_count(particle_value_get(particle_doc_root(doc), "device_ids")),
                     1);
    particle_doc_free(doc);
    fixture_assert_body(f.srv, 0, "{}");
    fixture_assert_request_has(f.srv, 0, "Content-Type: application/json\r\n");

    particle_claim_code_options o;
    assert_int_equal(particle_claim_code_options_init(&o, PARTICLE_CLAIM_CODE_OPTIONS_VERSION), 0);
    o.product = "my-product";
    o.iccid = "8934076500002589174";
    o.imei = "352753090000000";
    assert_int_equal(particle_claim_code_create(&doc, f.c, &o), 0);
    particle_doc_free(doc);
    fixture_assert_body(f.srv, 1,
                        "{\"iccid\":\"8934076500002589174\",\"imei\":\"352753090000000\"}");

    o.iccid = o.imei = NULL;
    assert_int_equal(particle_claim_code_create(&doc, f.c, &o), PARTICLE_EFORBIDDEN);
    assert_null(doc);
    assert_int_equal(particle_claim_code_create(&doc, f.c, NULL), PARTICLE_EPROTO);
    assert_null(doc);
    assert_null(particle_claim_code_text(NULL));
    finish(&f);
}

/* Wrong arguments fail with PARTICLE_EINVAL before anything is sent (the script is empty). */
static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    fixture f = start(NULL, 0);
    particle_doc *doc = NULL;
    particle_token *t = NULL;
    particle_customer_iter *it = NULL;
    assert_int_equal(particle_customer_list(NULL, f.c, "7", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_list(&doc, NULL, "7", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_list(&doc, f.c, "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_list(&doc, f.c, NULL, NULL), PARTICLE_EINVAL);
    particle_customer_list_options lo = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    lo.version = 99;
    assert_int_equal(particle_customer_list(&doc, f.c, "7", &lo), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_iter_new(&it, f.c, "7", &lo), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_iter_new(&it, f.c, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_iter_new(NULL, f.c, "7", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_iter_new(&it, NULL, "7", NULL), PARTICLE_EINVAL);
    assert_null(it);
    assert_int_equal(particle_customer_iter_next(NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_list_options_init(&lo, 99), PARTICLE_EINVAL);

    particle_customer_create_options co = PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT;
    assert_int_equal(particle_customer_create(&t, f.c, "7", "a@b.c", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_create(&t, f.c, "7", "a@b.c", &co), PARTICLE_EINVAL);
    assert_string_equal(particle_error_last()->message, "give a password or no_password");
    co.password = "x";
    co.no_password = 1;
    assert_int_equal(particle_customer_create(&t, f.c, "7", "a@b.c", &co), PARTICLE_EINVAL);
    co.no_password = 0;
    co.client_id = "myapp-2146";
    assert_int_equal(particle_customer_create(&t, f.c, "7", "a@b.c", &co), PARTICLE_EINVAL);
    co.client_id = NULL;
    co.client_secret = "s";
    assert_int_equal(particle_customer_create(&t, f.c, "7", "a@b.c", &co), PARTICLE_EINVAL);
    co.client_secret = NULL;
    assert_int_equal(particle_customer_create(&t, f.c, "7", "", &co), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_create(&t, f.c, "", "a@b.c", &co), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_create(&t, NULL, "7", "a@b.c", &co), PARTICLE_EINVAL);
    assert_null(t);

    assert_int_equal(particle_customer_set_password(f.c, "7", "a@b.c", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_set_password(f.c, "7", "", "x"), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_set_password(NULL, "7", "a@b.c", "x"), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_delete(f.c, NULL, "a@b.c"), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_delete(f.c, "7", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_delete(NULL, "7", "a@b.c"), PARTICLE_EINVAL);

    particle_login_options login = PARTICLE_LOGIN_OPTIONS_INIT;
    login.scope = "customer=x";
    assert_int_equal(particle_customer_token(&t, f.c, "id", "secret", "a@b.c", &login),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_customer_token(&t, f.c, "id", "secret", "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_token(&t, f.c, "", "secret", "a@b.c", NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_customer_token(&t, f.c, "id", NULL, "a@b.c", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_customer_token(&t, NULL, "id", "secret", "a@b.c", NULL),
                     PARTICLE_EINVAL);
    assert_null(t);

    particle_claim_code_options cc = PARTICLE_CLAIM_CODE_OPTIONS_INIT;
    assert_int_equal(particle_claim_code_create(NULL, f.c, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_claim_code_create(&doc, NULL, NULL), PARTICLE_EINVAL);
    cc.product = "";
    assert_int_equal(particle_claim_code_create(&doc, f.c, &cc), PARTICLE_EINVAL);
    cc.product = NULL;
    cc.iccid = "";
    assert_int_equal(particle_claim_code_create(&doc, f.c, &cc), PARTICLE_EINVAL);
    cc.iccid = "\xff";
    assert_int_equal(particle_claim_code_create(&doc, f.c, &cc), PARTICLE_EINVAL);
    cc.iccid = NULL;
    cc.version = 2;
    assert_int_equal(particle_claim_code_create(&doc, f.c, &cc), PARTICLE_EINVAL);
    assert_int_equal(particle_claim_code_options_init(&cc, 99), PARTICLE_EINVAL);
    assert_null(doc);
    finish(&f);
}

/* The iterator's constructor under every allocation budget: ENOMEM and nothing given out
 * until both allocations (the iterator and its product copy) succeed. */
static void test_iter_new_out_of_memory(void **state)
{
    (void)state;
    fixture f = start(NULL, 0);
    for (long n = 0; n < 100; n++) {
        particle__alloc_fail_after(n);
        particle_customer_iter *it = (particle_customer_iter *)(void *)&it;
        int rc = particle_customer_iter_new(&it, f.c, "my-product", NULL);
        unsigned long refused = particle__alloc_failed();
        particle__alloc_fail_after(-1);
        if (refused == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(n, 2);
            particle_customer_iter_free(it);
            break;
        }
        assert_int_equal(rc, PARTICLE_ENOMEM);
        assert_null(it);
    }
    finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_one_page),
        cmocka_unit_test(test_iterator_walks_pages),
        cmocka_unit_test(test_get_walks_the_listing),
        cmocka_unit_test(test_create_with_client_credentials),
        cmocka_unit_test(test_create_with_team_token),
        cmocka_unit_test(test_password_delete_and_token),
        cmocka_unit_test(test_claim_codes),
        cmocka_unit_test(test_bad_arguments_send_nothing),
        cmocka_unit_test(test_iter_new_out_of_memory),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
