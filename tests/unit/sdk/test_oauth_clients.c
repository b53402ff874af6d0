/* OAuth clients (include/particle/oauth_clients.h) and the client_credentials login with a
 * given client (auth.h) against a loopback canned server: request lines and JSON bodies of
 * the user and product routes, the `client` unwrapping, the wiped create answer, argument
 * checks that send nothing, and the documented errors (cloud-api.md §4.7, §4.1). */
#include "sdk_fixture.h"

#include "value_internal.h"

#define CLIENT_LIST                                                                                \
    "{\"ok\":true,\"clients\":[{\"name\":\"server\",\"type\":\"installed\",\"id\":\"server-999\"}" \
    ","                                                                                            \
    "{\"name\":\"Mobile App\",\"type\":\"installed\",\"id\":\"mobile-app-1234\"}]}"

#define SECRET "615c620d647b6e1dab13bef1695c120b0293c342"
#define CLIENT_CREATED                                                                             \
    "{\"ok\":true,\"client\":{\"name\":\"MyApp\",\"type\":\"installed\",\"id\":\"myapp-2146\","    \
    "\"secret\":\"" SECRET "\"}}"

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

static void test_list_user_and_product(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/clients HTTP/1.1", .status = 200, .body = CLIENT_LIST},
        {.expect = "GET /v1/products/my%20prod/clients HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"clients\":[]}"},
        {.expect = "GET /v1/clients HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "GET /v1/products/404/clients HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Product not found\"}"},
    };
    fixture f = start(steps, 4);
    particle_doc *doc = NULL;
    assert_int_equal(particle_oauth_client_list(&doc, f.c, NULL), 0);
    const particle_value *clients = particle_value_get(particle_doc_root(doc), "clients");
    assert_int_equal(particle_value_count(clients), 2);
    assert_string_equal(particle_oauth_client_id(particle_value_at(clients, 1)), "mobile-app-1234");
    assert_null(particle_oauth_client_secret(particle_value_at(clients, 1)));
    particle_doc_free(doc);
    fixture_assert_request_has(f.srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    assert_int_equal(particle_oauth_client_list(&doc, f.c, "my prod"), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_oauth_client_list(&doc, f.c, NULL), PARTICLE_EPROTO);
    assert_null(doc);
    assert_int_equal(particle_oauth_client_list(&doc, f.c, "404"), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "Product not found");
    finish(&f);
}

static void test_create_update_delete(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/clients HTTP/1.1", .status = 200, .body = CLIENT_CREATED},
        {.expect = "POST /v1/products/7/clients HTTP/1.1", .status = 200, .body = CLIENT_CREATED},
        {.expect = "PUT /v1/products/7/clients/myapp-2146 HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"client\":{\"name\":\"Renamed\",\"type\":\"installed\","
                 "\"id\":\"myapp-2146\"}}"},
        {.expect = "PUT /v1/clients/myapp-2146 HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/products/7/clients/myapp-2146 HTTP/1.1", .status = 204},
        {.expect = "DELETE /v1/clients/gone HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Client not found\"}"},
        {.expect = "POST /v1/clients HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"name is required\"}"},
    };
    fixture f = start(steps, 7);
    particle_oauth_client_options o;
    assert_int_equal(particle_oauth_client_options_init(&o, PARTICLE_OAUTH_CLIENT_OPTIONS_VERSION),
                     0);
    o.name = "MyApp";
    o.type = "installed";
    particle_doc *doc = NULL;
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), 0);
    assert_string_equal(particle_oauth_client_id(particle_doc_root(doc)), "myapp-2146");
    assert_string_equal(particle_oauth_client_secret(particle_doc_root(doc)), SECRET);
    particle_doc_free(doc);
    fixture_assert_body(f.srv, 0, "{\"name\":\"MyApp\",\"type\":\"installed\"}");
    fixture_assert_request_has(f.srv, 0, "Content-Type: application/json\r\n");

    o.type = "web";
    o.redirect_uri = "https://example.com/cb";
    o.scope = "customers:create";
    assert_int_equal(particle_oauth_client_create(&doc, f.c, "7", &o), 0);
    particle_doc_free(doc);
    fixture_assert_body(f.srv, 1,
                        "{\"name\":\"MyApp\",\"type\":\"web\",\"redirect_uri\":"
                        "\"https://example.com/cb\",\"scope\":\"customers:create\"}");

    particle_oauth_client_options u = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    u.name = "Renamed";
    u.scope = "none";
    u.type = "web"; /* not sent on update */
    assert_int_equal(particle_oauth_client_update(&doc, f.c, "7", "myapp-2146", &u), 0);
    assert_string_equal(particle_value_string(particle_value_get(particle_doc_root(doc), "name")),
                        "Renamed");
    particle_doc_free(doc);
    fixture_assert_body(f.srv, 2, "{\"name\":\"Renamed\",\"scope\":\"none\"}");
    /* an answer without a client object */
    assert_int_equal(particle_oauth_client_update(NULL, f.c, NULL, "myapp-2146", &u),
                     PARTICLE_EPROTO);

    assert_int_equal(particle_oauth_client_delete(f.c, "7", "myapp-2146"), 0);
    assert_int_equal(particle_oauth_client_delete(f.c, NULL, "gone"), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "Client not found");

    o.type = "installed";
    o.redirect_uri = NULL;
    o.scope = NULL;
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_null(doc);
    finish(&f);
}

static void test_login_with_a_given_client(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /oauth/token HTTP/1.1",
         .status = 200,
         .body = "{\"access_token\":\"" TEST_TOKEN "\",\"token_type\":\"bearer\","
                 "\"expires_in\":7776000}"},
        {.expect = "POST /oauth/token HTTP/1.1",
         .status = 401,
         .body = "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication "
                 "failed\"}"},
        {.expect = "POST /oauth/token HTTP/1.1",
         .status = 200,
         .body = "{\"access_token\":\"" TEST_TOKEN "\",\"token_type\":\"bearer\"}"},
    };
    fixture f = start(steps, 3);
    particle_token *t = NULL;
    assert_int_equal(particle_login_client_credentials_with(&t, f.c, "myapp-2146", SECRET, NULL),
                     0);
    assert_string_equal(particle_token_access_token(t), TEST_TOKEN);
    particle_token_free(t);
    fixture_assert_body(f.srv, 0,
                        "grant_type=client_credentials&client_id=myapp-2146&client_secret=" SECRET);
    t = (particle_token *)&t;
    assert_int_equal(particle_login_client_credentials_with(&t, f.c, "myapp-2146", "wrong", NULL),
                     PARTICLE_EAUTH);
    assert_null(t);
    /* the client's own credentials are still what particle_login_client_credentials sends */
    assert_int_equal(particle_login_client_credentials(NULL, f.c, NULL), 0);
    fixture_assert_body(f.srv, 2,
                        "grant_type=client_credentials&client_id=particle-api"
                        "&client_secret=particle-api");

    assert_int_equal(particle_login_client_credentials_with(&t, f.c, "", SECRET, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_login_client_credentials_with(&t, f.c, "id", NULL, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_login_client_credentials_with(&t, NULL, "id", SECRET, NULL),
                     PARTICLE_EINVAL);
    assert_null(t);
    finish(&f);
}

/* A document made for a secret zeroes its strings before it lets the tree go (the test
 * keeps a reference of its own to look at them afterwards). */
static void test_secret_document_is_wiped(void **state)
{
    (void)state;
    json_t *root = json_pack("{s:s,s:[s]}", "secret", SECRET, "more", "x");
    assert_non_null(root);
    json_incref(root);
    particle_doc *doc = NULL;
    assert_int_equal(particle__doc_wrap_secret(&doc, root), 0);
    assert_string_equal(particle_oauth_client_secret(particle_doc_root(doc)), SECRET);
    particle_doc_free(doc);
    const char *secret = json_string_value(json_object_get(root, "secret"));
    for (size_t i = 0; i < strlen(SECRET); i++) {
        assert_int_equal(secret[i], 0);
    }
    assert_int_equal(json_string_value(json_array_get(json_object_get(root, "more"), 0))[0], 0);
    json_decref(root);
}

/* Wrong arguments fail with PARTICLE_EINVAL before anything is sent (the script is empty). */
static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    fixture f = start(NULL, 0);
    particle_doc *doc = NULL;
    particle_oauth_client_options o = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    assert_int_equal(particle_oauth_client_list(NULL, f.c, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_list(&doc, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_list(&doc, f.c, ""), PARTICLE_EINVAL);

    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), PARTICLE_EINVAL);
    o.name = "n";
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), PARTICLE_EINVAL);
    o.type = "desktop";
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), PARTICLE_EINVAL);
    o.type = "installed";
    o.redirect_uri = "https://example.com";
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), PARTICLE_EINVAL);
    assert_string_equal(particle_error_last()->message, "only a web client has a redirect_uri");
    o.redirect_uri = NULL;
    o.name = "\xc3";
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), PARTICLE_EINVAL);
    o.name = "n";
    assert_int_equal(particle_oauth_client_create(&doc, f.c, "", &o), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_create(NULL, f.c, NULL, &o), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_create(&doc, NULL, NULL, &o), PARTICLE_EINVAL);
    o.version = 9;
    assert_int_equal(particle_oauth_client_create(&doc, f.c, NULL, &o), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_options_init(&o, 9), PARTICLE_EINVAL);

    particle_oauth_client_options u = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    assert_int_equal(particle_oauth_client_update(&doc, f.c, NULL, "id", &u), PARTICLE_EINVAL);
    assert_string_equal(particle_error_last()->message, "the OAuth client update changes nothing");
    u.name = "";
    assert_int_equal(particle_oauth_client_update(&doc, f.c, NULL, "id", &u), PARTICLE_EINVAL);
    u.name = "x";
    assert_int_equal(particle_oauth_client_update(&doc, f.c, NULL, "", &u), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_update(&doc, f.c, NULL, NULL, &u), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_update(&doc, f.c, NULL, "id", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_update(&doc, NULL, NULL, "id", &u), PARTICLE_EINVAL);
    assert_null(doc);

    assert_int_equal(particle_oauth_client_delete(f.c, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_delete(f.c, "", "id"), PARTICLE_EINVAL);
    assert_int_equal(particle_oauth_client_delete(NULL, NULL, "id"), PARTICLE_EINVAL);
    assert_null(particle_oauth_client_id(NULL));
    finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_user_and_product),
        cmocka_unit_test(test_create_update_delete),
        cmocka_unit_test(test_login_with_a_given_client),
        cmocka_unit_test(test_secret_document_is_wiped),
        cmocka_unit_test(test_bad_arguments_send_nothing),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
