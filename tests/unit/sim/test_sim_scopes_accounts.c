/* Scope matrix of the account routes (products, organizations, team, OAuth clients,
 * customers): each route against the owner, a team member (Developer in the organization), a
 * non-member, a customer and a product client token (scope_matrix.h), with bad input too. */
#include "scope_matrix.h"

#include "model/sim_accounts.h"

static sm_ctx *SM;

static int setup(void **state)
{
    sim_test_global_setup(state);
    sm_fleet f = SM_DEFAULT_FLEET;
    SM = sm_start(&f);
    return 0;
}

static int teardown(void **state)
{
    sm_stop(SM);
    return sim_test_global_teardown(state);
}

#define OTHER "other@example.com"
#define LONG_NAME                                                                                  \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com"

/* Puts other@example.com on the asset-tracker team (@p org false) or the acme
 * organization's team with @p role, or (@p role < 0) takes it off. */
static void set_other(bool org, int role)
{
    sim_model *m = sm_model(SM);
    sim_model_lock(m);
    uint32_t index = org ? sim_model_find_org(m, "acme") : sim_model_find_product(m, "10001");
    const char *why;
    sim_model_team_remove(m, org, index, OTHER, &why);
    if (role >= 0)
        assert_int_equal(sim_model_team_invite(m, org, index, OTHER, (sim_role)role, &why), SIM_OK);
    sim_model_unlock(m);
}

static void other_off_product(sm_ctx *sm, int principal, const sm_row *row)
{
    (void)sm, (void)principal, (void)row;
    set_other(false, -1);
}

static void other_viewer_of_product(sm_ctx *sm, int principal, const sm_row *row)
{
    (void)sm, (void)principal, (void)row;
    set_other(false, SIM_ROLE_VIEW_ONLY);
}

static void other_off_org(sm_ctx *sm, int principal, const sm_row *row)
{
    (void)sm, (void)principal, (void)row;
    set_other(true, -1);
}

static void other_viewer_of_org(sm_ctx *sm, int principal, const sm_row *row)
{
    (void)sm, (void)principal, (void)row;
    set_other(true, SIM_ROLE_VIEW_ONLY);
}

/* A product client "doomed-client" to delete (again). */
static void doomed_client(sm_ctx *sm, int principal, const sm_row *row)
{
    (void)principal, (void)row;
    sim_model *m = sm_model(sm);
    sim_model_lock(m);
    sim_client c = {.id = "doomed-client",
                    .secret = "doomed-secret",
                    .product = sim_model_find_product(m, "10001"),
                    .owner = SIM_NONE};
    sim_model_add_client_as(m, &c);
    sim_model_unlock(m);
}

static void test_products_and_orgs(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products", NULL, SM_EXPECT(200, 200, 200, 403, 200)},
        {"GET", "/v1/user/products", NULL, SM_EXPECT(200, 200, 200, 403, 200)},
        {"GET", "/v1/products/{product}", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/99999", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"GET", "/v1/orgs", NULL, SM_EXPECT(200, 200, 200, 403, 403)},
        {"GET", "/v1/orgs/{org}", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"GET", "/v1/orgs/5f0c0ffee0c0ffee0c0ffee0", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"GET", "/v1/orgs/no-such-org", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"GET", "/v1/orgs/{org}/products", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_team(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products/{product}/team", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"POST", "/v1/products/{product}/team", "{\"username\":\"" OTHER "\"}",
         SM_EXPECT(200, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team",
         .before = other_off_product},
        {"DELETE", "/v1/products/{product}/team/" OTHER, NULL, SM_EXPECT(200, 403, 403, 403, 403),
         .unchanged = "/v1/products/{product}/team", .before = other_viewer_of_product},
        {"POST", "/v1/products/{product}/team/" OTHER, "{\"role\":\"Support\"}",
         SM_EXPECT(200, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team",
         .before = other_viewer_of_product},
        {"POST", "/v1/products/{product}/team/" OTHER, "{}", SM_EXPECT(400, 403, 403, 403, 403),
         .unchanged = "/v1/products/{product}/team", .before = other_viewer_of_product},
        {"POST", "/v1/products/{product}/team/nobody@example.com", "{\"role\":\"Support\"}",
         SM_EXPECT(404, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team"},
        /* bad input: an unknown user, a member already, a bad role, an over-long name,
         * API users, no username, malformed JSON, removing a non-member */
        {"POST", "/v1/products/{product}/team", "{\"username\":\"nobody@example.com\"}",
         SM_EXPECT(404, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team"},
        {"POST", "/v1/products/{product}/team", "{\"username\":\"demo@example.com\"}",
         SM_EXPECT(409, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team"},
        {"POST", "/v1/products/{product}/team", "{\"username\":\"" OTHER "\",\"role\":\"King\"}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team",
         .before = other_off_product},
        {"POST", "/v1/products/{product}/team", "{\"username\":\"" LONG_NAME "\"}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team"},
        {"POST", "/v1/products/{product}/team", "{\"username\":\"customer2@example.com\"}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team"},
        {"POST", "/v1/products/{product}/team", "{\"friendly_name\":\"bot\",\"scopes\":[]}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team"},
        {"POST", "/v1/products/{product}/team", "{}", SM_EXPECT(400, 403, 403, 403, 403),
         .unchanged = "/v1/products/{product}/team"},
        {"POST", "/v1/products/{product}/team", "{\"username\":",
         SM_EXPECT(400, 400, 400, 400, 400), .unchanged = "/v1/products/{product}/team"},
        {"DELETE", "/v1/products/{product}/team/nobody@example.com", NULL,
         SM_EXPECT(404, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/team"},
        {"GET", "/v1/products/99999/team", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        /* the organization's team */
        {"GET", "/v1/orgs/{org}/team", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"POST", "/v1/orgs/{org}/team", "{\"username\":\"" OTHER "\",\"role\":\"Support\"}",
         SM_EXPECT(200, 403, 403, 403, 403), .unchanged = "/v1/orgs/{org}/team",
         .before = other_off_org},
        {"DELETE", "/v1/orgs/{org}/team/" OTHER, NULL, SM_EXPECT(200, 403, 403, 403, 403),
         .unchanged = "/v1/orgs/{org}/team", .before = other_viewer_of_org},
        {"POST", "/v1/orgs/{org}/team/member@example.com", "{\"role\":\"King\"}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/orgs/{org}/team"},
        {"POST", "/v1/orgs/{org}/team/" OTHER, "{\"role\":\"Developer\"}",
         SM_EXPECT(200, 403, 403, 403, 403), .unchanged = "/v1/orgs/{org}/team",
         .before = other_viewer_of_org},
        {"POST", "/v1/orgs/{org}/team", "{\"username\":\"member@example.com\"}",
         SM_EXPECT(409, 403, 403, 403, 403), .unchanged = "/v1/orgs/{org}/team"},
        {"DELETE", "/v1/orgs/no-such-org/team/" OTHER, NULL, SM_EXPECT(404, 404, 404, 404, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
    set_other(false, -1);
    set_other(true, -1);
}

static void test_clients(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/clients", NULL, SM_EXPECT(200, 200, 200, 403, 403)},
        {"POST", "/v1/clients", "{\"name\":\"{who} app\",\"type\":\"installed\"}",
         SM_EXPECT(200, 200, 200, 403, 403)},
        {"PUT", "/v1/clients/demo-client", "{\"name\":\"Renamed\"}",
         SM_EXPECT(200, 404, 404, 403, 403)},
        {"GET", "/v1/products/{product}/clients", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"POST", "/v1/products/{product}/clients", "{\"name\":\"{who}\",\"type\":\"installed\"}",
         SM_EXPECT(200, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"PUT", "/v1/products/{product}/clients/asset-tracker-client",
         "{\"name\":\"Asset Tracker Backend\",\"scope\":\"customers:create\"}",
         SM_EXPECT(200, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"DELETE", "/v1/products/{product}/clients/doomed-client", NULL,
         SM_EXPECT(204, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients",
         .before = doomed_client},
        /* bad input */
        {"POST", "/v1/products/{product}/clients", "{\"name\":\"x\",\"type\":\"bogus\"}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"POST", "/v1/products/{product}/clients", "{\"name\":\"web\",\"type\":\"web\"}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"POST", "/v1/products/{product}/clients",
         "{\"name\":\"" LONG_NAME "\",\"type\":\"installed\"}", SM_EXPECT(400, 403, 403, 403, 403),
         .unchanged = "/v1/products/{product}/clients"},
        {"POST", "/v1/products/{product}/clients",
         "{\"name\":\"x\",\"type\":\"installed\",\"scope\":\"devices:list\"}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"PUT", "/v1/products/{product}/clients/asset-tracker-client", "{}",
         SM_EXPECT(400, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"PUT", "/v1/products/{product}/clients/no-such-client", "{\"name\":\"x\"}",
         SM_EXPECT(404, 403, 403, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"PUT", "/v1/clients/asset-tracker-client", "{\"name\":\"x\"}",
         SM_EXPECT(404, 404, 404, 403, 403), .unchanged = "/v1/products/{product}/clients"},
        {"DELETE", "/v1/clients/no-such-client", NULL, SM_EXPECT(404, 404, 404, 403, 403)},
        /* last: the owner's delete leaves nothing for the others */
        {"DELETE", "/v1/clients/demo-client", NULL, SM_EXPECT(204, 404, 404, 403, 403)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_customers(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products/{product}/customers", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{product}/customers?page=2&perPage=2", NULL,
         SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{product}/customers/customer2@example.com", NULL,
         SM_EXPECT(200, 200, 403, 403, 200)},
        {"POST", "/v1/products/{product}/customers",
         "{\"email\":\"{who}-c@example.com\",\"password\":\"pw-{who}\"}",
         SM_EXPECT(201, 201, 403, 403, 201), .unchanged = "/v1/products/{product}/customers"},
        {"PUT", "/v1/products/{product}/customers/customer2@example.com",
         "{\"password\":\"new-password\"}", SM_EXPECT(200, 200, 403, 403, 200)},
        {"DELETE", "/v1/products/{product}/customers/{who}-c@example.com", NULL,
         SM_EXPECT(200, 200, 403, 403, 200), .unchanged = "/v1/products/{product}/customers"},
        /* bad input: paging past the end, bad paging, duplicates, over-long and empty
         * emails, a shadow customer's password, unknown customers */
        {"GET", "/v1/products/{product}/customers?page=9", NULL,
         SM_EXPECT(400, 400, 403, 403, 400)},
        {"GET", "/v1/products/{product}/customers?per_page=0", NULL,
         SM_EXPECT(400, 400, 403, 403, 400)},
        {"POST", "/v1/products/{product}/customers",
         "{\"email\":\"customer2@example.com\",\"password\":\"x\"}",
         SM_EXPECT(409, 409, 403, 403, 409), .unchanged = "/v1/products/{product}/customers"},
        {"POST", "/v1/products/{product}/customers",
         "{\"email\":\"demo@example.com\",\"no_password\":true}",
         SM_EXPECT(409, 409, 403, 403, 409), .unchanged = "/v1/products/{product}/customers"},
        {"POST", "/v1/products/{product}/customers",
         "{\"email\":\"" LONG_NAME "\",\"password\":\"x\"}", SM_EXPECT(400, 400, 403, 403, 400),
         .unchanged = "/v1/products/{product}/customers"},
        {"POST", "/v1/products/{product}/customers", "{\"password\":\"x\"}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = "/v1/products/{product}/customers"},
        {"POST", "/v1/products/{product}/customers", "{\"email\":\"nopw@example.com\"}",
         SM_EXPECT(400, 400, 403, 403, 400), .unchanged = "/v1/products/{product}/customers"},
        {"POST", "/v1/products/{product}/customers", "{\"email\":",
         SM_EXPECT(400, 400, 400, 400, 400), .unchanged = "/v1/products/{product}/customers"},
        {"POST", "/v1/products/99999/customers", "{\"email\":\"x@example.com\",\"password\":\"x\"}",
         SM_EXPECT(404, 404, 404, 404, 404)},
        {"PUT", "/v1/products/{product}/customers/shadow@example.com", "{\"password\":\"x\"}",
         SM_EXPECT(400, 400, 403, 403, 400)},
        {"PUT", "/v1/products/{product}/customers/customer2@example.com", "{}",
         SM_EXPECT(400, 400, 403, 403, 400)},
        {"GET", "/v1/products/{product}/customers/nobody@example.com", NULL,
         SM_EXPECT(404, 404, 403, 403, 404)},
        {"DELETE", "/v1/products/{product}/customers/nobody@example.com", NULL,
         SM_EXPECT(404, 404, 403, 403, 404), .unchanged = "/v1/products/{product}/customers"},
        /* a developer is not a customer of the product */
        {"GET", "/v1/products/{product}/customers/demo@example.com", NULL,
         SM_EXPECT(404, 404, 403, 403, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

/* The harness on routes that predate this file: a member reaches the product, a
 * non-member gets 403, a customer only its own device. */
static void test_product_devices(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products/{product}/devices", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}/devices/{device}", NULL, SM_EXPECT(200, 200, 403, 200, 200)},
        {"GET", "/v1/devices/{device}", NULL, SM_EXPECT(200, 200, 403, 200, 200)},
        {"GET", "/v1/products/99999/devices", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_products_and_orgs), cmocka_unit_test(test_team),
        cmocka_unit_test(test_clients),           cmocka_unit_test(test_customers),
        cmocka_unit_test(test_product_devices),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
