/* Remote diagnostics (particle_diagnostics_*) against a loopback canned server: the exact
 * request lines of refresh, last, history (dates as ISO 8601) and metadata on the user and
 * product routes, decoding of the documented §7.2/§7.3 answers through the getters, the
 * answers that lack their member, error mapping (offline, none yet, bad dates) and argument
 * checks that send nothing. */
#include "sdk_fixture.h"

#define DEVICE "0123456789abcdef01234567"

/* The documented answer of GET .../last (reference/cloud-api.md §7.3, payload shortened). */
#define LAST_ANSWER                                                                                \
    "{\"diagnostics\":{\"updated_at\":\"2017-12-19T12:37:07.318Z\",\"deviceID\":\"" DEVICE "\","   \
    "\"payload\":{\"device\":{\"network\":{\"signal\":{\"at\":\"UMTS\",\"strength\":66.66,"        \
    "\"strength_units\":\"%\",\"quality\":75.51}},\"system\":{\"uptime\":2567461,"                 \
    "\"memory\":{\"used\":36016,\"total\":113664}}},\"service\":{\"device\":{\"status\":\"ok\"}}}" \
    "}}"

static particle_client *client_for(canned_server *srv)
{
    return fixture_client(srv, TEST_TOKEN, NULL, NULL);
}

static void test_refresh_posts_update_and_reads_202(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/diagnostics/" DEVICE "/update HTTP/1.1",
         .status = 202,
         .body = "{\"ok\":true}"},
        {.expect = "POST /v1/products/my-product/diagnostics/" DEVICE "/update HTTP/1.1",
         .status = 202,
         .body = "{\"ok\":true}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = client_for(srv);
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_refresh(&doc, c, DEVICE, NULL), 0);
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "ok"), 0), 1);
    fixture_assert_request_has(srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    particle_doc_free(doc);

    particle_request_options o = PARTICLE_REQUEST_OPTIONS_INIT;
    o.product = "my-product";
    assert_int_equal(particle_diagnostics_refresh(NULL, c, DEVICE, &o), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_refresh_offline_device_is_eoffline_without_retry(void **state)
{
    (void)state;
    canned_step steps[] = {{.expect = "POST /v1/diagnostics/" DEVICE "/update HTTP/1.1",
                            .status = 400,
                            .body = "{\"ok\":false,\"error\":\"Timed out.\"}"}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = client_for(srv);
    particle_doc *doc = (particle_doc *)1;
    assert_int_equal(particle_diagnostics_refresh(&doc, c, DEVICE, NULL), PARTICLE_EOFFLINE);
    assert_null(doc);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_int_equal(canned_server_request_count(srv), 1);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_last_decodes_the_documented_record(void **state)
{
    (void)state;
    canned_step steps[] = {{.expect = "GET /v1/diagnostics/" DEVICE "/last HTTP/1.1",
                            .status = 200,
                            .body = LAST_ANSWER}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = client_for(srv);
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_last(&doc, c, DEVICE, NULL), 0);
    const particle_value *rec = particle_diagnostics_record(doc);
    assert_non_null(rec);
    assert_string_equal(particle_diagnostics_device_id(rec), DEVICE);
    /* 2017-12-19T12:37:07.318Z */
    assert_int_equal(particle_diagnostics_updated_at_ms(rec), 1513687027318LL);
    const particle_value *payload = particle_diagnostics_payload(rec);
    const particle_value *signal = particle_value_get(
        particle_value_get(particle_value_get(payload, "device"), "network"), "signal");
    assert_true(particle_value_double(particle_value_get(signal, "strength"), 0) > 66.6);
    assert_string_equal(particle_value_string(particle_value_get(signal, "at")), "UMTS");
    const particle_value *memory = particle_value_get(
        particle_value_get(particle_value_get(payload, "device"), "system"), "memory");
    assert_int_equal(particle_value_int(particle_value_get(memory, "total"), 0), 113664);
    fixture_assert_script_ok(srv);
    particle_doc_free(doc);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_last_none_yet_is_enotfound(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/42/diagnostics/" DEVICE "/last HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"No diagnostics found for this device\"}"},
        {.expect = "GET /v1/diagnostics/" DEVICE "/last HTTP/1.1",
         .status = 200,
         .body = "{\"diagnostics\":[]}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = client_for(srv);
    particle_request_options o = PARTICLE_REQUEST_OPTIONS_INIT;
    o.product = "42";
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_last(&doc, c, DEVICE, &o), PARTICLE_ENOTFOUND);
    assert_null(doc);
    assert_int_equal(particle_error_last()->http_status, 404);
    /* A 2xx answer whose "diagnostics" is not an object is malformed. */
    assert_int_equal(particle_diagnostics_last(&doc, c, DEVICE, NULL), PARTICLE_EPROTO);
    assert_null(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_history_sends_iso_dates(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/diagnostics/" DEVICE "?start_date=2017-12-19T00%3A00%3A00.000Z&"
                   "end_date=2017-12-20T00%3A00%3A00.000Z HTTP/1.1",
         .status = 200,
         .body = "{\"diagnostics\":[{\"updated_at\":\"2017-12-19T12:37:07.318Z\",\"deviceID\":"
                 "\"" DEVICE "\",\"payload\":{}},{\"updated_at\":\"2017-12-19T13:00:00.000Z\","
                 "\"deviceID\":\"" DEVICE "\",\"payload\":{\"service\":{}}}]}"},
        {.expect = "GET /v1/products/my-product/diagnostics/" DEVICE " HTTP/1.1",
         .status = 200,
         .body = "{\"diagnostics\":[]}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = client_for(srv);
    particle_diagnostics_history_options o;
    assert_int_equal(
        particle_diagnostics_history_options_init(&o, PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_VERSION),
        0);
    o.start_ms = 1513641600000LL; /* 2017-12-19T00:00:00Z */
    o.end_ms = 1513728000000LL;
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_history(&doc, c, DEVICE, &o), 0);
    const particle_value *list = particle_value_get(particle_doc_root(doc), "diagnostics");
    assert_int_equal(particle_value_count(list), 2);
    assert_int_equal(particle_diagnostics_updated_at_ms(particle_value_at(list, 1)),
                     1513688400000LL);
    assert_non_null(particle_diagnostics_payload(particle_value_at(list, 1)));
    particle_doc_free(doc);

    particle_diagnostics_history_options p = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    p.product = "my-product";
    assert_int_equal(particle_diagnostics_history(&doc, c, DEVICE, &p), 0);
    assert_int_equal(
        particle_value_count(particle_value_get(particle_doc_root(doc), "diagnostics")), 0);
    particle_doc_free(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_history_bad_date_carries_the_cloud_text(void **state)
{
    (void)state;
    canned_step steps[] = {{.expect = "GET /v1/diagnostics/" DEVICE "?start_date=",
                            .status = 400,
                            .body = "{\"error\":\"bad_request\",\"description\":\"start_date must "
                                    "not be more than than 30 days ago\"}"}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = client_for(srv);
    particle_diagnostics_history_options o = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    o.start_ms = 1000;
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_history(&doc, c, DEVICE, &o), PARTICLE_EHTTP);
    assert_null(doc);
    const particle_error *e = particle_error_last();
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->api_code, "bad_request");
    assert_string_equal(e->message, "start_date must not be more than than 30 days ago");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_metadata_route_and_member(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/diagnostics/" DEVICE "/metadata HTTP/1.1",
         .status = 200,
         .body = "{\"diagnostics_metadata\":{\"device\":{\"system\":{\"uptime\":{\"title\":"
                 "\"Uptime\",\"type\":\"number\"}}},\"service\":{}}}"},
        {.expect = "GET /v1/diagnostics/" DEVICE "/metadata HTTP/1.1",
         .status = 200,
         .body = "{\"metadata\":{}}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = client_for(srv);
    particle_doc *doc = NULL;
    assert_int_equal(particle_diagnostics_metadata(&doc, c, DEVICE, NULL), 0);
    const particle_value *uptime = particle_value_get(
        particle_value_get(
            particle_value_get(particle_value_get(particle_doc_root(doc), "diagnostics_metadata"),
                               "device"),
            "system"),
        "uptime");
    assert_string_equal(particle_value_string(particle_value_get(uptime, "title")), "Uptime");
    particle_doc_free(doc);
    assert_int_equal(particle_diagnostics_metadata(&doc, c, DEVICE, NULL), PARTICLE_EPROTO);
    assert_null(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* Argument checks fail before anything is sent: the empty script catches any request. */
static void test_argument_checks_send_nothing(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = client_for(srv);
    particle_doc *doc = (particle_doc *)1;
    assert_int_equal(particle_diagnostics_last(&doc, c, "", NULL), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(particle_diagnostics_last(NULL, c, DEVICE, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_diagnostics_refresh(NULL, NULL, DEVICE, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_diagnostics_metadata(&doc, c, NULL, NULL), PARTICLE_EINVAL);
    particle_request_options o = PARTICLE_REQUEST_OPTIONS_INIT;
    o.product = "";
    assert_int_equal(particle_diagnostics_refresh(NULL, c, DEVICE, &o), PARTICLE_EINVAL);

    particle_diagnostics_history_options h = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    h.start_ms = 2000;
    h.end_ms = 1000;
    assert_int_equal(particle_diagnostics_history(&doc, c, DEVICE, &h), PARTICLE_EINVAL);
    h.start_ms = -5;
    h.end_ms = 0;
    assert_int_equal(particle_diagnostics_history(&doc, c, DEVICE, &h), PARTICLE_EINVAL);
    h = (particle_diagnostics_history_options)PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    h.version = 99;
    assert_int_equal(particle_diagnostics_history(&doc, c, DEVICE, &h), PARTICLE_EINVAL);
    assert_int_equal(particle_diagnostics_history_options_init(&h, 99), PARTICLE_EINVAL);
    assert_null(doc);

    /* Getters tolerate NULL and absent members. */
    assert_null(particle_diagnostics_record(NULL));
    assert_null(particle_diagnostics_device_id(NULL));
    assert_int_equal(particle_diagnostics_updated_at_ms(NULL), -1);
    assert_null(particle_diagnostics_payload(NULL));

    assert_int_equal(canned_server_request_count(srv), 0);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refresh_posts_update_and_reads_202),
        cmocka_unit_test(test_refresh_offline_device_is_eoffline_without_retry),
        cmocka_unit_test(test_last_decodes_the_documented_record),
        cmocka_unit_test(test_last_none_yet_is_enotfound),
        cmocka_unit_test(test_history_sends_iso_dates),
        cmocka_unit_test(test_history_bad_date_carries_the_cloud_text),
        cmocka_unit_test(test_metadata_route_and_member),
        cmocka_unit_test(test_argument_checks_send_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
