/*
 * Tracker locations (locations.h) against a loopback canned server: the request line each
 * call sends with its filters (particle-api-js.md §2.7), the documented answers, errors,
 * and argument checks that send nothing.
 */
#include "sdk_fixture.h"

#define DEVICE "0123456789abcdef01234567"
#define LIST_JSON                                                                                  \
    "{\"locations\":[{\"device_id\":\"" DEVICE "\",\"product_id\":1,\"device_name\":\"t\","        \
    "\"groups\":[],\"gps_lock\":true,\"last_heard\":null,\"timestamps\":[\"2026-01-01T00:00:00"    \
    ".000Z\"],\"online\":true,\"geometry\":{\"type\":\"Point\",\"coordinates\":[4.9,52.4]}}],"     \
    "\"meta\":{\"page\":2,\"per_page\":5,\"total_pages\":3,\"devices_found\":11}}"

typedef struct wire_case {
    const char *name;
    const char *expect;
    int status;
    const char *answer;
    int rc;
    bool one_device;
    bool filters;
} wire_case;

static const wire_case cases[] = {
    {"list, no filter", "GET /v1/products/my-product/locations HTTP/1.1", 200, LIST_JSON, 0, false,
     false},
    {"list, every filter",
     "GET "
     "/v1/products/my-product/locations?date_range=2026-01-01T00%3A00%3A00Z%2C2026-01-02T00%3A00"
     "%3A00Z&rect_bl=52%2C4&rect_tr=53%2C5&device_id=0123&device_name=tracker%201&groups=europe%2C"
     "asia&page=2&per_page=5 HTTP/1.1",
     200, LIST_JSON, 0, false, true},
    {"list without locations", "GET /v1/products/my-product/locations HTTP/1.1", 200, "{}",
     PARTICLE_EPROTO, false, false},
    {"list, bad filter", "GET /v1/products/my-product/locations HTTP/1.1", 400,
     "{\"ok\":false,\"error\":\"bad rect\"}", PARTICLE_EHTTP, false, false},
    {"device, filters (list-only ones not sent)",
     "GET /v1/products/my-product/locations/" DEVICE
     "?date_range=2026-01-01T00%3A00%3A00Z%2C2026-01-02T00%3A00%3A00Z&rect_bl=52%2C4&rect_tr=53%2C5"
     " HTTP/1.1",
     200, "{\"location\":{\"device_id\":\"" DEVICE "\",\"properties\":[]},\"meta\":{}}", 0, true,
     true},
    {"device without location", "GET /v1/products/my-product/locations/" DEVICE " HTTP/1.1", 404,
     "{\"ok\":false,\"error\":\"No location\"}", PARTICLE_ENOTFOUND, true, false},
};

static void test_wire(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const wire_case *w = &cases[i];
        print_message("case: %s\n", w->name);
        /* the script checks a prefix of the request line; the whole line is checked below */
        char prefix[64];
        snprintf(prefix, sizeof(prefix), "%.60s", w->expect);
        canned_step step = {.expect = prefix, .status = w->status, .body = w->answer};
        canned_server *srv = canned_server_start(&step, 1);
        particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
        particle_location_options o;
        assert_int_equal(particle_location_options_init(&o, PARTICLE_LOCATION_OPTIONS_VERSION), 0);
        if (w->filters) {
            o.date_range = "2026-01-01T00:00:00Z,2026-01-02T00:00:00Z";
            o.rect_bl = "52,4";
            o.rect_tr = "53,5";
            o.device_id = "0123";
            o.device_name = "tracker 1";
            o.groups = "europe,asia";
            o.page = 2;
            o.per_page = 5;
        }
        particle_doc *doc = NULL;
        int rc = w->one_device ? particle_location_get(&doc, c, "my-product", DEVICE, &o)
                               : particle_location_list(&doc, c, "my-product", &o);
        if (rc != w->rc) {
            fail_msg("%s: %s (%s)", w->name, particle_code_name(rc),
                     particle_error_last()->message);
        }
        assert_int_equal(canned_server_request_count(srv), 1);
        fixture_assert_script_ok(srv);
        fixture_assert_request_has(srv, 0, w->expect);
        if (rc == 0) {
            const char *key = w->one_device ? "location" : "locations";
            assert_non_null(particle_value_get(particle_doc_root(doc), key));
            particle_doc_free(doc);
        } else {
            assert_null(doc);
        }
        particle_client_free(c);
        canned_server_stop(srv);
    }
}

/* The documented answer read through the document: a Point's coordinates and the meta. */
static void test_list_read(void **state)
{
    (void)state;
    canned_step step = {
        .expect = "GET /v1/products/1/locations ", .status = 200, .body = LIST_JSON};
    canned_server *srv = canned_server_start(&step, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_location_list(&doc, c, "1", NULL), 0);
    const particle_value *root = particle_doc_root(doc);
    const particle_value *first = particle_value_at(particle_value_get(root, "locations"), 0);
    const particle_value *coords =
        particle_value_get(particle_value_get(first, "geometry"), "coordinates");
    assert_true(particle_value_double(particle_value_at(coords, 1), 0) > 52);
    assert_int_equal(particle_value_int(
                         particle_value_get(particle_value_get(root, "meta"), "devices_found"), 0),
                     11);
    particle_doc_free(doc);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    particle_location_options o = PARTICLE_LOCATION_OPTIONS_INIT;
    o.per_page = 101;
    assert_int_equal(particle_location_list(&doc, c, "p", &o), PARTICLE_EINVAL);
    o.per_page = 0;
    o.version = 99;
    assert_int_equal(particle_location_list(&doc, c, "p", &o), PARTICLE_EINVAL);
    assert_int_equal(particle_location_list(&doc, c, "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_location_list(NULL, c, "p", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_location_get(&doc, c, "p", "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_location_get(&doc, c, NULL, DEVICE, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_location_get(&doc, NULL, "p", DEVICE, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_location_options_init(&o, 99), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(canned_server_request_count(srv), 0);
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
