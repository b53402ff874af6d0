/*
 * libparticle's logic function calls (logic.h) against particle-sim in-process on 127.0.0.1
 * port 0 with the default fleet (docs/SIM.md): a function's life in the sandbox and in an
 * organization, a run recorded by a ledger change and read back with its logs, execute's
 * documented 501, and bad input as the SDK's codes. Every test gets a fresh simulator.
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

#define FUNCTION                                                                                   \
    "{\"name\":\"sdk\",\"description\":\"made by the SDK test\",\"enabled\":true,"                 \
    "\"source\":{\"type\":\"JavaScript\",\"code\":\"export default function main(){}\"},"          \
    "\"logic_triggers\":[{\"type\":\"LedgerChange\",\"ledger_name\":\"prefs\"}]}"

/* Creates FUNCTION in @p org; its id into @p id. */
static void create(particle_client *c, const char *org, char id[40])
{
    particle_doc *doc = NULL;
    assert_ok(particle_logic_function_create(&doc, c, org, FUNCTION));
    const particle_value *fn = GET(ROOT(doc), "logic_function");
    assert_string_equal(STR(fn, "name"), "sdk");
    assert_int_equal(INT(fn, "version"), 1);
    snprintf(id, 40, "%s", STR(fn, "id"));
    particle_doc_free(doc);
}

static void test_life(void **state)
{
    sim_fixture *f = *state;
    char id[40];
    create(f->c, NULL, id);
    particle_doc *doc = NULL;
    assert_ok(particle_logic_function_get(&doc, f->c, NULL, id));
    assert_string_equal(STR(GET(ROOT(doc), "logic_function"), "owner_id"), "user:" OWNER);
    particle_doc_free(doc);
    assert_ok(particle_logic_function_update(&doc, f->c, "", id, "{\"description\":\"changed\"}"));
    assert_string_equal(STR(GET(ROOT(doc), "logic_function"), "description"), "changed");
    assert_int_equal(INT(GET(ROOT(doc), "logic_function"), "version"), 2);
    particle_doc_free(doc);
    assert_ok(particle_logic_function_list(&doc, f->c, NULL, true));
    const particle_value *list = GET(ROOT(doc), "logic_functions");
    assert_int_equal(particle_value_count(list), 1);
    assert_non_null(GET(particle_value_at(list, 0), "today_stats"));
    particle_doc_free(doc);
    assert_ok(particle_logic_function_delete(f->c, NULL, id));
    assert_int_equal(particle_logic_function_get(&doc, f->c, NULL, id), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_logic_function_delete(f->c, NULL, id), PARTICLE_ENOTFOUND);
}

static void test_runs(void **state)
{
    sim_fixture *f = *state;
    char id[40];
    create(f->c, "acme", id);
    particle_ledger_options l = PARTICLE_LEDGER_OPTIONS_INIT;
    l.name = "prefs";
    l.scope = "Owner";
    l.direction = "Downstream";
    assert_ok(particle_ledger_create(NULL, f->c, "acme", &l));
    assert_ok(particle_ledger_instance_set(NULL, f->c, "acme", "prefs", "acme", "{\"a\":1}",
                                           PARTICLE_LEDGER_SET_REPLACE));
    particle_doc *doc = NULL;
    assert_ok(particle_logic_run_list(&doc, f->c, "acme", id));
    const particle_value *runs = GET(ROOT(doc), "logic_runs");
    assert_int_equal(particle_value_count(runs), 1);
    const particle_value *run = particle_value_at(runs, 0);
    assert_string_equal(STR(run, "logic_trigger_type"), "LedgerChange");
    assert_string_equal(STR(run, "status"), "Failure");
    char run_id[40];
    snprintf(run_id, sizeof(run_id), "%s", STR(run, "id"));
    particle_doc_free(doc);
    assert_ok(particle_logic_run_get(&doc, f->c, "acme", id, run_id));
    assert_string_equal(STR(GET(ROOT(doc), "logic_run"), "id"), run_id);
    particle_doc_free(doc);
    assert_ok(particle_logic_run_logs(&doc, f->c, "acme", id, run_id));
    const particle_value *line = particle_value_at(GET(ROOT(doc), "logs"), 0);
    assert_string_equal(STR(line, "level"), "Error");
    assert_non_null(strstr(particle_value_string(particle_value_at(GET(line, "args"), 0)),
                           "no JavaScript engine"));
    particle_doc_free(doc);
    /* the sandbox does not see the organization's function */
    assert_int_equal(particle_logic_run_list(&doc, f->c, NULL, id), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_logic_run_get(&doc, f->c, "acme", id, "nope"), PARTICLE_ENOTFOUND);
}

static void test_errors(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_int_equal(particle_logic_execute(&doc, f->c, NULL,
                                            "{\"event\":{},\"source\":{\"type\":\"JavaScript\","
                                            "\"code\":\"\"}}"),
                     PARTICLE_ESERVER);
    assert_int_equal(particle_error_last()->http_status, 501);
    assert_null(doc);
    /* local checks: nothing sent */
    assert_int_equal(particle_logic_function_create(&doc, f->c, NULL, "{"), PARTICLE_EINVAL);
    assert_int_equal(particle_logic_function_create(&doc, f->c, NULL, "[]"), PARTICLE_EINVAL);
    assert_int_equal(particle_logic_function_create(&doc, f->c, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_logic_function_get(&doc, f->c, NULL, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_logic_run_logs(&doc, f->c, NULL, "x", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_logic_execute(&doc, f->c, NULL, "1"), PARTICLE_EINVAL);
    assert_int_equal(particle_logic_function_list(&doc, NULL, NULL, false), PARTICLE_EINVAL);
    /* the simulator's checks */
    assert_int_equal(particle_logic_function_create(&doc, f->c, NULL, "{\"name\":\"x\"}"),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_int_equal(particle_logic_function_list(&doc, f->c, "nope", false), PARTICLE_ENOTFOUND);
    particle_client *other = client_with(f, OTHER_TOKEN);
    assert_int_equal(particle_logic_function_list(&doc, other, "acme", false), PARTICLE_EFORBIDDEN);
    particle_client_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_life, sdk_sim_setup, sdk_sim_teardown),
        cmocka_unit_test_setup_teardown(test_runs, sdk_sim_setup, sdk_sim_teardown),
        cmocka_unit_test_setup_teardown(test_errors, sdk_sim_setup, sdk_sim_teardown),
    };
    if (particle_global_init() != 0)
        return 1;
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
