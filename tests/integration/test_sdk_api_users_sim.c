/*
 * libparticle's API user calls (api_users.h) against particle-sim in-process on 127.0.0.1
 * port 0: create on a product's and an organization's team, the token limited to its
 * scopes, rescope with token rotation, regenerate, delete, and bad input as the SDK's codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "particle/particle.h"
#include "sdk_sim_fixture.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define OTHER_TOKEN "fedcba9876543210fedcba9876543210fedcba98"
#define OWNER "demo@example.com"

/* A client for the token of answer @p doc at @p key ("created" or "updated"). */
static particle_client *token_client(const sim_fixture *f, const particle_doc *doc, const char *key)
{
    const particle_value *tokens = GET(GET(ROOT(doc), key), "tokens");
    return client_with(f, STR(particle_value_at(tokens, 0), "token"));
}

static void test_product_api_user(void **state)
{
    sim_fixture *f = *state;
    static const char *const list_only[] = {"devices:list"};
    static const char *const list_and_ping[] = {"devices:list", "products:get"};
    particle_doc *doc = NULL;
    assert_ok(
        particle_api_user_create(&doc, f->c, "asset-tracker", NULL, "SDK reader", list_only, 1));
    char username[128];
    snprintf(username, sizeof(username), "%s", STR(GET(ROOT(doc), "created"), "username"));
    particle_client *api = token_client(f, doc, "created");
    particle_doc_free(doc);
    particle_doc *devices = NULL;
    assert_ok(particle_request(&devices, api, "GET", "/v1/products/asset-tracker/devices", NULL,
                               NULL, NULL));
    particle_doc_free(devices);
    assert_int_equal(particle_product_get(&doc, api, "asset-tracker"), PARTICLE_EFORBIDDEN);
    /* listed by the team call */
    assert_ok(particle_team_list(&doc, f->c, "asset-tracker"));
    const particle_value *team = GET(ROOT(doc), "team");
    bool found = false;
    for (size_t i = 0; i < particle_value_count(team); i++)
        found |= strcmp(STR(particle_value_at(team, i), "username"), username) == 0 &&
                 particle_value_bool(GET(particle_value_at(team, i), "is_programmatic"), 0);
    assert_true(found);
    particle_doc_free(doc);
    /* rescope: the old token stops, the new one may get the product */
    assert_ok(particle_api_user_update(&doc, f->c, "asset-tracker", NULL, username, NULL,
                                       list_and_ping, 2));
    particle_client *api2 = token_client(f, doc, "updated");
    particle_doc_free(doc);
    assert_int_equal(particle_product_get(&doc, api, "asset-tracker"), PARTICLE_EAUTH);
    assert_ok(particle_product_get(&doc, api2, "asset-tracker"));
    particle_doc_free(doc);
    assert_ok(particle_api_user_regenerate_token(&doc, f->c, "asset-tracker", NULL, username));
    particle_doc_free(doc);
    assert_int_equal(particle_product_get(&doc, api2, "asset-tracker"), PARTICLE_EAUTH);
    assert_ok(particle_api_user_delete(f->c, "asset-tracker", NULL, username));
    assert_int_equal(particle_api_user_delete(f->c, "asset-tracker", NULL, username),
                     PARTICLE_ENOTFOUND);
    particle_client_free(api);
    particle_client_free(api2);
}

static void test_org_and_errors(void **state)
{
    sim_fixture *f = *state;
    static const char *const scopes[] = {"devices:list"};
    static const char *const unknown[] = {"devices:fly"};
    particle_doc *doc = NULL;
    assert_ok(particle_api_user_create(&doc, f->c, NULL, "acme", "org bot", scopes, 1));
    assert_non_null(strstr(STR(GET(ROOT(doc), "created"), "username"), "@api.particle.io"));
    particle_doc_free(doc);
    assert_int_equal(particle_api_user_create(&doc, f->c, NULL, "acme", "bot", unknown, 1),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_int_equal(particle_api_user_create(&doc, f->c, NULL, "acme", "bot", scopes, 0),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_api_user_create(&doc, f->c, NULL, NULL, "bot", scopes, 1),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_api_user_create(&doc, f->c, "asset-tracker", NULL, NULL, scopes, 1),
                     PARTICLE_EINVAL);
    assert_int_equal(
        particle_api_user_update(&doc, f->c, "asset-tracker", NULL, NULL, NULL, scopes, 1),
        PARTICLE_EINVAL);
    assert_int_equal(
        particle_api_user_regenerate_token(&doc, f->c, NULL, "acme", "nobody+x@api.particle.io"),
        PARTICLE_ENOTFOUND);
    particle_client *other = client_with(f, OTHER_TOKEN);
    assert_int_equal(particle_api_user_create(&doc, other, NULL, "acme", "bot", scopes, 1),
                     PARTICLE_EFORBIDDEN);
    particle_client_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_product_api_user, sdk_sim_setup, sdk_sim_teardown),
        cmocka_unit_test_setup_teardown(test_org_and_errors, sdk_sim_setup, sdk_sim_teardown),
    };
    if (particle_global_init() != 0)
        return 1;
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
