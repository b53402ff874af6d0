/* The bridge's device vitals: flattening a §7.2 payload, the normaliser routing
 * spark/device/diagnostics/update events into vitals rows through the writer (stored once,
 * raw event kept), collecting GET /v1/diagnostics/:id/last from a canned cloud (stored,
 * duplicate, none yet, malformed), and the vitals-last / vitals-history reports (names,
 * filters, absent values, CSV). The store contract itself is in test_bridge_store.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <particle/particle.h>

#include "api/reports.h"
#include "bridge_test.h"
#include "canned_server.h"
#include "ingest/normalise.h"
#include "ingest/vitals_flatten.h"
#include "ingest/writer.h"
#include "store/store.h"
#include "vitals.h"

#define DEV_A "aaaaaaaaaaaaaaaaaaaaaaaa"
#define DEV_B "bbbbbbbbbbbbbbbbbbbbbbbb"

/* The documented payload (reference/cloud-api.md §7.2), trimmed. */
#define PAYLOAD                                                                                    \
    "{\"device\":{\"network\":{\"signal\":{\"at\":\"UMTS\",\"strength\":66.66,\"quality\":75.51}," \
    "\"connection\":{\"status\":\"connected\",\"disconnects\":1}},\"cloud\":{\"connection\":"      \
    "{\"status\":\"connected\",\"disconnects\":23}},\"power\":{\"battery\":{\"charge\":87.12}},"   \
    "\"system\":{\"uptime\":2567461,\"memory\":{\"used\":36016,\"total\":113664}}},"               \
    "\"service\":{\"device\":{\"status\":\"ok\"}}}"

typedef struct fixture {
    char dir[512];
    char db[600];
    bridge_store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256] = "";
    if (f == NULL || bt_tempdir(f->dir, sizeof f->dir) != 0) {
        free(f);
        return -1;
    }
    bt_path(f->db, sizeof f->db, f->dir, "bridge.db");
    f->st = bridge_store_open_sqlite(f->db, err, sizeof err);
    if (f->st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        bt_rmdir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    bt_rmdir(f->dir);
    free(f);
    return 0;
}

/* The newest vitals of one device, copied out of the store's callback. */
typedef struct last_seen {
    int count;
    int64_t updated;
    char source[16];
    double strength, battery;
    int64_t used, disconnects;
} last_seen;

static int copy_last(const bridge_vitals *v, void *payload)
{
    last_seen *s = payload;
    s->count++;
    s->updated = v->updated_at_ms;
    snprintf(s->source, sizeof s->source, "%s", v->source);
    s->strength = v->signal_strength_pct;
    s->battery = v->battery_charge_pct;
    s->used = v->memory_used_bytes;
    s->disconnects = v->cloud_disconnects;
    return 0;
}

static last_seen last_of(bridge_store *st, const char *device)
{
    last_seen s = {0};
    assert_int_equal(bridge_store_vitals_last(st, device, copy_last, &s), 0);
    return s;
}

static void test_flatten_reads_the_documented_payload(void **state)
{
    (void)state;
    bridge_vitals v;
    assert_int_equal(bridge_vitals_flatten(&v, DEV_A, 1234, "sse", PAYLOAD), 0);
    assert_string_equal(v.device_id, DEV_A);
    assert_int_equal(v.updated_at_ms, 1234);
    assert_ptr_equal(v.payload, PAYLOAD); /* borrowed, not copied */
    assert_true(v.signal_strength_pct == 66.66);
    assert_true(v.signal_quality_pct == 75.51);
    assert_true(v.battery_charge_pct == 87.12);
    assert_int_equal(v.memory_used_bytes, 36016);
    assert_int_equal(v.memory_total_bytes, 113664);
    assert_int_equal(v.uptime_s, 2567461);
    assert_int_equal(v.cloud_disconnects, 23); /* the cloud's, not the network's 1 */

    /* Everything is optional; the flat device.cloud.disconnects form is read too. */
    assert_int_equal(bridge_vitals_flatten(&v, DEV_A, 1, "sync",
                                           "{\"device\":{\"cloud\":{\"disconnects\":4},"
                                           "\"system\":{\"uptime\":\"soon\"}}}"),
                     0);
    assert_true(isnan(v.signal_strength_pct) && isnan(v.battery_charge_pct));
    assert_int_equal(v.memory_used_bytes, -1);
    assert_int_equal(v.uptime_s, -1); /* not a number */
    assert_int_equal(v.cloud_disconnects, 4);

    assert_int_equal(bridge_vitals_flatten(&v, DEV_A, 1, "sse", "[1,2]"), -1);
    assert_int_equal(bridge_vitals_flatten(&v, DEV_A, 1, "sse", "not json"), -1);
    assert_int_equal(bridge_vitals_flatten(&v, DEV_A, 1, "sse", NULL), -1);
}

static void test_normaliser_routes_vitals_events(void **state)
{
    (void)state;
    bridge_norm_settings s = {"kitchen", false, true, true, NULL, NULL}; /* even disabled */
    bridge_event_in ev = {DEV_A, "spark/device/diagnostics/update", PAYLOAD, 5000, 5005, "sse"};
    bridge_norm_out o;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_non_null(o.record.vitals);
    assert_int_equal(o.record.vitals->updated_at_ms, 5000);
    assert_string_equal(o.record.vitals->source, "sse");
    assert_int_equal(o.record.vitals->memory_total_bytes, 113664);
    assert_string_equal(o.record.event_name, "spark/device/diagnostics/update");
    assert_int_equal(o.record.measurement_count, 0); /* not the unknown-event fields */
    assert_int_equal(o.record.post_count, 0);
    bridge_norm_out_dispose(&o);

    ev.data = "garbage";
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_null(o.record.vitals); /* the raw event only */
    bridge_norm_out_dispose(&o);

    ev.name = "env";
    ev.data = PAYLOAD;
    s.enabled = true;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_null(o.record.vitals);
    bridge_norm_out_dispose(&o);
}

static void test_writer_stores_vitals_events_once(void **state)
{
    fixture *f = *state;
    char err[256] = "";
    bridge_writer_options opts = {.db_path = f->db};
    bridge_writer *w = bridge_writer_new(&opts, err, sizeof err);
    assert_non_null(w);
    bridge_event_in ev = {DEV_A, "spark/device/diagnostics/update", PAYLOAD, 7000, 7001, "sse"};
    assert_int_equal(bridge_writer_push_event(w, &ev, "stream", "1"), 0);
    ev.source = "webhook"; /* the same event through a webhook: a duplicate */
    assert_int_equal(bridge_writer_push_event(w, &ev, NULL, NULL), 0);
    assert_int_equal(bridge_writer_flush(w, 5000), 0);
    bridge_writer_free(w);

    last_seen s = last_of(f->st, DEV_A);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.updated, 7000);
    assert_string_equal(s.source, "sse");
    assert_true(s.strength == 66.66);
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(f->st, &c), 0);
    assert_int_equal(c.events, 1); /* the raw event is kept, once, as before */
}

/* ---- collecting through the SDK from a canned cloud ---- */

#define LAST_BODY(at)                                                                              \
    "{\"diagnostics\":{\"updated_at\":\"" at "\",\"deviceID\":\"" DEV_A "\",\"payload\":" PAYLOAD  \
    "}}"

static particle_client *canned_client(canned_server *srv)
{
    char url[64];
    canned_server_url(srv, url, sizeof url);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = "0123456789abcdef0123456789abcdef01234567";
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES;
    o.request_timeout_ms = 5000;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static void test_collect_stores_last_once(void **state)
{
    fixture *f = *state;
    canned_step steps[] = {
        {.expect = "GET /v1/diagnostics/" DEV_A "/last ",
         .status = 200,
         .body = LAST_BODY("2024-05-01T10:00:00.250Z")},
        {.expect = "GET /v1/products/my-product/diagnostics/" DEV_A "/last ",
         .status = 200,
         .body = LAST_BODY("2024-05-01T10:00:00.250Z")},
        {.expect = "GET /v1/diagnostics/" DEV_B "/last ",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"No diagnostics found for this device\"}"},
        {.expect = "GET /v1/diagnostics/" DEV_B "/last ",
         .status = 200,
         .body = "{\"diagnostics\":{\"deviceID\":\"" DEV_B "\",\"payload\":{}}}"},
        {.expect = "GET /v1/diagnostics/" DEV_B "/last ",
         .status = 403,
         .body = "{\"error\":\"Permission Denied\",\"info\":\"nope\"}"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = canned_client(srv);
    char err[256] = "";
    bridge_writer_options wo = {.db_path = f->db};
    bridge_writer *w = bridge_writer_new(&wo, err, sizeof err);
    assert_non_null(w);
    bridge_vitals_outcome out;
    assert_int_equal(bridge_vitals_collect(c, w, DEV_A, NULL, &out, err, sizeof err), 0);
    assert_int_equal(out, BRIDGE_VITALS_STORED);
    assert_int_equal(bridge_vitals_collect(c, w, DEV_A, "my-product", &out, err, sizeof err), 0);
    assert_int_equal(out, BRIDGE_VITALS_DUPLICATE);
    last_seen s = last_of(f->st, DEV_A);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.updated, 1714557600250LL);
    assert_string_equal(s.source, "sync");
    assert_int_equal(s.used, 36016);
    assert_true(s.battery == 87.12);

    assert_int_equal(bridge_vitals_collect(c, w, DEV_B, NULL, &out, err, sizeof err), 0);
    assert_int_equal(out, BRIDGE_VITALS_NONE);
    assert_int_equal(bridge_vitals_collect(c, w, DEV_B, NULL, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "no updated_at"));
    assert_int_equal(bridge_vitals_collect(c, w, DEV_B, NULL, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "HTTP 403"));
    assert_int_equal(last_of(f->st, DEV_B).count, 0);
    bridge_writer_free(w);

    char why[256];
    if (!canned_server_ok(srv, why, sizeof why)) {
        fail_msg("canned server: %s", why);
    }
    particle_client_free(c);
    canned_server_stop(srv);
}

/* ---- reports ---- */

static void put(bridge_store *st, const char *device, int64_t at, const char *payload)
{
    bridge_vitals v;
    assert_int_equal(bridge_vitals_flatten(&v, device, at, "sync", payload), 0);
    assert_int_equal(bridge_store_vitals_put(st, &v, NULL), 0);
}

static void add_device(bridge_store *st, const char *id, const char *name)
{
    bridge_cloud_device cd = {.particle_id = id, .name = name, .connected = true};
    bridge_device_defaults d = {.check_interval_ms = 60000, .enabled = true};
    assert_int_equal(bridge_store_device_sync(st, &cd, &d, 1000, NULL), 0);
}

static void test_reports(void **state)
{
    fixture *f = *state;
    add_device(f->st, DEV_A, "kitchen");
    add_device(f->st, DEV_B, "garage");
    put(f->st, DEV_A, 1000, PAYLOAD);
    put(f->st, DEV_A, 3000, "{\"device\":{\"system\":{\"uptime\":5}}}");
    put(f->st, DEV_B, 2000, PAYLOAD);

    const bridge_report *last = bridge_report_find("vitals-last");
    assert_non_null(last);
    json_t *rows = NULL;
    assert_int_equal(bridge_report_run(last, f->st, NULL, &rows), 0);
    assert_int_equal(json_array_size(rows), 2);
    json_t *a = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(a, "DeviceId")), DEV_A);
    assert_string_equal(json_string_value(json_object_get(a, "Name")), "kitchen");
    assert_int_equal(json_integer_value(json_object_get(a, "Uptime")), 5);
    assert_true(json_is_null(json_object_get(a, "SignalStrength"))); /* absent in that payload */
    json_t *b = json_array_get(rows, 1);
    assert_string_equal(json_string_value(json_object_get(b, "Name")), "garage");
    assert_true(json_real_value(json_object_get(b, "SignalStrength")) == 66.66);
    assert_int_equal(json_integer_value(json_object_get(b, "CloudDisconnects")), 23);

    size_t len = 0;
    char *csv = bridge_report_csv(last, rows, &len);
    assert_non_null(csv);
    assert_true(
        strncmp(csv,
                "DeviceId,Name,UpdatedAt,Source,SignalStrength,SignalQuality,"
                "BatteryCharge,MemoryUsed,MemoryTotal,Uptime,CloudDisconnects,SignalStrengthValue,",
                strlen("DeviceId,Name,UpdatedAt,Source,SignalStrength,SignalQuality,"
                       "BatteryCharge,MemoryUsed,MemoryTotal,Uptime,CloudDisconnects,"
                       "SignalStrengthValue,")) == 0);
    assert_non_null(strstr(csv, DEV_A ",kitchen,"));
    assert_non_null(strstr(csv, ",sync,,,,,,5,,")); /* absent values are empty cells */
    free(csv);
    json_decref(rows);

    bridge_query one = {.device_id = DEV_B};
    assert_int_equal(bridge_report_run(last, f->st, &one, &rows), 0);
    assert_int_equal(json_array_size(rows), 1);
    json_decref(rows);

    const bridge_report *hist = bridge_report_find("vitals-history");
    assert_non_null(hist);
    bridge_query q = {.from_ms = 1500};
    assert_int_equal(bridge_report_run(hist, f->st, &q, &rows), 0);
    assert_int_equal(json_array_size(rows), 2); /* 2000 (B), 3000 (A), by time */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "DeviceId")),
                        DEV_B);
    json_decref(rows);
    q = (bridge_query){.device_id = DEV_A};
    assert_int_equal(bridge_report_run(hist, f->st, &q, &rows), 0);
    assert_int_equal(json_array_size(rows), 2);
    json_decref(rows);
}

/* Vitals of a device the sync has not stored (its event came first), with no devices at
 * all: the row has an empty name, and the name lookup is not run on an empty list. */
static void test_reports_without_devices(void **state)
{
    fixture *f = *state;
    put(f->st, DEV_A, 1000, PAYLOAD);
    const char *names[] = {"vitals-last", "vitals-history"};
    for (size_t i = 0; i < 2; i++) {
        json_t *rows = NULL;
        assert_int_equal(bridge_report_run(bridge_report_find(names[i]), f->st, NULL, &rows), 0);
        assert_int_equal(json_array_size(rows), 1);
        json_t *row = json_array_get(rows, 0);
        assert_string_equal(json_string_value(json_object_get(row, "DeviceId")), DEV_A);
        assert_string_equal(json_string_value(json_object_get(row, "Name")), "");
        json_decref(rows);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flatten_reads_the_documented_payload),
        cmocka_unit_test(test_normaliser_routes_vitals_events),
        cmocka_unit_test_setup_teardown(test_writer_stores_vitals_events_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collect_stores_last_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_without_devices, setup, teardown),
    };
    particle_global_init();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
