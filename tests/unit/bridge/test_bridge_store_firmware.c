/*
 * The store contract for firmware (store_firmware.c, migration 0007): a product's firmware
 * versions replaced as a whole set, a product device's firmware fields from its sync, its
 * last flash status from spark/flash/status events (exactly once, the newest kept), and the
 * rollout counts. On SQLite files in a scratch directory, or, when BRIDGE_TEST_PG names a
 * PostgreSQL server (ctest case unit/bridge/test_bridge_store_firmware_pg), on a fresh
 * PostgreSQL database per test: the same assertions on both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bridge_test.h"
#include "pg_scratch.h"
#include "store/store.h"

typedef struct fixture {
    char dir[512];
    char db[1024];
    char pg_name[64];
    bridge_store *st;
} fixture;

static void remove_db(fixture *f)
{
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    } else {
        bt_rmdir(f->dir);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
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
    char err[256] = "";
    f->st = bridge_store_open(f->db, err, sizeof err);
    if (f->st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        remove_db(f);
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
    remove_db(f);
    free(f);
    return 0;
}

/* ---- what the readers hand back, flattened to one line per row ---- */

typedef struct lines {
    char text[2048];
    int rows;
} lines;

static void add_line(lines *l, const char *fmt, ...)
{
    size_t used = strlen(l->text);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text + used, sizeof l->text - used, fmt, ap);
    va_end(ap);
    l->rows++;
}

static int firmware_line(const bridge_product_firmware *fw, void *payload)
{
    add_line(payload, "%d v%lld %s %s %s %s %lld %lld %s%s%s [%s] n%lld\n", fw->product_id,
             (long long)fw->version, fw->firmware_id, fw->title, fw->description, fw->file_name,
             (long long)fw->size_bytes, (long long)fw->uploaded_at_ms, fw->uploaded_by,
             fw->product_default ? " default" : "", fw->mandatory ? " mandatory" : "", fw->groups,
             (long long)fw->device_count);
    return 0;
}

static int device_line(const bridge_device_firmware *d, void *payload)
{
    add_line(payload, "%d %s v%lld t%lld l%lld e%d f%d [%s %lld v%lld]%s\n", d->product_id,
             d->particle_id, (long long)d->firmware_version, (long long)d->targeted_version,
             (long long)d->desired_version, d->updates_enabled, d->updates_forced, d->flash_status,
             (long long)d->flash_ms, (long long)d->flash_version, d->gone ? " gone" : "");
    return 0;
}

static int rollout_line(const bridge_firmware_rollout *r, void *payload)
{
    add_line(payload, "%d v%lld %s%s [%s] t%lld u%lld f%lld p%lld r%lld\n", r->product_id,
             (long long)r->version, r->title, r->product_default ? " default" : "", r->groups,
             (long long)r->targeted, (long long)r->updated, (long long)r->failed,
             (long long)r->pending, (long long)r->running);
    return 0;
}

static const char *firmware(fixture *f, const char *product, lines *l)
{
    memset(l, 0, sizeof *l);
    bridge_query q = {.product = product};
    assert_int_equal(bridge_store_product_firmware_list(f->st, &q, firmware_line, l), 0);
    return l->text;
}

static const char *device_firmware(fixture *f, const char *product, lines *l)
{
    memset(l, 0, sizeof *l);
    bridge_query q = {.product = product};
    assert_int_equal(bridge_store_device_firmware_list(f->st, &q, device_line, l), 0);
    return l->text;
}

static const char *rollouts(fixture *f, const char *product, lines *l)
{
    memset(l, 0, sizeof *l);
    bridge_query q = {.product = product};
    assert_int_equal(bridge_store_firmware_rollouts(f->st, &q, rollout_line, l), 0);
    return l->text;
}

/* ---- writing ---- */

static const bridge_device_defaults defaults = {.check_interval_ms = 60000, .enabled = true};

/* Syncs product device @p id with its firmware fields (-1 = not said). */
static void sync_device(fixture *f, const char *id, int product, int64_t running, int64_t targeted)
{
    bridge_cloud_device cd = {.particle_id = id,
                              .name = id,
                              .product_id = product,
                              .platform_id = 13,
                              .firmware_version = running,
                              .targeted_firmware_version = targeted,
                              .desired_firmware_version = -1,
                              .firmware_updates_enabled = 1,
                              .firmware_updates_forced = -1,
                              .has_firmware = true};
    assert_int_equal(bridge_store_device_sync(f->st, &cd, &defaults, 1000, NULL), 0);
}

/* Writes a spark/flash/status event of device @p id; true when it was new. */
static bool flash_event(fixture *f, const char *id, const char *status, int64_t ts)
{
    bridge_record r = {.kind = BRIDGE_RECORD_EVENT,
                       .device_id = id,
                       .event_name = "spark/flash/status",
                       .event_data = status,
                       .published_at_ms = ts,
                       .source = "sse",
                       .received_at_ms = ts,
                       .online = -1,
                       .flash_status = status};
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, &res), 0);
    return res.events_stored == 1;
}

static void add_products(fixture *f)
{
    bridge_product products[] = {
        {.product_id = 1001, .slug = "env-sensors", .name = "Env sensors", .platform_id = 13},
        {.product_id = 1002, .slug = "trackers", .name = "Trackers", .platform_id = 26},
    };
    assert_int_equal(bridge_store_products_replace(f->st, "scope-t", products, 2), 0);
}

/* A product's firmware versions are its set: every field is kept, the product filter takes
 * an id or a slug, and a version the cloud no longer lists goes. */
static void test_product_firmware_replaced_per_product(void **state)
{
    fixture *f = *state;
    add_products(f);
    bridge_product_firmware env[] = {
        {.version = 1,
         .firmware_id = "58c09bc7df2b9a4d223d9c22",
         .title = "first",
         .description = "the first",
         .file_name = "firmware.bin",
         .size_bytes = 7952,
         .uploaded_at_ms = 1489017799181,
         .uploaded_by = "jeff@particle.io",
         .device_count = -1},
        {.version = 2,
         .title = "second",
         .product_default = true,
         .mandatory = true,
         .groups = "asia,europe",
         .device_count = 12},
    };
    bridge_product_firmware tracker[] = {{.version = 7, .title = "t7", .device_count = 0}};
    assert_int_equal(bridge_store_product_firmware_replace(f->st, 1001, env, 2), 0);
    assert_int_equal(bridge_store_product_firmware_replace(f->st, 1002, tracker, 1), 0);
    lines l;
    assert_string_equal(firmware(f, NULL, &l),
                        "1001 v1 58c09bc7df2b9a4d223d9c22 first the first firmware.bin 7952 "
                        "1489017799181 jeff@particle.io [] n-1\n"
                        "1001 v2  second   0 0  default mandatory [asia,europe] n12\n"
                        "1002 v7  t7   0 0  [] n0\n");
    assert_string_equal(firmware(f, "trackers", &l), "1002 v7  t7   0 0  [] n0\n");
    assert_string_equal(firmware(f, "1002", &l), "1002 v7  t7   0 0  [] n0\n");
    /* version 1 deleted in the cloud: gone here too; the other product keeps its own */
    assert_int_equal(bridge_store_product_firmware_replace(f->st, 1001, &env[1], 1), 0);
    assert_string_equal(firmware(f, NULL, &l),
                        "1001 v2  second   0 0  default mandatory [asia,europe] n12\n"
                        "1002 v7  t7   0 0  [] n0\n");
    assert_int_equal(bridge_store_product_firmware_replace(f->st, 1001, NULL, 0), 0);
    assert_string_equal(firmware(f, "env-sensors", &l), "");
    bridge_product_firmware no_version = {.version = -1};
    assert_int_equal(bridge_store_product_firmware_replace(f->st, 1001, &no_version, 1),
                     BRIDGE_STORE_ERROR);
}

/* The sync writes a product device's firmware fields (replacing them); a device sync without
 * them (a developer listing) leaves them alone. */
static void test_device_firmware_from_sync(void **state)
{
    fixture *f = *state;
    add_products(f);
    sync_device(f, "dev1", 1001, 1, 2);
    sync_device(f, "dev2", 1001, -1, -1);
    lines l;
    assert_string_equal(device_firmware(f, NULL, &l), "1001 dev1 v1 t2 l-1 e1 f-1 [ 0 v-1]\n"
                                                      "1001 dev2 v-1 t-1 l-1 e1 f-1 [ 0 v-1]\n");
    bridge_cloud_device plain = {.particle_id = "dev1", .product_id = 1001, .platform_id = 13};
    assert_int_equal(bridge_store_device_sync(f->st, &plain, &defaults, 2000, NULL), 0);
    sync_device(f, "dev2", 1001, 2, 2);
    assert_string_equal(device_firmware(f, "env-sensors", &l),
                        "1001 dev1 v1 t2 l-1 e1 f-1 [ 0 v-1]\n"
                        "1001 dev2 v2 t2 l-1 e1 f-1 [ 0 v-1]\n");
    assert_string_equal(device_firmware(f, "trackers", &l), "");
}

/* A flash status is written once per event, the newest by published_at is kept, and it
 * remembers the version the device was targeted at; an event of a device not synced yet is
 * kept too. */
static void test_flash_status_from_events(void **state)
{
    fixture *f = *state;
    add_products(f);
    sync_device(f, "dev1", 1001, 1, 2);
    assert_true(flash_event(f, "dev1", "started", 5000));
    assert_true(flash_event(f, "dev1", "failed", 6000));
    assert_false(flash_event(f, "dev1", "failed", 6000)); /* a replay: a duplicate */
    assert_true(flash_event(f, "dev1", "started", 5500)); /* older, arriving late */
    lines l;
    assert_string_equal(device_firmware(f, NULL, &l),
                        "1001 dev1 v1 t2 l-1 e1 f-1 [failed 6000 v2]\n");
    assert_true(flash_event(f, "dev9", "success", 7000)); /* not synced yet */
    sync_device(f, "dev9", 1001, 2, 2);
    assert_string_equal(device_firmware(f, NULL, &l),
                        "1001 dev1 v1 t2 l-1 e1 f-1 [failed 6000 v2]\n"
                        "1001 dev9 v2 t2 l-1 e1 f-1 [success 7000 v-1]\n");
}

/* The rollout of each listed or targeted version: targeted, updated (running it or its last
 * flash for it succeeded), failed (that flash failed), pending, and running. */
static void test_rollout_counts(void **state)
{
    fixture *f = *state;
    add_products(f);
    bridge_product_firmware env[] = {
        {.version = 1, .title = "one", .device_count = -1},
        {.version = 2, .title = "two", .product_default = true, .device_count = -1},
    };
    assert_int_equal(bridge_store_product_firmware_replace(f->st, 1001, env, 2), 0);
    sync_device(f, "a-updated", 1001, 2, 2);
    sync_device(f, "b-flashed", 1001, 1, 2); /* its success comes before the next sync */
    sync_device(f, "c-failed", 1001, 1, 2);
    sync_device(f, "d-pending", 1001, 1, 2);
    sync_device(f, "e-retrying", 1001, 1, 2); /* failed once, started again */
    sync_device(f, "f-old-fail", 1001, 1, 1); /* failed while targeted at 1, now at 2 */
    sync_device(f, "g-tracker", 1002, 5, 6);  /* a version targeted but not listed */
    assert_true(flash_event(f, "f-old-fail", "failed", 100));
    sync_device(f, "f-old-fail", 1001, 1, 2);
    assert_true(flash_event(f, "b-flashed", "started", 200));
    assert_true(flash_event(f, "b-flashed", "success", 300));
    assert_true(flash_event(f, "c-failed", "started", 200));
    assert_true(flash_event(f, "c-failed", "failed", 300));
    assert_true(flash_event(f, "e-retrying", "failed", 200));
    assert_true(flash_event(f, "e-retrying", "started", 300));
    lines l;
    assert_string_equal(rollouts(f, NULL, &l), "1001 v1 one [] t0 u0 f0 p0 r5\n"
                                               "1001 v2 two default [] t6 u2 f1 p3 r1\n"
                                               "1002 v6  [] t1 u0 f0 p1 r0\n");
    assert_string_equal(rollouts(f, "trackers", &l), "1002 v6  [] t1 u0 f0 p1 r0\n");
    /* a device gone from the cloud leaves the counts */
    size_t marked = 0;
    assert_int_equal(bridge_store_devices_mark_gone(f->st, 1002, NULL, 5000, &marked), 0);
    assert_int_equal(marked, 1);
    assert_string_equal(rollouts(f, "1002", &l), "");
}

/* What the sync and the events wrote is still there after a reopen (migration 0007 applied
 * once). */
static void test_firmware_survives_reopen(void **state)
{
    fixture *f = *state;
    add_products(f);
    bridge_product_firmware fw = {.version = 3, .title = "three", .device_count = 4};
    assert_int_equal(bridge_store_product_firmware_replace(f->st, 1001, &fw, 1), 0);
    sync_device(f, "dev1", 1001, 3, 3);
    bridge_store_close(f->st);
    char err[256] = "";
    f->st = bridge_store_open(f->db, err, sizeof err);
    assert_non_null(f->st);
    lines l;
    assert_string_equal(firmware(f, NULL, &l), "1001 v3  three   0 0  [] n4\n");
    assert_string_equal(rollouts(f, NULL, &l), "1001 v3 three [] t1 u1 f0 p0 r1\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_product_firmware_replaced_per_product, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_device_firmware_from_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_status_from_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollout_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_firmware_survives_reopen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
