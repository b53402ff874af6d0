/* SIM card calls (include/particle/sims.h) against a loopback canned server: request lines,
 * query strings, JSON bodies, the page iterator, the {"sim":...} unwrapping, a real HEAD,
 * 204/202 on release, the status task's polling, argument checks that send nothing, error
 * mapping, and the typed getters on the documented bodies of cloud-api.md §8. */
#include "sdk_fixture.h"

#include "alloc.h"

/* The documented SIM object (§8.1). */
#define SIM_OBJECT                                                                                 \
    "{\"_id\":\"8934076500002589174\",\"activations_count\":1,\"base_country_code\":\"US\","       \
    "\"base_monthly_rate\":299,\"deactivations_count\":0,"                                         \
    "\"first_activated_on\":\"2017-01-27T23:10:16.994Z\",\"msisdn\":\"345901000485300\","          \
    "\"status\":\"active\",\"carrier\":\"telefonica\",\"last_device_id\":\"123abc\","              \
    "\"last_device_name\":\"foo_bar_baz\",\"mb_limit\":20}"

#define USAGE                                                                                      \
    "{\"iccid\":\"8934076500002589174\",\"usage_by_day\":["                                        \
    "{\"date\":\"2017-02-24\",\"mbs_used\":0.98,\"mbs_used_cumulative\":0.98},"                    \
    "{\"date\":\"2017-02-25\",\"mbs_used\":0.50,\"mbs_used_cumulative\":1.48}]}"

#define ICCID "8934076500002589174"

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

static void test_list_user_and_product(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/sims HTTP/1.1", .status = 200, .body = "{\"sims\":[" SIM_OBJECT "]}"},
        {.expect = "GET /v1/products/my%20prod/sims?iccid=8934&deviceId=abc&deviceName=foo%20bar"
                   "&page=2&per_page=10 HTTP/1.1",
         .status = 200,
         .body = "{\"sims\":[],\"meta\":{\"total_pages\":2}}"},
    };
    fixture f = start(steps, 2);
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_list(&doc, f.c, NULL), 0);
    const particle_value *sim =
        particle_value_at(particle_value_get(particle_doc_root(doc), "sims"), 0);
    assert_string_equal(particle_sim_iccid(sim), ICCID); /* from "_id" */
    assert_string_equal(particle_sim_status_text(sim), "active");
    assert_string_equal(particle_sim_carrier(sim), "telefonica");
    assert_string_equal(particle_sim_last_device_id(sim), "123abc");
    assert_int_equal(particle_sim_mb_limit(sim), 20);
    assert_int_equal(particle_sim_mb_limit(NULL), -1);
    assert_null(particle_sim_iccid(NULL));
    fixture_assert_request_has(f.srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    particle_doc_free(doc);

    particle_sim_list_options o;
    assert_int_equal(particle_sim_list_options_init(&o, PARTICLE_SIM_LIST_OPTIONS_VERSION), 0);
    o.product = "my prod";
    o.iccid = "8934";
    o.device_id = "abc";
    o.device_name = "foo bar";
    o.page = 2;
    o.per_page = 10;
    assert_int_equal(particle_sim_list(&doc, f.c, &o), 0);
    assert_int_equal(particle_value_count(particle_value_get(particle_doc_root(doc), "sims")), 0);
    particle_doc_free(doc);
    finish(&f);
}

static void test_iterator_walks_pages(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/42/sims?page=1&per_page=1 HTTP/1.1",
         .status = 200,
         .body = "{\"sims\":[{\"iccid\":\"1111\"}],\"meta\":{\"total_pages\":2}}"},
        {.expect = "GET /v1/products/42/sims?page=2&per_page=1 HTTP/1.1",
         .status = 500,
         .body = "{\"error\":\"boom\"}"},
        {.expect = "GET /v1/products/42/sims?page=2&per_page=1 HTTP/1.1",
         .status = 200,
         .body = "{\"sims\":[{\"_id\":\"2222\"}],\"meta\":{\"total_pages\":2}}"},
        /* the user listing has no meta: one page */
        {.expect = "GET /v1/sims HTTP/1.1",
         .status = 200,
         .body = "{\"sims\":[{\"_id\":\"3333\"},{\"_id\":\"4444\"}]}"},
        {.expect = "GET /v1/sims HTTP/1.1", .status = 200, .body = "{\"nope\":1}"},
    };
    fixture f = start(steps, 5);
    particle_sim_list_options o = PARTICLE_SIM_LIST_OPTIONS_INIT;
    char product[] = "42";
    o.product = product;
    o.per_page = 1;
    particle_sim_iter *it = NULL;
    assert_int_equal(particle_sim_iter_new(&it, f.c, &o), 0);
    product[0] = 'X'; /* the iterator kept its own copy */
    assert_int_equal(particle_sim_iter_total_pages(it), 0);
    const particle_value *v = NULL;
    assert_int_equal(particle_sim_iter_next(&v, it), 0);
    assert_string_equal(particle_sim_iccid(v), "1111");
    /* max_retries is 3 by default: the 500 is retried inside one call */
    assert_int_equal(particle_sim_iter_next(&v, it), 0);
    assert_string_equal(particle_sim_iccid(v), "2222");
    assert_int_equal(particle_sim_iter_total_pages(it), 2);
    assert_int_equal(particle_sim_iter_next(&v, it), 0);
    assert_null(v);
    particle_sim_iter_free(it);

    assert_int_equal(particle_sim_iter_new(&it, f.c, NULL), 0);
    assert_int_equal(particle_sim_iter_next(&v, it), 0);
    assert_string_equal(particle_sim_iccid(v), "3333");
    assert_int_equal(particle_sim_iter_next(&v, it), 0);
    assert_string_equal(particle_sim_iccid(v), "4444");
    assert_int_equal(particle_sim_iter_next(&v, it), 0);
    assert_null(v);
    assert_int_equal(particle_sim_iter_total_pages(it), 1);
    particle_sim_iter_free(it);

    assert_int_equal(particle_sim_iter_new(&it, f.c, NULL), 0);
    assert_int_equal(particle_sim_iter_next(&v, it), PARTICLE_EPROTO);
    particle_sim_iter_free(it);
    finish(&f);
}

static void test_get_unwraps_sim(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/sims/" ICCID " HTTP/1.1",
         .status = 200,
         .body = "{\"sim\":" SIM_OBJECT "}"},
        {.expect = "GET /v1/products/p1/sims/" ICCID " HTTP/1.1",
         .status = 200,
         .body = SIM_OBJECT},
        {.expect = "GET /v1/sims/" ICCID " HTTP/1.1", .status = 200, .body = "[1]"},
    };
    fixture f = start(steps, 3);
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_get(&doc, f.c, ICCID, NULL), 0);
    assert_string_equal(particle_sim_iccid(particle_doc_root(doc)), ICCID);
    assert_string_equal(particle_sim_carrier(particle_doc_root(doc)), "telefonica");
    particle_doc_free(doc);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    assert_int_equal(particle_sim_get(&doc, f.c, ICCID, &ro), 0);
    assert_string_equal(particle_sim_status_text(particle_doc_root(doc)), "active");
    particle_doc_free(doc);
    assert_int_equal(particle_sim_get(&doc, f.c, ICCID, NULL), PARTICLE_EPROTO);
    assert_null(doc);
    finish(&f);
}

/* A HEAD answer announces a body it does not send: a client that waits for it would time
 * out (the fixture's request timeout is 5 s; the call must be answered at once). */
static void test_check_is_a_real_head(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "HEAD /v1/sims/" ICCID " HTTP/1.1",
         .raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 57\r\n\r\n"},
        {.expect = "HEAD /v1/sims/" ICCID " HTTP/1.1", .status = 204},
        {.expect = "HEAD /v1/products/p1/sims/0000 HTTP/1.1",
         .raw = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                "Content-Length: 40\r\n\r\n"},
        /* the handle is back to normal: a GET reads its body */
        {.expect = "GET /v1/sims/" ICCID "/data_usage HTTP/1.1", .status = 200, .body = USAGE},
    };
    fixture f = start(steps, 4);
    assert_int_equal(particle_sim_check(f.c, ICCID, NULL), 0);
    assert_int_equal(particle_sim_check(f.c, ICCID, NULL), 0);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    assert_int_equal(particle_sim_check(f.c, "0000", &ro), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_error_last()->http_status, 404);
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_data_usage(&doc, f.c, ICCID, NULL), 0);
    assert_int_equal(particle_value_count(particle_sim_usage_days(particle_doc_root(doc))), 2);
    particle_doc_free(doc);
    finish(&f);
}

static void test_usage_and_fleet_usage(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/p1/sims/" ICCID "/data_usage HTTP/1.1",
         .status = 200,
         .body = USAGE},
        {.expect = "GET /v1/products/p%2F1/sims/data_usage HTTP/1.1",
         .status = 200,
         .body = "{\"total_mbs_used\":200.0,\"total_active_sim_cards\":2000,\"usage_by_day\":["
                 "{\"date\":\"2017-03-01\",\"mbs_used\":100.0,\"mbs_used_cumulative\":100.0},"
                 "{\"date\":\"2017-03-02\",\"mbs_used\":100.0,\"mbs_used_cumulative\":200.0}]}"},
    };
    fixture f = start(steps, 2);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_data_usage(&doc, f.c, ICCID, &ro), 0);
    const particle_value *days = particle_sim_usage_days(particle_doc_root(doc));
    assert_string_equal(
        particle_value_string(particle_value_get(particle_value_at(days, 1), "date")),
        "2017-02-25");
    assert_float_equal(particle_sim_usage_total_mb(particle_doc_root(doc)), 1.48, 1e-9);
    particle_doc_free(doc);
    assert_int_equal(particle_product_sims_data_usage(&doc, f.c, "p/1"), 0);
    assert_float_equal(particle_sim_usage_total_mb(particle_doc_root(doc)), 200.0, 1e-9);
    assert_int_equal(
        particle_value_int(particle_value_get(particle_doc_root(doc), "total_active_sim_cards"), 0),
        2000);
    particle_doc_free(doc);
    assert_float_equal(particle_sim_usage_total_mb(NULL), 0, 0);
    finish(&f);
}

static void test_state_changes_send_json(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "PUT /v1/sims/" ICCID " HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "PUT /v1/products/p1/sims/" ICCID " HTTP/1.1", .status = 200},
        {.expect = "PUT /v1/sims/" ICCID " HTTP/1.1", .status = 200},
        {.expect = "PUT /v1/sims/" ICCID " HTTP/1.1", .status = 200},
        {.expect = "PUT /v1/sims/" ICCID " HTTP/1.1", .status = 200},
        {.expect = "PUT /v1/sims/" ICCID " HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"Unknown action\"}"},
    };
    fixture f = start(steps, 6);
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_activate(&doc, f.c, ICCID, NULL), 0);
    fixture_assert_body(f.srv, 0, "{\"action\":\"activate\"}");
    fixture_assert_request_has(f.srv, 0, "Content-Type: application/json\r\n");
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "ok"), 0), 1);
    particle_doc_free(doc);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    assert_int_equal(particle_sim_deactivate(NULL, f.c, ICCID, &ro), 0);
    fixture_assert_body(f.srv, 1, "{\"action\":\"deactivate\"}");
    assert_int_equal(particle_sim_reactivate(NULL, f.c, ICCID, 50, NULL), 0);
    fixture_assert_body(f.srv, 2, "{\"action\":\"reactivate\",\"mb_limit\":50}");
    assert_int_equal(particle_sim_reactivate(NULL, f.c, ICCID, -1, NULL), 0);
    fixture_assert_body(f.srv, 3, "{\"action\":\"reactivate\"}");
    assert_int_equal(particle_sim_set_data_limit(NULL, f.c, ICCID, 0, NULL), 0);
    fixture_assert_body(f.srv, 4, "{\"mb_limit\":0}");
    particle_sim_update_options u;
    assert_int_equal(particle_sim_update_options_init(&u, PARTICLE_SIM_UPDATE_OPTIONS_VERSION), 0);
    assert_int_equal(u.set_mb_limit, 0);
    u.action = PARTICLE_SIM_ACTION_ACTIVATE;
    assert_int_equal(particle_sim_update(&doc, f.c, ICCID, &u, NULL), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_non_null(strstr(particle_error_last()->message, "Unknown action"));
    assert_null(doc);
    finish(&f);
}

static void test_remove_and_import(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "DELETE /v1/sims/" ICCID " HTTP/1.1", .status = 204},
        {.expect = "DELETE /v1/products/p1/sims/" ICCID " HTTP/1.1",
         .status = 202,
         .body = "{\"ok\":true}"},
        {.expect = "POST /v1/products/p1/sims HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "POST /v1/products/p1/sims HTTP/1.1", .status = 503, .body = "{}"},
    };
    fixture f = start(steps, 4);
    int pending = -1;
    assert_int_equal(particle_sim_remove(&pending, f.c, ICCID, NULL), 0);
    assert_int_equal(pending, 0);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    assert_int_equal(particle_sim_remove(&pending, f.c, ICCID, &ro), 0);
    assert_int_equal(pending, 1);
    const char *iccids[] = {ICCID, "89014111111111111111"};
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_sims_import(&doc, f.c, "p1", iccids, 2, NULL), 0);
    fixture_assert_body(f.srv, 2, "{\"sims\":[\"" ICCID "\",\"89014111111111111111\"]}");
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "ok"), 0), 1);
    particle_doc_free(doc);
    /* a POST is not retried after a 5xx unless allowed */
    assert_int_equal(particle_product_sims_import(NULL, f.c, "p1", iccids, 1, NULL),
                     PARTICLE_ESERVER);
    assert_int_equal(canned_server_request_count(f.srv), 4);
    finish(&f);
}

#define PENDING                                                                                    \
    "{\"ok\":true,\"meta\":{\"created_at\":\"2018-05-29T19:31:55.000-06:00\","                     \
    "\"expires_at\":\"2018-05-29T19:34:55.000-06:00\","                                            \
    "\"check_again_after\":\"2018-05-29T19:32:05.450-06:00\",\"state\":\"pending\","               \
    "\"method\":\"async\",\"task_id\":\"1234abcd\"},"                                              \
    "\"sim_status\":{\"connected\":null,\"gsm_connection\":null,\"data_connection\":null}}"
#define COMPLETE                                                                                   \
    "{\"ok\":true,\"meta\":{\"state\":\"complete\",\"task_id\":\"1234abcd\"},"                     \
    "\"sim_status\":{\"connected\":true,\"gsm_connection\":true,\"data_connection\":false}}"

static void test_status_task(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/sims/" ICCID "/status HTTP/1.1", .status = 202, .body = PENDING},
        {.expect = "GET /v1/products/p1/sims/" ICCID "/status HTTP/1.1",
         .status = 202,
         .body = PENDING},
        {.expect = "GET /v1/products/p1/sims/" ICCID "/status HTTP/1.1",
         .status = 200,
         .body = COMPLETE},
        {.expect = "GET /v1/sims/" ICCID "/status HTTP/1.1", .status = 202, .body = PENDING},
        {.expect = "GET /v1/sims/" ICCID "/status HTTP/1.1", .status = 202, .body = PENDING},
        {.expect = "GET /v1/sims/" ICCID "/status HTTP/1.1", .status = 202, .body = PENDING},
    };
    fixture f = start(steps, 6);
    particle_doc *doc = NULL;
    int complete = -1;
    assert_int_equal(particle_sim_status(&doc, &complete, f.c, ICCID, NULL), 0);
    assert_int_equal(complete, 0);
    assert_true(particle_value_is_null(
        particle_value_get(particle_value_get(particle_doc_root(doc), "sim_status"), "connected")));
    particle_doc_free(doc);

    /* check_again_after lies in the past: the next poll follows after the 100 ms floor */
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    assert_int_equal(particle_sim_status_wait(&doc, f.c, ICCID, 5000, &ro), 0);
    const particle_value *st = particle_value_get(particle_doc_root(doc), "sim_status");
    assert_int_equal(particle_value_bool(particle_value_get(st, "gsm_connection"), -1), 1);
    assert_int_equal(particle_value_bool(particle_value_get(st, "data_connection"), -1), 0);
    particle_doc_free(doc);

    /* still pending when the next poll would fall past the deadline: polls at 0, 100 and
     * at most 200 ms */
    assert_int_equal(particle_sim_status_wait(&doc, f.c, ICCID, 250, NULL), PARTICLE_ETIMEDOUT);
    assert_null(doc);
    assert_in_range(canned_server_request_count(f.srv), 4, 6);
    finish(&f);
}

static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    fixture f = start(NULL, 0);
    particle_doc *doc = (particle_doc *)(void *)&doc; /* must come back NULL */
    assert_int_equal(particle_sim_get(&doc, f.c, "", NULL), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(particle_sim_get(&doc, f.c, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_get(NULL, f.c, ICCID, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_get(&doc, NULL, ICCID, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_check(NULL, ICCID, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_check(f.c, "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_data_usage(&doc, f.c, "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_sims_data_usage(&doc, f.c, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_product_sims_data_usage(&doc, f.c, NULL), PARTICLE_EINVAL);
    particle_request_options empty_product = PARTICLE_REQUEST_OPTIONS_INIT;
    empty_product.product = "";
    assert_int_equal(particle_sim_get(&doc, f.c, ICCID, &empty_product), PARTICLE_EINVAL);

    particle_sim_update_options u = PARTICLE_SIM_UPDATE_OPTIONS_INIT;
    assert_int_equal(particle_sim_update(NULL, f.c, ICCID, &u, NULL), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "sets no field"));
    u.action = (particle_sim_action)99;
    assert_int_equal(particle_sim_update(NULL, f.c, ICCID, &u, NULL), PARTICLE_EINVAL);
    u.version = 7;
    assert_int_equal(particle_sim_update(NULL, f.c, ICCID, &u, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_update(NULL, f.c, ICCID, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_set_data_limit(NULL, f.c, ICCID, -5, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_update_options_init(&u, 2), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_list_options_init(NULL, 1), PARTICLE_EINVAL);

    int pending = -1;
    assert_int_equal(particle_sim_remove(&pending, f.c, "", NULL), PARTICLE_EINVAL);
    assert_int_equal(pending, 0);
    const char *iccids[] = {ICCID, ""};
    assert_int_equal(particle_product_sims_import(&doc, f.c, "p", iccids, 2, NULL),
                     PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "ICCID 2 is empty"));
    assert_int_equal(particle_product_sims_import(&doc, f.c, "p", iccids, 0, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_product_sims_import(&doc, f.c, "", iccids, 1, NULL), PARTICLE_EINVAL);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p";
    assert_int_equal(particle_product_sims_import(&doc, f.c, "p", iccids, 1, &ro), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_status_wait(&doc, f.c, ICCID, 0, NULL), PARTICLE_EINVAL);

    particle_sim_list_options lo = PARTICLE_SIM_LIST_OPTIONS_INIT;
    lo.version = 9;
    assert_int_equal(particle_sim_list(&doc, f.c, &lo), PARTICLE_EINVAL);
    particle_sim_iter *it = (particle_sim_iter *)(void *)&it;
    assert_int_equal(particle_sim_iter_new(&it, f.c, &lo), PARTICLE_EINVAL);
    assert_null(it);
    lo.version = PARTICLE_SIM_LIST_OPTIONS_VERSION;
    lo.product = "";
    assert_int_equal(particle_sim_iter_new(&it, f.c, &lo), PARTICLE_EINVAL);
    assert_int_equal(particle_sim_iter_new(&it, NULL, NULL), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(canned_server_request_count(f.srv), 0);
    finish(&f);
}

static void test_errors_are_mapped(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/sims/0000 ",
         .status = 404,
         .body = "{\"error\":\"not_found\",\"error_description\":\"SIM card not found\"}"},
        {.expect = "GET /v1/sims/" ICCID "/data_usage ",
         .status = 403,
         .body = "{\"error\":\"Permission Denied\",\"error_description\":\"not yours\"}"},
        {.expect = "GET /v1/sims ",
         .status = 401,
         .body = "{\"error\":\"invalid_token\",\"error_description\":\"The access token provided "
                 "is invalid.\"}"},
    };
    fixture f = start(steps, 3);
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_get(&doc, f.c, "0000", NULL), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->api_code, "not_found");
    assert_string_equal(particle_error_last()->message, "SIM card not found");
    assert_int_equal(particle_sim_data_usage(&doc, f.c, ICCID, NULL), PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_error_last()->http_status, 403);
    assert_int_equal(particle_sim_list(&doc, f.c, NULL), PARTICLE_EAUTH);
    assert_null(doc);
    finish(&f);
}

/* The iterator's constructor under every allocation budget: ENOMEM and nothing given out
 * until all five allocations (the iterator and four option strings) succeed. */
static void test_iter_new_out_of_memory(void **state)
{
    (void)state;
    fixture f = start(NULL, 0);
    particle_sim_list_options o = PARTICLE_SIM_LIST_OPTIONS_INIT;
    o.product = "p";
    o.iccid = "8934";
    o.device_id = "abc";
    o.device_name = "name";
    for (long n = 0; n < 100; n++) {
        particle__alloc_fail_after(n);
        particle_sim_iter *it = (particle_sim_iter *)(void *)&it;
        int rc = particle_sim_iter_new(&it, f.c, &o);
        unsigned long refused = particle__alloc_failed();
        particle__alloc_fail_after(-1);
        if (refused == 0) {
            assert_int_equal(rc, 0);
            assert_non_null(it);
            assert_int_equal(n, 5);
            particle_sim_iter_free(it);
            break;
        }
        assert_int_equal(rc, PARTICLE_ENOMEM);
        assert_null(it);
    }
    finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_user_and_product),
        cmocka_unit_test(test_iterator_walks_pages),
        cmocka_unit_test(test_get_unwraps_sim),
        cmocka_unit_test(test_check_is_a_real_head),
        cmocka_unit_test(test_usage_and_fleet_usage),
        cmocka_unit_test(test_state_changes_send_json),
        cmocka_unit_test(test_remove_and_import),
        cmocka_unit_test(test_status_task),
        cmocka_unit_test(test_bad_arguments_send_nothing),
        cmocka_unit_test(test_errors_are_mapped),
        cmocka_unit_test(test_iter_new_out_of_memory),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
