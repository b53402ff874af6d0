/* Ledgers (include/particle/ledgers.h) against a loopback canned server: the request lines
 * of the sandbox and organization routes, the JSON bodies and queries (set_mode, paging,
 * version cursors), argument checks that send nothing, and the documented errors
 * (cloud-api.md §13 "Ledger", particle-api-js.md §2.9). */
#include "sdk_fixture.h"

#define LEDGER                                                                                     \
    "{\"ledger\":{\"name\":\"settings\",\"scope\":\"Device\",\"direction\":\"Downstream\","        \
    "\"description\":\"\",\"created_at\":\"2026-01-01T00:00:00.000Z\",\"updated_at\":"             \
    "\"2026-01-01T00:00:00.000Z\",\"archived_at\":null}}"
#define INSTANCE                                                                                   \
    "{\"instance\":{\"name\":\"settings\",\"scope\":{\"type\":\"Device\",\"value\":\"dev1\"},"     \
    "\"size_bytes\":9,\"data\":{\"a\":1}}}"

typedef struct fixture {
    canned_server *srv;
    particle_client *c;
} fixture;

static fixture start(const canned_step *steps, size_t n)
{
    fixture f;
    f.srv = canned_server_start(steps, n);
    assert_non_null(f.srv);
    f.c = fixture_client(f.srv, TEST_TOKEN, NULL, NULL);
    return f;
}

static void finish(fixture *f)
{
    fixture_assert_script_ok(f->srv);
    particle_client_free(f->c);
    canned_server_stop(f->srv);
}

static void test_definitions_sandbox_and_org(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/ledgers HTTP/1.1",
         .status = 200,
         .body = "{\"ledger_definitions\":[],\"meta\":{}}"},
        {.expect = "GET /v1/orgs/my%20org/ledgers?scope=Device&page=2&per_page=5&archived=true "
                   "HTTP/1.1",
         .status = 200,
         .body = "{\"ledger_definitions\":[]}"},
        {.expect = "GET /v1/ledgers HTTP/1.1", .status = 200, .body = "{\"ledgers\":[]}"},
        {.expect = "POST /v1/ledgers HTTP/1.1", .status = 200, .body = LEDGER},
        {.expect = "GET /v1/orgs/acme/ledgers/settings HTTP/1.1", .status = 200, .body = LEDGER},
        {.expect = "PUT /v1/ledgers/settings HTTP/1.1", .status = 200, .body = LEDGER},
        {.expect = "DELETE /v1/orgs/acme/ledgers/settings HTTP/1.1", .status = 204},
        {.expect = "GET /v1/ledgers/gone HTTP/1.1",
         .status = 404,
         .body = "{\"error\":\"not_found\",\"error_description\":\"Ledger not found\"}"},
        {.expect = "POST /v1/ledgers HTTP/1.1",
         .status = 400,
         .body = "{\"error\":\"invalid_request\",\"error_description\":\"name taken\"}"},
    };
    fixture f = start(steps, 9);
    particle_doc *doc = NULL;
    assert_int_equal(particle_ledger_list(&doc, f.c, NULL, NULL), 0);
    assert_int_equal(
        particle_value_count(particle_value_get(particle_doc_root(doc), "ledger_definitions")), 0);
    particle_doc_free(doc);
    fixture_assert_request_has(f.srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    particle_ledger_list_options lo;
    assert_int_equal(particle_ledger_list_options_init(&lo, PARTICLE_LEDGER_LIST_OPTIONS_VERSION),
                     0);
    lo.scope = "Device";
    lo.page = 2;
    lo.per_page = 5;
    lo.archived = true;
    assert_int_equal(particle_ledger_list(&doc, f.c, "my org", &lo), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_list(&doc, f.c, "", NULL), PARTICLE_EPROTO);
    assert_null(doc);

    particle_ledger_options l = PARTICLE_LEDGER_OPTIONS_INIT;
    l.name = "settings";
    l.scope = "Device";
    l.direction = "Downstream";
    assert_int_equal(particle_ledger_create(&doc, f.c, NULL, &l), 0);
    particle_doc_free(doc);
    fixture_assert_body(f.srv, 3,
                        "{\"ledger\":{\"name\":\"settings\",\"scope\":\"Device\","
                        "\"direction\":\"Downstream\"}}");
    assert_int_equal(particle_ledger_get(&doc, f.c, "acme", "settings"), 0);
    const particle_value *got = particle_value_get(particle_doc_root(doc), "ledger");
    assert_string_equal(particle_value_string(particle_value_get(got, "direction")), "Downstream");
    particle_doc_free(doc);
    particle_ledger_options u = PARTICLE_LEDGER_OPTIONS_INIT;
    u.description = "";
    assert_int_equal(particle_ledger_update(NULL, f.c, NULL, "settings", &u), 0);
    fixture_assert_body(f.srv, 5, "{\"ledger\":{\"description\":\"\"}}");
    assert_int_equal(particle_ledger_archive(f.c, "acme", "settings"), 0);
    assert_int_equal(particle_ledger_get(&doc, f.c, NULL, "gone"), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "Ledger not found");
    assert_int_equal(particle_ledger_create(&doc, f.c, NULL, &l), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_null(doc);
    finish(&f);
}

static void test_instances_and_versions(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/ledgers/settings/instances HTTP/1.1",
         .status = 200,
         .body = "{\"instances\":[],\"meta\":{}}"},
        {.expect = "GET /v1/orgs/acme/ledgers/settings/instances?page=3&per_page=10 HTTP/1.1",
         .status = 200,
         .body = "{\"instances\":[]}"},
        {.expect = "GET /v1/ledgers/settings/instances/dev1 HTTP/1.1",
         .status = 200,
         .body = INSTANCE},
        {.expect = "PUT /v1/ledgers/settings/instances/dev1?set_mode=Replace HTTP/1.1",
         .status = 200,
         .body = INSTANCE},
        {.expect = "PUT /v1/orgs/acme/ledgers/settings/instances/a%2Fb?set_mode=Merge HTTP/1.1",
         .status = 200,
         .body = INSTANCE},
        {.expect = "DELETE /v1/ledgers/settings/instances/dev1 HTTP/1.1", .status = 204},
        {.expect = "GET /v1/ledgers/settings/instances/dev1/versions HTTP/1.1",
         .status = 200,
         .body = "{\"versions\":[],\"meta\":{\"has_more\":false}}"},
        {.expect = "GET /v1/ledgers/settings/instances/dev1/versions?replaced_before="
                   "2026-01-02T00%3A00%3A00Z&replaced_after=2026-01-01T00%3A00%3A00Z HTTP/1.1",
         .status = 200,
         .body = "{\"versions\":[]}"},
        {.expect = "GET /v1/orgs/acme/ledgers/settings/instances/dev1/versions/v1 HTTP/1.1",
         .status = 200,
         .body = INSTANCE},
        {.expect = "PUT /v1/ledgers/settings/instances/dev1?set_mode=Replace HTTP/1.1",
         .status = 413,
         .body = "{\"error\":\"too_large\",\"error_description\":\"Ledger data too large\"}"},
    };
    fixture f = start(steps, 10);
    particle_doc *doc = NULL;
    assert_int_equal(particle_ledger_instance_list(&doc, f.c, NULL, "settings", 0, 0), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_instance_list(&doc, f.c, "acme", "settings", 3, 10), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_instance_get(&doc, f.c, NULL, "settings", "dev1"), 0);
    const particle_value *data =
        particle_value_get(particle_value_get(particle_doc_root(doc), "instance"), "data");
    assert_int_equal(particle_value_int(particle_value_get(data, "a"), -1), 1);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_instance_set(&doc, f.c, NULL, "settings", "dev1", "{\"a\": 1}",
                                                  PARTICLE_LEDGER_SET_REPLACE),
                     0);
    particle_doc_free(doc);
    fixture_assert_body(f.srv, 3, "{\"instance\":{\"data\":{\"a\":1}}}");
    assert_int_equal(particle_ledger_instance_set(NULL, f.c, "acme", "settings", "a/b", "{}",
                                                  PARTICLE_LEDGER_SET_MERGE),
                     0);
    assert_int_equal(particle_ledger_instance_delete(f.c, NULL, "settings", "dev1"), 0);
    assert_int_equal(particle_ledger_version_list(&doc, f.c, NULL, "settings", "dev1", NULL, ""),
                     0);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_version_list(&doc, f.c, NULL, "settings", "dev1",
                                                  "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"),
                     0);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_version_get(&doc, f.c, "acme", "settings", "dev1", "v1"), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_ledger_instance_set(&doc, f.c, NULL, "settings", "dev1", "{}",
                                                  PARTICLE_LEDGER_SET_REPLACE),
                     PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 413);
    finish(&f);
}

/* Bad arguments fail with PARTICLE_EINVAL and send nothing (the script has no step). */
static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    fixture f = start(NULL, 0);
    particle_doc *doc = (particle_doc *)&doc;
    assert_int_equal(particle_ledger_get(&doc, f.c, NULL, ""), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(particle_ledger_get(&doc, NULL, NULL, "x"), PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_list(NULL, f.c, NULL, NULL), PARTICLE_EINVAL);
    particle_ledger_list_options lo = PARTICLE_LEDGER_LIST_OPTIONS_INIT;
    lo.version = 99;
    assert_int_equal(particle_ledger_list(&doc, f.c, NULL, &lo), PARTICLE_EINVAL);
    particle_ledger_options l = PARTICLE_LEDGER_OPTIONS_INIT;
    l.name = "x";
    assert_int_equal(particle_ledger_create(&doc, f.c, NULL, &l), PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_create(&doc, f.c, NULL, NULL), PARTICLE_EINVAL);
    l.name = NULL;
    assert_int_equal(particle_ledger_update(&doc, f.c, NULL, "x", &l), PARTICLE_EINVAL);
    l.scope = "";
    assert_int_equal(particle_ledger_update(&doc, f.c, NULL, "x", &l), PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_archive(f.c, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_instance_get(&doc, f.c, NULL, "x", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_instance_list(&doc, f.c, NULL, "", 0, 0), PARTICLE_EINVAL);
    assert_int_equal(
        particle_ledger_instance_set(&doc, f.c, NULL, "x", "d", "{", PARTICLE_LEDGER_SET_REPLACE),
        PARTICLE_EINVAL);
    assert_int_equal(
        particle_ledger_instance_set(&doc, f.c, NULL, "x", "d", "[1]", PARTICLE_LEDGER_SET_MERGE),
        PARTICLE_EINVAL);
    assert_int_equal(
        particle_ledger_instance_set(&doc, f.c, NULL, "x", "d", "{}", (particle_ledger_set_mode)7),
        PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_instance_delete(f.c, NULL, "x", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_version_list(&doc, f.c, NULL, "x", NULL, NULL, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_version_get(&doc, f.c, NULL, "x", "d", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_ledger_version_get(&doc, f.c, "", NULL, "d", "1"), PARTICLE_EINVAL);
    assert_null(doc);
    finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_definitions_sandbox_and_org),
        cmocka_unit_test(test_instances_and_versions),
        cmocka_unit_test(test_bad_arguments_send_nothing),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
