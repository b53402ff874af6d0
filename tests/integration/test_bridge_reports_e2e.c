/*
 * The reports that read what the sync keeps of the cloud's objects, against particle-sim's
 * default fleet end to end: both in-process on loopback port 0, the bridge storing into
 * SQLite in a scratch directory (or, with BRIDGE_TEST_PG, a fresh PostgreSQL database;
 * ctest case integration/test_bridge_reports_e2e_pg). After one sync each report's rows are
 * compared with the same data read from the simulator through libparticle: Device
 * Information, List Devices, List Sim Cards (the listSIMs sweep), Data Usage for Product
 * Fleet (per day), Historical Device Vitals (backfilled from the diagnostics history), Last
 * Known Device Vitals, Sim Information, Cellular Network Status and Get Variable Value (as
 * polled, and read now through the bridge); and
 * a scheduled export writes the devices report into a file. (Products, customers, groups,
 * devices in a product and product firmware: test_bridge_fleet_e2e.c and
 * test_bridge_firmware_rollout_e2e.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bridge_harness.h"
#include "pg_scratch.h"
#include "pu_file.h"
#include "pu_time.h"
#include "timespan.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "reports-e2e-api-key-0123456789"

typedef struct fixture {
    bridge_harness h;
    char pg_name[64];       /* the PostgreSQL database, "" on SQLite */
    char export_dir[512];   /* where the scheduled export writes */
    particle_client *cloud; /* the demo user on the simulator, for ground truth */
    json_t *devices;        /* every device object of the user and the products, by id */
} fixture;

static void add_device(json_t *by_id, const particle_value *d)
{
    char *text = NULL;
    assert_int_equal(particle_value_to_json(&text, d, 0), 0);
    json_object_set_new(by_id, particle_device_id(d), json_loads(text, 0, NULL));
    particle_free(text);
}

/* The device objects of the user's listing (@p product NULL) or of a product's, by id. */
static void add_devices(json_t *by_id, particle_client *cloud, const char *product)
{
    if (product == NULL) {
        particle_doc *doc = NULL;
        assert_int_equal(particle_device_list(&doc, cloud, NULL), 0);
        const particle_value *list = particle_doc_root(doc);
        for (size_t i = 0; i < particle_value_count(list); i++) {
            add_device(by_id, particle_value_at(list, i));
        }
        particle_doc_free(doc);
        return;
    }
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = product;
    o.per_page = 100;
    particle_device_iter *it = NULL;
    assert_int_equal(particle_device_iter_new(&it, cloud, &o), 0);
    for (;;) {
        const particle_value *d = NULL;
        assert_int_equal(particle_device_iter_next(&d, it), 0);
        if (d == NULL) {
            break;
        }
        add_device(by_id, d);
    }
    particle_device_iter_free(it);
}

static int group_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 4;
    if (f == NULL || bridge_harness_open(&f->h, "bridge-reports-e2e", &so) != 0) {
        free(f);
        return -1;
    }
    if (bt_pg_uri() != NULL &&
        bt_pg_db_create(f->h.db, sizeof f->h.db, f->pg_name, sizeof f->pg_name) != 0) {
        bridge_harness_close(&f->h);
        free(f);
        return -1;
    }
    bridge_harness_configure(&f->h, TOKEN, KEY);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->h.cfg.cloud_url;
    o.access_token = TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    if (particle_client_new(&f->cloud, &o) != 0) {
        return -1;
    }
    bridge_config *cfg = &f->h.cfg;
    cfg->user_scope = true;
    snprintf(cfg->products[0], sizeof cfg->products[0], "asset-tracker");
    snprintf(cfg->products[1], sizeof cfg->products[1], "10002");
    cfg->product_count = 2;
    cfg->request_timeout_ms = 5000;
    cfg->defaults.check_interval_ms = 500; /* polled values soon */
    cfg->request_budget = 1000000;         /* polls that often would spend the default */
    snprintf(f->export_dir, sizeof f->export_dir, "%s", f->h.dir);
    bridge_export_spec *e = &cfg->exports[cfg->export_count++];
    *e = (bridge_export_spec){
        .format = BRIDGE_EXPORT_CSV, .interval_ms = 60000, .retries = 1, .retry_backoff_ms = 1000};
    snprintf(e->name, sizeof e->name, "devices");
    snprintf(e->report, sizeof e->report, "list-devices");
    snprintf(e->directory, sizeof e->directory, "%s", f->export_dir);
    char verr[256];
    if (bridge_config_validate(cfg, verr, sizeof verr) != 0) {
        fprintf(stderr, "config: %s\n", verr);
        return -1;
    }
    f->devices = json_object();
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *f = *state;
    json_decref(f->devices);
    particle_client_free(f->cloud);
    bridge_harness_close(&f->h);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    }
    free(f);
    return 0;
}

/* GET @p path from the bridge as JSON; fails the test unless 200 with a JSON array. */
static json_t *report(fixture *f, const char *path)
{
    http_reply r = bridge_harness_api(&f->h, "GET", path, "application/json", NULL);
    if (r.status != 200) {
        fail_msg("GET %s: HTTP %ld %s", path, r.status, r.body);
    }
    json_t *j = http_reply_items(&r); /* a report answers a page: {"items", "next"} */
    http_reply_dispose(&r);
    assert_true(json_is_array(j));
    return j;
}

/* The bare JSON array that /api/v1/exports and the live variable read answer. */
static json_t *array_at(fixture *f, const char *path)
{
    http_reply r = bridge_harness_api(&f->h, "GET", path, "application/json", NULL);
    if (r.status != 200) {
        fail_msg("GET %s: HTTP %ld %s", path, r.status, r.body);
    }
    json_t *j = http_reply_json(&r);
    http_reply_dispose(&r);
    assert_true(json_is_array(j));
    return j;
}

static const char *str(const json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s != NULL ? s : "";
}

static json_t *row_by(const json_t *rows, const char *key, const char *want)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(str(row, key), want) == 0) {
            return row;
        }
    }
    return NULL;
}

/* The reports' date of the cloud's ISO 8601 text @p iso. */
static const char *report_date(const char *iso, char out[BRIDGE_TIMESPAN_SIZE])
{
    int64_t ms = 0;
    assert_int_equal(pu_time_parse_iso8601(iso, &ms), 0);
    return bridge_date_format(ms, out);
}

/* The first test: start the bridge, sync once, read the simulator's devices. */
static void test_sync(void **state)
{
    fixture *f = *state;
    char err[512];
    bridge_harness_start_app(&f->h);
    if (bridge_app_sync_now(f->h.app, err, sizeof err) != 0) {
        fail_msg("sync: %s", err);
    }
    add_devices(f->devices, f->cloud, NULL);
    add_devices(f->devices, f->cloud, "asset-tracker");
    add_devices(f->devices, f->cloud, "env-sensors");
    assert_true(json_object_size(f->devices) > 10);
}

static void test_device_information(void **state)
{
    fixture *f = *state;
    json_t *rows = report(f, "/api/v1/reports/devices");
    assert_int_equal(json_array_size(rows), json_object_size(f->devices));
    const char *id;
    json_t *d;
    json_object_foreach(f->devices, id, d)
    {
        json_t *row = row_by(rows, "DeviceId", id);
        assert_non_null(row);
        assert_string_equal(str(row, "Name"), str(d, "name"));
        assert_string_equal(str(row, "SerialNumber"), str(d, "serial_number"));
        assert_string_equal(str(row, "LastIpAddress"), str(d, "last_ip_address"));
        assert_string_equal(str(row, "SystemFirmwareVersion"), str(d, "system_firmware_version"));
        assert_string_equal(str(row, "Imei"), str(d, "imei"));
        assert_string_equal(str(row, "Notes"), str(d, "notes"));
        assert_true(json_equal(json_object_get(row, "Cellular"), json_object_get(d, "cellular")));
        if (json_is_string(json_object_get(d, "last_handshake_at"))) {
            char date[BRIDGE_TIMESPAN_SIZE];
            assert_string_equal(str(row, "LastHandshakeAt"),
                                report_date(str(d, "last_handshake_at"), date));
        }
        if (json_object_get(d, "development") != NULL) { /* product devices */
            assert_true(
                json_equal(json_object_get(row, "Development"), json_object_get(d, "development")));
            assert_true(
                json_equal(json_object_get(row, "Quarantined"), json_object_get(d, "quarantined")));
        }
        assert_null(json_object_get(row, "MobileSecret"));
    }
    json_decref(rows);
    /* the product filter */
    rows = report(f, "/api/v1/reports/devices?product=10002");
    size_t want = 0;
    json_object_foreach(f->devices, id, d)
    {
        want += json_integer_value(json_object_get(d, "product_id")) == 10002;
    }
    assert_true(want > 0);
    assert_int_equal(json_array_size(rows), want);
    json_decref(rows);
}

static void test_list_devices(void **state)
{
    fixture *f = *state;
    json_t *rows = report(f, "/api/v1/reports/list-devices");
    assert_int_equal(json_array_size(rows), json_object_size(f->devices));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *d = json_object_get(f->devices, str(row, "DeviceId"));
        assert_non_null(d);
        assert_int_equal(json_integer_value(json_object_get(row, "ProductId")),
                         json_integer_value(json_object_get(d, "product_id")));
        assert_int_equal(json_integer_value(json_object_get(row, "PlatformId")),
                         json_integer_value(json_object_get(d, "platform_id")));
    }
    json_decref(rows);
}

/* The ICCIDs and statuses of one SIM listing of the simulator into @p out (by ICCID). */
static void add_sims(json_t *out, particle_client *cloud, const char *product)
{
    particle_sim_list_options o;
    particle_sim_list_options_init(&o, PARTICLE_SIM_LIST_OPTIONS_VERSION);
    o.product = product;
    o.per_page = 100;
    particle_sim_iter *it = NULL;
    assert_int_equal(particle_sim_iter_new(&it, cloud, &o), 0);
    for (;;) {
        const particle_value *s = NULL;
        assert_int_equal(particle_sim_iter_next(&s, it), 0);
        if (s == NULL) {
            break;
        }
        json_object_set_new(out, particle_value_string(particle_value_get(s, "iccid")),
                            json_string(particle_value_string(particle_value_get(s, "status"))));
    }
    particle_sim_iter_free(it);
}

static void test_sim_cards(void **state)
{
    fixture *f = *state;
    json_t *sims = json_object();
    add_sims(sims, f->cloud, NULL);
    add_sims(sims, f->cloud, "asset-tracker");
    add_sims(sims, f->cloud, "env-sensors");
    json_t *rows = report(f, "/api/v1/reports/sim-cards");
    assert_true(json_object_size(sims) > 0);
    assert_int_equal(json_array_size(rows), json_object_size(sims));
    const char *iccid;
    json_t *status;
    json_object_foreach(sims, iccid, status)
    {
        json_t *row = row_by(rows, "Iccid", iccid);
        assert_non_null(row);
        assert_string_equal(str(row, "Status"), json_string_value(status));
    }
    json_decref(rows);
    json_decref(sims);
}

static void test_fleet_usage(void **state)
{
    fixture *f = *state;
    const char *products[] = {"10001", "10002"};
    const long long ids[] = {10001, 10002};
    for (size_t p = 0; p < 2; p++) {
        particle_doc *doc = NULL;
        assert_int_equal(particle_product_sims_data_usage(&doc, f->cloud, products[p]), 0);
        const particle_value *days = particle_sim_usage_days(particle_doc_root(doc));
        char path[128];
        snprintf(path, sizeof path, "/api/v1/reports/fleet-usage?product=%s", products[p]);
        json_t *rows = report(f, path);
        assert_int_equal(json_array_size(rows), particle_value_count(days));
        for (size_t i = 0; i < particle_value_count(days); i++) {
            const particle_value *day = particle_value_at(days, i);
            json_t *row =
                row_by(rows, "Date", particle_value_string(particle_value_get(day, "date")));
            assert_non_null(row);
            assert_int_equal(json_integer_value(json_object_get(row, "ProductId")), ids[p]);
            double want = particle_value_double(particle_value_get(day, "mbs_used"), -1);
            double got = json_number_value(json_object_get(row, "MBUsed"));
            if (i + 1 < particle_value_count(days)) {
                assert_float_equal(got, want, 1e-9);
            } else { /* today's usage grows with the simulator's clock */
                assert_true(got <= want + 1e-9);
            }
        }
        json_decref(rows);
        particle_doc_free(doc);
    }
}

/* The devices the sync fetched vitals for: those with a row in vitals-last. Each row is the
 * cloud's last vitals of the device, and vitals-history holds the cloud's whole history of
 * it (backfilled) with the same flattened fields. */
static void test_vitals(void **state)
{
    fixture *f = *state;
    json_t *last = report(f, "/api/v1/reports/vitals-last");
    assert_true(json_array_size(last) > 0);
    size_t i;
    json_t *row;
    json_array_foreach(last, i, row)
    {
        const char *id = str(row, "DeviceId");
        json_t *d = json_object_get(f->devices, id);
        assert_non_null(d);
        int64_t product = json_integer_value(json_object_get(d, "product_id"));
        char product_text[32];
        snprintf(product_text, sizeof product_text, "%lld", (long long)product);
        particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
        /* a developer device's product_id is its platform id: the user route */
        ro.product = product == 10001 || product == 10002 ? product_text : NULL;
        particle_doc *doc = NULL;
        int rc = particle_diagnostics_last(&doc, f->cloud, id, &ro);
        if (rc != 0) {
            fail_msg("last vitals of %s (product %s, row source %s): %d", id,
                     ro.product ? ro.product : "-", str(row, "Source"), rc);
        }
        const particle_value *rec = particle_diagnostics_record(doc);
        char date[BRIDGE_TIMESPAN_SIZE];
        bridge_date_format(particle_diagnostics_updated_at_ms(rec), date);
        assert_string_equal(str(row, "UpdatedAt"), date);
        const particle_value *signal = particle_value_get(
            particle_value_get(particle_value_get(particle_diagnostics_payload(rec), "device"),
                               "network"),
            "signal");
        assert_string_equal(str(row, "AccessTechnology"),
                            particle_value_string(particle_value_get(signal, "at")));
        particle_doc_free(doc);

        particle_diagnostics_history_options ho = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
        ho.product = ro.product;
        assert_int_equal(particle_diagnostics_history(&doc, f->cloud, id, &ho), 0);
        const particle_value *hist = particle_value_get(particle_doc_root(doc), "diagnostics");
        char path[256];
        snprintf(path, sizeof path, "/api/v1/reports/vitals-history?device=%s", id);
        json_t *rows = report(f, path);
        assert_true(particle_value_count(hist) > 0);
        assert_true(json_array_size(rows) >= particle_value_count(hist));
        for (size_t k = 0; k < particle_value_count(hist); k++) {
            bridge_date_format(particle_diagnostics_updated_at_ms(particle_value_at(hist, k)),
                               date);
            assert_non_null(row_by(rows, "UpdatedAt", date));
        }
        json_decref(rows);
        particle_doc_free(doc);
    }
    json_decref(last);
}

/* Sim Information and Cellular Network Status: a row per cellular device whose SIM the
 * account holds, with that device's ICCID. */
static void test_sim_information_and_cellular_status(void **state)
{
    fixture *f = *state;
    const char *names[] = {"/api/v1/reports/sims", "/api/v1/reports/cellular-status"};
    size_t counts[2];
    for (size_t n = 0; n < 2; n++) {
        json_t *rows = report(f, names[n]);
        assert_true(json_array_size(rows) > 0);
        counts[n] = json_array_size(rows);
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
        {
            json_t *d = json_object_get(f->devices, str(row, "DeviceId"));
            assert_non_null(d);
            assert_string_equal(str(row, "Iccid"), str(d, "iccid"));
        }
        json_decref(rows);
    }
    assert_int_equal(counts[0], counts[1]);
}

/* Get Variable Value: the poller reads the variables (every 500 ms here); each row names a
 * variable the device has, read by the poller. */
static void test_variable_values(void **state)
{
    fixture *f = *state;
    json_t *rows = NULL;
    for (int tries = 0; tries < 100; tries++) {
        rows = report(f, "/api/v1/reports/variable-values");
        if (json_array_size(rows) > 0) {
            break;
        }
        json_decref(rows);
        rows = NULL;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    assert_non_null(rows);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *d = json_object_get(f->devices, str(row, "DeviceId"));
        assert_non_null(d);
        if (json_object_get(json_object_get(d, "variables"), str(row, "Variable")) == NULL) {
            fail_msg("%s of %s from %s", str(row, "Variable"), str(row, "DeviceId"),
                     str(row, "Source"));
        }
        assert_string_equal(str(row, "DeviceName"), str(d, "name"));
        assert_string_equal(str(row, "Source"), "poll");
    }
    json_decref(rows);
}

/* Get Variable Value on demand: a connected device's variables read now through the bridge
 * (Source "live"), each one the device has; an unknown variable is a 404, no device a 400. */
static void test_variable_values_live(void **state)
{
    fixture *f = *state;
    const char *id = NULL;
    json_t *d = NULL;
    json_object_foreach(f->devices, id, d)
    {
        if (json_is_true(json_object_get(d, "connected")) &&
            json_object_size(json_object_get(d, "variables")) > 0) {
            break;
        }
    }
    assert_non_null(d);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/reports/variable-values/live?device=%s", id);
    json_t *rows = array_at(f, path);
    assert_int_equal(json_array_size(rows), json_object_size(json_object_get(d, "variables")));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        assert_string_equal(str(row, "DeviceId"), id);
        assert_string_equal(str(row, "Source"), "live");
        assert_non_null(json_object_get(json_object_get(d, "variables"), str(row, "Variable")));
        assert_false(json_is_null(json_object_get(row, "Value")));
    }
    json_decref(rows);
    snprintf(path, sizeof path, "/api/v1/reports/variable-values/live?device=%s&name=nope", id);
    http_reply r = bridge_harness_api(&f->h, "GET", path, "application/json", NULL);
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    r = bridge_harness_api(&f->h, "GET", "/api/v1/reports/variable-values/live", NULL, NULL);
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);
}

/* The first number of @p sql's first row, on the bridge's database (SQLite or PostgreSQL). */
static int64_t db_scalar(fixture *f, const char *sql)
{
    if (f->pg_name[0] != '\0') {
        return bt_pg_scalar(f->h.db, sql);
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f->h.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* SQL users read the same data: the views of migration 0009 hold as many rows as the
 * reports, with the cloud's fields. */
static void test_store_views(void **state)
{
    fixture *f = *state;
    assert_int_equal(db_scalar(f, "SELECT count(*) FROM report_device_information"),
                     (int64_t)json_object_size(f->devices));
    int64_t serials = 0;
    const char *id;
    json_t *d;
    json_object_foreach(f->devices, id, d)
    {
        serials += str(d, "serial_number")[0] != '\0';
    }
    assert_true(serials > 0);
    assert_int_equal(db_scalar(f, "SELECT count(*) FROM report_device_information "
                                  "WHERE serial_number IS NOT NULL AND serial_number <> ''"),
                     serials);
    json_t *rows = report(f, "/api/v1/reports/sim-cards");
    assert_int_equal(db_scalar(f, "SELECT count(*) FROM report_sim_cards"),
                     (int64_t)json_array_size(rows));
    json_decref(rows);
    rows = report(f, "/api/v1/reports/fleet-usage");
    assert_int_equal(db_scalar(f, "SELECT count(*) FROM report_fleet_data_usage"),
                     (int64_t)json_array_size(rows));
    json_decref(rows);
}

/* The scheduled export wrote the list-devices report into its file; its status says so. */
static void test_export(void **state)
{
    fixture *f = *state;
    char path[1300], err[256];
    snprintf(path, sizeof path, "%s/devices.csv", f->export_dir);
    json_t *status = NULL;
    for (int tries = 0; tries < 100; tries++) {
        status = array_at(f, "/api/v1/exports");
        assert_int_equal(json_array_size(status), 1);
        json_t *rows = json_object_get(json_array_get(status, 0), "rows");
        if (json_is_integer(rows) &&
            json_integer_value(rows) == (json_int_t)json_object_size(f->devices)) {
            break;
        }
        json_decref(status);
        status = NULL;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    assert_non_null(status); /* the export after the sync holds every device */
    json_decref(status);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(pu_file_read(path, PU_FILE_NO_LIMIT, &text, &len, err, sizeof err), 0);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) {
        lines += text[i] == '\n';
    }
    assert_int_equal(lines, json_object_size(f->devices) + 1); /* and the header */
    assert_non_null(strstr(text, "DeviceId,Name,ProductId,"));
    free(text);
    http_reply r = bridge_harness_api(&f->h, "GET", "/metrics", "text/plain", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "particle_bridge_export_failing{export=\"devices\"} 0"));
    http_reply_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sync),
        cmocka_unit_test(test_device_information),
        cmocka_unit_test(test_list_devices),
        cmocka_unit_test(test_sim_cards),
        cmocka_unit_test(test_fleet_usage),
        cmocka_unit_test(test_vitals),
        cmocka_unit_test(test_sim_information_and_cellular_status),
        cmocka_unit_test(test_variable_values),
        cmocka_unit_test(test_variable_values_live),
        cmocka_unit_test(test_store_views),
        cmocka_unit_test(test_export),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
