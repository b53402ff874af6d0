/* particle-sim account routes over loopback HTTP: customers (client credentials, shadow
 * customers, customer tokens, isolation, paging, deletion), OAuth clients (secret once,
 * client_credentials per client, deletion), team invite/remove, products and organizations
 * shapes, and --state across a restart. */
#include <unistd.h>

#include "pu_str.h"
#include "sim_test.h"

#define MEMBER_TOKEN "0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e"
#define CLIENT_FORM                                                                                \
    "grant_type=client_credentials&client_id=asset-tracker-client&client_secret=asset-tracker-"    \
    "secret"

static sim_test *T;

static int setup(void **state)
{
    (void)state;
    T = sim_test_start(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (T)
        sim_test_stop(T);
    T = NULL;
    return 0;
}

/* @p method @p path as @p token with a JSON (or form, @p form) body; the reply JSON after
 * checking @p status (NULL for 204). */
static json_t *call(const char *method, const char *path, const char *token, const char *body,
                    bool form, long status)
{
    http_reply r = sim_req(T, method, path, token, body ? (form ? FORM : JSON_CT) : NULL, body);
    json_t *j = NULL;
    if (status == 204)
        assert_int_equal(r.status, 204);
    else
        j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

/* A token from POST /oauth/token with @p form. */
static char *login(const char *form)
{
    json_t *j = call("POST", "/oauth/token", NULL, form, true, 200);
    char *t = pu_xstrdup(jstr(j, "access_token"));
    json_decref(j);
    return t;
}

static void test_customer_lifecycle(void **state)
{
    (void)state;
    /* particle-api-js createCustomer: form with the product client's credentials */
    json_t *j = call("POST", "/v1/products/asset-tracker/customers", NULL,
                     "email=jane%40example.com&password=jane-pw&" CLIENT_FORM, true, 201);
    assert_string_equal(jstr(j, "token_type"), "bearer");
    assert_int_equal(json_integer_value(json_object_get(j, "expires_in")), 7776000);
    char *jane = pu_xstrdup(jstr(j, "access_token"));
    json_decref(j);
    /* the customer logs in with the password, or gets a token through the client */
    free(login("grant_type=password&username=jane%40example.com&password=jane-pw"));
    char *scoped = login(CLIENT_FORM "&scope=customer%3Djane%40example.com");
    /* a shadow customer has no password to log in with */
    json_decref(call("POST", "/v1/products/10001/customers", DEMO_TOKEN,
                     "{\"email\":\"ghost@example.com\",\"no_password\":true}", false, 201));
    json_decref(call("POST", "/oauth/token", NULL,
                     "grant_type=password&username=ghost%40example.com&password=", true, 400));
    /* another product's client cannot create customers here */
    json_decref(call("POST", "/v1/products/10001/customers", NULL,
                     "email=x%40example.com&password=x&grant_type=client_credentials&client_id="
                     "env-sensors-client&client_secret=env-sensors-secret",
                     true, 403));
    json_decref(call("POST", "/v1/products/10001/customers", NULL,
                     "email=x%40example.com&password=x&grant_type=client_credentials&client_id="
                     "asset-tracker-client&client_secret=wrong",
                     true, 401));
    json_decref(call("POST", "/v1/products/10001/customers", NULL,
                     "{\"email\":\"x@example.com\",\"password\":\"x\"}", false, 401));

    /* the customer sees only its own devices, and nothing of the product API */
    j = call("GET", "/v1/devices", jane, NULL, false, 200);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    j = call("GET", "/v1/devices", scoped, NULL, false, 200);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    json_decref(call("GET", "/v1/products/10001/devices", jane, NULL, false, 403));
    json_decref(call("GET", "/v1/products/10001/customers", jane, NULL, false, 403));
    char *customer = login(CLIENT_FORM "&scope=customer%3Dcustomer%40example.com");
    j = call("GET", "/v1/devices", customer, NULL, false, 200);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(jstr(json_array_get(j, 0), "name"), "customer-tracker");
    json_decref(j);

    /* get, list with its devices */
    j = call("GET", "/v1/products/10001/customers/customer@example.com", DEMO_TOKEN, NULL, false,
             200);
    json_t *c = json_object_get(j, "customer");
    assert_int_equal(strlen(jstr(c, "id")), 24);
    assert_int_equal(json_array_size(json_object_get(c, "devices")), 1);
    json_decref(j);

    /* delete: its tokens stop working, its devices are released */
    json_decref(call("DELETE", "/v1/products/10001/customers/customer@example.com", DEMO_TOKEN,
                     NULL, false, 200));
    json_decref(call("GET", "/v1/devices", customer, NULL, false, 401));
    json_decref(call("POST", "/oauth/token", NULL,
                     CLIENT_FORM "&scope=customer%3Dcustomer%40example.com", true, 400));
    j = call("GET", "/v1/devices/customer-tracker", DEMO_TOKEN, NULL, false, 200);
    assert_null(json_object_get(j, "owner"));
    /* the device stays in the product, and so does its SIM card: a product device's card is
     * the product's, never the customer's, so there is no card to release */
    assert_int_equal(json_integer_value(json_object_get(j, "product_id")), 10001);
    char sim_path[96];
    snprintf(sim_path, sizeof(sim_path), "/v1/products/10001/sims/%s", jstr(j, "iccid"));
    json_decref(j);
    json_decref(call("GET", sim_path, DEMO_TOKEN, NULL, false, 200));
    /* the email can be used again */
    json_decref(call("POST", "/v1/products/10001/customers", DEMO_TOKEN,
                     "{\"email\":\"customer@example.com\",\"password\":\"again\"}", false, 201));
    free(jane);
    free(scoped);
    free(customer);
}

static void test_customer_paging(void **state)
{
    (void)state;
    char body[128];
    for (int i = 0; i < 30; i++) { /* 3 in the fleet + 30 = 33 */
        snprintf(body, sizeof(body), "{\"email\":\"c%02d@example.com\",\"password\":\"pw\"}", i);
        json_decref(call("POST", "/v1/products/10001/customers", DEMO_TOKEN, body, false, 201));
    }
    json_t *j = call("GET", "/v1/products/10001/customers", DEMO_TOKEN, NULL, false, 200);
    assert_int_equal(json_array_size(json_object_get(j, "customers")), 25);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "meta"), "total_pages")),
                     2);
    json_decref(j);
    j = call("GET", "/v1/products/10001/customers?page=2&per_page=25", DEMO_TOKEN, NULL, false,
             200);
    assert_int_equal(json_array_size(json_object_get(j, "customers")), 8);
    json_decref(j);
    j = call("GET", "/v1/products/10001/customers?page=3", DEMO_TOKEN, NULL, false, 400);
    assert_string_equal(jstr(j, "error"), "page 3 is past the last page (2)");
    json_decref(j);
    /* a product without customers has one empty page */
    j = call("GET", "/v1/products/env-sensors/customers", DEMO_TOKEN, NULL, false, 200);
    assert_int_equal(json_array_size(json_object_get(j, "customers")), 0);
    json_decref(j);
}

static void test_oauth_clients(void **state)
{
    (void)state;
    json_t *j = call("POST", "/v1/products/10001/clients", DEMO_TOKEN,
                     "{\"name\":\"Fleet Backend\",\"type\":\"web\",\"redirect_uri\":"
                     "\"https://example.com/cb\",\"scope\":\"customers:create\"}",
                     false, 200);
    json_t *c = json_object_get(j, "client");
    char *id = pu_xstrdup(jstr(c, "id")), *secret = pu_xstrdup(jstr(c, "secret"));
    assert_int_equal(strncmp(id, "fleetbackend-", 13), 0);
    assert_int_equal(strlen(secret), 40);
    assert_int_equal(json_integer_value(json_object_get(c, "product_id")), 10001);
    json_decref(j);
    /* listed without the secret */
    j = call("GET", "/v1/products/10001/clients", DEMO_TOKEN, NULL, false, 200);
    size_t i;
    json_t *v;
    int found = 0;
    json_array_foreach(json_object_get(j, "clients"), i, v)
    {
        assert_null(json_object_get(v, "secret"));
        found += strcmp(jstr(v, "id"), id) == 0;
    }
    assert_int_equal(found, 1);
    json_decref(j);
    /* its client_credentials give a product token */
    char form[256], path[128];
    snprintf(form, sizeof(form), "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
             secret);
    char *product_token = login(form);
    json_decref(call("GET", "/v1/products/10001/devices", product_token, NULL, false, 200));
    json_decref(call("GET", "/v1/products/10002/devices", product_token, NULL, false, 403));
    /* update, then delete: its tokens go with it */
    snprintf(path, sizeof(path), "/v1/products/10001/clients/%s", id);
    j = call("PUT", path, DEMO_TOKEN, "{\"name\":\"Renamed\",\"scope\":\"none\"}", false, 200);
    assert_string_equal(jstr(json_object_get(j, "client"), "name"), "Renamed");
    assert_null(json_object_get(json_object_get(j, "client"), "scope"));
    json_decref(j);
    json_decref(call("DELETE", path, DEMO_TOKEN, NULL, false, 204));
    json_decref(call("GET", "/v1/products/10001/devices", product_token, NULL, false, 401));
    json_decref(call("POST", "/oauth/token", NULL, form, true, 401));
    json_decref(call("DELETE", path, DEMO_TOKEN, NULL, false, 404));
    /* a user's own client logs in as its owner */
    j = call("POST", "/v1/clients", OTHER_TOKEN, "{\"name\":\"CLI\",\"type\":\"installed\"}", false,
             200);
    snprintf(form, sizeof(form), "grant_type=client_credentials&client_id=%s&client_secret=%s",
             jstr(json_object_get(j, "client"), "id"),
             jstr(json_object_get(j, "client"), "secret"));
    json_decref(j);
    char *owner_token = login(form);
    j = call("GET", "/v1/user", owner_token, NULL, false, 200);
    assert_string_equal(jstr(j, "username"), "other@example.com");
    json_decref(j);
    free(owner_token);
    free(product_token);
    free(id);
    free(secret);
}

static void test_team_membership(void **state)
{
    (void)state;
    json_decref(call("GET", "/v1/products/10001/devices", OTHER_TOKEN, NULL, false, 403));
    json_t *j = call("POST", "/v1/products/10001/team", DEMO_TOKEN,
                     "{\"username\":\"other@example.com\",\"role\":\"View-only\"}", false, 200);
    assert_string_equal(jstr(json_object_get(j, "invited"), "username"), "other@example.com");
    json_decref(j);
    /* a member's token reaches the product; a View-only member cannot change the team */
    json_decref(call("GET", "/v1/products/10001/devices", OTHER_TOKEN, NULL, false, 200));
    json_decref(call("GET", "/v1/products/10001", OTHER_TOKEN, NULL, false, 200));
    json_decref(
        call("DELETE", "/v1/products/10001/team/demo@example.com", OTHER_TOKEN, NULL, false, 403));
    j = call("GET", "/v1/products/10001/team", OTHER_TOKEN, NULL, false, 200);
    json_t *m = json_array_get(json_object_get(j, "team"), 1);
    assert_string_equal(jstr(m, "username"), "other@example.com");
    assert_string_equal(jstr(json_object_get(m, "role"), "name"), "View-only");
    assert_int_equal(strlen(jstr(m, "_id")), 24);
    json_decref(j);
    j = call("GET", "/v1/products", OTHER_TOKEN, NULL, false, 200);
    assert_int_equal(json_array_size(json_object_get(j, "products")), 1);
    json_decref(j);
    /* promoted to Developer, other may create customers */
    j = call("POST", "/v1/products/10001/team/other@example.com", DEMO_TOKEN,
             "{\"role\":\"Developer\"}", false, 200);
    assert_string_equal(jstr(json_object_get(json_object_get(j, "updated"), "role"), "name"),
                        "Developer");
    json_decref(j);
    json_decref(call("POST", "/v1/products/10001/customers", OTHER_TOKEN,
                     "{\"email\":\"by-other@example.com\",\"password\":\"pw\"}", false, 201));
    json_decref(
        call("DELETE", "/v1/products/10001/team/other@example.com", DEMO_TOKEN, NULL, false, 200));
    json_decref(call("GET", "/v1/products/10001/devices", OTHER_TOKEN, NULL, false, 403));
    /* the organization's team reaches all its products */
    json_decref(call("POST", "/v1/orgs/acme/team", DEMO_TOKEN,
                     "{\"username\":\"other@example.com\"}", false, 200));
    json_decref(call("GET", "/v1/products/10002/devices", OTHER_TOKEN, NULL, false, 200));
    j = call("GET", "/v1/orgs", OTHER_TOKEN, NULL, false, 200);
    assert_string_equal(jstr(json_array_get(json_object_get(j, "organizations"), 0), "slug"),
                        "acme");
    json_decref(j);
}

/* An organization product's team list: its own team, then the organization's members not
 * on it with their role there, the stronger role for someone on both; an organization member
 * is changed through the organization, and the product route says so. */
static void test_org_product_team_list(void **state)
{
    (void)state;
    json_t *j = call("GET", "/v1/products/asset-tracker/team", MEMBER_TOKEN, NULL, false, 200);
    json_t *team = json_object_get(j, "team");
    assert_int_equal(json_array_size(team), 2);
    assert_string_equal(jstr(json_array_get(team, 0), "username"), "demo@example.com");
    json_t *member = json_array_get(team, 1);
    assert_string_equal(jstr(member, "username"), "member@example.com");
    assert_string_equal(jstr(json_object_get(member, "role"), "name"), "Developer");
    json_decref(j);
    j = call("DELETE", "/v1/products/asset-tracker/team/member@example.com", DEMO_TOKEN, NULL,
             false, 404);
    assert_string_equal(
        jstr(j, "error"),
        "A member of the organization's team: change it through /v1/orgs/:org/team");
    json_decref(j);
    json_decref(call("POST", "/v1/products/asset-tracker/team/member@example.com", DEMO_TOKEN,
                     "{\"role\":\"Support\"}", false, 404));
    /* on both teams: listed once, with the stronger role */
    json_decref(call("POST", "/v1/products/asset-tracker/team", DEMO_TOKEN,
                     "{\"username\":\"member@example.com\",\"role\":\"View-only\"}", false, 200));
    j = call("GET", "/v1/products/asset-tracker/team", DEMO_TOKEN, NULL, false, 200);
    team = json_object_get(j, "team");
    assert_int_equal(json_array_size(team), 2);
    assert_string_equal(jstr(json_object_get(json_array_get(team, 1), "role"), "name"),
                        "Developer");
    json_decref(j);
    /* the organization's own list is unchanged */
    j = call("GET", "/v1/orgs/acme/team", DEMO_TOKEN, NULL, false, 200);
    assert_int_equal(json_array_size(json_object_get(j, "team")), 2);
    json_decref(j);
}

static void test_product_and_org_shapes(void **state)
{
    (void)state;
    json_t *j = call("GET", "/v1/products/asset-tracker", MEMBER_TOKEN, NULL, false, 200);
    json_t *p = json_object_get(j, "product");
    assert_int_equal(json_integer_value(json_object_get(p, "id")), 10001);
    assert_int_equal(json_integer_value(json_object_get(p, "platform_id")), 13);
    assert_string_equal(jstr(p, "slug"), "asset-tracker");
    assert_string_equal(jstr(p, "name"), "Asset Tracker");
    assert_string_equal(jstr(p, "description"), "Trackers on shipping containers");
    assert_string_equal(jstr(p, "organization"), "5f0c0ffee0c0ffee0c0ffee0");
    assert_int_equal(json_array_size(json_object_get(p, "groups")),
                     4); /* europe, asia, americas, pilot-fleet */
    assert_int_equal(json_integer_value(json_object_get(p, "group_count")), 4);
    assert_int_equal(json_integer_value(json_object_get(p, "device_count")), 13);
    assert_true(json_is_object(json_object_get(p, "settings")));
    json_decref(j);
    j = call("GET", "/v1/orgs/acme/products", MEMBER_TOKEN, NULL, false, 200);
    assert_int_equal(json_array_size(json_object_get(j, "products")), 2);
    assert_string_equal(jstr(json_array_get(json_object_get(j, "products"), 1), "org"),
                        "Acme Industries");
    json_decref(j);
    j = call("GET", "/v1/orgs/5f0c0ffee0c0ffee0c0ffee0", MEMBER_TOKEN, NULL, false, 200);
    assert_string_equal(jstr(json_object_get(j, "organization"), "name"), "Acme Industries");
    json_decref(j);
}

/* An SSE stream of @p path as @p token, open (":ok" seen). */
static http_stream *open_stream(const char *path, const char *token)
{
    char url[256];
    http_headers h;
    http_stream *s = http_stream_open(http_url(url, sizeof(url), T->port, path),
                                      http_headers_bearer(&h, token, NULL, NULL));
    assert_true(http_stream_wait_for(s, ":ok\n\n", 5000));
    return s;
}

/* Organization event streams: the org's products' events, for its team only. */
static void test_org_streams(void **state)
{
    (void)state;
    http_stream *org = open_stream("/v1/orgs/acme/events/org-test", MEMBER_TOKEN);
    http_stream *product = open_stream("/v1/orgs/acme/products/env-sensors/events", DEMO_TOKEN);
    json_decref(call("POST", "/v1/products/env-sensors/events", DEMO_TOKEN,
                     "{\"name\":\"org-test\",\"data\":\"hello\"}", false, 200));
    assert_true(http_stream_wait_for(org, "event: org-test", 5000));
    assert_true(http_stream_wait_for(product, "event: org-test", 5000));
    http_stream_close(org);
    http_stream_close(product);
    json_decref(call("GET", "/v1/orgs/acme/events", OTHER_TOKEN, NULL, false, 403));
    json_decref(call("GET", "/v1/orgs/nope/events", DEMO_TOKEN, NULL, false, 404));
    json_decref(call("GET", "/v1/orgs/acme/products/99999/events", DEMO_TOKEN, NULL, false, 404));
}

/* Customers, clients and teams changed at run time survive a restart with --state. */
static void test_state_persists(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-accounts-XXXXXX", file[64];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof(file), "%s/state.db", dir);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = file;
    T = sim_test_start(&o);
    json_t *j = call("POST", "/v1/products/10001/customers", DEMO_TOKEN,
                     "{\"email\":\"kept@example.com\",\"password\":\"kept-pw\"}", false, 201);
    char *kept_token = pu_xstrdup(jstr(j, "access_token"));
    json_decref(j);
    json_decref(call("DELETE", "/v1/products/10001/customers/customer2@example.com", DEMO_TOKEN,
                     NULL, false, 200));
    json_decref(call("PUT", "/v1/products/10001/customers/customer@example.com", DEMO_TOKEN,
                     "{\"password\":\"changed-pw\"}", false, 200));
    j = call("POST", "/v1/clients", DEMO_TOKEN, "{\"name\":\"Kept\",\"type\":\"installed\"}", false,
             200);
    char form[256];
    snprintf(form, sizeof(form), "grant_type=client_credentials&client_id=%s&client_secret=%s",
             jstr(json_object_get(j, "client"), "id"),
             jstr(json_object_get(j, "client"), "secret"));
    json_decref(j);
    json_decref(call("DELETE", "/v1/clients/demo-client", DEMO_TOKEN, NULL, false, 204));
    json_decref(call("POST", "/v1/products/10001/team", DEMO_TOKEN,
                     "{\"username\":\"other@example.com\",\"role\":\"Support\"}", false, 200));
    json_decref(
        call("DELETE", "/v1/orgs/acme/team/member@example.com", DEMO_TOKEN, NULL, false, 200));
    sim_test_stop(T);

    T = sim_test_start(&o);
    json_decref(call("GET", "/v1/devices", kept_token, NULL, false, 200));
    free(login("grant_type=password&username=kept%40example.com&password=kept-pw"));
    free(login("grant_type=password&username=customer%40example.com&password=changed-pw"));
    json_decref(call("GET", "/v1/products/10001/customers/customer2@example.com", DEMO_TOKEN, NULL,
                     false, 404));
    free(login(form));
    json_decref(call("POST", "/oauth/token", NULL,
                     "grant_type=client_credentials&client_id=demo-client&client_secret=demo-"
                     "client-secret",
                     true, 401));
    j = call("GET", "/v1/products/10001/team", OTHER_TOKEN, NULL, false, 200);
    assert_string_equal(
        jstr(json_object_get(json_array_get(json_object_get(j, "team"), 1), "role"), "name"),
        "Support");
    json_decref(j);
    json_decref(call("GET", "/v1/orgs/acme", MEMBER_TOKEN, NULL, false, 403));
    sim_test_stop(T);
    T = NULL;
    free(kept_token);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_org_product_team_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oauth_clients, setup, teardown),
        cmocka_unit_test_setup_teardown(test_team_membership, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_and_org_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_persists, NULL, teardown),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
