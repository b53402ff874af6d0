/*
 * A product firmware rollout end to end: particle-sim (in-process, loopback port 0) holds a
 * product of 1,000 Boron devices, 2% of them set to fail every update by the fleet file
 * ("firmware": {"fail_every": 50}); particle-bridge syncs that product into SQLite (or, with
 * BRIDGE_TEST_PG, a fresh PostgreSQL database) and streams its events. The test uploads and
 * releases product firmware through libparticle's typed calls, then drives the rollout with
 * the control API's clock (paused, advanced in 5 s steps) while watching the product's
 * spark/flash/status events on a stream of its own. At checkpoints during the rollout and at
 * its end, the bridge's firmware-rollout report and the counts from that stream agree on
 * every count: Targeted (every device, all targeted by the release), Updated (last status
 * success), Failed (last status failed) and Pending (the rest); at the end they are exactly
 * 980, 20 and 0, also after a later sync (devices now running the version), and the
 * product-firmware report lists the version. Bounded: every wait has a deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <particle/particle.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bridge_harness.h"
#include "metrics.h"
#include "pg_scratch.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "rollout-e2e-api-key-0123456789"
#define PRODUCT "500"
#define DEVICES 1000
#define FAILING (DEVICES / 50)
#define NEW_VERSION 2
#define FIRMWARE_FILE PARTICLE_TEST_DATA_DIR "/firmware/boron-app-b.bin"
#define SETTLE_MS 30000 /* the longest wait for the stream and the bridge to agree */

static const char FLEET[] =
    "{\"users\":[{\"username\":\"ops@example.com\",\"tokens\":[\"" TOKEN "\"]}],"
    "\"products\":[{\"id\":" PRODUCT ",\"slug\":\"rollout\",\"platform_id\":13,"
    "\"team\":[\"ops@example.com\"]}],"
    "\"templates\":[{\"name\":\"t\"}],"
    "\"devices\":[{\"name\":\"r-{{n}}\",\"template\":\"t\",\"product\":" PRODUCT
    ",\"count\":1000,\"platform_id\":13,\"firmware_version\":1}],"
    "\"firmware\":{\"fail_every\":50}}";

typedef struct fixture {
    bridge_harness h;
    char fleet_dir[64], fleet_path[128];
    char pg_name[64];       /* the PostgreSQL database, "" on SQLite */
    particle_client *cloud; /* the operator on the simulator */
    http_stream *flash;     /* the test's own spark/flash/status stream */
} fixture;

/* The rollout counts of one product firmware version. */
typedef struct counts {
    long long targeted, updated, failed, pending;
} counts;

static int write_fleet(fixture *f)
{
    snprintf(f->fleet_dir, sizeof f->fleet_dir, "/tmp/rollout-fleet-XXXXXX");
    if (mkdtemp(f->fleet_dir) == NULL) {
        return -1;
    }
    snprintf(f->fleet_path, sizeof f->fleet_path, "%s/fleet.json", f->fleet_dir);
    FILE *out = fopen(f->fleet_path, "wb");
    if (out == NULL) {
        return -1;
    }
    size_t wrote = fwrite(FLEET, 1, sizeof FLEET - 1, out);
    return fclose(out) == 0 && wrote == sizeof FLEET - 1 ? 0 : -1;
}

static void remove_fleet(fixture *f)
{
    if (f->fleet_dir[0] != '\0') {
        unlink(f->fleet_path);
        rmdir(f->fleet_dir);
    }
}

static int teardown(void **state)
{
    fixture *f = *state;
    http_stream_close(f->flash);
    particle_client_free(f->cloud);
    bridge_harness_close(&f->h);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    }
    remove_fleet(f);
    free(f);
    return 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return -1;
    }
    *state = f;
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 4;
    so.fleet_path = f->fleet_path;
    if (write_fleet(f) != 0 || bridge_harness_open(&f->h, "bridge-rollout-e2e", &so) != 0) {
        teardown(state);
        return -1;
    }
    if (bt_pg_uri() != NULL &&
        bt_pg_db_create(f->h.db, sizeof f->h.db, f->pg_name, sizeof f->pg_name) != 0) {
        teardown(state);
        return -1;
    }
    bridge_harness_configure(&f->h, TOKEN, KEY);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->h.cfg.cloud_url;
    o.access_token = TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    if (particle_client_new(&f->cloud, &o) != 0) {
        teardown(state);
        return -1;
    }
    bridge_config *cfg = &f->h.cfg;
    cfg->user_scope = false;
    snprintf(cfg->products[0], sizeof cfg->products[0], "%s", PRODUCT);
    cfg->product_count = 1;
    cfg->request_timeout_ms = 10000;
    /* the rollout only: the reports' extra fetches (1,000 vitals histories, the SIM sweep)
     * keep the simulator busy enough to delay the test's own event stream */
    cfg->report_data = false;
    char verr[256];
    if (bridge_config_validate(cfg, verr, sizeof verr) != 0) {
        fprintf(stderr, "config: %s\n", verr);
        teardown(state);
        return -1;
    }
    return 0;
}

/* A control API call on the simulator (POST @p path with @p body); must answer 200. */
static void control(fixture *f, const char *path, const char *body)
{
    http_reply r = bridge_harness_http(sim_server_port(f->h.sim), "POST", path, TOKEN, NULL, body);
    if (r.status != 200) {
        fail_msg("POST %s: HTTP %ld %s", path, r.status, r.body);
    }
    http_reply_dispose(&r);
}

static void sync_now(fixture *f)
{
    char err[512];
    if (bridge_app_sync_now(f->h.app, err, sizeof err) != 0) {
        fail_msg("sync: %s", err);
    }
}

/* Waits until the bridge's product event stream is connected. */
static void wait_bridge_stream(fixture *f)
{
    for (int i = 0; i < 200; i++) {
        if (atomic_load(&bridge_app_metrics(f->h.app)->stream_connected) == 1) {
            return;
        }
        usleep(50 * 1000);
    }
    fail_msg("the bridge's product stream did not connect");
}

static void open_flash_stream(fixture *f)
{
    char url[256];
    http_headers hdrs;
    f->flash = http_stream_open(http_url(url, sizeof url, sim_server_port(f->h.sim),
                                         "/v1/products/" PRODUCT "/events/spark%2Fflash%2Fstatus"),
                                http_headers_bearer(&hdrs, TOKEN, NULL, NULL));
    if (!http_stream_wait_for(f->flash, ":ok\n\n", 5000)) {
        fail_msg("the test's flash stream did not open");
    }
}

/* Uploads the fixture binary as NEW_VERSION and releases it product-wide, both through
 * libparticle's typed calls. */
static void upload_and_release(fixture *f)
{
    particle_firmware_upload up = PARTICLE_FIRMWARE_UPLOAD_INIT;
    up.firmware_version = NEW_VERSION;
    up.title = "Rollout";
    up.description = "the e2e rollout";
    up.path = FIRMWARE_FILE;
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_firmware_upload(&doc, f->cloud, PRODUCT, &up), 0);
    assert_int_equal(particle_product_firmware_version(particle_doc_root(doc)), NEW_VERSION);
    assert_int_equal(particle_product_firmware_size(particle_doc_root(doc)), 1536);
    particle_doc_free(doc);
    particle_firmware_release rel = PARTICLE_FIRMWARE_RELEASE_INIT;
    rel.firmware_version = NEW_VERSION;
    rel.product_default = PARTICLE_YES;
    doc = NULL;
    assert_int_equal(particle_product_firmware_release(&doc, f->cloud, PRODUCT, &rel), 0);
    assert_int_equal(particle_product_firmware_is_default(particle_doc_root(doc)), 1);
    particle_doc_free(doc);
}

/* The counts from the test's stream: each device's last flash status, in stream order. All
 * DEVICES are targeted by the product-wide release. *events gets the events seen. */
static counts stream_counts(fixture *f, size_t *events)
{
    char *text = http_stream_text(f->flash);
    json_t *last = json_object(); /* coreid -> its last status */
    *events = 0;
    for (const char *p = strstr(text, "\ndata: "); p != NULL; p = strstr(p + 1, "\ndata: ")) {
        const char *line = p + 7, *end = strchr(line, '\n');
        if (end == NULL) {
            break; /* a line still arriving */
        }
        json_t *e = json_loadb(line, (size_t)(end - line), 0, NULL);
        assert_non_null(e);
        json_object_set(last, json_string_value(json_object_get(e, "coreid")),
                        json_object_get(e, "data"));
        json_decref(e);
        (*events)++;
    }
    free(text);
    counts c = {.targeted = DEVICES};
    const char *id;
    json_t *status;
    json_object_foreach(last, id, status)
    {
        c.updated += strcmp(json_string_value(status), "success") == 0;
        c.failed += strcmp(json_string_value(status), "failed") == 0;
    }
    json_decref(last);
    c.pending = c.targeted - c.updated - c.failed;
    return c;
}

/* GET a report of the bridge for the product as a JSON array. */
static json_t *report(fixture *f, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/reports/%s?product=" PRODUCT, name);
    http_reply r = bridge_harness_api(&f->h, "GET", path, "application/json", NULL);
    if (r.status != 200) {
        fail_msg("GET %s: HTTP %ld %s", path, r.status, r.body);
    }
    json_t *rows = http_reply_items(&r);
    http_reply_dispose(&r);
    assert_true(json_is_array(rows));
    return rows;
}

/* The row of @p rows for NEW_VERSION, or NULL. */
static json_t *version_row(json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "Version")) == NEW_VERSION) {
            return row;
        }
    }
    return NULL;
}

static long long num(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

static counts bridge_counts(fixture *f)
{
    json_t *rows = report(f, "firmware-rollout");
    json_t *row = version_row(rows);
    counts c = {0};
    if (row != NULL) {
        c = (counts){num(row, "Targeted"), num(row, "Updated"), num(row, "Failed"),
                     num(row, "Pending")};
    }
    json_decref(rows);
    return c;
}

static bool same(counts a, counts b)
{
    return a.targeted == b.targeted && a.updated == b.updated && a.failed == b.failed &&
           a.pending == b.pending;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until the test's stream has stopped growing (no new event for 300 ms) and the
 * bridge's report says what it says; returns the agreed counts. The clock is paused, so
 * nothing new is published meanwhile. */
static counts agree(fixture *f)
{
    long long deadline = now_ms() + SETTLE_MS, quiet_since = now_ms();
    size_t seen = 0, events = 0;
    counts s = {0}, b = {0};
    while (now_ms() < deadline) {
        s = stream_counts(f, &events);
        if (events != seen) {
            seen = events;
            quiet_since = now_ms();
        }
        assert_int_equal(bridge_app_flush(f->h.app, 5000), 0);
        b = bridge_counts(f);
        if (same(s, b) && now_ms() - quiet_since >= 300) {
            return s;
        }
        usleep(100 * 1000);
    }
    fail_msg("after %d ms: stream targeted %lld updated %lld failed %lld pending %lld (%zu "
             "events), bridge %lld %lld %lld %lld",
             SETTLE_MS, s.targeted, s.updated, s.failed, s.pending, events, b.targeted, b.updated,
             b.failed, b.pending);
    return s;
}

static void test_rollout_report_agrees_with_the_event_stream(void **state)
{
    fixture *f = *state;
    bridge_harness_start_app(&f->h); /* its first sync: no firmware yet */
    control(f, "/sim/clock/pause", NULL);
    wait_bridge_stream(f);
    open_flash_stream(f);
    upload_and_release(f);
    sync_now(f); /* the bridge learns the targets before the flashing begins */
    counts c = agree(f);
    assert_int_equal(c.targeted, DEVICES);

    /* 60 s of staggered starts, 20 s of flashing, 5 s of reboot, in 5 s steps; the counts
     * agree at checkpoints while devices are still flashing, and at the end */
    bool saw_partial = false;
    for (int step = 1; step <= 18; step++) {
        control(f, "/sim/clock/advance", "{\"ms\":5000}");
        if (step % 4 == 0 || step == 18) {
            c = agree(f);
            saw_partial = saw_partial || (c.pending > 0 && c.updated > 0);
        }
    }
    assert_true(saw_partial);
    assert_int_equal(c.targeted, DEVICES);
    assert_int_equal(c.updated, DEVICES - FAILING);
    assert_int_equal(c.failed, FAILING);
    assert_int_equal(c.pending, 0);
    size_t events = 0;
    stream_counts(f, &events);
    assert_int_equal(events, 2 * DEVICES); /* started, then success or failed, per device */

    /* a later sync sees the devices' firmware_version: the same counts, and Running */
    sync_now(f);
    assert_true(same(bridge_counts(f), c));
    json_t *rows = report(f, "firmware-rollout");
    json_t *row = version_row(rows);
    assert_non_null(row);
    assert_int_equal(num(row, "Running"), DEVICES - FAILING);
    assert_true(json_is_true(json_object_get(row, "ProductDefault")));
    json_decref(rows);

    /* the Domo report lists the version as the cloud has it */
    rows = report(f, "product-firmware");
    row = version_row(rows);
    assert_non_null(row);
    assert_int_equal(num(row, "ProductId"), 500);
    assert_string_equal(json_string_value(json_object_get(row, "Title")), "Rollout");
    assert_int_equal(num(row, "Size"), 1536);
    assert_true(json_is_true(json_object_get(row, "ProductDefault")));
    assert_int_equal(num(row, "DeviceCount"), DEVICES - FAILING);
    json_decref(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rollout_report_agrees_with_the_event_stream, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
