/* particle-sim API users (reference/cloud-api.md §4.8, §1.7; routes/team.c, model/api_users.c,
 * the server's before hook): created on a product's or an organization's team with scopes,
 * listed, their token limited to their scopes (devices:list lists but does not call a
 * function; routes no API user may call answer the documented 400), scopes changed with the
 * token rotated, a token regenerated, deleted; bad scopes refused with nothing created; an API
 * user keeps its scopes across a restart with --state. */
#include "model/sim_api_users.h"
#include "pu_str.h"
#include "sim_test.h"

static json_t *call_as(const sim_test *t, const char *token, const char *method, const char *path,
                       const char *body, long status)
{
    http_reply r = sim_req(t, method, path, token, body ? JSON_CT : NULL, body);
    if (r.status != status)
        fail_msg("%s %s: expected %ld, got %ld: %s", method, path, status, r.status,
                 r.body ? r.body : "");
    json_t *j = r.body && r.body[0] ? http_reply_json(&r) : NULL;
    if (status >= 400 && !json_is_string(json_object_get(j, "error")))
        fail_msg("%s %s: the error body has no error string: %s", method, path, r.body);
    http_reply_dispose(&r);
    return j;
}

static void ok_as(const sim_test *t, const char *token, const char *method, const char *path,
                  const char *body, long status)
{
    json_decref(call_as(t, token, method, path, body, status));
}

/* Creates an API user on @p team ("/v1/products/10001/team"); its username and token. */
static void create(const sim_test *t, const char *team, const char *scopes, char user[128],
                   char token[64])
{
    char body[256];
    snprintf(body, sizeof(body), "{\"friendly_name\":\"Fleet Reader\",\"scopes\":%s}", scopes);
    json_t *j = call_as(t, DEMO_TOKEN, "POST", team, body, 200);
    json_t *created = json_object_get(j, "created");
    assert_true(json_is_true(json_object_get(created, "is_programmatic")));
    assert_non_null(strstr(jstr(created, "username"), "fleet-reader+"));
    assert_non_null(strstr(jstr(created, "username"), "@api.particle.io"));
    pu_strlcpy(user, jstr(created, "username"), 128);
    pu_strlcpy(token, jstr(json_array_get(json_object_get(created, "tokens"), 0), "token"), 64);
    json_decref(j);
}

/* A device of product 10001. */
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

static void test_product_api_user(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char user[128], token[64], dev[SIM_DEVICE_ID_LEN + 1], path[256];
    create(t, "/v1/products/10001/team", "[\"devices:list\"]", user, token);
    tracker(t, dev);
    /* its scope: yes; another scope: 403; a route no API user may call: 400 */
    ok_as(t, token, "GET", "/v1/products/10001/devices", NULL, 200);
    snprintf(path, sizeof(path), "/v1/products/10001/devices/%s/digitalWrite", dev);
    json_t *j = call_as(t, token, "POST", path, "{\"arg\":\"D7,HIGH\"}", 403);
    assert_non_null(strstr(jstr(j, "info"), "devices.function:call"));
    json_decref(j);
    ok_as(t, token, "GET", "/v1/products/10001/team", NULL, 403);
    j = call_as(t, token, "GET", "/v1/user", NULL, 400);
    assert_string_equal(jstr(j, "error"), "unauthorized");
    json_decref(j);
    ok_as(t, token, "GET", "/v1/logic/functions", NULL, 400);
    /* listed with its scopes */
    j = call_as(t, DEMO_TOKEN, "GET", "/v1/products/10001/team", NULL, 200);
    size_t i;
    json_t *member, *found = NULL;
    json_array_foreach(json_object_get(j, "team"), i, member)
    {
        if (strcmp(jstr(member, "username"), user) == 0)
            found = member;
    }
    assert_non_null(found);
    assert_true(json_is_true(json_object_get(found, "is_programmatic")));
    assert_string_equal(jstr(found, "friendly_name"), "Fleet Reader");
    assert_string_equal(json_string_value(json_array_get(json_object_get(found, "scopes"), 0)),
                        "devices:list");
    json_decref(j);
    /* new scopes: the token rotates, the old one is gone, the new scope works */
    snprintf(path, sizeof(path), "/v1/products/10001/team/%s", user);
    j = call_as(t, DEMO_TOKEN, "PUT", path,
                "{\"scopes\":[\"devices:list\",\"devices.function:call\"]}", 200);
    char token2[64];
    pu_strlcpy(
        token2,
        jstr(json_array_get(json_object_get(json_object_get(j, "updated"), "tokens"), 0), "token"),
        sizeof(token2));
    json_decref(j);
    ok_as(t, token, "GET", "/v1/products/10001/devices", NULL, 401);
    snprintf(path, sizeof(path), "/v1/products/10001/devices/%s/digitalWrite", dev);
    http_reply r = sim_req(t, "POST", path, token2, JSON_CT, "{\"arg\":\"D7,HIGH\"}");
    assert_true(r.status != 403 && r.status != 401);
    http_reply_dispose(&r);
    /* regenerate the token */
    snprintf(path, sizeof(path), "/v1/products/10001/team/%s/token", user);
    j = call_as(t, DEMO_TOKEN, "PUT", path, NULL, 200);
    json_decref(j);
    ok_as(t, token2, "GET", "/v1/products/10001/devices", NULL, 401);
    /* delete: the account and its tokens go */
    snprintf(path, sizeof(path), "/v1/products/10001/team/%s", user);
    ok_as(t, DEMO_TOKEN, "DELETE", path, NULL, 200);
    ok_as(t, DEMO_TOKEN, "DELETE", path, NULL, 404);
    sim_test_stop(t);
}

static void test_org_api_user(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    char user[128], token[64];
    create(t, "/v1/orgs/acme/team", "[\"ledger:list\",\"devices:list\"]", user, token);
    ok_as(t, token, "GET", "/v1/orgs/acme/ledgers", NULL, 200);
    ok_as(t, token, "GET", "/v1/products/10002/devices", NULL, 200);
    ok_as(t, token, "POST", "/v1/orgs/acme/ledgers",
          "{\"ledger\":{\"name\":\"x\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}", 403);
    /* an API user cannot make API users without teams.users:invite */
    ok_as(t, token, "POST", "/v1/orgs/acme/team",
          "{\"friendly_name\":\"x\",\"scopes\":[\"devices:list\"]}", 403);
    sim_test_stop(t);
}

static void test_state_keeps_scopes(void **state)
{
    (void)state;
    char file[] = "/tmp/sim-api-users-XXXXXX";
    sim_server_options o = sim_test_state_options(file);
    sim_test *t = sim_test_start(&o);
    char user[128], token[64];
    create(t, "/v1/products/10001/team", "[\"devices:list\"]", user, token);
    sim_test_stop(t);

    /* the same token, its scope still given and still the only one */
    t = sim_test_start(&o);
    ok_as(t, token, "GET", "/v1/products/10001/devices", NULL, 200);
    ok_as(t, token, "GET", "/v1/products/10001/team", NULL, 403);
    char path[256];
    snprintf(path, sizeof(path), "/v1/products/10001/team/%s", user);
    ok_as(t, DEMO_TOKEN, "DELETE", path, NULL, 200);
    sim_test_stop(t);

    /* deleted stays deleted */
    t = sim_test_start(&o);
    ok_as(t, token, "GET", "/v1/products/10001/devices", NULL, 401);
    sim_test_stop(t);
    unlink(file);
}

static void test_bad_input(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    static const char *const bodies[] = {
        "{\"friendly_name\":\"x\",\"scopes\":[]}",
        "{\"friendly_name\":\"x\",\"scopes\":[\"nope:nope\"]}",
        "{\"friendly_name\":\"x\",\"scopes\":\"devices:list\"}",
        "{\"friendly_name\":\"x\",\"scopes\":[1]}",
        "{\"scopes\":[\"devices:list\"]}",
        "{\"friendly_name\":\"x\",\"scopes\":",
    };
    json_t *before = call_as(t, DEMO_TOKEN, "GET", "/v1/products/10001/team", NULL, 200);
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
        ok_as(t, DEMO_TOKEN, "POST", "/v1/products/10001/team", bodies[i], 400);
    json_t *after = call_as(t, DEMO_TOKEN, "GET", "/v1/products/10001/team", NULL, 200);
    assert_true(json_equal(before, after));
    json_decref(before);
    json_decref(after);
    ok_as(t, DEMO_TOKEN, "PUT", "/v1/products/10001/team/nobody+x@api.particle.io/token", NULL,
          404);
    ok_as(t, OTHER_TOKEN, "POST", "/v1/products/10001/team",
          "{\"friendly_name\":\"x\",\"scopes\":[\"devices:list\"]}", 403);
    sim_test_stop(t);
}

static void test_route_scopes(void **state)
{
    (void)state;
    assert_string_equal(sim_api_route_scope("GET", "/v1/products/1/devices"), "devices:list");
    assert_string_equal(sim_api_route_scope("GET", "/v1/products/1/devices/abc"), "devices:get");
    assert_string_equal(sim_api_route_scope("PUT", "/v1/products/1/devices/abc/ping"),
                        "devices:ping");
    assert_string_equal(sim_api_route_scope("GET", "/v1/products/1/devices/abc/temp"),
                        "devices.variable:get");
    assert_string_equal(sim_api_route_scope("GET", "/v1/products/1/events"), "events:get");
    assert_string_equal(sim_api_route_scope("GET", "/v1/products/1/events/temp"), "events:get");
    assert_string_equal(sim_api_route_scope("GET", "/v1/products/1/config/abc"),
                        "configuration:get");
    assert_null(sim_api_route_scope("GET", "/v1/user"));
    assert_null(sim_api_route_scope("GET", "/v1/products//devices"));
    assert_true(sim_api_scope_known("sims.usage:get"));
    assert_false(sim_api_scope_known("devices"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_api_user),   cmocka_unit_test(test_org_api_user),
        cmocka_unit_test(test_state_keeps_scopes), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_route_scopes),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
