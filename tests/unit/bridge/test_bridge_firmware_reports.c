/*
 * The firmware reports over HTTP (product-firmware, firmware-rollout, device-firmware): JSON
 * and CSV and the ?product= filter, with a synthetic rollout of one product's firmware to
 * 1,000 devices of which 2% fail. Everything is written the way the bridge writes it: the
 * products, firmware and devices through the writer's commands (as the sync does), the
 * spark/flash/status events through the writer's queue and the normaliser (as the stream
 * does). The report's counts must be what the events said. On an SQLite file, or, when
 * BRIDGE_TEST_PG names a PostgreSQL server (ctest case
 * unit/bridge/test_bridge_firmware_reports_pg), on a fresh PostgreSQL database.
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
#define FLEET 1000       /* devices of product 1001, all targeted at version 2 */
#define T0 1764700000000 /* when the rollout starts (ms) */

/* What the events of the rollout said, counted as they were sent. */
typedef struct rollout_sent {
    int started, success, failed;
} rollout_sent;

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
    rollout_sent sent;
} fixture;

static void device_id(char *out, size_t size, int i)
{
    snprintf(out, size, "e00fce68%016d", i);
}

/* Syncs product device @p id as a product listing gives it: running 1, targeted at 2. */
static void sync_device(bridge_writer *w, const char *id, int product)
{
    static const bridge_device_defaults df = {.check_interval_ms = 60000, .enabled = true};
    char err[256] = "";
    bridge_cloud_device cd = {.particle_id = id,
                              .name = id,
                              .product_id = product,
                              .platform_id = 13,
                              .connected = true,
                              .has_groups = true,
                              .firmware_version = 1,
                              .targeted_firmware_version = 2,
                              .desired_firmware_version = -1,
                              .firmware_updates_enabled = 1,
                              .firmware_updates_forced = -1,
                              .has_firmware = true};
    if (bridge_writer_device_sync(w, &cd, &df, 1000, NULL, err, sizeof err) != 0) {
        fail_msg("device sync: %s", err);
    }
}

static void flash(fixture *f, const char *id, const char *status, int64_t ts)
{
    bridge_event_in ev = {id, "spark/flash/status", status, ts, ts, "sse"};
    assert_int_equal(bridge_writer_push_event(f->writer, &ev, NULL, NULL), 0);
    f->sent.started += strcmp(status, "started") == 0;
    f->sent.success += strcmp(status, "success") == 0;
    f->sent.failed += strcmp(status, "failed") == 0;
}

/* Two products; product 1001 has versions 1 and 2 (2 released product-wide and to europe)
 * and FLEET devices. The rollout of 2: every 50th device fails (2%), every tenth plus one
 * has not begun, every tenth plus three has started only, the others succeed. */
static void seed(fixture *f)
{
    char err[256] = "";
    bridge_product products[] = {
        {.product_id = 1001, .slug = "env-sensors", .name = "Env sensors", .platform_id = 13},
        {.product_id = 1002, .slug = "trackers", .name = "Trackers", .platform_id = 26},
    };
    assert_int_equal(
        bridge_writer_products_replace(f->writer, "scope-t", products, 2, err, sizeof err), 0);
    bridge_product_firmware fw[] = {
        {.version = 1,
         .firmware_id = "58c09bc7df2b9a4d223d9c22",
         .title = "first",
         .description = "Sample firmware description",
         .file_name = "firmware.bin",
         .size_bytes = 7952,
         .uploaded_at_ms = 1489017799181,
         .uploaded_by = "jeff@particle.io",
         .device_count = FLEET},
        {.version = 2,
         .firmware_id = "58c09bc7df2b9a4d223d9c23",
         .title = "second",
         .description = "fixes, \"quoted\"",
         .file_name = "v2.bin",
         .size_bytes = 8000,
         .uploaded_at_ms = 1489017800000,
         .uploaded_by = "jeff@particle.io",
         .product_default = true,
         .groups = "asia,europe",
         .device_count = 0},
    };
    assert_int_equal(
        bridge_writer_product_firmware_replace(f->writer, 1001, fw, 2, err, sizeof err), 0);
    char id[32];
    for (int i = 0; i < FLEET; i++) {
        device_id(id, sizeof id, i);
        sync_device(f->writer, id, 1001);
    }
    for (int i = 0; i < FLEET; i++) {
        device_id(id, sizeof id, i);
        int64_t t = T0 + i;
        if (i % 10 == 1) {
            continue; /* not begun */
        }
        flash(f, id, "started", t);
        if (i % 50 == 0) {
            flash(f, id, "failed", t + 60000);
        } else if (i % 10 != 3) {
            flash(f, id, "success", t + 60000);
        }
    }
    assert_int_equal(bridge_writer_flush(f->writer, 60000), 0);
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
        bt_path(f->db, sizeof f->db, f->dir, "firmware.db");
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
    seed(f);
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

static long long int_at(const json_t *row, const char *key)
{
    const json_t *v = json_object_get(row, key);
    if (!json_is_integer(v)) {
        fail_msg("%s is not an integer", key);
    }
    return (long long)json_integer_value(v);
}

/* List Product Firmwares: every field, in CSV (quoted where needed) and JSON, filtered by
 * product id or slug. */
static void test_product_firmware_report(void **state)
{
    fixture *f = *state;
    const char *csv =
        "ProductId,Version,Id,Title,Description,Name,Size,ProductDefault,Groups,Mandatory,"
        "UploadedOn,UploadedBy,DeviceCount\r\n"
        "1001,1,58c09bc7df2b9a4d223d9c22,first,Sample firmware description,firmware.bin,7952,"
        "false,,false,2017-03-09T00:03:19.1810000+00:00,jeff@particle.io,1000\r\n"
        "1001,2,58c09bc7df2b9a4d223d9c23,second,\"fixes, \"\"quoted\"\"\",v2.bin,8000,true,"
        "\"asia,europe\",false,2017-03-09T00:03:20.0000000+00:00,jeff@particle.io,0\r\n";
    assert_csv(f, "/api/v1/reports/product-firmware", csv);
    assert_csv(f, "/api/v1/reports/product-firmware?product=env-sensors", csv);
    assert_csv(f, "/api/v1/reports/product-firmware?product=1001", csv);
    assert_csv(f, "/api/v1/reports/product-firmware?product=trackers",
               "ProductId,Version,Id,Title,Description,Name,Size,ProductDefault,Groups,Mandatory,"
               "UploadedOn,UploadedBy,DeviceCount\r\n");
    json_t *rows = get_json(f, "/api/v1/reports/product-firmware");
    assert_int_equal(json_array_size(rows), 2);
    const json_t *v2 = json_array_get(rows, 1);
    assert_int_equal(int_at(v2, "Version"), 2);
    assert_true(json_is_true(json_object_get(v2, "ProductDefault")));
    assert_string_equal(json_string_value(json_object_get(v2, "Groups")), "asia,europe");
    /* the keys in the order of the columns */
    const char *key = json_object_iter_key(json_object_iter((json_t *)v2));
    assert_string_equal(key, "ProductId");
    json_decref(rows);
}

/* The rollout: the counts are what the events said, in JSON and CSV. */
static void test_firmware_rollout_report(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->sent.failed, FLEET / 50); /* 2% */
    json_t *rows = get_json(f, "/api/v1/reports/firmware-rollout?product=env-sensors");
    assert_int_equal(json_array_size(rows), 2);
    const json_t *v1 = json_array_get(rows, 0), *v2 = json_array_get(rows, 1);
    assert_int_equal(int_at(v1, "Version"), 1);
    assert_int_equal(int_at(v1, "Targeted"), 0);
    assert_int_equal(int_at(v1, "Running"), FLEET);
    assert_int_equal(int_at(v2, "Version"), 2);
    assert_int_equal(int_at(v2, "Targeted"), FLEET);
    assert_int_equal(int_at(v2, "Updated"), f->sent.success);
    assert_int_equal(int_at(v2, "Failed"), f->sent.failed);
    /* pending: the ones not begun and the ones started without an outcome */
    assert_int_equal(int_at(v2, "Pending"), FLEET - f->sent.success - f->sent.failed);
    assert_int_equal(int_at(v2, "Pending"), FLEET - f->sent.started + 100);
    assert_int_equal(int_at(v2, "Running"), 0); /* no sync has seen version 2 running yet */
    json_decref(rows);
    assert_csv(f, "/api/v1/reports/firmware-rollout",
               "ProductId,Version,Title,ProductDefault,Groups,Targeted,Updated,Failed,Pending,"
               "Running\r\n"
               "1001,1,first,false,,0,0,0,0,1000\r\n"
               "1001,2,second,true,\"asia,europe\",1000,780,20,200,0\r\n");
    assert_csv(f, "/api/v1/reports/firmware-rollout?product=1002",
               "ProductId,Version,Title,ProductDefault,Groups,Targeted,Updated,Failed,Pending,"
               "Running\r\n");
}

/* Each device's firmware and last flash status. */
static void test_device_firmware_report(void **state)
{
    fixture *f = *state;
    json_t *rows = get_json(f, "/api/v1/reports/device-firmware?product=1001");
    assert_int_equal(json_array_size(rows), FLEET);
    const json_t *failed = json_array_get(rows, 0), *idle = json_array_get(rows, 1);
    char id[32];
    device_id(id, sizeof id, 0);
    assert_string_equal(json_string_value(json_object_get(failed, "DeviceId")), id);
    assert_int_equal(int_at(failed, "FirmwareVersion"), 1);
    assert_int_equal(int_at(failed, "TargetedVersion"), 2);
    assert_true(json_is_null(json_object_get(failed, "DesiredVersion")));
    assert_true(json_is_true(json_object_get(failed, "UpdatesEnabled")));
    assert_true(json_is_null(json_object_get(failed, "UpdatesForced")));
    assert_string_equal(json_string_value(json_object_get(failed, "LastFlashStatus")), "failed");
    assert_string_equal(json_string_value(json_object_get(failed, "LastFlashAt")),
                        "2025-12-02T18:27:40.0000000+00:00");
    assert_int_equal(int_at(failed, "LastFlashVersion"), 2);
    assert_string_equal(json_string_value(json_object_get(idle, "LastFlashStatus")), "");
    assert_true(json_is_null(json_object_get(idle, "LastFlashAt")));
    assert_true(json_is_null(json_object_get(idle, "LastFlashVersion")));
    json_decref(rows);
    rows = get_json(f, "/api/v1/reports/device-firmware?product=trackers");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
}

static void test_unknown_report_names_firmware_reports(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/reports/firmware", "application/json");
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "product-firmware, firmware-rollout, device-firmware"));
    http_reply_dispose(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_firmware_report),
        cmocka_unit_test(test_firmware_rollout_report),
        cmocka_unit_test(test_device_firmware_report),
        cmocka_unit_test(test_unknown_report_names_firmware_reports),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
