/*
 * libparticle's ledger calls (ledgers.h) against particle-sim in-process on 127.0.0.1 port 0
 * with the default fleet (docs/SIM.md): definitions, instances set with Replace and Merge,
 * versions and their cursors, archive, in the sandbox and in an organization, and the
 * documented errors as the SDK's codes. Every test gets a fresh simulator.
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

/* Creates ledger @p name in @p org (NULL = the sandbox). */
static void create(particle_client *c, const char *org, const char *name, const char *scope,
                   const char *direction)
{
    particle_ledger_options l = PARTICLE_LEDGER_OPTIONS_INIT;
    l.name = name;
    l.scope = scope;
    l.direction = direction;
    l.description = "made by the SDK test";
    particle_doc *doc = NULL;
    assert_ok(particle_ledger_create(&doc, c, org, &l));
    const particle_value *ledger = GET(ROOT(doc), "ledger");
    assert_string_equal(STR(ledger, "name"), name);
    assert_string_equal(STR(ledger, "scope"), scope);
    assert_string_equal(STR(ledger, "direction"), direction);
    particle_doc_free(doc);
}

static void test_definitions(void **state)
{
    sim_fixture *f = *state;
    create(f->c, NULL, "settings", "Owner", "Downstream");
    create(f->c, NULL, "readings", "Device", "Upstream");
    particle_ledger_options l = PARTICLE_LEDGER_OPTIONS_INIT;
    l.name = "settings";
    l.scope = "Owner";
    l.direction = "Downstream";
    assert_int_equal(particle_ledger_create(NULL, f->c, NULL, &l), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 409);

    particle_doc *doc = NULL;
    particle_ledger_list_options o = PARTICLE_LEDGER_LIST_OPTIONS_INIT;
    o.scope = "Device";
    assert_ok(particle_ledger_list(&doc, f->c, NULL, &o));
    const particle_value *defs = GET(ROOT(doc), "ledger_definitions");
    assert_int_equal(particle_value_count(defs), 1);
    assert_string_equal(STR(particle_value_at(defs, 0), "name"), "readings");
    particle_doc_free(doc);

    particle_ledger_options u = PARTICLE_LEDGER_OPTIONS_INIT;
    u.description = "changed";
    assert_ok(particle_ledger_update(NULL, f->c, NULL, "settings", &u));
    assert_ok(particle_ledger_get(&doc, f->c, NULL, "settings"));
    assert_string_equal(STR(GET(ROOT(doc), "ledger"), "description"), "changed");
    particle_doc_free(doc);

    assert_ok(particle_ledger_archive(f->c, NULL, "readings"));
    o.scope = NULL;
    o.archived = true;
    assert_ok(particle_ledger_list(&doc, f->c, NULL, &o));
    defs = GET(ROOT(doc), "ledger_definitions");
    assert_int_equal(particle_value_count(defs), 1);
    assert_non_null(STR(particle_value_at(defs, 0), "archived_at"));
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_get(&doc, f->c, NULL, "nope"), PARTICLE_ENOTFOUND);
    assert_null(doc);
}

static void test_instances_and_versions(void **state)
{
    sim_fixture *f = *state;
    create(f->c, NULL, "settings", "Owner", "Downstream");
    particle_doc *doc = NULL;
    assert_ok(particle_ledger_instance_set(&doc, f->c, NULL, "settings", OWNER, "{\"a\":1,\"b\":2}",
                                           PARTICLE_LEDGER_SET_REPLACE));
    const particle_value *inst = GET(ROOT(doc), "instance");
    assert_string_equal(STR(GET(inst, "scope"), "type"), "Owner");
    assert_int_equal(INT(inst, "size_bytes"), 13);
    particle_doc_free(doc);
    assert_ok(particle_ledger_instance_set(&doc, f->c, NULL, "settings", OWNER, "{\"b\":3}",
                                           PARTICLE_LEDGER_SET_MERGE));
    inst = GET(ROOT(doc), "instance");
    assert_int_equal(INT(GET(inst, "data"), "a"), 1);
    assert_int_equal(INT(GET(inst, "data"), "b"), 3);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_instance_set(&doc, f->c, NULL, "settings", "someone-else",
                                                  "{}", PARTICLE_LEDGER_SET_REPLACE),
                     PARTICLE_EFORBIDDEN);

    assert_ok(particle_ledger_instance_list(&doc, f->c, NULL, "settings", 1, 10));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "instances")), 1);
    particle_doc_free(doc);
    assert_ok(particle_ledger_version_list(&doc, f->c, NULL, "settings", OWNER, NULL, NULL));
    const particle_value *versions = GET(ROOT(doc), "versions");
    assert_int_equal(particle_value_count(versions), 1);
    char version[16];
    snprintf(version, sizeof(version), "%s", STR(particle_value_at(versions, 0), "version"));
    particle_doc_free(doc);
    assert_ok(particle_ledger_version_get(&doc, f->c, NULL, "settings", OWNER, version));
    assert_int_equal(INT(GET(GET(ROOT(doc), "instance"), "data"), "b"), 2);
    particle_doc_free(doc);
    assert_ok(particle_ledger_version_list(&doc, f->c, NULL, "settings", OWNER, NULL,
                                           "2099-01-01T00:00:00Z"));
    assert_int_equal(particle_value_count(GET(ROOT(doc), "versions")), 0);
    particle_doc_free(doc);

    assert_ok(particle_ledger_instance_delete(f->c, NULL, "settings", OWNER));
    assert_int_equal(particle_ledger_instance_get(&doc, f->c, NULL, "settings", OWNER),
                     PARTICLE_ENOTFOUND);
}

static void test_organization(void **state)
{
    sim_fixture *f = *state;
    create(f->c, "acme", "fleet", "Product", "Downstream");
    particle_doc *doc = NULL;
    assert_ok(particle_ledger_instance_set(&doc, f->c, "acme", "fleet", "asset-tracker",
                                           "{\"v\":1}", PARTICLE_LEDGER_SET_REPLACE));
    assert_string_equal(STR(GET(GET(ROOT(doc), "instance"), "scope"), "value"), "10001");
    particle_doc_free(doc);
    assert_ok(particle_ledger_instance_get(&doc, f->c, "acme", "fleet", "10001"));
    assert_int_equal(INT(GET(GET(ROOT(doc), "instance"), "data"), "v"), 1);
    particle_doc_free(doc);
    /* the sandbox has no such ledger; a stranger may not see the organization's */
    assert_int_equal(particle_ledger_get(&doc, f->c, NULL, "fleet"), PARTICLE_ENOTFOUND);
    particle_client *other = client_with(f, OTHER_TOKEN);
    assert_int_equal(particle_ledger_list(&doc, other, "acme", NULL), PARTICLE_EFORBIDDEN);
    particle_client_free(other);
    /* data over the limit: 413, the instance unchanged */
    char big[17000 + 16];
    snprintf(big, sizeof(big), "{\"k\":\"%0*d\"}", 17000, 0);
    assert_int_equal(particle_ledger_instance_set(NULL, f->c, "acme", "fleet", "10001", big,
                                                  PARTICLE_LEDGER_SET_REPLACE),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 413);
    assert_ok(particle_ledger_archive(f->c, "acme", "fleet"));
    assert_int_equal(particle_ledger_instance_set(NULL, f->c, "acme", "fleet", "10001", "{}",
                                                  PARTICLE_LEDGER_SET_REPLACE),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_definitions, sdk_sim_setup, sdk_sim_teardown),
        cmocka_unit_test_setup_teardown(test_instances_and_versions, sdk_sim_setup,
                                        sdk_sim_teardown),
        cmocka_unit_test_setup_teardown(test_organization, sdk_sim_setup, sdk_sim_teardown),
    };
    if (particle_global_init() != 0)
        return 1;
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
