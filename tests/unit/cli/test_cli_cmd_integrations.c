/* particlectl webhook ... and integration ..., run as a process against a canned server:
 * the routes of the three scopes, the JSON bodies (template files, particle-cli's
 * arguments), an edit that keeps the settings it does not change, the Webhook-only view of
 * the webhook family, deletion (one, all, confirmation), the test command's exit status,
 * and the output formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "canned_server.h"
#include "cli_run.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define HOOK "5a8ef38cb85f8720edce631a"

#define LIST_ANSWER                                                                                \
    "[{\"id\":\"" HOOK "\",\"event\":\"temp\",\"created_at\":\"2017-03-14T17:57:46.316Z\","        \
    "\"integration_type\":\"Webhook\",\"url\":\"https://example.com/in\","                         \
    "\"requestType\":\"POST\"},{\"id\":\"maps1\",\"event\":\"loc\",\"created_at\":"                \
    "\"2017-03-15T10:00:00.000Z\",\"integration_type\":\"GoogleMaps\"}]"

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
    if (strcmp(body, expected) != 0) {
        fail_msg("request %zu body:\n%s\nwant:\n%s", i, body, expected);
    }
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
        {.expect = "GET /v1/integrations HTTP/1.1", .status = 200, .body = LIST_ANSWER},
        {.expect = "GET /v1/products/my-product/integrations HTTP/1.1",
         .status = 200,
         .body = LIST_ANSWER},
        {.expect = "GET /v1/orgs/acme/integrations HTTP/1.1", .status = 200, .body = LIST_ANSWER},
        {.expect = "GET /v1/integrations HTTP/1.1", .status = 200, .body = "[]"},
    };
    char url[64];
    canned_server *srv = start(steps, 4, url, sizeof(url));
    /* the webhook family shows the Webhook type only */
    cli_run(&result, url, TOKEN, NULL, NULL, (const char *[]){"webhook", "list", NULL});
    assert_run(0,
               "ID                        TYPE     EVENT  URL                     REQUEST_TYPE  "
               "DEVICE_ID  CREATED_AT\n" HOOK
               "  Webhook  temp   https://example.com/in  POST          -          "
               "2017-03-14T17:57:46.316Z\n",
               "");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"integration", "list", "--product", "my-product", "--csv", NULL});
    assert_run(0,
               "id,type,event,url,request_type,device_id,created_at\n" HOOK
               ",Webhook,temp,https://example.com/in,POST,,2017-03-14T17:57:46.316Z\n"
               "maps1,GoogleMaps,loc,,,,2017-03-15T10:00:00.000Z\n",
               "");
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"integration", "list", "--org", "acme", "--type", "googlemaps",
                             "--ndjson", NULL});
    assert_run(0,
               "{\"id\":\"maps1\",\"type\":\"GoogleMaps\",\"event\":\"loc\",\"url\":null,"
               "\"request_type\":null,\"device_id\":null,\"created_at\":"
               "\"2017-03-15T10:00:00.000Z\"}\n",
               "");
    cli_run(&result, url, TOKEN, NULL, NULL, (const char *[]){"webhook", "list", NULL});
    assert_run(0, "No webhooks found.\n", "");
    stop(srv);
}

static void test_create(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/my-product/integrations HTTP/1.1",
         .status = 201,
         .body = "{\"ok\":true,\"id\":\"" HOOK "\",\"url\":\"https://example.com/in\","
                 "\"event\":\"temp\",\"name\":\"temp for example.com\","
                 "\"created_at\":\"2016-04-28T17:06:33.123Z\"}"},
        {.expect = "POST /v1/integrations HTTP/1.1",
         .status = 201,
         .body = "{\"id\":\"2\",\"event\":\"from-file\"}"},
        {.expect = "POST /v1/orgs/acme/integrations HTTP/1.1",
         .status = 201,
         .body = "{\"id\":\"3\",\"event\":\"loc\",\"integration_type\":\"GoogleMaps\"}"},
        {.expect = "POST /v1/integrations HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"url: must be http or https\"}"},
    };
    char url[64];
    canned_server *srv = start(steps, 4, url, sizeof(url));
    char tmpl[256], hook_file[256], maps[256];
    cli_run_write_file("tmpl.json",
                       "{\"json\": {\"t\": \"{{{PARTICLE_EVENT_VALUE}}}\"}, \"headers\": "
                       "{\"X-Webhook-Secret\": \"abc\"}, \"url\": \"https://ignored\", "
                       "\"noDefaults\": true}",
                       0600, tmpl, sizeof(tmpl));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"webhook", "create", "temp", "https://example.com/in", "--product",
                             "my-product", "--json-template", tmpl, "--request-type", "PUT", NULL});
    assert_run(0, "Created webhook " HOOK " for event temp.\n", "");
    assert_body(srv, 0,
                "{\"json\":{\"t\":\"{{{PARTICLE_EVENT_VALUE}}}\"},\"headers\":"
                "{\"X-Webhook-Secret\":\"abc\"},\"url\":\"https://example.com/in\","
                "\"noDefaults\":true,\"integration_type\":\"Webhook\",\"event\":\"temp\","
                "\"requestType\":\"PUT\"}");

    /* particle-cli's FILE.json in the event's place, its eventName and deviceid */
    cli_run_write_file("hook.json",
                       "{\"eventName\": \"from-file\", \"url\": \"http://127.0.0.1:9/in\", "
                       "\"deviceid\": \"abc\"}",
                       0600, hook_file, sizeof(hook_file));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"webhook", "create", hook_file, "--json", NULL});
    assert_int_equal(result.status, 0);
    assert_non_null(strstr(result.out, "\"id\": \"2\""));
    assert_body(srv, 1,
                "{\"url\":\"http://127.0.0.1:9/in\",\"deviceid\":\"abc\",\"event\":\"from-file\","
                "\"integration_type\":\"Webhook\",\"requestType\":\"POST\"}");

    /* another type from --type (any case), its settings from the template; no url needed */
    cli_run_write_file("maps.json", "{\"api_key\": \"k\"}", 0600, maps, sizeof(maps));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"integration", "create", "loc", "--type", "googlemaps", "--org",
                             "acme", "--json-template", maps, NULL});
    assert_run(0, "Created integration 3 for event loc.\n", "");
    assert_body(srv, 2,
                "{\"api_key\":\"k\",\"integration_type\":\"GoogleMaps\",\"event\":\"loc\"}");

    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"webhook", "create", "temp", "ftp://x", NULL});
    assert_run(1, "", "particlectl: url: must be http or https (HTTP 400)\n");
    stop(srv);
}

static void test_create_refusals_send_nothing(void **state)
{
    (void)state;
    char url[64];
    canned_server *srv = start(NULL, 0, url, sizeof(url));
    char bad[256];
    cli_run_write_file("bad.json", "[1, 2]", 0600, bad, sizeof(bad));
    const char *const *cases[] = {
        (const char *[]){"webhook", "create", "temp", NULL},
        (const char *[]){"webhook", "create", "temp", "https://x", "--product", "p", "--org", "o",
                         NULL},
        (const char *[]){"webhook", "create", "temp", "https://x", "--json-template", bad, NULL},
        (const char *[]){"webhook", "create", "temp", "https://x", "--json-template",
                         "/nonexistent/x.json", NULL},
        (const char *[]){"webhook", "create", "temp", "https://x", "d1", "--device", "d2", NULL},
        (const char *[]){"webhook", "create", "temp", "https://x", "--type", "GoogleMaps", NULL},
        (const char *[]){"integration", "create", "temp", "https://x", "--type", "Zapier", NULL},
        (const char *[]){"integration", "edit", HOOK, NULL},
        (const char *[]){"webhook", "delete", HOOK, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cli_run(&result, url, TOKEN, NULL, NULL, cases[i]);
        if (result.status != 2) {
            fail_msg("case %zu: exit %d\n%s", i, result.status, result.err);
        }
    }
    cli_run(&result, url, TOKEN, NULL, NULL, (const char *[]){"webhook", "create", "temp", NULL});
    assert_run(2, "",
               "particlectl: a new webhook needs a url\n"
               "Try 'particlectl webhook create --help'.\n");
    assert_int_equal(canned_server_request_count(srv), 0);
    canned_server_stop(srv);
}

static void test_get_and_edit(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/integrations/" HOOK " HTTP/1.1",
         .status = 200,
         .body = "{\"integration\":{\"id\":\"" HOOK "\",\"event\":\"temp\",\"name\":\"n\","
                 "\"integration_type\":\"Webhook\",\"url\":\"https://example.com/in\","
                 "\"requestType\":\"POST\",\"created_at\":\"2017-03-14T17:57:46.316Z\","
                 "\"disabled\":false,\"errorCount\":3,\"logs\":[],"
                 "\"errors\":[{\"status\":500}],\"headers\":{\"X-Webhook-Secret\":\"abc\"}}}"},
        {.expect = "GET /v1/products/7/integrations/" HOOK " HTTP/1.1",
         .status = 200,
         .body = "{\"integration\":{\"id\":\"" HOOK "\",\"event\":\"temp\","
                 "\"integration_type\":\"Webhook\",\"url\":\"https://example.com/in\","
                 "\"requestType\":\"POST\",\"created_at\":\"2017-03-14T17:57:46.316Z\","
                 "\"errorCount\":3,\"logs\":[],\"headers\":{\"X-Webhook-Secret\":\"abc\"}}}"},
        {.expect = "PUT /v1/products/7/integrations/" HOOK " HTTP/1.1",
         .status = 200,
         .body = "{\"integration\":{\"id\":\"" HOOK "\",\"event\":\"temp\","
                 "\"url\":\"https://example.com/v2\"}}"},
        {.expect = "GET /v1/integrations/nope HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Not Found\"}"},
    };
    char url[64];
    canned_server *srv = start(steps, 4, url, sizeof(url));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"webhook", "get", HOOK, "--json", NULL});
    assert_run(0,
               "{\n  \"id\": \"" HOOK "\",\n  \"type\": \"Webhook\",\n  \"event\": \"temp\",\n"
               "  \"url\": \"https://example.com/in\",\n  \"request_type\": \"POST\",\n"
               "  \"device_id\": null,\n  \"created_at\": \"2017-03-14T17:57:46.316Z\",\n"
               "  \"name\": \"n\",\n  \"disabled\": false,\n  \"response_topic\": null,\n"
               "  \"error_response_topic\": null,\n  \"error_count\": 3,\n"
               "  \"success_count\": null,\n  \"errors\": [\n    {\n      \"status\": 500\n"
               "    }\n  ]\n}\n",
               "");
    /* the secret header is kept by the edit but never printed */
    assert_null(strstr(result.out, "abc"));

    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"integration", "edit", HOOK, "--product", "7", "--url",
                             "https://example.com/v2", NULL});
    assert_run(0, "Changed integration " HOOK " for event temp.\n", "");
    assert_body(srv, 2,
                "{\"event\":\"temp\",\"integration_type\":\"Webhook\","
                "\"url\":\"https://example.com/v2\",\"requestType\":\"POST\","
                "\"headers\":{\"X-Webhook-Secret\":\"abc\"}}");

    cli_run(&result, url, TOKEN, NULL, NULL, (const char *[]){"integration", "get", "nope", NULL});
    assert_run(1, "", "particlectl: Not Found (HTTP 404)\n");
    stop(srv);
}

static void test_delete_and_test(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "DELETE /v1/integrations/" HOOK " HTTP/1.1", .status = 204},
        {.expect = "GET /v1/integrations HTTP/1.1", .status = 200, .body = LIST_ANSWER},
        {.expect = "DELETE /v1/integrations/" HOOK " HTTP/1.1", .status = 204},
        {.expect = "POST /v1/integrations/" HOOK "/test HTTP/1.1",
         .status = 200,
         .body = "{\"pass\":true,\"data\":null}"},
        {.expect = "POST /v1/orgs/acme/integrations/" HOOK "/test HTTP/1.1",
         .status = 200,
         .body = "{\"pass\":false,\"data\":null,\"error\":\"connect ECONNREFUSED\"}"},
    };
    char url[64];
    canned_server *srv = start(steps, 5, url, sizeof(url));
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"webhook", "delete", HOOK, "--yes", NULL});
    assert_run(0, "Deleted webhook " HOOK ".\n", "");
    /* all: the webhooks only, one DELETE each */
    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"webhook", "delete", "all", "--yes", "--json", NULL});
    assert_run(0, "[\n  {\n    \"id\": \"" HOOK "\",\n    \"deleted\": true\n  }\n]\n", "");

    cli_run(&result, url, TOKEN, NULL, NULL,
            (const char *[]){"webhook", "test", HOOK, "--data", "21.5", NULL});
    assert_run(0, "Test event sent through webhook " HOOK ": passed.\n", "");
    assert_body(srv, 3, "{\"data\":\"21.5\"}");
    cli_run(
        &result, url, TOKEN, NULL, NULL,
        (const char *[]){"integration", "test", HOOK, "--org", "acme", "--device-id", "api", NULL});
    assert_run(1, "Test event sent through integration " HOOK ": failed: connect ECONNREFUSED\n",
               "");
    assert_body(srv, 4, "{\"device_id\":\"api\"}");
    stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_refusals_send_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_and_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_and_test, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
