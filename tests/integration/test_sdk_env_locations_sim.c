/*
 * libparticle's environment-variable calls (env.h) and tracker locations (locations.h)
 * against particle-sim in-process on 127.0.0.1 port 0 with the default fleet (docs/SIM.md):
 * set at organization, product and device scope, the rendered set with its precedence, a
 * rollout review, a rollout that an online device sees at once, the sandbox's own scope;
 * the product's locations with filters and paging, one device's; errors mapped to codes.
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

static sim_server *SIM;
static particle_client *C;
static char DEVICE[32];

static int setup(void **state)
{
    (void)state;
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    so.threads = 2;
    char err[256] = "";
    if (sim_server_new(&SIM, &so, err, sizeof(err)) < 0 ||
        sim_server_start(SIM, err, sizeof(err)) < 0) {
        sim_server_free(SIM);
        fail_msg("particle-sim: %s", err);
    }
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", (unsigned)sim_server_port(SIM));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = DEMO_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = 5000;
    assert_int_equal(particle_client_new(&C, &o), 0);
    /* an online device of the organization's asset-tracker product */
    sim_model *m = sim_server_model(SIM);
    sim_model_lock(m);
    uint32_t product = sim_model_find_product(m, "asset-tracker");
    for (uint32_t i = 0; i < m->device_count && DEVICE[0] == '\0'; i++)
        if (m->devices[i].product == product && m->devices[i].online)
            snprintf(DEVICE, sizeof(DEVICE), "%s", m->devices[i].id);
    sim_model_unlock(m);
    assert_true(DEVICE[0] != '\0');
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    particle_client_free(C);
    sim_server_free(SIM);
    return 0;
}

/* The string at @p a.@p b[.@p c] of @p doc's root, or NULL. */
static const char *str_at(const particle_doc *doc, const char *a, const char *b, const char *c)
{
    const particle_value *v = particle_value_get(particle_value_get(particle_doc_root(doc), a), b);
    if (c != NULL)
        v = particle_value_get(v, c);
    return particle_value_string(v);
}

static void test_scopes_render_and_rollout(void **state)
{
    (void)state;
    const particle_env_scope org = {PARTICLE_ENV_ORG, "acme"};
    const particle_env_scope product = {PARTICLE_ENV_PRODUCT, "asset-tracker"};
    const particle_env_scope device = {PARTICLE_ENV_DEVICE, DEVICE};
    const particle_env_op org_ops[] = {{0, "REGION", "eu"}, {0, "MODE", "slow"}};
    particle_doc *doc = NULL;

    assert_int_equal(particle_env_update(&doc, C, &org, org_ops, 2), 0);
    assert_int_equal(particle_value_count(particle_value_get(
                         particle_value_get(particle_doc_root(doc), "latest"), "own")),
                     2);
    particle_doc_free(doc);
    assert_int_equal(particle_env_set(NULL, C, &product, "MODE", "fast"), 0);
    assert_int_equal(particle_env_set(NULL, C, &device, "NAME", "unit-7"), 0);

    assert_int_equal(particle_env_list(&doc, C, &device), 0);
    const particle_value *mode = particle_value_get(
        particle_value_get(particle_value_get(particle_doc_root(doc), "latest"), "inherited"),
        "MODE");
    assert_string_equal(particle_value_string(particle_value_get(mode, "value")), "fast");
    assert_string_equal(particle_value_string(particle_value_get(mode, "from")), "Product");
    particle_doc_free(doc);

    assert_int_equal(particle_env_render(&doc, C, &device), 0);
    assert_string_equal(str_at(doc, "env", "REGION", NULL), "eu");
    assert_string_equal(str_at(doc, "env", "MODE", NULL), "fast");
    assert_string_equal(str_at(doc, "env", "NAME", NULL), "unit-7");
    particle_doc_free(doc);

    assert_int_equal(particle_env_rollout_review(&doc, C, &device), 0);
    const particle_value *changes =
        particle_value_get(particle_value_get(particle_doc_root(doc), "from_snapshot"), "changes");
    assert_int_equal(particle_value_count(changes), 3);
    particle_doc_free(doc);

    assert_int_equal(particle_env_rollout_start(NULL, C, &org, PARTICLE_ENV_ROLLOUT_IMMEDIATE), 0);
    assert_int_equal(particle_env_rollout_start(NULL, C, &product, PARTICLE_ENV_ROLLOUT_IMMEDIATE),
                     0);
    assert_int_equal(particle_env_rollout_start(&doc, C, &device, PARTICLE_ENV_ROLLOUT_IMMEDIATE),
                     0);
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "success"), 0),
                     1);
    particle_doc_free(doc);
    assert_int_equal(particle_env_list(&doc, C, &device), 0);
    assert_string_equal(str_at(doc, "on_device", "rendered", "MODE"), "fast");
    assert_string_equal(str_at(doc, "on_device", "rendered", "NAME"), "unit-7");
    particle_doc_free(doc);

    assert_int_equal(particle_env_delete(NULL, C, &device, "NAME"), 0);
    assert_int_equal(particle_env_delete(NULL, C, &device, "NAME"), PARTICLE_ENOTFOUND);
}

static void test_sandbox_and_errors(void **state)
{
    (void)state;
    const particle_env_scope sandbox = {PARTICLE_ENV_SANDBOX, NULL};
    particle_doc *doc = NULL;
    assert_int_equal(particle_env_set(NULL, C, &sandbox, "TOKEN_HINT", "none"), 0);
    assert_int_equal(particle_env_render(&doc, C, &sandbox), 0);
    assert_string_equal(str_at(doc, "env", "TOKEN_HINT", NULL), "none");
    particle_doc_free(doc);
    assert_int_equal(particle_env_set(NULL, C, &sandbox, "9BAD", "x"), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);

    const particle_env_scope no_product = {PARTICLE_ENV_PRODUCT, "no-such-product"};
    assert_int_equal(particle_env_list(&doc, C, &no_product), PARTICLE_ENOTFOUND);
    const particle_env_scope no_device = {PARTICLE_ENV_DEVICE, "000000000000000000000000"};
    assert_int_equal(particle_env_list(&doc, C, &no_device), PARTICLE_EFORBIDDEN);
    assert_null(doc);
}

static void test_locations(void **state)
{
    (void)state;
    particle_doc *doc = NULL;
    particle_location_options o = PARTICLE_LOCATION_OPTIONS_INIT;
    o.per_page = 2;
    o.groups = "europe";
    assert_int_equal(particle_location_list(&doc, C, "asset-tracker", &o), 0);
    const particle_value *root = particle_doc_root(doc);
    const particle_value *list = particle_value_get(root, "locations");
    assert_int_equal(particle_value_count(list), 2);
    const particle_value *meta = particle_value_get(root, "meta");
    assert_int_equal(particle_value_int(particle_value_get(meta, "per_page"), 0), 2);
    assert_true(particle_value_int(particle_value_get(meta, "devices_found"), 0) >= 2);
    const particle_value *first = particle_value_at(list, 0);
    const particle_value *point =
        particle_value_get(particle_value_get(first, "geometry"), "coordinates");
    assert_true(particle_value_double(particle_value_at(point, 1), 0) > 52); /* Amsterdam */
    char device[32];
    snprintf(device, sizeof(device), "%s",
             particle_value_string(particle_value_get(first, "device_id")));
    particle_doc_free(doc);

    particle_location_options one = PARTICLE_LOCATION_OPTIONS_INIT;
    assert_int_equal(particle_location_get(&doc, C, "asset-tracker", device, &one), 0);
    const particle_value *loc = particle_value_get(particle_doc_root(doc), "location");
    assert_string_equal(particle_value_string(particle_value_get(loc, "device_id")), device);
    assert_int_equal(particle_value_count(particle_value_get(loc, "properties")), 1);
    particle_doc_free(doc);

    one.date_range = "2000-01-01T00:00:00Z,2000-01-02T00:00:00Z";
    assert_int_equal(particle_location_get(&doc, C, "asset-tracker", device, &one),
                     PARTICLE_ENOTFOUND);
    one.date_range = "yesterday";
    assert_int_equal(particle_location_list(&doc, C, "asset-tracker", &one), PARTICLE_EHTTP);
    assert_int_equal(particle_location_list(&doc, C, "no-such-product", NULL), PARTICLE_ENOTFOUND);
    assert_null(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scopes_render_and_rollout),
        cmocka_unit_test(test_sandbox_and_errors),
        cmocka_unit_test(test_locations),
    };
    if (particle_global_init() != 0)
        return 1;
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    particle_global_cleanup();
    return failed;
}
