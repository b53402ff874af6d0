/*
 * The fleet-organisation reports over HTTP (products, customers, groups, product-devices):
 * JSON and CSV, the ?product= and ?group= filters and their errors. The fleet is written
 * through the writer's commands, as the sync writes it. On an SQLite file, or, when
 * BRIDGE_TEST_PG names a PostgreSQL server (ctest case
 * unit/bridge/test_bridge_fleet_reports_pg), on a fresh PostgreSQL database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "bridge_api_test.h"
#include "bridge_test.h"
#include "http_client.h"
#include "ingest/writer.h"
#include "pg_scratch.h"

#define KEY "test-api-key-0123456789"
#define ORG "9980222caf8bad191600019b"

typedef struct fixture {
    char dir[512];
    char db[1024];
    char pg_name[64];
    bridge_store *st;
    bridge_writer *writer;
    bridge_metrics metrics;
    bridge_api api;
    httpd_server *srv;
    unsigned short port;
} fixture;

static void sync_device(bridge_writer *w, const char *id, int product, bool connected,
                        int64_t heard, const char *const *groups, size_t ngroups)
{
    static const bridge_device_defaults df = {.check_interval_ms = 60000, .enabled = true};
    char err[256] = "";
    bridge_cloud_device cd = {.particle_id = id,
                              .name = id,
                              .product_id = product,
                              .platform_id = 13,
                              .connected = connected,
                              .last_heard_ms = heard,
                              .groups = groups,
                              .group_count = ngroups,
                              .has_groups = groups != NULL};
    if (bridge_writer_device_sync(w, &cd, &df, 1000, NULL, err, sizeof err) != 0) {
        fail_msg("device sync: %s", err);
    }
}

/* Two products with groups, customers and devices, and a developer device of no product. */
static void seed(bridge_writer *w)
{
    char err[256] = "";
    bridge_product products[] = {
        {.product_id = 1001,
         .slug = "env-sensors",
         .name = "Env sensors",
         .platform_id = 13,
         .description = "air, water",
         .organization = ORG},
        {.product_id = 1002, .slug = "trackers", .name = "Trackers", .platform_id = 26},
    };
    assert_int_equal(bridge_writer_products_replace(w, "scope-t", products, 2, err, sizeof err), 0);
    bridge_group env_groups[] = {
        {.name = "europe", .description = "EU", .color = "#34495e", .fw_version = 3},
        {.name = "asia", .fw_version = -1},
    };
    bridge_group tracker_groups[] = {{.name = "europe", .fw_version = -1}};
    assert_int_equal(bridge_writer_groups_replace(w, 1001, env_groups, 2, err, sizeof err), 0);
    assert_int_equal(bridge_writer_groups_replace(w, 1002, tracker_groups, 1, err, sizeof err), 0);
    bridge_customer customers[] = {
        {.username = "bob@loblaw.net",
         .customer_id = "c1",
         .full_name = "Bob Loblaw",
         .device_ids = "dev1,dev2",
         .device_count = 2},
        {.username = "amy@example.com"},
    };
    assert_int_equal(bridge_writer_customers_replace(w, 1001, customers, 2, err, sizeof err), 0);
    const char *both[] = {"europe", "asia"}, *europe[] = {"europe"};
    sync_device(w, "dev1", 1001, true, 1762259449892, both, 2);
    sync_device(w, "dev2", 1001, false, 0, europe, 1);
    sync_device(w, "dev3", 1002, true, 0, europe, 1);
    sync_device(w, "dev9", 6, true, 0, NULL, 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256] = "";
    assert_non_null(f);
    if (bt_pg_uri() != NULL) {
        if (bt_pg_db_create(f->db, sizeof f->db, f->pg_name, sizeof f->pg_name) != 0) {
            free(f);
            return -1;
        }
    } else {
        assert_int_equal(bt_tempdir(f->dir, sizeof f->dir), 0);
        bt_path(f->db, sizeof f->db, f->dir, "reports.db");
    }
    f->st = bridge_store_open(f->db, err, sizeof err);
    if (f->st == NULL) {
        fail_msg("open: %s", err);
    }
    bridge_writer_options wo = {.db_path = f->db, .metrics = &f->metrics};
    f->writer = bridge_writer_new(&wo, err, sizeof err);
    if (f->writer == NULL) {
        fail_msg("writer: %s", err);
    }
    seed(f->writer);
    f->api =
        (bridge_api){.store = f->st, .writer = f->writer, .metrics = &f->metrics, .api_key = KEY};
    f->srv = bt_api_serve(&f->api, &f->port);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    httpd_server_free(f->srv);
    bridge_writer_free(f->writer);
    bridge_store_close(f->st);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    } else {
        bt_rmdir(f->dir);
    }
    free(f);
    return 0;
}

static http_reply get(fixture *f, const char *path, const char *accept)
{
    char url[1024];
    http_headers h;
    http_call call = {.method = "GET",
                      .url = http_url(url, sizeof url, f->port, path),
                      .headers = http_headers_bearer(&h, KEY, accept, NULL)};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    return r;
}

/* The CSV answer of @p path, which must be @p expected. */
static void assert_csv(fixture *f, const char *path, const char *expected)
{
    http_reply r = get(f, path, "text/csv");
    assert_int_equal(r.status, 200);
    char *ct = http_reply_header(&r, "Content-Type");
    assert_string_equal(ct ? ct : "", "text/csv; charset=utf-8");
    free(ct);
    assert_string_equal(r.body, expected);
    http_reply_dispose(&r);
}

/* The JSON answer of @p path (an array; decref it). */
static json_t *get_json(fixture *f, const char *path)
{
    http_reply r = get(f, path, "application/json");
    assert_int_equal(r.status, 200);
    json_t *j = http_reply_items(&r);
    if (j == NULL) {
        fail_msg("not a list page: %s", r.body);
    }
    http_reply_dispose(&r);
    return j;
}

static void assert_error(fixture *f, const char *path, long status, const char *text)
{
    http_reply r = get(f, path, "application/json");
    if (r.status != status || strstr(r.body, text) == NULL) {
        fail_msg("expected %ld with \"%s\", got %ld: %s", status, text, r.status, r.body);
    }
    http_reply_dispose(&r);
}

static const char *text_of(const json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    if (s == NULL) {
        fail_msg("%s is not a string", key);
    }
    return s;
}

static void test_products_report(void **state)
{
    fixture *f = *state;
    json_t *rows = get_json(f, "/api/v1/reports/products");
    assert_int_equal(json_array_size(rows), 2);
    json_t *env = json_array_get(rows, 0);
    assert_int_equal(json_integer_value(json_object_get(env, "ProductId")), 1001);
    assert_string_equal(text_of(env, "Slug"), "env-sensors");
    assert_string_equal(text_of(env, "Organization"), ORG);
    assert_int_equal(json_integer_value(json_object_get(env, "Devices")), 2);
    assert_int_equal(json_integer_value(json_object_get(env, "Groups")), 2);
    assert_int_equal(json_integer_value(json_object_get(env, "Customers")), 2);
    json_decref(rows);
    assert_csv(f, "/api/v1/reports/products",
               "ProductId,Slug,Name,PlatformId,Description,Organization,Devices,Groups,"
               "Customers\r\n"
               "1001,env-sensors,Env sensors,13,\"air, water\"," ORG ",2,2,2\r\n"
               "1002,trackers,Trackers,26,,,1,1,0\r\n");
    assert_csv(f, "/api/v1/reports/products?product=trackers",
               "ProductId,Slug,Name,PlatformId,Description,Organization,Devices,Groups,"
               "Customers\r\n"
               "1002,trackers,Trackers,26,,,1,1,0\r\n");
}

static void test_customers_report(void **state)
{
    fixture *f = *state;
    const char *csv = "ProductId,CustomerId,Username,FullName,Devices,DeviceIds\r\n"
                      "1001,,amy@example.com,,0,\r\n"
                      "1001,c1,bob@loblaw.net,Bob Loblaw,2,\"dev1,dev2\"\r\n";
    assert_csv(f, "/api/v1/reports/customers", csv);
    assert_csv(f, "/api/v1/reports/customers?product=env-sensors", csv);
    assert_csv(f, "/api/v1/reports/customers?product=1001", csv);
    json_t *rows = get_json(f, "/api/v1/reports/customers?product=trackers");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
    rows = get_json(f, "/api/v1/reports/customers");
    json_t *bob = json_array_get(rows, 1);
    assert_string_equal(text_of(bob, "FullName"), "Bob Loblaw");
    assert_int_equal(json_integer_value(json_object_get(bob, "Devices")), 2);
    json_decref(rows);
}

static void test_groups_report(void **state)
{
    fixture *f = *state;
    assert_csv(f, "/api/v1/reports/groups",
               "ProductId,Name,Description,Color,FirmwareVersion,Devices\r\n"
               "1001,asia,,,,1\r\n"
               "1001,europe,EU,#34495e,3,2\r\n"
               "1002,europe,,,,1\r\n");
    json_t *rows = get_json(f, "/api/v1/reports/groups?product=env-sensors");
    assert_int_equal(json_array_size(rows), 2);
    assert_true(json_is_null(json_object_get(json_array_get(rows, 0), "FirmwareVersion")));
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(rows, 1), "FirmwareVersion")), 3);
    json_decref(rows);
}

static void test_product_devices_report(void **state)
{
    fixture *f = *state;
    const char *header = "ProductId,DeviceId,Name,PlatformId,Connected,Enabled,LastHeard,"
                         "Iccid,Groups,Gone\r\n";
    char expected[1024];
    /* the developer device (product id 6, no such product) is not a product device */
    snprintf(expected, sizeof expected,
             "%s1001,dev1,dev1,13,true,true,2025-11-04T12:30:49.8920000+00:00,,\"asia,europe\","
             "false\r\n"
             "1001,dev2,dev2,13,false,true,,,europe,false\r\n"
             "1002,dev3,dev3,13,true,true,,,europe,false\r\n",
             header);
    assert_csv(f, "/api/v1/reports/product-devices", expected);
    assert_csv(f, "/api/v1/reports/product-devices?group=europe", expected);
    snprintf(expected, sizeof expected,
             "%s1001,dev1,dev1,13,true,true,2025-11-04T12:30:49.8920000+00:00,,\"asia,europe\","
             "false\r\n",
             header);
    assert_csv(f, "/api/v1/reports/product-devices?product=env-sensors&group=asia", expected);

    json_t *rows = get_json(f, "/api/v1/reports/product-devices?product=1002&group=europe");
    assert_int_equal(json_array_size(rows), 1);
    json_t *d = json_array_get(rows, 0);
    assert_string_equal(text_of(d, "DeviceId"), "dev3");
    assert_string_equal(text_of(d, "Groups"), "europe");
    assert_true(json_is_null(json_object_get(d, "LastHeard")));
    assert_true(json_is_false(json_object_get(d, "Gone")));
    json_decref(rows);
    rows = get_json(f, "/api/v1/reports/product-devices?product=nope");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
}

/* A report pages like the other lists: limit, the next URL (also in a Link header, also for
 * CSV), every row once; a cursor of another report is refused. */
static void test_reports_page(void **state)
{
    fixture *f = *state;
    char path[1024] = "/api/v1/reports/product-devices?limit=1";
    const char *want[] = {"dev1", "dev2", "dev3"};
    int pages = 0;
    char first_next[1024] = "";
    for (;;) {
        http_reply r = get(f, path, "application/json");
        assert_int_equal(r.status, 200);
        json_t *page = http_reply_json(&r);
        json_t *items = json_object_get(page, "items");
        json_t *next = json_object_get(page, "next");
        assert_true(pages < 3);
        assert_int_equal(json_array_size(items), 1);
        assert_string_equal(text_of(json_array_get(items, 0), "DeviceId"), want[pages]);
        char *link = http_reply_header(&r, "Link");
        pages++;
        if (json_is_null(next)) {
            assert_null(link);
            json_decref(page);
            http_reply_dispose(&r);
            break;
        }
        assert_non_null(link);
        assert_non_null(strstr(link, json_string_value(next)));
        free(link);
        snprintf(path, sizeof path, "%s", json_string_value(next));
        if (first_next[0] == '\0') {
            snprintf(first_next, sizeof first_next, "%s", path);
        }
        json_decref(page);
        http_reply_dispose(&r);
    }
    assert_int_equal(pages, 3);
    /* CSV: the rows of the page, the next page in the Link header only */
    http_reply r = get(f, "/api/v1/reports/product-devices?limit=2&format=csv", "*/*");
    assert_int_equal(r.status, 200);
    char *link = http_reply_header(&r, "Link");
    assert_non_null(link);
    assert_non_null(strstr(link, "rel=\"next\""));
    free(link);
    http_reply_dispose(&r);
    /* the cursor belongs to its report */
    const char *cursor = strstr(first_next, "cursor=");
    assert_non_null(cursor);
    snprintf(path, sizeof path, "/api/v1/reports/products?%s", cursor);
    assert_error(f, path, 400, "\"parameter\":\"cursor\"");
}

static void test_filters_are_checked(void **state)
{
    fixture *f = *state;
    assert_error(f, "/api/v1/reports/product-devices?product=a%20b", 400,
                 "\"parameter\":\"product\"");
    assert_error(f, "/api/v1/reports/customers?product=", 400, "\"parameter\":\"product\"");
    assert_error(f,
                 "/api/v1/reports/product-devices?group="
                 "0123456789012345678901234567890123456789012345678901234567890123",
                 400, "\"parameter\":\"group\"");
    assert_error(f, "/api/v1/reports/groups?group=a/b", 400, "\"parameter\":\"group\"");
    assert_error(f, "/api/v1/reports/device-groups", 404,
                 "products, customers, groups, "
                 "product-devices");
    assert_error(f, "/api/v1/reports/products?format=xml", 406, "text/csv");
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_products_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customers_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_devices_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_page, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
