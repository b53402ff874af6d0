/*
 * The bridge's webhook integration ([webhook] manage; webhook_sync.h) against a loopback
 * canned server playing the cloud's integration routes, with a real SQLite store: created
 * when missing (and its id stored), nothing sent but a read when in sync, edited when it
 * drifted (URL, secret, disabled), adopted by URL when the stored id is gone, deleted on
 * removal, the product scope's routes, and the secret never in the logs.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bridge_test.h"
#include "canned_server.h"
#include "pu_log.h"
#include "webhook_sync.h"

#define SECRET "s3cret-shared-with-the-cloud-0123"
#define TARGET "https://bridge.example.com/api/v1/webhook"
#define SETTING "webhook_integration:user"

/* One integration as the cloud's GET returns it; URL and secret vary. */
#define HOOK(id, url, secret, extra)                                                               \
    "{\"integration\":{\"id\":\"" id "\",\"integration_type\":\"Webhook\",\"event\":\"env/\","     \
    "\"url\":\"" url "\",\"requestType\":\"POST\",\"name\":\"particle-bridge\","                   \
    "\"headers\":{\"X-Webhook-Secret\":\"" secret "\"}" extra "}}"

/* The body the bridge sends on create and edit. */
#define WANTED_BODY                                                                                \
    "{\"integration_type\":\"Webhook\",\"event\":\"env/\",\"url\":\"" TARGET "\","                 \
    "\"requestType\":\"POST\",\"name\":\"particle-bridge\","                                       \
    "\"headers\":{\"X-Webhook-Secret\":\"" SECRET "\"},\"disabled\":false}"

typedef struct fixture {
    char dir[512], db[600], log[600], url[64];
    canned_server *srv;
    particle_client *client;
    bridge_store *store;
    bridge_writer *writer; /* NULL: the one-shot command's direct writes */
    bridge_config cfg;
    int saved_stderr;
} fixture;

static fixture fx;

static void fixture_open(const canned_step *steps, size_t n, bool with_writer)
{
    char err[256] = "";
    memset(&fx, 0, sizeof fx);
    assert_int_equal(bt_tempdir(fx.dir, sizeof fx.dir), 0);
    bt_path(fx.db, sizeof fx.db, fx.dir, "bridge.db");
    bt_path(fx.log, sizeof fx.log, fx.dir, "log.txt");
    fx.store = bridge_store_open(fx.db, err, sizeof err);
    assert_non_null(fx.store);
    if (with_writer) {
        bridge_writer_options wo = {.db_path = fx.db};
        fx.writer = bridge_writer_new(&wo, err, sizeof err);
        assert_non_null(fx.writer);
    }
    fx.srv = canned_server_start(steps, n);
    assert_non_null(fx.srv);
    canned_server_url(fx.srv, fx.url, sizeof fx.url);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = fx.url;
    o.access_token = "0123456789abcdef0123456789abcdef01234567";
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES;
    o.request_timeout_ms = 5000;
    assert_int_equal(particle_client_new(&fx.client, &o), 0);
    bridge_config_defaults(&fx.cfg);
    fx.cfg.webhook_manage = true;
    snprintf(fx.cfg.webhook_public_url, sizeof fx.cfg.webhook_public_url,
             "https://bridge.example.com/");
    snprintf(fx.cfg.webhook_events, sizeof fx.cfg.webhook_events, "env/");
    snprintf(fx.cfg.webhook_secret, sizeof fx.cfg.webhook_secret, "%s", SECRET);
    /* every log line of the calls goes to a file, read back by assert_secret_not_logged */
    pu_log_options lo = {"test", PU_LOG_DEBUG, PU_LOG_FORMAT_TEXT, PU_LOG_OUTPUT_STDERR};
    pu_log_configure(&lo);
    fflush(stderr);
    fx.saved_stderr = dup(STDERR_FILENO);
    int fd = open(fx.log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
}

/* Restores stderr and returns what was logged (static buffer; read once, then kept). */
static const char *logged(void)
{
    static char text[64 * 1024];
    if (fx.saved_stderr < 0) {
        return text;
    }
    fflush(stderr);
    dup2(fx.saved_stderr, STDERR_FILENO);
    close(fx.saved_stderr);
    fx.saved_stderr = -1;
    FILE *f = fopen(fx.log, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

static void fixture_close(void)
{
    const char *log = logged();
    if (strstr(log, SECRET) != NULL) {
        fail_msg("the secret was logged:\n%s", log);
    }
    char why[512];
    if (!canned_server_ok(fx.srv, why, sizeof why)) {
        fail_msg("canned server: %s", why);
    }
    particle_client_free(fx.client);
    bridge_writer_free(fx.writer);
    bridge_store_close(fx.store);
    canned_server_stop(fx.srv);
    bridge_config_dispose(&fx.cfg);
    bt_rmdir(fx.dir);
}

static bridge_webhook_action sync_ok(void)
{
    char err[512] = "";
    bridge_webhook_action action;
    if (bridge_webhook_sync(fx.client, fx.store, fx.writer, &fx.cfg, &action, err, sizeof err) !=
        0) {
        fail_msg("webhook sync: %s", err);
    }
    if (fx.writer != NULL) {
        assert_int_equal(bridge_writer_flush(fx.writer, 5000), 0);
    }
    return action;
}

static void assert_stored_id(const char *want)
{
    char id[128];
    int rc = bridge_store_setting_get(fx.store, SETTING, id, sizeof id);
    if (want == NULL) {
        assert_int_equal(rc, BRIDGE_STORE_NOTFOUND);
    } else {
        assert_int_equal(rc, 0);
        assert_string_equal(id, want);
    }
}

static void assert_body(size_t i, const char *expected)
{
    static char body[16 * 1024];
    assert_true(canned_server_request_body(fx.srv, i, body, sizeof body));
    if (strcmp(body, expected) != 0) {
        fail_msg("request %zu body:\n%s\nwant:\n%s", i, body, expected);
    }
}

static void test_create_then_in_sync_then_drift(void **state)
{
    (void)state;
    const canned_step steps[] = {
        /* no stored id: nothing in the cloud posts to the bridge either, so create */
        {.expect = "GET /v1/integrations ",
         .status = 200,
         .body = "[{\"id\":\"other\",\"event\":\"x\",\"url\":\"https://elsewhere/\"}]"},
        {.expect = "POST /v1/integrations ",
         .status = 201,
         .body = "{\"ok\":true,\"id\":\"h1\",\"event\":\"env/\",\"url\":\"" TARGET "\"}"},
        /* stored id, as configured: one read, nothing else */
        {.expect = "GET /v1/integrations/h1 ",
         .status = 200,
         .body = HOOK("h1", TARGET, SECRET, "")},
        /* the URL drifted: edited back with the whole configuration */
        {.expect = "GET /v1/integrations/h1 ",
         .status = 200,
         .body = HOOK("h1", "https://old.example.com/api/v1/webhook", SECRET, "")},
        {.expect = "PUT /v1/integrations/h1 ",
         .status = 200,
         .body = HOOK("h1", TARGET, SECRET, "")},
        /* the secret drifted */
        {.expect = "GET /v1/integrations/h1 ",
         .status = 200,
         .body = HOOK("h1", TARGET, "an-old-secret-value", "")},
        {.expect = "PUT /v1/integrations/h1 ",
         .status = 200,
         .body = HOOK("h1", TARGET, SECRET, "")},
        /* the cloud disabled it after errors */
        {.expect = "GET /v1/integrations/h1 ",
         .status = 200,
         .body = HOOK("h1", TARGET, SECRET, ",\"disabled\":true,\"errorCount\":30")},
        {.expect = "PUT /v1/integrations/h1 ",
         .status = 200,
         .body = HOOK("h1", TARGET, SECRET, "")},
    };
    fixture_open(steps, sizeof steps / sizeof steps[0], true);
    assert_int_equal(sync_ok(), BRIDGE_WEBHOOK_CREATED);
    assert_body(1, WANTED_BODY);
    assert_stored_id("h1");
    assert_int_equal(sync_ok(), BRIDGE_WEBHOOK_IN_SYNC);
    assert_int_equal(canned_server_request_count(fx.srv), 3);
    assert_int_equal(sync_ok(), BRIDGE_WEBHOOK_EDITED);
    assert_body(4, WANTED_BODY);
    assert_int_equal(sync_ok(), BRIDGE_WEBHOOK_EDITED);
    assert_body(6, WANTED_BODY);
    assert_int_equal(sync_ok(), BRIDGE_WEBHOOK_EDITED);
    assert_body(8, WANTED_BODY);
    assert_stored_id("h1");
    const char *log = logged();
    assert_non_null(strstr(log, "integration h1 created"));
    fixture_close();
}

static void test_gone_id_adopts_by_url_and_remove(void **state)
{
    (void)state;
    const canned_step steps[] = {
        /* the stored id is gone; one posting to the bridge's URL is adopted, not duplicated */
        {.expect = "GET /v1/integrations/h1 ",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Not Found\"}"},
        {.expect = "GET /v1/integrations ",
         .status = 200,
         .body = "[{\"id\":\"h9\",\"event\":\"env/\",\"url\":\"" TARGET "\"}]"},
        {.expect = "GET /v1/integrations/h9 ",
         .status = 200,
         .body = HOOK("h9", TARGET, SECRET, "")},
        /* removal: the stored one is deleted and forgotten */
        {.expect = "GET /v1/integrations/h9 ",
         .status = 200,
         .body = HOOK("h9", TARGET, SECRET, "")},
        {.expect = "DELETE /v1/integrations/h9 ", .status = 204},
        /* again: nothing stored, nothing posting to the bridge */
        {.expect = "GET /v1/integrations ", .status = 200, .body = "[]"},
    };
    fixture_open(steps, sizeof steps / sizeof steps[0], false);
    assert_int_equal(bridge_store_setting_put(fx.store, SETTING, "h1", 1), 0);
    assert_int_equal(sync_ok(), BRIDGE_WEBHOOK_IN_SYNC);
    assert_stored_id("h9");

    char err[512] = "";
    bridge_webhook_action action;
    assert_int_equal(
        bridge_webhook_remove(fx.client, fx.store, NULL, &fx.cfg, &action, err, sizeof err), 0);
    assert_int_equal(action, BRIDGE_WEBHOOK_REMOVED);
    assert_stored_id(NULL);
    assert_int_equal(
        bridge_webhook_remove(fx.client, fx.store, NULL, &fx.cfg, &action, err, sizeof err), 0);
    assert_int_equal(action, BRIDGE_WEBHOOK_ABSENT);
    fixture_close();
}

static void test_product_scope_and_failures(void **state)
{
    (void)state;
    const canned_step steps[] = {
        {.expect = "GET /v1/products/my-product/integrations ", .status = 200, .body = "[]"},
        {.expect = "POST /v1/products/my-product/integrations ",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"url: not reachable\"}"},
        {.expect = "GET /v1/products/my-product/integrations ", .status = 200, .body = "[]"},
        {.expect = "POST /v1/products/my-product/integrations ",
         .status = 201,
         .body = "{\"ok\":true,\"id\":\"p1\"}"},
    };
    fixture_open(steps, sizeof steps / sizeof steps[0], false);
    snprintf(fx.cfg.webhook_product, sizeof fx.cfg.webhook_product, "my-product");
    char err[512] = "";
    bridge_webhook_action action;
    assert_int_equal(
        bridge_webhook_sync(fx.client, fx.store, NULL, &fx.cfg, &action, err, sizeof err), -1);
    assert_non_null(strstr(err, "url: not reachable"));
    assert_null(strstr(err, SECRET));
    char id[64];
    assert_int_equal(
        bridge_store_setting_get(fx.store, "webhook_integration:my-product", id, sizeof id),
        BRIDGE_STORE_NOTFOUND);
    assert_int_equal(sync_ok(), BRIDGE_WEBHOOK_CREATED);
    assert_int_equal(
        bridge_store_setting_get(fx.store, "webhook_integration:my-product", id, sizeof id), 0);
    assert_string_equal(id, "p1");
    fixture_close();
}

static void test_config_section(void **state)
{
    (void)state;
    bridge_config cfg;
    bridge_config_defaults(&cfg);
    snprintf(cfg.access_token, sizeof cfg.access_token, "0123456789abcdef0123456789abcdef01234567");
    snprintf(cfg.api_key, sizeof cfg.api_key, "an-api-key-of-16-chars");
    char err[512] = "";
    assert_int_equal(bridge_config_validate(&cfg, err, sizeof err), 0);
    cfg.webhook_manage = true;
    assert_int_equal(bridge_config_validate(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "public_url"));
    snprintf(cfg.webhook_public_url, sizeof cfg.webhook_public_url, "https://b.example.com");
    assert_int_equal(bridge_config_validate(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "events"));
    snprintf(cfg.webhook_events, sizeof cfg.webhook_events, "env/");
    assert_int_equal(bridge_config_validate(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "PARTICLE_BRIDGE_WEBHOOK_SECRET"));
    snprintf(cfg.webhook_secret, sizeof cfg.webhook_secret, "%s", SECRET);
    assert_int_equal(bridge_config_validate(&cfg, err, sizeof err), 0);

    const char *expect = NULL;
    assert_int_equal(bridge_config_webhook_entry(&cfg, "manage", "maybe", &expect), 0);
    assert_string_equal(expect, "true or false");
    assert_int_equal(bridge_config_webhook_entry(&cfg, "product", "p", &expect), 1);
    assert_string_equal(cfg.webhook_product, "p");
    assert_int_equal(bridge_config_webhook_entry(&cfg, "colour", "x", &expect), -1);
    bridge_config_dispose(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_then_in_sync_then_drift),
        cmocka_unit_test(test_gone_id_adopts_by_url_and_remove),
        cmocka_unit_test(test_product_scope_and_failures),
        cmocka_unit_test(test_config_section),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
