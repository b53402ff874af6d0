/* particle-sim logic functions (routes/logic.c, model/logic.c, model/logic_cron.c): a
 * function's life (create, get, list with today_stats, update, delete), the three triggers
 * recording runs (an event of the product, the simulated clock passing a schedule, a ledger
 * instance set or deleted) with their log line, execute's documented 501, bad input that
 * changes nothing, the cron parser, reset and --state across a restart. */
#include <unistd.h>

#include "model/sim_logic.h"
#include "model/sim_logic_cron.h"
#include "pu_str.h"
#include "sim_test.h"

/* @p method @p path with a JSON @p body as the demo user; asserts @p status, returns the
 * JSON answer (NULL for an empty one). */
static json_t *call(const sim_test *t, const char *method, const char *path, const char *body,
                    long status)
{
    http_reply r = sim_req(t, method, path, DEMO_TOKEN, body ? JSON_CT : NULL, body);
    if (r.status != status)
        fail_msg("%s %s: expected %ld, got %ld: %s", method, path, status, r.status,
                 r.body ? r.body : "");
    json_t *j = r.body && r.body[0] ? http_reply_json(&r) : NULL;
    if (status >= 400 && !json_is_string(json_object_get(j, "error")))
        fail_msg("%s %s: the error body has no error string: %s", method, path, r.body);
    http_reply_dispose(&r);
    return j;
}

static void call_ok(const sim_test *t, const char *method, const char *path, const char *body,
                    long status)
{
    json_decref(call(t, method, path, body, status));
}

/* Creates a function under @p base ("/v1" or "/v1/orgs/acme") with @p triggers (a JSON
 * array text); its id into @p id. */
static void create(const sim_test *t, const char *base, const char *name, const char *triggers,
                   char id[40])
{
    char path[128], body[1024];
    snprintf(path, sizeof(path), "%s/logic/functions", base);
    snprintf(body, sizeof(body),
             "{\"logic_function\":{\"name\":\"%s\",\"description\":\"d\",\"enabled\":true,"
             "\"source\":{\"type\":\"JavaScript\",\"code\":\"export default function main(){}\"},"
             "\"logic_triggers\":%s}}",
             name, triggers);
    json_t *j = call(t, "POST", path, body, 201);
    json_t *fn = json_object_get(j, "logic_function");
    assert_string_equal(jstr(fn, "name"), name);
    pu_strlcpy(id, jstr(fn, "id"), 40);
    json_decref(j);
}

/* The runs of function @p id under @p base (caller decrefs). */
static json_t *runs(const sim_test *t, const char *base, const char *id)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/logic/functions/%s/runs", base, id);
    json_t *j = call(t, "GET", path, NULL, 200);
    json_t *list = json_incref(json_object_get(j, "logic_runs"));
    json_decref(j);
    assert_true(json_is_array(list));
    return list;
}

/* A device of product 10001 (the organization's asset trackers), into @p id. */
static void tracker(const sim_test *t, char id[SIM_DEVICE_ID_LEN + 1])
{
    sim_model *m = sim_server_model(t->srv);
    sim_model_lock(m);
    id[0] = '\0';
    for (uint32_t i = 0; i < m->device_count && !id[0]; i++)
        if (m->devices[i].product != SIM_NONE && m->products[m->devices[i].product].id == 10001)
            pu_strlcpy(id, m->devices[i].id, SIM_DEVICE_ID_LEN + 1);
    sim_model_unlock(m);
    assert_true(id[0] != '\0');
}

static void test_life(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char id[40], path[160];
    create(t, "/v1", "first", "[]", id);
    snprintf(path, sizeof(path), "/v1/logic/functions/%s", id);
    json_t *j = call(t, "GET", path, NULL, 200);
    json_t *fn = json_object_get(j, "logic_function");
    assert_string_equal(jstr(fn, "owner_id"), "user:demo@example.com");
    assert_string_equal(jstr(json_object_get(fn, "source"), "type"), "JavaScript");
    assert_int_equal(json_integer_value(json_object_get(fn, "version")), 1);
    assert_true(json_is_null(json_object_get(fn, "template_slug")));
    assert_non_null(jstr(fn, "created_at"));
    json_decref(j);
    j = call(t, "PUT", path, "{\"logic_function\":{\"description\":\"changed\",\"enabled\":false}}",
             200);
    fn = json_object_get(j, "logic_function");
    assert_string_equal(jstr(fn, "description"), "changed");
    assert_true(json_is_false(json_object_get(fn, "enabled")));
    assert_int_equal(json_integer_value(json_object_get(fn, "version")), 2);
    assert_string_equal(jstr(fn, "name"), "first");
    json_decref(j);
    j = call(t, "GET", "/v1/logic/functions?today_stats=true", NULL, 200);
    json_t *list = json_object_get(j, "logic_functions");
    assert_int_equal(json_array_size(list), 1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_array_get(list, 0), "today_stats"), "failure")),
                     0);
    json_decref(j);
    /* the organization's functions are its own */
    j = call(t, "GET", "/v1/orgs/acme/logic/functions", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "logic_functions")), 0);
    json_decref(j);
    call_ok(t, "GET", "/v1/orgs/nope/logic/functions", NULL, 404);
    snprintf(path, sizeof(path), "/v1/orgs/acme/logic/functions/%s", id);
    call_ok(t, "GET", path, NULL, 404);
    /* delete */
    snprintf(path, sizeof(path), "/v1/logic/functions/%s", id);
    call_ok(t, "DELETE", path, NULL, 204);
    call_ok(t, "GET", path, NULL, 404);
    call_ok(t, "DELETE", path, NULL, 404);
    sim_test_stop(t);
}

static void test_bad_input(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    static const char *const bodies[] = {
        "{\"logic_function\":",
        "{\"name\":\"x\"}",
        "{\"logic_function\":{\"source\":{\"type\":\"JavaScript\",\"code\":\"\"}}}",
        "{\"logic_function\":{\"name\":\"x\"}}",
        "{\"logic_function\":{\"name\":\"x\",\"source\":{\"type\":\"Python\",\"code\":\"\"}}}",
        "{\"logic_function\":{\"name\":\"x\",\"enabled\":\"yes\",\"source\":{\"type\":"
        "\"JavaScript\"}}}",
        "{\"logic_function\":{\"name\":\"x\",\"source\":{\"type\":\"JavaScript\"},"
        "\"logic_triggers\":[{\"type\":\"Scheduled\",\"cron\":\"61 * * * *\"}]}}",
        "{\"logic_function\":{\"name\":\"x\",\"source\":{\"type\":\"JavaScript\"},"
        "\"logic_triggers\":[{\"type\":\"Event\",\"event_name\":\"t\"}]}}",
        "{\"logic_function\":{\"name\":\"x\",\"source\":{\"type\":\"JavaScript\"},"
        "\"logic_triggers\":[{\"type\":\"LedgerChange\"}]}}",
        "{\"logic_function\":{\"name\":\"x\",\"source\":{\"type\":\"JavaScript\"},"
        "\"logic_triggers\":[{\"type\":\"Webhook\"}]}}",
        "{\"logic_function\":{\"name\":\"x\",\"source\":{\"type\":\"JavaScript\"},"
        "\"logic_triggers\":{}}}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
        call_ok(t, "POST", "/v1/logic/functions", bodies[i], 400);
    /* a product that is not the sandbox's: 403 */
    call_ok(t, "POST", "/v1/logic/functions",
            "{\"logic_function\":{\"name\":\"x\",\"source\":{\"type\":\"JavaScript\"},"
            "\"logic_triggers\":[{\"type\":\"Event\",\"event_name\":\"t\",\"product_id\":10001}]}}",
            403);
    json_t *j = call(t, "GET", "/v1/logic/functions", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "logic_functions")), 0);
    json_decref(j);
    call_ok(t, "GET", "/v1/logic/functions/nope/runs", NULL, 404);
    call_ok(t, "PUT", "/v1/logic/functions/nope", "{\"logic_function\":{\"name\":\"y\"}}", 404);
    /* no token: 400/401 as for every route; a customer token: 403 */
    http_reply r = sim_req(t, "GET", "/v1/logic/functions", NULL, NULL, NULL);
    assert_true(r.status == 400 || r.status == 401);
    http_reply_dispose(&r);
    /* execute: 501, the documented answer of a simulator without a JavaScript engine */
    j = call(
        t, "POST", "/v1/logic/execute",
        "{\"event\":{\"event_name\":\"t\"},\"source\":{\"type\":\"JavaScript\",\"code\":\"\"}}",
        501);
    assert_string_equal(jstr(j, "error_description"), SIM_LOGIC_NO_ENGINE);
    json_decref(j);
    call_ok(t, "POST", "/v1/orgs/acme/logic/execute", "{}", 501);
    call_ok(t, "POST", "/v1/logic/execute", "[1", 400);
    sim_test_stop(t);
}

/* The one run of @p list: of trigger type @p type, status Failure, and its logs say why. */
static void assert_one_run(const sim_test *t, const char *base, const char *fn_id, json_t *list,
                           const char *type)
{
    assert_int_equal(json_array_size(list), 1);
    json_t *run = json_array_get(list, 0);
    assert_string_equal(jstr(run, "logic_trigger_type"), type);
    assert_string_equal(jstr(run, "status"), "Failure");
    assert_string_equal(jstr(run, "logic_function_id"), fn_id);
    assert_null(json_object_get(run, "logs"));
    char path[256];
    snprintf(path, sizeof(path), "%s/logic/functions/%s/runs/%s", base, fn_id, jstr(run, "id"));
    json_t *j = call(t, "GET", path, NULL, 200);
    assert_string_equal(jstr(json_object_get(j, "logic_run"), "id"), jstr(run, "id"));
    json_decref(j);
    snprintf(path, sizeof(path), "%s/logic/functions/%s/runs/%s/logs", base, fn_id,
             jstr(run, "id"));
    j = call(t, "GET", path, NULL, 200);
    json_t *line = json_array_get(json_object_get(j, "logs"), 0);
    assert_string_equal(jstr(line, "level"), "Error");
    assert_string_equal(json_string_value(json_array_get(json_object_get(line, "args"), 0)),
                        SIM_LOGIC_NO_ENGINE);
    json_decref(j);
    snprintf(path, sizeof(path), "%s/logic/functions/%s/runs/nope/logs", base, fn_id);
    call_ok(t, "GET", path, NULL, 404);
}

static void test_event_trigger(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char id[40], other[40], dev[SIM_DEVICE_ID_LEN + 1], path[128];
    create(t, "/v1/orgs/acme", "on-temp",
           "[{\"type\":\"Event\",\"event_name\":\"temp\",\"product_id\":10001}]", id);
    create(t, "/v1/orgs/acme", "on-other",
           "[{\"type\":\"Event\",\"event_name\":\"other\",\"product_id\":10001}]", other);
    tracker(t, dev);
    snprintf(path, sizeof(path), "/sim/devices/%s/events", dev);
    http_reply r = sim_req(t, "POST", path, DEMO_TOKEN, FORM, "name=temperature&data=21");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    json_t *list = runs(t, "/v1/orgs/acme", id);
    assert_one_run(t, "/v1/orgs/acme", id, list, "Event");
    json_decref(list);
    list = runs(t, "/v1/orgs/acme", other);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    json_t *j = call(t, "GET", "/v1/orgs/acme/logic/functions?today_stats=true", NULL, 200);
    json_t *stats =
        json_object_get(json_array_get(json_object_get(j, "logic_functions"), 0), "today_stats");
    assert_int_equal(json_integer_value(json_object_get(stats, "failure")), 1);
    json_decref(j);
    /* a disabled function does not run */
    snprintf(path, sizeof(path), "/v1/orgs/acme/logic/functions/%s", id);
    call_ok(t, "PUT", path, "{\"logic_function\":{\"enabled\":false}}", 200);
    snprintf(path, sizeof(path), "/sim/devices/%s/events", dev);
    r = sim_req(t, "POST", path, DEMO_TOKEN, FORM, "name=temperature&data=22");
    http_reply_dispose(&r);
    list = runs(t, "/v1/orgs/acme", id);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    sim_test_stop(t);
}

static void test_scheduled_trigger(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    call_ok(t, "POST", "/sim/clock/pause", NULL, 200);
    char id[40];
    create(t, "/v1", "hourly", "[{\"type\":\"Scheduled\",\"cron\":\"0 * * * *\"}]", id);
    json_t *list = runs(t, "/v1", id);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    char path[128];
    snprintf(path, sizeof(path), "/v1/logic/functions/%s", id);
    json_t *j = call(t, "GET", path, NULL, 200);
    json_t *trigger =
        json_array_get(json_object_get(json_object_get(j, "logic_function"), "logic_triggers"), 0);
    assert_non_null(jstr(trigger, "next_unscheduled_at"));
    assert_non_null(jstr(trigger, "id"));
    json_decref(j);
    /* two hours later: the schedule was passed (one run per pass, not per hour) */
    call_ok(t, "POST", "/sim/clock/advance?ms=7200000", NULL, 200);
    list = runs(t, "/v1", id);
    assert_one_run(t, "/v1", id, list, "Scheduled");
    json_decref(list);
    j = call(t, "GET", path, NULL, 200);
    trigger =
        json_array_get(json_object_get(json_object_get(j, "logic_function"), "logic_triggers"), 0);
    assert_non_null(jstr(trigger, "last_scheduled_at"));
    json_decref(j);
    sim_test_stop(t);
}

static void test_ledger_trigger(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char id[40], deletes[40];
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"prefs\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}",
            201);
    create(t, "/v1", "on-set", "[{\"type\":\"LedgerChange\",\"ledger_name\":\"prefs\"}]", id);
    create(t, "/v1", "on-delete",
           "[{\"type\":\"LedgerChange\",\"ledger_name\":\"prefs\",\"change_type\":\"delete\"}]",
           deletes);
    call_ok(t, "PUT", "/v1/ledgers/prefs/instances/demo%40example.com",
            "{\"instance\":{\"data\":{\"a\":1}}}", 200);
    json_t *list = runs(t, "/v1", id);
    assert_one_run(t, "/v1", id, list, "LedgerChange");
    json_decref(list);
    list = runs(t, "/v1", deletes);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    call_ok(t, "DELETE", "/v1/ledgers/prefs/instances/demo%40example.com", NULL, 204);
    list = runs(t, "/v1", deletes);
    assert_one_run(t, "/v1", deletes, list, "LedgerChange");
    json_decref(list);
    list = runs(t, "/v1", id);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    /* another namespace's ledger of the same name: not this function's */
    call_ok(t, "POST", "/v1/orgs/acme/ledgers",
            "{\"ledger\":{\"name\":\"prefs\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}",
            201);
    call_ok(t, "PUT", "/v1/orgs/acme/ledgers/prefs/instances/acme",
            "{\"instance\":{\"data\":{\"a\":1}}}", 200);
    list = runs(t, "/v1", id);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    sim_test_stop(t);
}

static void test_cron(void **state)
{
    (void)state;
    sim_cron c;
    int64_t t0 = 1704067200000LL; /* 2024-01-01T00:00:00Z, a Monday */
    assert_true(sim_cron_parse("* * * * *", &c));
    assert_int_equal(sim_cron_next(&c, t0), t0 + 60000);
    assert_true(sim_cron_parse("*/15 2-3 * * *", &c));
    assert_int_equal(sim_cron_next(&c, t0), t0 + 2 * 3600000LL);
    assert_true(sim_cron_parse("30 9 * * 7", &c)); /* Sundays: 2024-01-07 */
    assert_int_equal(sim_cron_next(&c, t0), t0 + 6 * 86400000LL + 9 * 3600000LL + 1800000LL);
    assert_true(sim_cron_parse("0 0 1,15 2 *", &c)); /* 1 February */
    assert_int_equal(sim_cron_next(&c, t0), t0 + 31 * 86400000LL);
    assert_true(sim_cron_parse("0 0 31 2 *", &c));
    assert_int_equal(sim_cron_next(&c, t0), -1);
    static const char *const bad[] = {"",           "* * * *",   "* * * * * *", "60 * * * *",
                                      "* 24 * * *", "* * 0 * *", "*/0 * * * *", "5-1 * * * *",
                                      "a * * * *",  "1, * * * *"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(sim_cron_parse(bad[i], &c));
}

static void test_reset_and_state(void **state)
{
    (void)state;
    char file[] = "/tmp/sim-logic-XXXXXX";
    sim_server_options o = sim_test_state_options(file);
    sim_test *t = sim_test_start(&o);
    char id[40], path[128];
    call_ok(t, "POST", "/v1/ledgers",
            "{\"ledger\":{\"name\":\"prefs\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}",
            201);
    create(t, "/v1", "kept", "[{\"type\":\"LedgerChange\",\"ledger_name\":\"prefs\"}]", id);
    call_ok(t, "PUT", "/v1/ledgers/prefs/instances/demo%40example.com",
            "{\"instance\":{\"data\":{\"a\":1}}}", 200);
    sim_test_stop(t);
    t = sim_test_start(&o);
    snprintf(path, sizeof(path), "/v1/logic/functions/%s", id);
    call_ok(t, "GET", path, NULL, 200);
    json_t *list = runs(t, "/v1", id);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    call_ok(t, "POST", "/sim/reset", NULL, 200);
    call_ok(t, "GET", path, NULL, 404);
    sim_test_stop(t);
    t = sim_test_start(&o);
    call_ok(t, "GET", path, NULL, 404);
    sim_test_stop(t);
    unlink(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_life),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_event_trigger),
        cmocka_unit_test(test_scheduled_trigger),
        cmocka_unit_test(test_ledger_trigger),
        cmocka_unit_test(test_cron),
        cmocka_unit_test(test_reset_and_state),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
