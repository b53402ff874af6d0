/*
 * Environment variables (env.h) against a loopback canned server: for each call and each
 * scope the exact request line and body it sends (particle-api-js.md §2.11), the documented
 * answers read through the document, errors mapped, and argument checks that send nothing.
 */
#include "sdk_fixture.h"

#define DEVICE "0123456789abcdef01234567"
#define LIST_JSON                                                                                  \
    "{\"last_snapshot\":{\"own\":{},\"inherited\":{}},\"latest\":{\"own\":{\"FOO\":{\"value\":"    \
    "\"bar\"}},\"inherited\":{\"ORG\":{\"value\":\"x\",\"from\":\"Owner\"}}},\"created_at\":null," \
    "\"updated_at\":null,\"created_by\":null,\"updated_by\":null}"

typedef int call_fn(particle_doc **out, particle_client *c);

static const particle_env_scope sandbox = {PARTICLE_ENV_SANDBOX, NULL};
static const particle_env_scope org = {PARTICLE_ENV_ORG, "acme co"};
static const particle_env_scope product = {PARTICLE_ENV_PRODUCT, "12345"};
static const particle_env_scope device = {PARTICLE_ENV_DEVICE, DEVICE};

static int list_sandbox(particle_doc **out, particle_client *c)
{
    return particle_env_list(out, c, &sandbox);
}

static int list_org(particle_doc **out, particle_client *c)
{
    return particle_env_list(out, c, &org);
}

static int list_product(particle_doc **out, particle_client *c)
{
    return particle_env_list(out, c, &product);
}

static int list_device(particle_doc **out, particle_client *c)
{
    return particle_env_list(out, c, &device);
}

static int update_product(particle_doc **out, particle_client *c)
{
    const particle_env_op ops[] = {{0, "FOO", "bar"}, {1, "OLD", NULL}};
    return particle_env_update(out, c, &product, ops, 2);
}

static int set_sandbox(particle_doc **out, particle_client *c)
{
    return particle_env_set(out, c, &sandbox, "FOO", "a b");
}

static int set_device(particle_doc **out, particle_client *c)
{
    return particle_env_set(out, c, &device, "FOO", "1");
}

static int delete_org(particle_doc **out, particle_client *c)
{
    return particle_env_delete(out, c, &org, "FOO");
}

static int render_device(particle_doc **out, particle_client *c)
{
    return particle_env_render(out, c, &device);
}

static int render_sandbox(particle_doc **out, particle_client *c)
{
    return particle_env_render(out, c, &sandbox);
}

static int review_product(particle_doc **out, particle_client *c)
{
    return particle_env_rollout_review(out, c, &product);
}

static int rollout_sandbox(particle_doc **out, particle_client *c)
{
    return particle_env_rollout_start(out, c, &sandbox, PARTICLE_ENV_ROLLOUT_IMMEDIATE);
}

static int rollout_device(particle_doc **out, particle_client *c)
{
    return particle_env_rollout_start(out, c, &device, PARTICLE_ENV_ROLLOUT_CONNECT);
}

typedef struct wire_case {
    const char *name;
    call_fn *call;
    const char *expect; /* the whole request line */
    const char *body;   /* the exact request body; "" = none */
    int status;
    const char *answer;
    int rc;
    const char *key; /* a member of the answer's root; NULL = none */
} wire_case;

static const wire_case cases[] = {
    {"list sandbox", list_sandbox, "GET /v1/env HTTP/1.1", "", 200, LIST_JSON, 0, "latest"},
    {"list org", list_org, "GET /v1/orgs/acme%20co/env HTTP/1.1", "", 200, LIST_JSON, 0, "latest"},
    {"list product", list_product, "GET /v1/products/12345/env HTTP/1.1", "", 200, LIST_JSON, 0,
     "last_snapshot"},
    {"list device", list_device, "GET /v1/env/" DEVICE " HTTP/1.1", "", 200, LIST_JSON, 0,
     "latest"},
    {"list without latest", list_sandbox, "GET /v1/env HTTP/1.1", "", 200, "{}", PARTICLE_EPROTO,
     NULL},
    {"list unknown product", list_product, "GET /v1/products/12345/env HTTP/1.1", "", 404,
     "{\"ok\":false,\"error\":\"Product not found\"}", PARTICLE_ENOTFOUND, NULL},
    {"update product", update_product, "PATCH /v1/products/12345/env HTTP/1.1",
     "{\"ops\":[{\"op\":\"Set\",\"key\":\"FOO\",\"value\":\"bar\"},{\"op\":\"Unset\",\"key\":"
     "\"OLD\"}]}",
     200, LIST_JSON, 0, "latest"},
    {"update rejected", update_product, "PATCH /v1/products/12345/env HTTP/1.1",
     "{\"ops\":[{\"op\":\"Set\",\"key\":\"FOO\",\"value\":\"bar\"},{\"op\":\"Unset\",\"key\":"
     "\"OLD\"}]}",
     400, "{\"ok\":false,\"error\":\"bad key\"}", PARTICLE_EHTTP, NULL},
    {"set sandbox", set_sandbox, "PUT /v1/env/FOO HTTP/1.1", "{\"value\":\"a b\"}", 200, LIST_JSON,
     0, "latest"},
    {"set device", set_device, "PUT /v1/env/" DEVICE "/FOO HTTP/1.1", "{\"value\":\"1\"}", 200,
     LIST_JSON, 0, NULL},
    {"delete org", delete_org, "DELETE /v1/orgs/acme%20co/env/FOO HTTP/1.1", "", 200, LIST_JSON, 0,
     NULL},
    {"render device", render_device, "GET /v1/env/" DEVICE "/render HTTP/1.1", "", 200,
     "{\"env\":{\"FOO\":\"bar\"},\"last_updated_at\":null,\"rollout_at\":null,\"rollout_by\":null}",
     0, "env"},
    {"render sandbox", render_sandbox, "GET /v1/env/render HTTP/1.1", "", 200, "{\"env\":{}}", 0,
     "env"},
    {"render without env", render_sandbox, "GET /v1/env/render HTTP/1.1", "", 200, "[]",
     PARTICLE_EPROTO, NULL},
    {"review product", review_product, "GET /v1/products/12345/env/rollout HTTP/1.1", "", 200,
     "{\"from_snapshot\":{\"changes\":[{\"op\":\"Added\",\"key\":\"FOO\",\"after\":\"bar\"}],"
     "\"unchanged\":{}}}",
     0, "from_snapshot"},
    {"rollout sandbox", rollout_sandbox, "POST /v1/env/rollout HTTP/1.1",
     "{\"when\":\"Immediate\"}", 200, "{\"success\":true}", 0, "success"},
    {"rollout device", rollout_device, "POST /v1/env/" DEVICE "/rollout HTTP/1.1",
     "{\"when\":\"Connect\"}", 200, "{\"success\":true}", 0, "success"},
    {"rollout forbidden", rollout_device, "POST /v1/env/" DEVICE "/rollout HTTP/1.1",
     "{\"when\":\"Connect\"}", 403, "{\"error\":\"Permission Denied\"}", PARTICLE_EFORBIDDEN, NULL},
};

static void test_wire(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const wire_case *w = &cases[i];
        print_message("case: %s\n", w->name);
        canned_step step = {.expect = w->expect, .status = w->status, .body = w->answer};
        canned_server *srv = canned_server_start(&step, 1);
        assert_non_null(srv);
        particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
        particle_doc *doc = (particle_doc *)(void *)&doc; /* must be reset */
        int rc = w->call(&doc, c);
        if (rc != w->rc) {
            fail_msg("%s: %s (%s), expected %s", w->name, particle_code_name(rc),
                     particle_error_last()->message, particle_code_name(w->rc));
        }
        assert_int_equal(canned_server_request_count(srv), 1);
        fixture_assert_script_ok(srv);
        fixture_assert_body(srv, 0, w->body);
        fixture_assert_request_has(srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
        if (w->body[0] != '\0') {
            fixture_assert_request_has(srv, 0, "Content-Type: application/json\r\n");
        }
        if (rc == 0) {
            assert_non_null(doc);
            if (w->key != NULL) {
                assert_non_null(particle_value_get(particle_doc_root(doc), w->key));
            }
            particle_doc_free(doc);
        } else {
            assert_null(doc);
        }
        particle_client_free(c);
        canned_server_stop(srv);
    }
}

/* The listing is returned whole: an inherited value and where it comes from. */
static void test_list_read(void **state)
{
    (void)state;
    canned_step step = {.expect = "GET /v1/env HTTP/1.1", .status = 200, .body = LIST_JSON};
    canned_server *srv = canned_server_start(&step, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_env_list(&doc, c, &sandbox), 0);
    const particle_value *inherited =
        particle_value_get(particle_value_get(particle_doc_root(doc), "latest"), "inherited");
    const particle_value *v = particle_value_get(inherited, "ORG");
    assert_string_equal(particle_value_string(particle_value_get(v, "from")), "Owner");
    assert_string_equal(particle_value_string(particle_value_get(v, "value")), "x");
    particle_doc_free(doc);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = (particle_doc *)(void *)&doc;
    const particle_env_scope no_id = {PARTICLE_ENV_PRODUCT, NULL};
    const particle_env_scope empty_id = {PARTICLE_ENV_DEVICE, ""};
    const particle_env_scope bad_kind = {(particle_env_scope_kind)7, "x"};
    const particle_env_op no_key[] = {{0, "", "v"}};
    const particle_env_op no_value[] = {{0, "K", NULL}};
    const particle_env_op fine[] = {{1, "K", NULL}};

    assert_int_equal(particle_env_list(&doc, c, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_env_list(&doc, c, &no_id), PARTICLE_EINVAL);
    assert_int_equal(particle_env_list(&doc, c, &empty_id), PARTICLE_EINVAL);
    assert_int_equal(particle_env_list(&doc, c, &bad_kind), PARTICLE_EINVAL);
    assert_int_equal(particle_env_list(NULL, c, &sandbox), PARTICLE_EINVAL);
    assert_int_equal(particle_env_list(&doc, NULL, &sandbox), PARTICLE_EINVAL);
    assert_int_equal(particle_env_update(&doc, c, &sandbox, NULL, 0), PARTICLE_EINVAL);
    assert_int_equal(particle_env_update(&doc, c, &sandbox, no_key, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_env_update(&doc, c, &sandbox, no_value, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_env_update(&doc, NULL, &sandbox, fine, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_env_update(&doc, c, &no_id, fine, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_env_set(&doc, c, &sandbox, "", "v"), PARTICLE_EINVAL);
    assert_int_equal(particle_env_set(&doc, c, &sandbox, "K", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_env_set(&doc, c, &sandbox, "K", "\xff"), PARTICLE_EINVAL);
    assert_int_equal(particle_env_delete(&doc, c, &sandbox, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_env_render(&doc, c, &empty_id), PARTICLE_EINVAL);
    assert_int_equal(particle_env_rollout_review(&doc, c, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_env_rollout_start(&doc, c, &sandbox, (particle_env_rollout_when)5),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_env_rollout_start(&doc, c, &bad_kind, PARTICLE_ENV_ROLLOUT_CONNECT),
                     PARTICLE_EINVAL);
    assert_null(doc);

    assert_int_equal(canned_server_request_count(srv), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire),
        cmocka_unit_test(test_list_read),
        cmocka_unit_test(test_bad_arguments_send_nothing),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
