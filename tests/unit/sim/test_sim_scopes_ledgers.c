/* Scope matrix of the ledger routes (routes/ledgers.c), scope_matrix.h: an organization's
 * ledgers against its owner, a team member, a non-member, a customer and a product token,
 * and the sandbox ledgers (each developer has their own; customers and product tokens have
 * none). Refused writes leave the read unchanged; a scope value the namespace does not own
 * is 403 for everyone; malformed bodies are 400 before anything else. */
#include "scope_matrix.h"

static sm_ctx *SM;

/* The owner's request; asserts @p status. */
static void owner_call(const char *method, const char *path, const char *body, long status)
{
    char url[512];
    sm_expand(SM, SM_OWNER, path, url, sizeof(url));
    http_reply r = sim_req(SM->t, method, url, SM->tokens[SM_OWNER], JSON_CT, body);
    if (r.status != status)
        fail_msg("%s %s: expected %ld, got %ld: %s", method, url, status, r.status, r.body);
    http_reply_dispose(&r);
}

static int setup(void **state)
{
    sim_test_global_setup(state);
    sm_fleet f = SM_DEFAULT_FLEET;
    SM = sm_start(&f);
    owner_call(
        "POST", "/v1/orgs/{org}/ledgers",
        "{\"ledger\":{\"name\":\"shared\",\"scope\":\"Device\",\"direction\":\"Downstream\"}}",
        201);
    owner_call("PUT", "/v1/orgs/{org}/ledgers/shared/instances/{device}",
               "{\"instance\":{\"data\":{\"v\":0}}}", 200);
    owner_call("PUT", "/v1/orgs/{org}/ledgers/shared/instances/{device}",
               "{\"instance\":{\"data\":{\"v\":1}}}", 200);
    owner_call("POST", "/v1/ledgers",
               "{\"ledger\":{\"name\":\"mine\",\"scope\":\"Owner\",\"direction\":\"Downstream\"}}",
               201);
    return 0;
}

static int teardown(void **state)
{
    sm_stop(SM);
    return sim_test_global_teardown(state);
}

#define INSTANCE "/v1/orgs/{org}/ledgers/shared/instances/{device}"

static void test_org_ledgers(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/orgs/{org}/ledgers", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"GET", "/v1/orgs/{org}/ledgers?scope=Device&archived=false", NULL,
         SM_EXPECT(200, 200, 403, 403, 403)},
        {"POST", "/v1/orgs/{org}/ledgers",
         "{\"ledger\":{\"name\":\"by-{who}\",\"scope\":\"Product\",\"direction\":\"Upstream\"}}",
         SM_EXPECT(201, 201, 403, 403, 403), .unchanged = "/v1/orgs/{org}/ledgers"},
        {"GET", "/v1/orgs/{org}/ledgers/shared", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"GET", "/v1/orgs/{org}/ledgers/nope", NULL, SM_EXPECT(404, 404, 403, 403, 403)},
        {"PUT", "/v1/orgs/{org}/ledgers/shared", "{\"ledger\":{\"description\":\"{who}\"}}",
         SM_EXPECT(200, 200, 403, 403, 403), .unchanged = "/v1/orgs/{org}/ledgers/shared"},
        {"GET", "/v1/orgs/{org}/ledgers/shared/instances", NULL,
         SM_EXPECT(200, 200, 403, 403, 403)},
        {"GET", INSTANCE, NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"PUT", INSTANCE "?set_mode=Merge", "{\"instance\":{\"data\":{\"{who}\":true}}}",
         SM_EXPECT(200, 200, 403, 403, 403), .unchanged = INSTANCE},
        {"GET", INSTANCE "/versions", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        {"GET", INSTANCE "/versions/1", NULL, SM_EXPECT(200, 200, 403, 403, 403)},
        /* a device, a product and an owner that are not the organization's */
        {"PUT", "/v1/orgs/{org}/ledgers/shared/instances/000000000000000000000000",
         "{\"instance\":{\"data\":{}}}", SM_EXPECT(403, 403, 403, 403, 403),
         .unchanged = "/v1/orgs/{org}/ledgers/shared/instances"},
        {"GET", "/v1/orgs/{org}/ledgers/by-owner/instances/99999", NULL,
         SM_EXPECT(403, 403, 403, 403, 403)},
        /* malformed or wrong bodies: 400, nothing changed */
        {"PUT", INSTANCE, "{\"instance\":", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = INSTANCE},
        {"PUT", INSTANCE, "{\"instance\":{\"data\":\"text\"}}", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = INSTANCE},
        {"POST", "/v1/orgs/{org}/ledgers", "{\"ledger\":[]}", SM_EXPECT(400, 400, 400, 400, 400),
         .unchanged = "/v1/orgs/{org}/ledgers"},
        {"PUT", "/v1/orgs/{org}/ledgers/shared", "{\"ledger\":{\"direction\":\"Upstream\"}}",
         SM_EXPECT(400, 400, 403, 403, 403), .unchanged = "/v1/orgs/{org}/ledgers/shared"},
        /* deleting: the owner first, then the instance is gone */
        {"DELETE", INSTANCE, NULL, SM_EXPECT(204, 404, 403, 403, 403)},
        {"DELETE", "/v1/orgs/{org}/ledgers/shared", NULL, SM_EXPECT(204, 204, 403, 403, 403),
         .unchanged = "/v1/orgs/{org}/ledgers/shared"},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

static void test_sandbox_ledgers(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/ledgers", NULL, SM_EXPECT(200, 200, 200, 403, 403)},
        {"POST", "/v1/ledgers",
         "{\"ledger\":{\"name\":\"s-{who}\",\"scope\":\"Device\",\"direction\":\"Upstream\"}}",
         SM_EXPECT(201, 201, 201, 403, 403)},
        /* the owner's ledger is in the owner's sandbox only */
        {"GET", "/v1/ledgers/mine", NULL, SM_EXPECT(200, 404, 404, 403, 403)},
        {"PUT", "/v1/ledgers/mine/instances/demo%40example.com",
         "{\"instance\":{\"data\":{\"who\":\"{who}\"}}}", SM_EXPECT(200, 404, 404, 403, 403),
         .unchanged = "/v1/ledgers/mine/instances/demo%40example.com"},
        {"PUT", "/v1/ledgers/mine/instances/member%40example.com", "{\"instance\":{\"data\":{}}}",
         SM_EXPECT(403, 404, 404, 403, 403), .unchanged = "/v1/ledgers/mine/instances"},
        {"DELETE", "/v1/ledgers/mine", NULL, SM_EXPECT(204, 404, 404, 403, 403),
         .unchanged = "/v1/ledgers/mine"},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_org_ledgers),
        cmocka_unit_test(test_sandbox_ledgers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
