/*
 * Integrations and legacy webhooks (integrations.h) against a loopback canned server: the
 * request line and exact body of every call in the three scopes, every documented field of
 * the answers read into particle_integration (reference/cloud-api.md §10), the list shapes
 * particle-cli accepts, and the error paths (404, 400 with an API error body, an answer
 * that is not JSON, a dropped connection, bad arguments that send nothing).
 */
#include "sdk_fixture.h"

#define HOOK_ID "5a8ef38cb85f8720edce631a"

/* A GET answer carrying every field the SDK types. */
#define FULL_INTEGRATION                                                                           \
    "{\"integration\":{\"id\":\"" HOOK_ID "\",\"integration_type\":\"Webhook\","                   \
    "\"event\":\"temp\",\"url\":\"https://example.com/in\",\"requestType\":\"PUT\","               \
    "\"name\":\"temp for example.com\",\"deviceID\":\"0123456789abcdef01234567\","                 \
    "\"created_at\":\"2017-03-14T17:57:46.316Z\",\"body\":\"{{PARTICLE_EVENT_VALUE}}\","           \
    "\"responseTemplate\":\"{{t}}\",\"responseTopic\":\"rt\",\"errorResponseTopic\":\"et\","       \
    "\"headers\":{\"X-Webhook-Secret\":\"s3cret\"},\"query\":{\"a\":\"1\"},"                       \
    "\"json\":{\"v\":\"{{{PARTICLE_EVENT_VALUE}}}\"},\"form\":{\"f\":\"g\"},"                      \
    "\"auth\":{\"username\":\"u\",\"password\":\"p\"},\"product_id\":1234,"                        \
    "\"noDefaults\":true,\"rejectUnauthorized\":false,\"disabled\":false,\"mydevices\":true,"      \
    "\"errorCount\":2,\"successCount\":40,"                                                        \
    "\"logs\":[{\"request\":\"r\",\"response\":\"s\"}],\"errors\":[{\"error\":\"ECONNREFUSED\"}]," \
    "\"counters\":[{\"date\":\"20261203\",\"success\":40,\"error\":2}]}}"

#define CREATED                                                                                    \
    "{\"ok\":true,\"id\":\"" HOOK_ID "\",\"url\":\"https://example.com/in\",\"event\":\"temp\","   \
    "\"name\":\"temp for example.com\",\"created_at\":\"2016-04-28T17:06:33.123Z\","               \
    "\"hookUrl\":\"https://api.particle.io/v1/webhooks/" HOOK_ID "\"}"

static particle_client *client_for(canned_server *srv)
{
    return fixture_client(srv, TEST_TOKEN, NULL, NULL);
}

static void test_create_sends_every_field(void **state)
{
    (void)state;
    const canned_step steps[] = {
        {.expect = "POST /v1/integrations ", .status = 201, .body = CREATED},
        {.expect = "POST /v1/products/my-product/integrations ", .status = 201, .body = CREATED},
        {.expect = "POST /v1/orgs/my%20org/integrations ", .status = 201, .body = CREATED},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = client_for(srv);

    particle_integration_options o;
    assert_int_equal(particle_integration_options_init(&o, PARTICLE_INTEGRATION_OPTIONS_VERSION),
                     0);
    o.event = "temp";
    o.url = "https://example.com/in";
    o.request_type = "PUT";
    o.name = "n";
    o.device_id = "0123456789abcdef01234567";
    o.body = "{{PARTICLE_EVENT_VALUE}}";
    o.response_template = "{{t}}";
    o.response_topic = "rt";
    o.error_response_topic = "et";
    o.headers = "{\"X-Webhook-Secret\": \"s3cret\"}";
    o.query = "{\"a\": \"1\"}";
    o.json = "{\"v\": \"{{{PARTICLE_EVENT_VALUE}}}\"}";
    o.form = "{\"f\": \"g\"}";
    o.no_defaults = PARTICLE_YES;
    o.reject_unauthorized = PARTICLE_NO;
    o.disabled = PARTICLE_NO;
    o.mydevices = PARTICLE_YES;
    o.auth_username = "u";
    o.auth_password = "p";
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_create(&it, c, NULL, &o), 0);
    fixture_assert_body(
        srv, 0,
        "{\"integration_type\":\"Webhook\",\"event\":\"temp\",\"url\":\"https://example.com/in\","
        "\"requestType\":\"PUT\",\"name\":\"n\",\"deviceID\":\"0123456789abcdef01234567\","
        "\"body\":\"{{PARTICLE_EVENT_VALUE}}\",\"responseTemplate\":\"{{t}}\","
        "\"responseTopic\":\"rt\",\"errorResponseTopic\":\"et\","
        "\"headers\":{\"X-Webhook-Secret\":\"s3cret\"},\"query\":{\"a\":\"1\"},"
        "\"json\":{\"v\":\"{{{PARTICLE_EVENT_VALUE}}}\"},\"form\":{\"f\":\"g\"},"
        "\"noDefaults\":true,\"rejectUnauthorized\":false,\"disabled\":false,\"mydevices\":true,"
        "\"auth\":{\"username\":\"u\",\"password\":\"p\"}}");
    fixture_assert_request_has(srv, 0, "Content-Type: application/json");
    assert_string_equal(it->id, HOOK_ID);
    assert_string_equal(it->name, "temp for example.com");
    assert_string_equal(it->created_at, "2016-04-28T17:06:33.123Z");
    assert_string_equal(it->hook_url, "https://api.particle.io/v1/webhooks/" HOOK_ID);
    assert_null(it->headers);
    assert_int_equal(it->error_count, -1);
    particle_integration_free(it);

    /* the minimum: event and url; requestType defaults to POST; extra members are sent */
    particle_integration_options m = PARTICLE_INTEGRATION_OPTIONS_INIT;
    m.event = "temp";
    m.url = "http://127.0.0.1:1/x";
    m.extra = "{\"template\": \"webhook\", \"event\": \"overridden\"}";
    particle_integration_scope product = {.product = "my-product"};
    assert_int_equal(particle_integration_create(NULL, c, &product, &m), 0);
    fixture_assert_body(srv, 1,
                        "{\"template\":\"webhook\",\"event\":\"temp\","
                        "\"integration_type\":\"Webhook\",\"url\":\"http://127.0.0.1:1/x\","
                        "\"requestType\":\"POST\"}");

    /* another integration type needs no url and gets no requestType */
    particle_integration_options g = PARTICLE_INTEGRATION_OPTIONS_INIT;
    g.integration_type = "GoogleMaps";
    g.event = "loc";
    g.extra = "{\"api_key\": \"k\"}";
    particle_integration_scope org = {.org = "my org"};
    assert_int_equal(particle_integration_create(NULL, c, &org, &g), 0);
    fixture_assert_body(
        srv, 2, "{\"api_key\":\"k\",\"integration_type\":\"GoogleMaps\",\"event\":\"loc\"}");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_get_reads_every_field(void **state)
{
    (void)state;
    const canned_step steps[] = {
        {.expect = "GET /v1/integrations/" HOOK_ID " ", .status = 200, .body = FULL_INTEGRATION},
    };
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = client_for(srv);
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_get(&it, c, NULL, HOOK_ID), 0);
    assert_string_equal(it->id, HOOK_ID);
    assert_string_equal(it->integration_type, "Webhook");
    assert_string_equal(it->event, "temp");
    assert_string_equal(it->url, "https://example.com/in");
    assert_string_equal(it->request_type, "PUT");
    assert_string_equal(it->name, "temp for example.com");
    assert_string_equal(it->device_id, "0123456789abcdef01234567");
    assert_string_equal(it->created_at, "2017-03-14T17:57:46.316Z");
    assert_string_equal(it->body, "{{PARTICLE_EVENT_VALUE}}");
    assert_string_equal(it->response_template, "{{t}}");
    assert_string_equal(it->response_topic, "rt");
    assert_string_equal(it->error_response_topic, "et");
    assert_null(it->hook_url);
    assert_string_equal(particle_value_string(particle_value_get(it->headers, "X-Webhook-Secret")),
                        "s3cret");
    assert_string_equal(particle_value_string(particle_value_get(it->query, "a")), "1");
    assert_string_equal(particle_value_string(particle_value_get(it->json, "v")),
                        "{{{PARTICLE_EVENT_VALUE}}}");
    assert_string_equal(particle_value_string(particle_value_get(it->form, "f")), "g");
    assert_string_equal(particle_value_string(particle_value_get(it->auth, "password")), "p");
    assert_int_equal(particle_value_int(it->product, -1), 1234);
    assert_int_equal(it->no_defaults, PARTICLE_YES);
    assert_int_equal(it->reject_unauthorized, PARTICLE_NO);
    assert_int_equal(it->disabled, PARTICLE_NO);
    assert_int_equal(it->mydevices, PARTICLE_YES);
    assert_int_equal(it->error_count, 2);
    assert_int_equal(it->success_count, 40);
    assert_int_equal(particle_value_count(it->logs), 1);
    assert_string_equal(
        particle_value_string(particle_value_get(particle_value_at(it->errors, 0), "error")),
        "ECONNREFUSED");
    assert_int_equal(
        particle_value_int(particle_value_get(particle_value_at(it->counters, 0), "error"), -1), 2);
    assert_string_equal(particle_value_string(particle_value_get(it->raw, "event")), "temp");
    particle_integration_free(it);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_list_shapes(void **state)
{
    (void)state;
    const canned_step steps[] = {
        {.expect = "GET /v1/integrations ",
         .status = 200,
         .body = "[{\"id\":\"1\",\"event\":\"a\",\"integration_type\":\"Webhook\","
                 "\"url\":\"https://x\",\"requestType\":\"POST\",\"deviceid\":\"d1\"},"
                 "{\"id\":\"2\",\"event\":\"b\",\"integration_type\":\"GoogleMaps\"}]"},
        {.expect = "GET /v1/products/42/integrations ",
         .status = 200,
         .body = "{\"integrations\":[{\"id\":\"3\"}]}"},
        {.expect = "GET /v1/webhooks ", .status = 200, .body = "{\"webhooks\":[]}"},
        {.expect = "GET /v1/orgs/acme/integrations ", .status = 200, .body = "{\"x\":[]}"},
        {.expect = "GET /v1/webhooks ", .status = 200, .body = "[1]"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = client_for(srv);
    particle_integrations *list = NULL;
    assert_int_equal(particle_integration_list(&list, c, NULL), 0);
    assert_int_equal(particle_integrations_count(list), 2);
    assert_string_equal(particle_integrations_at(list, 0)->url, "https://x");
    assert_string_equal(particle_integrations_at(list, 0)->device_id, "d1");
    assert_string_equal(particle_integrations_at(list, 1)->integration_type, "GoogleMaps");
    assert_null(particle_integrations_at(list, 1)->url);
    assert_null(particle_integrations_at(list, 2));
    particle_integrations_free(list);

    particle_integration_scope product = {.product = "42"};
    assert_int_equal(particle_integration_list(&list, c, &product), 0);
    assert_string_equal(particle_integrations_at(list, 0)->id, "3");
    particle_integrations_free(list);

    assert_int_equal(particle_webhook_list(&list, c, NULL), 0);
    assert_int_equal(particle_integrations_count(list), 0);
    particle_integrations_free(list);

    particle_integration_scope org = {.org = "acme"};
    assert_int_equal(particle_integration_list(&list, c, &org), PARTICLE_EPROTO);
    assert_null(list);
    assert_int_equal(particle_webhook_list(&list, c, NULL), PARTICLE_EPROTO);
    assert_null(list);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_edit_delete_test_and_webhooks(void **state)
{
    (void)state;
    const canned_step steps[] = {
        {.expect = "PUT /v1/orgs/acme/integrations/" HOOK_ID " ",
         .status = 200,
         .body = "{\"integration\":{\"id\":\"" HOOK_ID "\",\"event\":\"foo\"}}"},
        {.expect = "DELETE /v1/products/my-product/integrations/" HOOK_ID " ", .status = 204},
        {.expect = "POST /v1/integrations/" HOOK_ID "/test ",
         .status = 200,
         .body = "{\"pass\":false,\"data\":null,\"error\":\"connect ECONNREFUSED\"}"},
        {.expect = "POST /v1/products/7/webhooks ", .status = 201, .body = CREATED},
        {.expect = "GET /v1/webhooks/" HOOK_ID " ",
         .status = 200,
         .body = "{\"webhook\":{\"id\":\"" HOOK_ID "\",\"mydevices\":true}}"},
        {.expect = "DELETE /v1/webhooks/" HOOK_ID " ", .status = 204},
    };
    canned_server *srv = canned_server_start(steps, 6);
    particle_client *c = client_for(srv);

    particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
    o.event = "foo";
    particle_integration_scope org = {.org = "acme"};
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_edit(&it, c, &org, HOOK_ID, &o), 0);
    fixture_assert_body(srv, 0, "{\"integration_type\":\"Webhook\",\"event\":\"foo\"}");
    assert_string_equal(it->event, "foo");
    particle_integration_free(it);

    particle_integration_scope product = {.product = "my-product"};
    assert_int_equal(particle_integration_delete(c, &product, HOOK_ID), 0);

    particle_doc *doc = NULL;
    assert_int_equal(particle_integration_test(&doc, c, NULL, HOOK_ID, "21.5", "api"), 0);
    fixture_assert_body(srv, 2, "{\"data\":\"21.5\",\"device_id\":\"api\"}");
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "pass"), -1),
                     0);
    particle_doc_free(doc);

    particle_integration_options w = PARTICLE_INTEGRATION_OPTIONS_INIT;
    w.event = "temp";
    w.url = "https://example.com/in";
    w.integration_type = "ignored on the legacy route";
    w.device_id = "dev";
    assert_int_equal(particle_webhook_create(&it, c, "7", &w), 0);
    fixture_assert_body(srv, 3,
                        "{\"event\":\"temp\",\"url\":\"https://example.com/in\","
                        "\"deviceID\":\"dev\",\"requestType\":\"POST\"}");
    assert_string_equal(it->id, HOOK_ID);
    particle_integration_free(it);

    assert_int_equal(particle_webhook_get(&it, c, NULL, HOOK_ID), 0);
    assert_int_equal(it->mydevices, PARTICLE_YES);
    particle_integration_free(it);
    assert_int_equal(particle_webhook_delete(c, NULL, HOOK_ID), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_error_answers(void **state)
{
    (void)state;
    const canned_step steps[] = {
        {.expect = "GET /v1/integrations/nope ",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Not Found\"}"},
        {.expect = "POST /v1/integrations ",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"url: must be a valid URL\"}"},
        {.expect = "GET /v1/integrations/" HOOK_ID " ", .status = 200, .body = "{not json"},
        /* closed after, so that the POST below goes on a new connection: curl itself
         * resends a request that a reused connection dropped */
        {.expect = "GET /v1/integrations/" HOOK_ID " ",
         .status = 200,
         .body = "[]",
         .close_after = true},
        {.expect = "POST /v1/webhooks ", .raw = "", .close_after = true},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = client_for(srv);
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_get(&it, c, NULL, "nope"), PARTICLE_ENOTFOUND);
    assert_null(it);
    assert_int_equal(particle_error_last()->http_status, 404);

    particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
    o.event = "temp";
    o.url = "not a url";
    assert_int_equal(particle_integration_create(&it, c, NULL, &o), PARTICLE_EHTTP);
    assert_null(it);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_non_null(strstr(particle_error_last()->message, "must be a valid URL"));

    assert_int_equal(particle_integration_get(&it, c, NULL, HOOK_ID), PARTICLE_EPROTO);
    assert_int_equal(particle_integration_get(&it, c, NULL, HOOK_ID), PARTICLE_EPROTO);
    assert_null(it);

    /* a POST is not retried after the connection drops */
    assert_int_equal(particle_webhook_create(&it, c, NULL, &o), PARTICLE_ENET);
    assert_null(it);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = client_for(srv);
    particle_integration *it = NULL;
    particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
    o.event = "temp";
    o.url = "https://example.com";

    particle_integration_scope both = {.product = "p", .org = "o"};
    assert_int_equal(particle_integration_create(&it, c, &both, &o), PARTICLE_EINVAL);
    particle_integration_scope empty = {.product = ""};
    assert_int_equal(particle_integration_delete(c, &empty, HOOK_ID), PARTICLE_EINVAL);
    assert_int_equal(particle_integration_delete(c, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_integration_get(&it, c, NULL, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_integration_get(NULL, c, NULL, HOOK_ID), PARTICLE_EINVAL);
    assert_int_equal(particle_integration_create(&it, NULL, NULL, &o), PARTICLE_EINVAL);
    assert_int_equal(particle_integration_create(&it, c, NULL, NULL), PARTICLE_EINVAL);

    const struct {
        const char *field;
        particle_integration_options opts;
    } bad[] = {
        {"no event", {.version = 1, .url = "https://x"}},
        {"no url", {.version = 1, .event = "e"}},
        {"headers array", {.version = 1, .event = "e", .url = "u", .headers = "[1]"}},
        {"query bad", {.version = 1, .event = "e", .url = "u", .query = "{"}},
        {"form string", {.version = 1, .event = "e", .url = "u", .form = "\"x\""}},
        {"json bad", {.version = 1, .event = "e", .url = "u", .json = "{\"a\":}"}},
        {"extra array", {.version = 1, .event = "e", .url = "u", .extra = "[]"}},
        {"password only", {.version = 1, .event = "e", .url = "u", .auth_password = "p"}},
        {"future version", {.version = 99, .event = "e", .url = "u"}},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = particle_integration_create(&it, c, NULL, &bad[i].opts);
        if (rc != PARTICLE_EINVAL) {
            fail_msg("%s: %d", bad[i].field, rc);
        }
        assert_null(it);
    }
    /* the message names the template */
    particle_integration_options h = o;
    h.headers = "[1]";
    assert_int_equal(particle_webhook_create(&it, c, NULL, &h), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "headers"));

    assert_int_equal(canned_server_request_count(srv), 0);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_null_safe_frees(void **state)
{
    (void)state;
    particle_integration_free(NULL);
    particle_integrations_free(NULL);
    assert_int_equal(particle_integrations_count(NULL), 0);
    assert_null(particle_integrations_at(NULL, 0));
    assert_int_equal(particle_integration_options_init(NULL, 1), PARTICLE_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_sends_every_field),
        cmocka_unit_test(test_get_reads_every_field),
        cmocka_unit_test(test_list_shapes),
        cmocka_unit_test(test_edit_delete_test_and_webhooks),
        cmocka_unit_test(test_error_answers),
        cmocka_unit_test(test_bad_arguments_send_nothing),
        cmocka_unit_test(test_null_safe_frees),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
