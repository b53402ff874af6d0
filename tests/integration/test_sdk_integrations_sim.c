/*
 * libparticle's integration and legacy webhook calls (integrations.h) against particle-sim
 * in-process on 127.0.0.1 port 0 (docs/SIM.md "Webhooks"): create, list, get, edit, delete and
 * test at user, product and organization scope, the legacy /v1/webhooks routes, the fields
 * the SDK reads from the simulator's answers (counters, logs, the {"integration": ...} GET
 * shape), refusals, and a real delivery of a published event to a loopback receiver run by
 * the test, seen through particle_integration_get's counters and logs. Every test gets a
 * fresh simulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "canned_server.h"
#include "particle/particle.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define PRODUCT "asset-tracker"
#define PRODUCT_ID 10001
#define ORG "acme"
#define WAIT_MS 5000

typedef struct sim_fixture {
    sim_server *sim;
    char url[64];
    particle_client *c; /* the demo user's token */
} sim_fixture;

static int setup(void **state)
{
    sim_fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    so.threads = 4;
    char err[256] = "";
    if (sim_server_new(&f->sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(f->sim, err, sizeof(err)) < 0) {
        sim_server_free(f->sim);
        free(f);
        fail_msg("particle-sim: %s", err);
    }
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)sim_server_port(f->sim));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->url;
    o.access_token = DEMO_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = WAIT_MS;
    assert_int_equal(particle_client_new(&f->c, &o), 0);
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

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A webhook to @p url on @p event with a few of every kind of setting. */
static particle_integration_options hook_options(const char *event, const char *url)
{
    particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
    o.event = event;
    o.url = url;
    o.name = "e2e hook";
    o.headers = "{\"X-Secret\":\"s3cret\"}";
    /* double braces HTML-escape (Mustache, docs/SIM.md), triple braces do not */
    o.json = "{\"name\":\"{{{PARTICLE_EVENT_NAME}}}\",\"escaped\":\"{{PARTICLE_EVENT_NAME}}\","
             "\"value\":\"{{PARTICLE_EVENT_VALUE}}\"}";
    o.response_topic = "hook-answer";
    o.auth_username = "user";
    o.auth_password = "pass";
    o.no_defaults = PARTICLE_YES;
    return o;
}

/* The settings and the fields the simulator adds, as the SDK reads them. */
static void assert_hook_fields(const particle_integration *it, const char *event, const char *url)
{
    assert_non_null(it->id);
    assert_int_equal(strlen(it->id), 24); /* docs/COMPATIBILITY.md: 24 hex characters */
    assert_string_equal(it->event, event);
    assert_string_equal(it->url, url);
    assert_string_equal(it->request_type, "POST");
    assert_string_equal(it->name, "e2e hook");
    assert_string_equal(it->integration_type, "Webhook");
    assert_non_null(it->created_at);
    assert_string_equal(it->response_topic, "hook-answer");
    assert_string_equal(STR(it->headers, "X-Secret"), "s3cret");
    assert_string_equal(STR(it->json, "name"), "{{{PARTICLE_EVENT_NAME}}}");
    assert_string_equal(STR(it->auth, "username"), "user");
    assert_string_equal(STR(it->auth, "password"), "********"); /* masked by the simulator */
    assert_int_equal(it->no_defaults, PARTICLE_YES);
    assert_int_equal(it->disabled, PARTICLE_NO);
    assert_non_null(it->counters); /* an object: sent, succeeded, failed, ... */
    assert_int_equal(INT(it->counters, "sent"), 0);
    assert_int_equal(it->error_count, 0);
    assert_int_equal(it->success_count, 0);
    assert_non_null(it->raw);
}

/* Create, list, get, edit, test and delete in @p scope; refusals for an unknown id. */
static void exercise_scope(sim_fixture *f, const particle_integration_scope *scope)
{
    const char *url = "http://127.0.0.1:9/never-called";
    particle_integration_options o = hook_options("scoped", url);
    particle_integration *it = NULL;
    assert_ok(particle_integration_create(&it, f->c, scope, &o));
    assert_hook_fields(it, "scoped", url);
    assert_non_null(it->hook_url);
    assert_null(it->logs); /* create answers carry no logs */
    char id[32];
    snprintf(id, sizeof id, "%s", it->id);
    particle_integration_free(it);

    particle_integrations *list = NULL;
    assert_ok(particle_integration_list(&list, f->c, scope));
    assert_int_equal(particle_integrations_count(list), 1);
    assert_string_equal(particle_integrations_at(list, 0)->id, id);
    assert_null(particle_integrations_at(list, 0)->logs);
    particle_integrations_free(list);

    assert_ok(particle_integration_get(&it, f->c, scope, id));
    assert_hook_fields(it, "scoped", url);
    assert_non_null(it->logs);
    assert_int_equal(particle_value_count(it->logs), 0);
    if (scope != NULL && scope->product != NULL) {
        assert_int_equal(particle_value_int(it->product, -1), PRODUCT_ID);
    }
    particle_integration_free(it);

    /* An edit replaces the settings: the headers and the json template are gone. */
    particle_integration_options e = PARTICLE_INTEGRATION_OPTIONS_INIT;
    e.event = "renamed";
    e.name = "e2e hook";
    e.request_type = "PUT";
    assert_ok(particle_integration_edit(&it, f->c, scope, id, &e));
    assert_string_equal(it->event, "renamed");
    assert_string_equal(it->url, url); /* kept when left out (docs/COMPATIBILITY.md) */
    assert_string_equal(it->request_type, "PUT");
    assert_null(it->headers);
    assert_null(it->json);
    particle_integration_free(it);

    particle_doc *doc = NULL;
    assert_ok(particle_integration_test(&doc, f->c, scope, id, "sample", "dev1"));
    assert_int_equal(particle_value_bool(GET(particle_doc_root(doc), "pass"), 0), 1);
    particle_doc_free(doc);

    assert_ok(particle_integration_delete(f->c, scope, id));
    assert_int_equal(particle_integration_get(&it, f->c, scope, id), PARTICLE_ENOTFOUND);
    assert_null(it);
    assert_int_equal(particle_integration_delete(f->c, scope, id), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_integration_edit(NULL, f->c, scope, id, &e), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_integration_test(NULL, f->c, scope, id, NULL, NULL),
                     PARTICLE_ENOTFOUND);
    assert_ok(particle_integration_list(&list, f->c, scope));
    assert_int_equal(particle_integrations_count(list), 0);
    particle_integrations_free(list);
}

static void test_user_scope(void **state)
{
    exercise_scope(*state, NULL);
}

static void test_product_scope(void **state)
{
    particle_integration_scope scope = {.product = PRODUCT};
    exercise_scope(*state, &scope);
}

static void test_org_scope(void **state)
{
    particle_integration_scope scope = {.org = ORG};
    exercise_scope(*state, &scope);
}

/* Each scope lists only its own integrations; product and org together is refused. */
static void test_scopes_are_apart(void **state)
{
    sim_fixture *f = *state;
    particle_integration_scope product = {.product = PRODUCT}, org = {.org = ORG};
    particle_integration_options o = hook_options("apart", "http://127.0.0.1:9/x");
    particle_integration *in_product = NULL;
    assert_ok(particle_integration_create(&in_product, f->c, &product, &o));
    particle_integrations *list = NULL;
    assert_ok(particle_integration_list(&list, f->c, NULL));
    assert_int_equal(particle_integrations_count(list), 0);
    particle_integrations_free(list);
    assert_ok(particle_integration_list(&list, f->c, &org));
    assert_int_equal(particle_integrations_count(list), 0);
    particle_integrations_free(list);
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_get(&it, f->c, NULL, in_product->id), PARTICLE_ENOTFOUND);
    particle_integration_scope both = {.product = PRODUCT, .org = ORG};
    assert_int_equal(particle_integration_list(&list, f->c, &both), PARTICLE_EINVAL);
    assert_ok(particle_integration_delete(f->c, &product, in_product->id));
    particle_integration_free(in_product);
}

/* The legacy routes: create, list, get and delete, user and product; the same list as
 * the integration routes. */
static void test_legacy_webhooks(void **state)
{
    sim_fixture *f = *state;
    const char *products[] = {NULL, PRODUCT};
    for (size_t p = 0; p < 2; p++) {
        particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
        o.event = "legacy";
        o.url = "http://127.0.0.1:9/legacy";
        o.device_id = "demo-argon-1";
        particle_integration *it = NULL;
        assert_ok(particle_webhook_create(&it, f->c, products[p], &o));
        assert_string_equal(it->event, "legacy");
        assert_string_equal(it->request_type, "POST"); /* the SDK's default */
        assert_string_equal(it->device_id, "demo-argon-1");
        assert_non_null(it->hook_url);
        assert_non_null(strstr(it->hook_url, it->id));
        char id[32];
        snprintf(id, sizeof id, "%s", it->id);
        particle_integration_free(it);

        particle_integrations *list = NULL;
        assert_ok(particle_webhook_list(&list, f->c, products[p]));
        assert_int_equal(particle_integrations_count(list), 1);
        assert_string_equal(particle_integrations_at(list, 0)->id, id);
        particle_integrations_free(list);
        particle_integration_scope scope = {.product = products[p]};
        assert_ok(particle_integration_list(&list, f->c, &scope));
        assert_int_equal(particle_integrations_count(list), 1);
        particle_integrations_free(list);

        assert_ok(particle_webhook_get(&it, f->c, products[p], id)); /* {"integration": ...} */
        assert_string_equal(it->id, id);
        assert_string_equal(it->url, "http://127.0.0.1:9/legacy");
        assert_non_null(it->logs);
        assert_non_null(it->counters);
        particle_integration_free(it);

        assert_ok(particle_webhook_delete(f->c, products[p], id));
        assert_int_equal(particle_webhook_get(&it, f->c, products[p], id), PARTICLE_ENOTFOUND);
        assert_int_equal(particle_webhook_delete(f->c, products[p], id), PARTICLE_ENOTFOUND);
    }
}

/* Bad input the simulator refuses with 400, and what the SDK refuses before sending. */
static void test_refusals(void **state)
{
    sim_fixture *f = *state;
    particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
    o.event = "bad";
    o.url = "ftp://127.0.0.1/x";
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_create(&it, f->c, NULL, &o), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    o.url = "not a url";
    assert_int_equal(particle_webhook_create(&it, f->c, NULL, &o), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    o.url = "http://127.0.0.1:9/x";
    o.body = "{{#section}}x{{/section}}"; /* sections are refused (docs/COMPATIBILITY.md) */
    assert_int_equal(particle_integration_create(&it, f->c, NULL, &o), PARTICLE_EHTTP);
    o.body = NULL;
    o.json = "{not json";
    assert_int_equal(particle_integration_create(&it, f->c, NULL, &o), PARTICLE_EINVAL);
    assert_null(it);
    particle_integration_scope unknown = {.product = "no-such-product"};
    particle_integrations *list = NULL;
    assert_int_equal(particle_integration_list(&list, f->c, &unknown), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_webhook_get(&it, f->c, NULL, "000000000000000000000000"),
                     PARTICLE_ENOTFOUND);
}

/* Waits until the integration's counters show @p want successful deliveries. */
static particle_integration *wait_succeeded(sim_fixture *f, const char *id, long long want)
{
    for (int i = 0; i < WAIT_MS / 20; i++) {
        particle_integration *it = NULL;
        assert_ok(particle_integration_get(&it, f->c, NULL, id));
        if (INT(it->counters, "succeeded") >= want) {
            return it;
        }
        particle_integration_free(it);
        sleep_ms(20);
    }
    fail_msg("the integration did not reach %lld successful deliveries", want);
    return NULL;
}

/* A published event is rendered and delivered to a loopback receiver; the SDK's get sees
 * the delivery in counters and logs; the test route's sample is counted too. */
static void test_delivery_seen_through_get(void **state)
{
    sim_fixture *f = *state;
    canned_step steps[] = {
        {.expect = "POST /hook ", .status = 200, .body = "{\"stored\":1}"},
        {.expect = "POST /hook ", .status = 200, .body = "{\"stored\":2}"},
    };
    canned_server *receiver = canned_server_start(steps, 2);
    assert_non_null(receiver);
    char base[96], url[128];
    canned_server_url(receiver, base, sizeof base);
    snprintf(url, sizeof url, "%s/hook", base);
    particle_integration_options o = hook_options("e2e-delivery", url);
    particle_integration *created = NULL;
    assert_ok(particle_integration_create(&created, f->c, NULL, &o));

    particle_publish_options p = PARTICLE_PUBLISH_OPTIONS_INIT;
    p.name = "e2e-delivery/temp";
    p.data = "21.5";
    assert_ok(particle_event_publish(f->c, &p));
    particle_integration *it = wait_succeeded(f, created->id, 1);
    assert_int_equal(INT(it->counters, "sent"), 1);
    assert_int_equal(INT(it->counters, "failed"), 0);
    assert_int_equal(it->success_count, 1);
    assert_int_equal(it->error_count, 0);
    assert_int_equal(particle_value_count(it->errors), 0);
    assert_int_equal(particle_value_count(it->logs), 1);
    const particle_value *log = particle_value_at(it->logs, 0);
    assert_string_equal(STR(log, "event"), "e2e-delivery/temp");
    assert_int_equal(INT(log, "status"), 200);
    assert_int_equal(particle_value_bool(GET(log, "ok"), 0), 1);
    assert_string_equal(STR(log, "response"), "{\"stored\":1}");
    particle_integration_free(it);

    char request[4096];
    assert_true(canned_server_request(receiver, 0, request, sizeof request));
    assert_non_null(strstr(request, "X-Secret: s3cret"));
    assert_non_null(strstr(request, "Authorization: Basic ")); /* auth user:pass */
    assert_true(canned_server_request_body(receiver, 0, request, sizeof request));
    assert_string_equal(request, "{\"name\":\"e2e-delivery/temp\","
                                 "\"escaped\":\"e2e-delivery&#x2F;temp\",\"value\":\"21.5\"}");

    assert_ok(particle_integration_test(NULL, f->c, NULL, created->id, "sample", NULL));
    it = wait_succeeded(f, created->id, 2);
    assert_int_equal(particle_value_count(it->logs), 2);
    assert_string_equal(STR(particle_value_at(it->logs, 0), "response"), "{\"stored\":2}");
    particle_integration_free(it);
    char why[256] = "";
    assert_true(canned_server_ok(receiver, why, sizeof why));
    canned_server_stop(receiver);
    assert_ok(particle_integration_delete(f->c, NULL, created->id));
    particle_integration_free(created);
}

/* A receiver answering 404 (not retried): the failure shows in errorCount and errors. */
static void test_failure_seen_through_get(void **state)
{
    sim_fixture *f = *state;
    canned_step steps[] = {
        {.expect = "POST /gone ", .status = 404, .body = "{\"error\":\"gone\"}"}};
    canned_server *receiver = canned_server_start(steps, 1);
    assert_non_null(receiver);
    char base[96], url[128];
    canned_server_url(receiver, base, sizeof base);
    snprintf(url, sizeof url, "%s/gone", base);
    particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
    o.event = "e2e-fail";
    o.url = url;
    particle_integration *created = NULL;
    assert_ok(particle_integration_create(&created, f->c, NULL, &o));
    particle_publish_options p = PARTICLE_PUBLISH_OPTIONS_INIT;
    p.name = "e2e-fail";
    assert_ok(particle_event_publish(f->c, &p));
    particle_integration *it = NULL;
    for (int i = 0; i < WAIT_MS / 20; i++) {
        assert_ok(particle_integration_get(&it, f->c, NULL, created->id));
        if (it->error_count >= 1) {
            break;
        }
        particle_integration_free(it);
        it = NULL;
        sleep_ms(20);
    }
    assert_non_null(it);
    assert_int_equal(it->error_count, 1);
    assert_int_equal(it->success_count, 0);
    assert_int_equal(INT(it->counters, "failed"), 1);
    assert_int_equal(particle_value_count(it->errors), 1);
    const particle_value *e = particle_value_at(it->errors, 0);
    assert_int_equal(INT(e, "status"), 404);
    assert_int_equal(particle_value_bool(GET(e, "ok"), 1), 0);
    assert_int_equal(particle_value_count(it->logs), 1);
    particle_integration_free(it);
    canned_server_stop(receiver);
    particle_integration_free(created);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scopes_are_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_webhooks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delivery_seen_through_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_seen_through_get, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
