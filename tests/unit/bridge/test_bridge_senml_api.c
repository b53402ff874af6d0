/*
 * SenML through the REST API: a variable's Unit setting (PUT, validated against RFC 8428's
 * registry, stored, shown in the DTO) and the SenML a client gets for a device and for the
 * readings lists, as JSON and as CBOR chosen by the Accept header. libcurl against the API on
 * port 0, a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cbor.h>
#include <cmocka.h>
#include <jansson.h>

#include "bridge_api_test.h"
#include "bridge_test.h"
#include "http_client.h"
#include "ingest/writer.h"

#define DEV "0123456789abcdef01234567"
#define KEY "test-api-key-0123456789"
#define T0 1733220000000LL /* 2024-12-03T10:00:00Z */

typedef struct fixture {
    bt_api_db db;
    bridge_api api;
    httpd_server *srv;
    unsigned short port;
} fixture;

static void seed(bridge_store *st)
{
    static const bridge_device_defaults df = {60000, true, true, true, {false, ""}, {false, ""}};
    bridge_variable vars[] = {{.name = "temp", .type = "double"},
                              {.name = "door open", .type = "bool"},
                              {.name = "mode", .type = "string"}};
    bridge_cloud_device cd = {.particle_id = DEV,
                              .name = "kitchen",
                              .variables = vars,
                              .variable_count = 3,
                              .has_variables = true};
    assert_int_equal(bridge_store_device_sync(st, &cd, &df, T0, NULL), 0);
    bridge_measurement ms[] = {{DEV, "temp", 21.5, T0, "poll"},
                               {DEV, "door open", 1, T0 + 500, "poll"},
                               {DEV, "rssi", -70, T0 + 1000, "sse"}};
    bridge_status_post ps[] = {{DEV, "variable", "mode", "eco", T0 + 2000}};
    bridge_record r = {.kind = BRIDGE_RECORD_READING,
                       .measurements = ms,
                       .measurement_count = 3,
                       .posts = ps,
                       .post_count = 1};
    assert_int_equal(bridge_store_write_batch(st, &r, 1, NULL), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    bt_api_db_open(&f->db, "senml.db");
    seed(f->db.st);
    f->api = (bridge_api){
        .store = f->db.st, .writer = f->db.writer, .metrics = &f->db.metrics, .api_key = KEY};
    f->srv = bt_api_serve(&f->api, &f->port);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    httpd_server_free(f->srv);
    bt_api_db_close(&f->db);
    free(f);
    return 0;
}

static http_reply call(fixture *f, const char *method, const char *path, const char *accept,
                       const char *body)
{
    http_headers h;
    return bt_api_http(f->port, method, path,
                       http_headers_bearer(&h, KEY, accept, body ? "application/json" : NULL),
                       body);
}

static void assert_content_type(const http_reply *r, const char *type)
{
    char *ct = http_reply_header(r, "Content-Type");
    assert_string_equal(ct ? ct : "", type);
    free(ct);
}

static json_t *record_named(json_t *pack, const char *n)
{
    for (size_t i = 0; i < json_array_size(pack); i++) {
        json_t *rec = json_array_get(pack, i);
        if (strcmp(json_string_value(json_object_get(rec, "n")), n) == 0) {
            return rec;
        }
    }
    fail_msg("no record named %s", n);
    return NULL;
}

static void test_unit_setting(void **state)
{
    fixture *f = *state;
    const char *path = "/api/v1/devices/" DEV "/particle";
    http_reply r = call(f, "PUT", path, "application/json",
                        "{\"Variables\":[{\"Name\":\"temp\",\"Unit\":\"Cel\"}]}");
    assert_int_equal(r.status, 200);
    json_t *dto = json_loads(r.body, 0, NULL);
    json_t *vars = json_object_get(dto, "Variables");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(vars); i++) {
        json_t *v = json_array_get(vars, i);
        const char *unit = json_string_value(json_object_get(v, "Unit"));
        assert_non_null(unit); /* every variable shows its Unit, "" when none */
        if (strcmp(json_string_value(json_object_get(v, "Name")), "temp") == 0) {
            assert_string_equal(unit, "Cel");
            seen++;
        }
    }
    assert_int_equal(seen, 1);
    json_decref(dto);
    http_reply_dispose(&r);

    /* Stored: a new read of the store has it. */
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->db.st, DEV, &d), 0);
    for (size_t i = 0; i < d.variable_count; i++) {
        assert_string_equal(d.variables[i].unit,
                            strcmp(d.variables[i].name, "temp") == 0 ? "Cel" : "");
    }
    bridge_device_dispose(&d);

    /* Not a registry name (case matters), not a string: 400 naming the field. */
    const char *bad[] = {"\"celsius\"", "\"cel\"", "5", "null", "\"B\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"Variables\":[{\"Name\":\"temp\",\"Unit\":%s}]}", bad[i]);
        r = call(f, "PUT", path, "application/json", body);
        assert_int_equal(r.status, 400);
        assert_non_null(strstr(r.body, "Variables[0].Unit: expected a SenML unit name"));
        http_reply_dispose(&r);
    }
    /* "" clears it. */
    r = call(f, "PUT", path, "application/json",
             "{\"Variables\":[{\"Name\":\"temp\",\"Unit\":\"\"}]}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    assert_int_equal(bridge_store_device_get(f->db.st, DEV, &d), 0);
    for (size_t i = 0; i < d.variable_count; i++) {
        assert_string_equal(d.variables[i].unit, "");
    }
    bridge_device_dispose(&d);
}

static void test_device_senml(void **state)
{
    fixture *f = *state;
    const char *path = "/api/v1/devices/" DEV "/particle";
    http_reply r = call(f, "PUT", path, "application/json",
                        "{\"Variables\":[{\"Name\":\"temp\",\"Unit\":\"Cel\"}]}");
    http_reply_dispose(&r);
    r = call(f, "GET", path, "application/senml+json", NULL);
    assert_int_equal(r.status, 200);
    assert_content_type(&r, "application/senml+json");
    json_t *pack = json_loads(r.body, 0, NULL);
    assert_int_equal(json_array_size(pack), 4); /* temp, door open, rssi, mode */
    assert_string_equal(json_string_value(json_object_get(json_array_get(pack, 0), "bn")),
                        "urn:dev:particle:" DEV ":");
    json_t *temp = record_named(pack, "temp");
    assert_true(json_number_value(json_object_get(temp, "v")) == 21.5);
    assert_string_equal(json_string_value(json_object_get(temp, "u")), "Cel");
    json_t *door = record_named(pack, "door_20open"); /* section 4.5.1 mapping */
    assert_true(json_is_true(json_object_get(door, "vb")));
    assert_null(json_object_get(door, "v"));
    json_t *rssi = record_named(pack, "rssi"); /* an event's number: no variable, plain v */
    assert_true(json_number_value(json_object_get(rssi, "v")) == -70);
    assert_null(json_object_get(rssi, "u"));
    json_t *mode = record_named(pack, "mode"); /* a string variable's latest value */
    assert_string_equal(json_string_value(json_object_get(mode, "vs")), "eco");
    json_decref(pack);
    http_reply_dispose(&r);

    /* The same pack in CBOR, chosen by Accept (q values) or ?format=senml-cbor. */
    r = call(f, "GET", path, "application/json;q=0.5, application/senml+cbor", NULL);
    assert_int_equal(r.status, 200);
    assert_content_type(&r, "application/senml+cbor");
    struct cbor_load_result result;
    cbor_item_t *item = cbor_load((const unsigned char *)r.body, r.body_len, &result);
    assert_int_equal(result.error.code, CBOR_ERR_NONE);
    assert_true(cbor_isa_array(item));
    assert_int_equal(cbor_array_size(item), 4);
    cbor_decref(&item);
    http_reply_dispose(&r);
}

static void test_lists_as_senml(void **state)
{
    fixture *f = *state;
    http_reply r =
        call(f, "GET", "/api/v1/measurements?device=" DEV, "application/senml+json", NULL);
    assert_int_equal(r.status, 200);
    json_t *pack = json_loads(r.body, 0, NULL);
    assert_int_equal(json_array_size(pack), 3);
    json_t *first = json_array_get(pack, 0);
    assert_true(json_integer_value(json_object_get(first, "bt")) == T0 / 1000);
    assert_true(json_is_true(json_object_get(record_named(pack, "door_20open"), "vb")));
    json_decref(pack);
    http_reply_dispose(&r);

    r = call(f, "GET", "/api/v1/status-posts?format=senml", "*/*", NULL);
    assert_int_equal(r.status, 200);
    assert_content_type(&r, "application/senml+json");
    pack = json_loads(r.body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(record_named(pack, "mode"), "vs")),
                        "eco");
    json_decref(pack);
    http_reply_dispose(&r);

    r = call(f, "GET", "/api/v1/measurements?format=senml-cbor", "*/*", NULL);
    assert_int_equal(r.status, 200);
    assert_content_type(&r, "application/senml+cbor");
    struct cbor_load_result result;
    cbor_item_t *item = cbor_load((const unsigned char *)r.body, r.body_len, &result);
    assert_int_equal(result.error.code, CBOR_ERR_NONE);
    assert_int_equal(cbor_array_size(item), 3);
    cbor_decref(&item);
    http_reply_dispose(&r);

    r = call(f, "GET", "/api/v1/measurements", "application/cbor", NULL);
    assert_int_equal(r.status, 406);
    assert_non_null(strstr(r.body, "application/senml+cbor"));
    http_reply_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_setting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_senml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists_as_senml, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
