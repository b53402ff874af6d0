/*
 * Scope matrix: who may call which route. Starts particle-sim in-process on 127.0.0.1:0 with
 * the default fleet (or a given one), gets a token for each of five principals and runs a
 * table of rows against every one of them:
 *
 *   SM_OWNER      the organization's owner (demo@example.com: owns devices, on every team)
 *   SM_MEMBER     a team member of the product (member@example.com, role Developer)
 *   SM_NONMEMBER  a developer on no team of the product (other@example.com)
 *   SM_CUSTOMER   a customer of the product (customer@example.com, token by client
 *                 credentials with scope=customer=EMAIL)
 *   SM_PRODUCT    a product client's token (client_credentials of asset-tracker-client)
 *
 * A row is {method, path, body, expected status per principal, a read whose answer must not
 * change when a write is refused}. Paths and bodies may hold placeholders, replaced before
 * each request:
 *   {product} the product's id        {slug} its slug          {org} the organization's slug
 *   {device}  the id of a device of the product that the customer owns
 *   {who}     the principal's name (owner, member, nonmember, customer, product): lets a
 *             write that succeeds for several principals name a different thing each time
 * For every row and principal the harness asserts the status, and that a 4xx/5xx answer is a
 * JSON object with an "error" string. When `unchanged` is set and the answer is 4xx, the
 * owner's GET of `unchanged` (placeholders allowed) reads the same before and after.
 * `before` (may be NULL) runs before each principal's request, with the model unlocked: it
 * may recreate what an earlier principal's successful delete removed.
 *
 * Usage (a cmocka test):
 *     static const sm_row ROWS[] = {
 *         {"GET", "/v1/products/{product}/team", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
 *         {"POST", "/v1/products/{product}/team", "{\"username\":\"x@example.com\"}",
 *          SM_EXPECT(200, 403, 403, 403, 200), .unchanged = "/v1/products/{product}/team"},
 *     };
 *     sm_fleet f = SM_DEFAULT_FLEET;
 *     sm_ctx *sm = sm_start(&f);
 *     sm_run(sm, ROWS, SM_COUNT(ROWS));
 *     sm_stop(sm);
 */
#ifndef SCOPE_MATRIX_H
#define SCOPE_MATRIX_H

#include "pu_str.h"
#include "sim_test.h"

enum { SM_OWNER, SM_MEMBER, SM_NONMEMBER, SM_CUSTOMER, SM_PRODUCT, SM_PRINCIPALS };

static const char *const SM_NAMES[SM_PRINCIPALS] = {"owner", "member", "nonmember", "customer",
                                                    "product"};

/* The expected statuses, in SM_* order; a row names further fields as .unchanged / .before. */
#define SM_EXPECT(owner, member, nonmember, customer, product)                                     \
    .expect = {owner, member, nonmember, customer, product}
#define SM_COUNT(rows) (sizeof(rows) / sizeof((rows)[0]))

struct sm_ctx;
typedef struct sm_row {
    const char *method;
    const char *path;
    const char *body; /* JSON, or NULL */
    long expect[SM_PRINCIPALS];
    const char *unchanged; /* GET path read by the owner around a refused write, or NULL */
    void (*before)(struct sm_ctx *sm, int principal, const struct sm_row *row);
} sm_row;

/* Who the principals are in the fleet under test. */
typedef struct sm_fleet {
    const char *fleet_path;  /* NULL = the built-in default fleet */
    const char *owner_token; /* fixed tokens of the fleet's users */
    const char *member_token;
    const char *nonmember_token;
    const char *client_id; /* the product's client: product and customer tokens */
    const char *client_secret;
    const char *customer;    /* the customer's email */
    const char *product;     /* id or slug of the product under test */
    const char *org;         /* slug of its organization */
    const char *device_name; /* a device of the product the customer owns */
} sm_fleet;

#define SM_MEMBER_TOKEN "0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e"
#define SM_DEFAULT_FLEET                                                                           \
    {                                                                                              \
        .fleet_path = NULL, .owner_token = DEMO_TOKEN, .member_token = SM_MEMBER_TOKEN,            \
        .nonmember_token = OTHER_TOKEN, .client_id = "asset-tracker-client",                       \
        .client_secret = "asset-tracker-secret", .customer = "customer@example.com",               \
        .product = "asset-tracker", .org = "acme", .device_name = "customer-tracker"               \
    }

typedef struct sm_ctx {
    sim_test *t;
    sm_fleet fleet;
    char tokens[SM_PRINCIPALS][SIM_TOKEN_LEN + 1];
    char product_id[16];
    char slug[64];
    char device_id[SIM_DEVICE_ID_LEN + 1];
} sm_ctx;

/* A client_credentials token (scope may be NULL) into @p out. */
static inline void sm_client_token(const sm_ctx *sm, const char *scope, char *out)
{
    char body[512];
    snprintf(body, sizeof(body), "grant_type=client_credentials&client_id=%s&client_secret=%s%s%s",
             sm->fleet.client_id, sm->fleet.client_secret, scope ? "&scope=" : "",
             scope ? scope : "");
    http_reply r = sim_req(sm->t, "POST", "/oauth/token", NULL, FORM, body);
    json_t *j = sim_json(&r, 200);
    pu_strlcpy(out, jstr(j, "access_token"), SIM_TOKEN_LEN + 1);
    json_decref(j);
    http_reply_dispose(&r);
}

static inline sm_ctx *sm_start(const sm_fleet *fleet)
{
    sm_ctx *sm = calloc(1, sizeof(*sm));
    sm->fleet = *fleet;
    sim_server_options o;
    sim_server_options_init(&o);
    o.fleet_path = fleet->fleet_path;
    o.offline_delay_ms = 50;
    sm->t = sim_test_start(&o);
    pu_strlcpy(sm->tokens[SM_OWNER], fleet->owner_token, sizeof(sm->tokens[0]));
    pu_strlcpy(sm->tokens[SM_MEMBER], fleet->member_token, sizeof(sm->tokens[0]));
    pu_strlcpy(sm->tokens[SM_NONMEMBER], fleet->nonmember_token, sizeof(sm->tokens[0]));
    sm_client_token(sm, NULL, sm->tokens[SM_PRODUCT]);
    char scope[256];
    snprintf(scope, sizeof(scope), "customer%%3D%s", fleet->customer);
    sm_client_token(sm, scope, sm->tokens[SM_CUSTOMER]);

    sim_model *m = sim_server_model(sm->t->srv);
    sim_model_lock(m);
    uint32_t p = sim_model_find_product(m, fleet->product);
    if (p == SIM_NONE)
        fail_msg("no product %s in the fleet", fleet->product);
    snprintf(sm->product_id, sizeof(sm->product_id), "%u", m->products[p].id);
    pu_strlcpy(sm->slug, m->products[p].slug, sizeof(sm->slug));
    uint32_t d = sim_test_device_named(m, fleet->device_name);
    pu_strlcpy(sm->device_id, m->devices[d].id, sizeof(sm->device_id));
    sim_model_unlock(m);
    return sm;
}

static inline void sm_stop(sm_ctx *sm)
{
    sim_test_stop(sm->t);
    free(sm);
}

static inline sim_model *sm_model(sm_ctx *sm)
{
    return sim_server_model(sm->t->srv);
}

/* @p in with the placeholders replaced, into @p out (fails the test when it does not fit). */
static inline const char *sm_expand(const sm_ctx *sm, int principal, const char *in, char *out,
                                    size_t size)
{
    static const char *const KEYS[] = {"{product}", "{slug}", "{org}", "{device}", "{who}"};
    const char *vals[] = {sm->product_id, sm->slug, sm->fleet.org, sm->device_id,
                          SM_NAMES[principal]};
    size_t n = 0;
    while (*in) {
        size_t k = 0, nk = sizeof(KEYS) / sizeof(KEYS[0]);
        while (k < nk && strncmp(in, KEYS[k], strlen(KEYS[k])) != 0)
            k++;
        const char *piece = k < nk ? vals[k] : in;
        size_t len = k < nk ? strlen(vals[k]) : 1;
        if (n + len >= size)
            fail_msg("expanded text too long: %s", in);
        memcpy(out + n, piece, len);
        n += len;
        in += k < nk ? strlen(KEYS[k]) : 1;
    }
    out[n] = '\0';
    return out;
}

/* The owner's GET of @p path (expanded for @p principal) as a malloc'd body. */
static inline char *sm_snapshot(const sm_ctx *sm, int principal, const char *path)
{
    char url[1024];
    sm_expand(sm, principal, path, url, sizeof(url));
    http_reply r = sim_req(sm->t, "GET", url, sm->tokens[SM_OWNER], NULL, NULL);
    char *body = pu_xstrdup(r.body ? r.body : "");
    http_reply_dispose(&r);
    return body;
}

/* One request of @p row as @p principal; asserts everything the header promises. */
static inline void sm_run_one(sm_ctx *sm, const sm_row *row, int principal)
{
    char path[1024], body[2048];
    if (row->before)
        row->before(sm, principal, row);
    sm_expand(sm, principal, row->path, path, sizeof(path));
    if (row->body)
        sm_expand(sm, principal, row->body, body, sizeof(body));
    char *before = row->unchanged ? sm_snapshot(sm, principal, row->unchanged) : NULL;
    http_reply r = sim_req(sm->t, row->method, path, sm->tokens[principal],
                           row->body ? JSON_CT : NULL, row->body ? body : NULL);
    long want = row->expect[principal];
    if (r.status != want)
        fail_msg("%s %s as %s: expected %ld, got %ld: %s", row->method, path, SM_NAMES[principal],
                 want, r.status, r.body ? r.body : "");
    if (r.status >= 400) {
        json_t *j = http_reply_json(&r);
        if (!json_is_object(j) || !json_is_string(json_object_get(j, "error")))
            fail_msg("%s %s as %s: %ld without a JSON error: %s", row->method, path,
                     SM_NAMES[principal], r.status, r.body ? r.body : "");
        json_decref(j);
        if (before) {
            char *after = sm_snapshot(sm, principal, row->unchanged);
            if (strcmp(before, after) != 0)
                fail_msg("%s %s as %s was refused (%ld) but changed %s:\n%s\n->\n%s", row->method,
                         path, SM_NAMES[principal], r.status, row->unchanged, before, after);
            free(after);
        }
    }
    free(before);
    http_reply_dispose(&r);
}

/* Every row against every principal, in table order (a row's principals in SM_* order). */
static inline void sm_run(sm_ctx *sm, const sm_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++)
        for (int p = 0; p < SM_PRINCIPALS; p++)
            sm_run_one(sm, &rows[i], p);
}

#endif
