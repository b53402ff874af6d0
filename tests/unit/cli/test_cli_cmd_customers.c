/* particlectl customer list|create|delete and claim-code, run as a process against a canned
 * server: what each sends (request line, form or JSON body, which credentials), what it
 * prints in each format, and that secrets come only from stdin, the environment or an
 * owner-only file, with nothing sent when they are missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "canned_server.h"
#include "cli_run.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define SECRET "615c620d647b6e1dab13bef1695c120b0293c342"
#define CUSTOMER_TOKEN "92b6d13edaab936b016d54266a46134160f087e8"
#define CREATED                                                                                    \
    "{\"token_type\":\"bearer\",\"access_token\":\"" CUSTOMER_TOKEN "\",\"expires_in\":7776000}"

static cli_run_result result;

typedef struct server {
    canned_server *srv;
    char url[64];
} server;

static server start(const canned_step *steps, size_t n)
{
    server s;
    s.srv = canned_server_start(steps, n);
    assert_non_null(s.srv);
    canned_server_url(s.srv, s.url, sizeof(s.url));
    return s;
}

static void stop(server *s)
{
    char why[512];
    if (!canned_server_ok(s->srv, why, sizeof(why))) {
        fail_msg("canned server: %s", why);
    }
    canned_server_stop(s->srv);
}

static void assert_request_has(server *s, size_t i, const char *needle)
{
    static char text[16 * 1024];
    assert_true(canned_server_request(s->srv, i, text, sizeof(text)));
    if (strstr(text, needle) == NULL) {
        fail_msg("request %zu lacks \"%s\":\n%s", i, needle, text);
    }
}

static void assert_request_lacks(server *s, size_t i, const char *needle)
{
    static char text[16 * 1024];
    assert_true(canned_server_request(s->srv, i, text, sizeof(text)));
    if (strstr(text, needle) != NULL) {
        fail_msg("request %zu has \"%s\":\n%s", i, needle, text);
    }
}

static void assert_body(server *s, size_t i, const char *expected)
{
    static char body[16 * 1024];
    assert_true(canned_server_request_body(s->srv, i, body, sizeof(body)));
    assert_string_equal(body, expected);
}

static void assert_run(int status, const char *out, const char *err)
{
    if (result.status != status || (out != NULL && strcmp(result.out, out) != 0) ||
        (err != NULL && strcmp(result.err, err) != 0)) {
        fail_msg("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", result.status, status, result.out,
                 result.err);
    }
}

static int setup(void **state)
{
    (void)state;
    cli_run_dir_make();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_run_dir_remove();
    return 0;
}

static void test_list_walks_every_page(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/my-product/customers?page=1&perPage=1 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"id\":\"c1\",\"username\":\"bob@loblaw.net\",\"full_name\":"
                 "\"Bob Loblaw\",\"devices\":[\"0123456789abcdef01234567\"]}],\"devices\":[],"
                 "\"meta\":{\"total_pages\":2}}"},
        {.expect = "GET /v1/products/my-product/customers?page=2&perPage=1 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[{\"id\":\"c2\",\"username\":\"jane@example.com\","
                 "\"devices\":[]}],\"meta\":{\"total_pages\":2}}"},
        {.expect = "GET /v1/products/my-product/customers?page=1 HTTP/1.1",
         .status = 200,
         .body = "{\"customers\":[],\"meta\":{\"total_pages\":1}}"},
        {.expect = "GET /v1/products/nope/customers?page=1 HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Product not found\"}"},
    };
    server s = start(steps, 4);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "list", "my-product", "--per-page", "1", "--csv", NULL});
    assert_run(0,
               "id,username,full_name,devices\n"
               "c1,bob@loblaw.net,Bob Loblaw,0123456789abcdef01234567\n"
               "c2,jane@example.com,,\n",
               "");
    assert_request_has(&s, 0, "Authorization: Bearer " TOKEN "\r\n");
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "list", "my-product", NULL});
    assert_run(0, "No customers found.\n", "");
    cli_run(&result, s.url, TOKEN, NULL, NULL, (const char *[]){"customer", "list", "nope", NULL});
    assert_run(1, "", NULL);
    assert_non_null(strstr(result.err, "Product not found"));
    stop(&s);
}

static void test_create_with_client_credentials(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/my-product/customers HTTP/1.1",
         .status = 201,
         .body = CREATED},
        {.expect = "POST /v1/products/my-product/customers HTTP/1.1",
         .status = 201,
         .body = CREATED},
    };
    server s = start(steps, 2);
    /* the secret from the environment, the password from standard input */
    cli_run(
        &result, s.url, TOKEN,
        (const char *[]){"PARTICLE_CLIENT_ID=my-app-2146", "PARTICLE_CLIENT_SECRET=" SECRET, NULL},
        "p@ss word\n",
        (const char *[]){"customer", "create", "my-product", "jane@example.com", "--password-stdin",
                         NULL});
    assert_run(0, "Created customer jane@example.com of product my-product.\n", "");
    assert_body(&s, 0,
                "email=jane%40example.com&password=p%40ss%20word&grant_type=client_credentials"
                "&client_id=my-app-2146&client_secret=" SECRET);
    assert_request_lacks(&s, 0, "Authorization:");

    /* the secret from an owner-only file, a shadow customer; the token is never printed */
    char path[256];
    cli_run_write_file("secret", SECRET "\n", 0600, path, sizeof(path));
    cli_run(&result, s.url, NULL, NULL, NULL,
            (const char *[]){"customer", "create", "my-product", "shadow-1", "--no-password",
                             "--client-id", "my-app-2146", "--client-secret-file", path, "--json",
                             NULL});
    assert_run(0,
               "{\n  \"product\": \"my-product\",\n  \"username\": \"shadow-1\",\n"
               "  \"shadow\": true,\n  \"created\": true\n}\n",
               "");
    assert_body(&s, 1,
                "email=shadow-1&no_password=true&grant_type=client_credentials"
                "&client_id=my-app-2146&client_secret=" SECRET);
    stop(&s);
}

static void test_create_with_team_token(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/7/customers HTTP/1.1", .status = 201, .body = CREATED},
        {.expect = "POST /v1/products/7/customers HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"Customer already exists\"}"},
    };
    server s = start(steps, 2);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "create", "7", "shadow-2", "--no-password", NULL});
    assert_run(0, "Created customer shadow-2 of product 7.\n", "");
    assert_body(&s, 0, "email=shadow-2&no_password=true");
    assert_request_has(&s, 0, "Authorization: Bearer " TOKEN "\r\n");
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "create", "7", "shadow-2", "--no-password", NULL});
    assert_run(1, "", NULL);
    assert_non_null(strstr(result.err, "Customer already exists (HTTP 400"));
    stop(&s);
}

/* Missing or badly kept secrets stop the command before anything is sent (the script is
 * empty: any request would fail it). */
static void test_secrets_never_from_argv(void **state)
{
    (void)state;
    server s = start(NULL, 0);
    /* no terminal and no --password-stdin: nowhere to ask */
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "create", "7", "jane@example.com", NULL});
    assert_run(2, "", NULL);
    assert_non_null(strstr(result.err, "no terminal to ask for the Customer password"));
    /* a password argument is not an option */
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "create", "7", "jane@example.com", "--password=x", NULL});
    assert_run(2, "", NULL);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "create", "7", "jane@example.com", "--no-password",
                             "--client-secret=" SECRET, NULL});
    assert_run(2, "", NULL);
    /* a secret file others can read is refused */
    char path[256];
    cli_run_write_file("open-secret", SECRET "\n", 0644, path, sizeof(path));
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "create", "7", "jane@example.com", "--no-password",
                             "--client-id", "x", "--client-secret-file", path, NULL});
    assert_run(2, "", NULL);
    assert_non_null(strstr(result.err, "others can read it: chmod 600"));
    /* an id without a secret, a secret without an id */
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "create", "7", "jane@example.com", "--no-password",
                             "--client-id", "x", NULL});
    assert_run(2, "", NULL);
    cli_run(&result, s.url, TOKEN, (const char *[]){"PARTICLE_CLIENT_SECRET=" SECRET, NULL}, NULL,
            (const char *[]){"customer", "create", "7", "jane@example.com", "--no-password", NULL});
    assert_run(2, "", NULL);
    /* an empty password line */
    cli_run(
        &result, s.url, TOKEN, NULL, "\n",
        (const char *[]){"customer", "create", "7", "jane@example.com", "--password-stdin", NULL});
    assert_run(2, "", NULL);
    cli_run(&result, s.url, TOKEN, NULL, NULL, (const char *[]){"customer", "create", "7", NULL});
    assert_run(2, "", NULL);
    assert_non_null(strstr(result.err, "missing argument: PRODUCT EMAIL"));
    /* the secret is in no message */
    assert_null(strstr(result.err, SECRET));
    stop(&s);
}

static void test_delete_confirms(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "DELETE /v1/products/7/customers/jane%40example.com HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/products/7/customers/nobody HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Customer not found\"}"},
    };
    server s = start(steps, 2);
    /* not on a terminal: --yes is needed, nothing is sent without it */
    cli_run(&result, s.url, TOKEN, NULL, "y\n",
            (const char *[]){"customer", "delete", "7", "jane@example.com", NULL});
    assert_run(2, "", NULL);
    assert_non_null(strstr(result.err, "needs --yes when not on a terminal"));
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "delete", "7", "jane@example.com", "--yes", NULL});
    assert_run(0, "Deleted customer jane@example.com of product 7.\n", "");
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"customer", "delete", "7", "nobody", "--yes", "--ndjson", NULL});
    assert_run(1, "", NULL);
    assert_non_null(strstr(result.err, "Customer not found"));
    stop(&s);
}

static void test_claim_code(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/device_claims HTTP/1.1",
         .status = 200,
         .body = "{\"claim_code\":\"rCFr2KAJ+psZ0fP2qNehlj\",\"device_ids\":[\"33ff2106\"]}"},
        {.expect = "POST /v1/device_claims HTTP/1.1",
         .status = 200,
         .body = "{\"claim_code\":\"8934076500002589174\",\"device_ids\":[]}"},
        {.expect = "POST /oauth/token HTTP/1.1",
         .status = 200,
         .body = "{\"access_token\":\"" CUSTOMER_TOKEN "\",\"token_type\":\"bearer\"}"},
        {.expect = "POST /v1/products/my-product/device_claims HTTP/1.1",
         .status = 200,
         .body = "{\"claim_code\":\"cust-code\",\"device_ids\":[]}"},
        {.expect = "POST /v1/products/my-product/device_claims HTTP/1.1",
         .status = 403,
         .body = "{\"ok\":false,\"error\":\"Only customers can create claim codes\"}"},
    };
    server s = start(steps, 5);
    cli_run(&result, s.url, TOKEN, NULL, NULL, (const char *[]){"claim-code", NULL});
    assert_run(0, "rCFr2KAJ+psZ0fP2qNehlj\n", "");
    assert_body(&s, 0, "{}");
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"claim-code", "--iccid", "8934076500002589174", "--json", NULL});
    assert_run(0, "{\n  \"claim_code\": \"8934076500002589174\",\n  \"device_ids\": []\n}\n", "");
    assert_body(&s, 1, "{\"iccid\":\"8934076500002589174\"}");

    /* as a customer: its token from the product client, then the product route */
    cli_run(
        &result, s.url, NULL,
        (const char *[]){"PARTICLE_CLIENT_ID=my-app-2146", "PARTICLE_CLIENT_SECRET=" SECRET, NULL},
        NULL,
        (const char *[]){"claim-code", "--product", "my-product", "--customer", "jane@example.com",
                         NULL});
    assert_run(0, "cust-code\n", "");
    assert_body(&s, 2,
                "grant_type=client_credentials&scope=customer%3Djane%40example.com"
                "&client_id=my-app-2146&client_secret=" SECRET);
    assert_request_has(&s, 3, "Authorization: Bearer " CUSTOMER_TOKEN "\r\n");
    /* the token in effect is not a customer's */
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"claim-code", "--product", "my-product", NULL});
    assert_run(1, "", NULL);
    assert_non_null(strstr(result.err, "Only customers can create claim codes (HTTP 403"));

    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"claim-code", "--customer", "jane@example.com", NULL});
    assert_run(2, "", NULL);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"claim-code", "--product", "p", "--customer", "j@x.io", NULL});
    assert_run(2, "", NULL);
    assert_non_null(strstr(result.err, "--customer needs the product's OAuth client"));
    cli_run(&result, s.url, TOKEN, NULL, NULL, (const char *[]){"claim-code", "extra", NULL});
    assert_run(2, "", NULL);
    stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_walks_every_page),
        cmocka_unit_test(test_create_with_client_credentials),
        cmocka_unit_test(test_create_with_team_token),
        cmocka_unit_test(test_secrets_never_from_argv),
        cmocka_unit_test(test_delete_confirms),
        cmocka_unit_test(test_claim_code),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
