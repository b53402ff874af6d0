/* particlectl oauth-client list|create|update|delete, run as a process against a canned
 * server: the user and product routes, the JSON bodies, each output format, the secret
 * printed once on stdout (and never on stderr), and the confirmation of a deletion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "canned_server.h"
#include "cli_run.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define SECRET "615c620d647b6e1dab13bef1695c120b0293c342"

static cli_run_result result;

static canned_server *start(const canned_step *steps, size_t n, char *url, size_t size)
{
    canned_server *srv = canned_server_start(steps, n);
    assert_non_null(srv);
    canned_server_url(srv, url, size);
    return srv;
}

static void stop(canned_server *srv)
{
    char why[512];
    if (!canned_server_ok(srv, why, sizeof(why))) {
        fail_msg("canned server: %s", why);
    }
    canned_server_stop(srv);
}

static void assert_body(canned_server *srv, size_t i, const char *expected)
{
    static char body[16 * 1024];
    assert_true(canned_server_request_body(srv, i, body, sizeof(body)));
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

static void test_list(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/clients HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"clients\":[{\"name\":\"server\",\"type\":\"installed\","
                 "\"id\":\"server-999\"},{\"name\":\"Web App\",\"type\":\"web\",\"id\":\"web-1\","
                 "\"redirect_uri\":\"https://example.com/cb\",\"scope\":\"customers:create\"}]}"},
        {.expect = "GET /v1/products/my-product/clients HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"clients\":[]}"},
        {.expect = "GET /v1/products/my-product/clients HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"clients\":[{\"name\":\"a,b\",\"type\":\"installed\","
                 "\"id\":\"a-1\"}]}"},
        {.expect = "GET /v1/products/other/clients HTTP/1.1",
         .status = 403,
         .body = "{\"error\":\"Permission Denied\"}"},
    };
    char url[64];
    canned_server *srv = start(steps, 4, url, sizeof(url));
    cli_run(&result, url, TOKEN, NULL, NULL, (const char *[]){"oauth-client", "list", NULL});
    assert_run(0,
               "ID          NAME     TYPE       REDIRECT_URI            SCOPE\n"
               "server-999  server   installed  -                       -\n"
               "web-1       Web App  web        https://example.com/cb  customers:create\n",
               "");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "list", "--product", "my-product", NULL});
    assert_run(0, "No OAuth clients found.\n", "");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "list", "--product", "my-product", "--csv", NULL});
    assert_run(0, "id,name,type,redirect_uri,scope\na-1,\"a,b\",installed,,\n", "");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "list", "--product", "other", NULL});
    assert_run(1, "", NULL);
    stop(srv);
}

static void test_create_prints_the_secret_once(void **state)
{
    (void)state;
    const char *created =
        "{\"ok\":true,\"client\":{\"name\":\"server\",\"type\":\"installed\","
        "\"id\":\"server-2146\",\"scope\":\"customers:create\",\"secret\":\"" SECRET "\"}}";
    canned_step steps[] = {
        {.expect = "POST /v1/products/my-product/clients HTTP/1.1", .status = 200, .body = created},
        {.expect = "POST /v1/clients HTTP/1.1", .status = 200, .body = created},
        {.expect = "POST /v1/clients HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"redirect_uri is required for web clients\"}"},
    };
    char url[64];
    canned_server *srv = start(steps, 3, url, sizeof(url));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "create", "server", "--type", "installed", "--scope",
                             "customers:create", "--product", "my-product", "--json", NULL});
    assert_run(0,
               "{\n  \"id\": \"server-2146\",\n  \"name\": \"server\",\n  \"type\": "
               "\"installed\",\n  \"redirect_uri\": null,\n  \"scope\": \"customers:create\",\n"
               "  \"secret\": \"" SECRET "\"\n}\n",
               "");
    assert_body(srv, 0,
                "{\"name\":\"server\",\"type\":\"installed\",\"scope\":\"customers:create\"}");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "create", "server", "--type", "installed", NULL});
    assert_run(0,
               "id:           server-2146\nname:         server\ntype:         installed\n"
               "redirect_uri: -\nscope:        customers:create\nsecret:       " SECRET "\n",
               "");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "create", "w", "--type", "web", NULL});
    assert_run(1, "", NULL);
    assert_non_null(strstr(result.err, "redirect_uri is required for web clients"));
    /* refused before sending */
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "create", "server", NULL});
    assert_run(2, "", NULL);
    assert_non_null(strstr(result.err, "missing option: --type installed|web"));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "create", "server", "--type", "desktop", NULL});
    assert_run(2, "", NULL);
    stop(srv);
}

static void test_update_and_delete(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "PUT /v1/products/7/clients/server-2146 HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"client\":{\"name\":\"fleet\",\"type\":\"installed\","
                 "\"id\":\"server-2146\"}}"},
        {.expect = "DELETE /v1/clients/server-2146 HTTP/1.1", .status = 204},
        {.expect = "DELETE /v1/products/7/clients/gone HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Client not found\"}"},
    };
    char url[64];
    canned_server *srv = start(steps, 3, url, sizeof(url));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "update", "server-2146", "--name", "fleet", "--scope",
                             "none", "--product", "7", "--ndjson", NULL});
    assert_run(0,
               "{\"id\":\"server-2146\",\"name\":\"fleet\",\"type\":\"installed\","
               "\"redirect_uri\":null,\"scope\":null}\n",
               "");
    assert_body(srv, 0, "{\"name\":\"fleet\",\"scope\":\"none\"}");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "update", "server-2146", NULL});
    assert_run(2, "", NULL);

    cli_run(&result, url, TOKEN, NULL, "y\n",
            (const char *[]){"oauth-client", "delete", "server-2146", NULL});
    assert_run(2, "", NULL);
    assert_non_null(strstr(result.err, "needs --yes when not on a terminal"));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "delete", "server-2146", "--yes", NULL});
    assert_run(0, "Deleted OAuth client server-2146.\n", "");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"oauth-client", "delete", "gone", "--product", "7", "--yes", NULL});
    assert_run(1, "", NULL);
    assert_non_null(strstr(result.err, "Client not found"));
    stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_create_prints_the_secret_once),
        cmocka_unit_test(test_update_and_delete),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
