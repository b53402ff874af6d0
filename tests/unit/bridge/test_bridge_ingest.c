/* Normalising events and readings, and the batching writer over a real database: an SQLite
 * file, or, when BRIDGE_TEST_PG names a PostgreSQL server (ctest case
 * unit/bridge/test_bridge_ingest_pg), a fresh PostgreSQL database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bridge_test.h"
#include "ingest/event_check.h"
#include "ingest/normalise.h"
#include "ingest/writer.h"
#include "pg_scratch.h"

static const bridge_notify_option online = {true, "{name} ({id}) is up"};
static const bridge_notify_option offline = {false, "{name} is down"};

static bridge_norm_settings settings(void)
{
    bridge_norm_settings s = {"kitchen", true, true, true, &online, &offline};
    return s;
}

static bridge_event_in event(const char *name, const char *data)
{
    bridge_event_in ev = {"0123456789abcdef01234567", name, data, 1000, 1005, "sse"};
    return ev;
}

static void test_numeric_event_is_a_measurement(void **state)
{
    (void)state;
    bridge_norm_settings s = settings();
    bridge_event_in ev = event("temperature", " 21.5 ");
    bridge_norm_out o;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.measurement_count, 1);
    assert_string_equal(o.record.measurements[0].name, "temperature");
    assert_true(o.record.measurements[0].value == 21.5);
    assert_int_equal(o.record.measurements[0].ts_ms, 1000);
    assert_int_equal(o.record.post_count, 0);
    bridge_norm_out_dispose(&o);

    s.publish_unknown_as_measurements = false;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.measurement_count, 0);
    assert_int_equal(o.record.post_count, 0); /* numbers never become posts */
    bridge_norm_out_dispose(&o);
}

static void test_json_object_gives_one_measurement_per_number(void **state)
{
    (void)state;
    bridge_norm_settings s = settings();
    bridge_event_in ev = event("env", "{\"t\":21.5,\"h\":40,\"ok\":true,\"label\":\"x\"}");
    bridge_norm_out o;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.measurement_count, 3);
    assert_string_equal(o.record.measurements[0].name, "t");
    assert_string_equal(o.record.measurements[1].name, "h");
    assert_true(o.record.measurements[2].value == 1);
    assert_int_equal(o.record.post_count, 0);
    bridge_norm_out_dispose(&o);
}

/* spark/flash/status gives the device's last flash status, whatever its settings, and
 * nothing else; data that is none of the three statuses stays a raw event only. */
static void test_flash_status_event(void **state)
{
    (void)state;
    bridge_norm_settings s = settings();
    s.enabled = false;
    const char *statuses[] = {"started", "success", "failed"};
    bridge_norm_out o;
    for (size_t i = 0; i < 3; i++) {
        bridge_event_in ev = event("spark/flash/status", statuses[i]);
        assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
        assert_string_equal(o.record.flash_status, statuses[i]);
        assert_int_equal(o.record.measurement_count + o.record.post_count, 0);
        assert_int_equal(o.record.online, -1);
        bridge_norm_out_dispose(&o);
    }
    s = settings();
    bridge_event_in odd = event("spark/flash/status", "success!");
    assert_int_equal(bridge_normalise_event(&o, &s, &odd), 0);
    assert_null(o.record.flash_status);
    assert_int_equal(o.record.post_count, 0); /* a system event: never a post */
    bridge_norm_out_dispose(&o);
    bridge_event_in other = event("door", "success");
    assert_int_equal(bridge_normalise_event(&o, &s, &other), 0);
    assert_null(o.record.flash_status);
    bridge_norm_out_dispose(&o);
}

static void test_text_event_is_a_status_post(void **state)
{
    (void)state;
    bridge_norm_settings s = settings();
    bridge_event_in ev = event("door", "opened");
    bridge_norm_out o;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.post_count, 1);
    assert_string_equal(o.record.posts[0].message, "opened");
    assert_string_equal(o.record.posts[0].kind, "event");
    bridge_norm_out_dispose(&o);

    ev = event("nan-looking", "nan");
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.measurement_count, 0);
    assert_int_equal(o.record.post_count, 1);
    bridge_norm_out_dispose(&o);

    s.publish_unknown_as_status_posts = false;
    ev = event("door", "opened");
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.post_count, 0);
    bridge_norm_out_dispose(&o);
}

static void test_spark_status_follows_notification_options(void **state)
{
    (void)state;
    bridge_norm_settings s = settings();
    bridge_event_in ev = event("spark/status", "online");
    bridge_norm_out o;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.online, 1);
    assert_int_equal(o.record.post_count, 1);
    assert_string_equal(o.record.posts[0].message, "kitchen (0123456789abcdef01234567) is up");
    bridge_norm_out_dispose(&o);
    ev = event("spark/status", "offline");
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.online, 0);
    assert_int_equal(o.record.post_count, 0); /* offline posting is off */
    bridge_norm_out_dispose(&o);
    ev = event("spark/device/last_reset", "pin_reset");
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.post_count + o.record.measurement_count, 0);
    assert_int_equal(o.record.online, -1);
    bridge_norm_out_dispose(&o);
}

static void test_disabled_device_keeps_raw_event_only(void **state)
{
    (void)state;
    bridge_norm_settings s = settings();
    s.enabled = false;
    bridge_event_in ev = event("temperature", "20");
    bridge_norm_out o;
    assert_int_equal(bridge_normalise_event(&o, &s, &ev), 0);
    assert_int_equal(o.record.kind, BRIDGE_RECORD_EVENT);
    assert_int_equal(o.record.measurement_count, 0);
    bridge_norm_out_dispose(&o);
}

static void test_readings(void **state)
{
    (void)state;
    bridge_norm_settings s = settings();
    bridge_reading_in r = {"dev", "mode", BRIDGE_READING_STRING, 0, "heating", 5};
    bridge_norm_out o;
    assert_int_equal(bridge_normalise_reading(&o, &s, &r), 0);
    assert_int_equal(o.record.post_count, 1);
    assert_string_equal(o.record.posts[0].kind, "variable");
    bridge_norm_out_dispose(&o);
    bridge_reading_in n = {"dev", "temp", BRIDGE_READING_NUMBER, 19.25, NULL, 5};
    assert_int_equal(bridge_normalise_reading(&o, &s, &n), 0);
    assert_int_equal(o.record.measurement_count, 1);
    assert_true(o.record.measurements[0].value == 19.25);
    bridge_norm_out_dispose(&o);
}

/* The database a writer test writes to: a file in a scratch directory, or a PostgreSQL
 * database of its own. */
typedef struct scratch_db {
    char dir[512];
    char db[1024]; /* what bridge_store_open and the writer take */
    char pg_name[64];
} scratch_db;

static void scratch_db_create(scratch_db *d)
{
    memset(d, 0, sizeof *d);
    if (bt_pg_uri() != NULL) {
        assert_int_equal(bt_pg_db_create(d->db, sizeof d->db, d->pg_name, sizeof d->pg_name), 0);
    } else {
        assert_int_equal(bt_tempdir(d->dir, sizeof d->dir), 0);
        bt_path(d->db, sizeof d->db, d->dir, "w.db");
    }
}

static void scratch_db_remove(const scratch_db *d)
{
    if (d->pg_name[0] != '\0') {
        bt_pg_db_drop(d->pg_name);
    } else {
        bt_rmdir(d->dir);
    }
}

static void test_writer_batches_and_drops_duplicates(void **state)
{
    (void)state;
    char err[256] = "";
    scratch_db sd;
    scratch_db_create(&sd);
    const char *db = sd.db;
    bridge_metrics m;
    memset(&m, 0, sizeof m);
    bridge_writer_options opts = {.db_path = db, .batch_size = 7, .metrics = &m};
    bridge_writer *w = bridge_writer_new(&opts, err, sizeof err);
    assert_non_null(w);
    char data[32], id[32];
    for (int round = 0; round < 2; round++) { /* the second round is a replay */
        for (int i = 0; i < 50; i++) {
            snprintf(data, sizeof data, "%d", i);
            snprintf(id, sizeof id, "%d", i + 1);
            bridge_event_in ev = {"aaaaaaaaaaaaaaaaaaaaaaaa", "count", data, 1000 + i, 0, "sse"};
            assert_int_equal(bridge_writer_push_event(w, &ev, "user", id), 0);
        }
    }
    bridge_reading_in r = {"aaaaaaaaaaaaaaaaaaaaaaaa", "temp", BRIDGE_READING_NUMBER, 3, NULL, 9};
    assert_int_equal(bridge_writer_push_reading(w, &r), 0);
    assert_int_equal(bridge_writer_flush(w, 10000), 0);
    assert_int_equal(atomic_load(&m.events_received), 100);
    assert_int_equal(atomic_load(&m.events_stored), 50);
    assert_int_equal(atomic_load(&m.measurements_stored), 51);
    assert_int_equal(atomic_load(&m.duplicates_dropped), 50);
    assert_true(atomic_load(&m.write_batches) >= 15); /* 101 inputs, at most 7 per batch */
    bridge_writer_free(w);

    bridge_store *st = bridge_store_open(db, err, sizeof err);
    assert_non_null(st);
    char cursor[64];
    assert_int_equal(bridge_store_cursor_get(st, "user", cursor, sizeof cursor), 0);
    assert_string_equal(cursor, "50");
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(st, &c), 0);
    assert_int_equal(c.events, 50);
    bridge_store_close(st);
    scratch_db_remove(&sd);
}

static void test_writer_free_flushes(void **state)
{
    (void)state;
    char err[256] = "";
    scratch_db sd;
    scratch_db_create(&sd);
    const char *db = sd.db;
    bridge_writer_options opts = {.db_path = db, .flush_interval_ms = 5000};
    bridge_writer *w = bridge_writer_new(&opts, err, sizeof err);
    assert_non_null(w);
    bridge_reading_in r = {"dev", "message", BRIDGE_READING_STRING, 0, "dev is online", 42};
    assert_int_equal(bridge_writer_push_reading(w, &r), 0);
    bridge_writer_free(w); /* long before the flush interval */
    bridge_store *st = bridge_store_open(db, err, sizeof err);
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(st, &c), 0);
    assert_int_equal(c.status_posts, 1);
    bridge_store_close(st);
    scratch_db_remove(&sd);
}

/* The check the stream's events and the webhook's posts share. */
static void test_event_check(void **state)
{
    (void)state;
    bridge_event_in ev = event("temperature", "21.5");
    assert_null(bridge_event_check(&ev));
    ev.device_id = "";
    assert_non_null(strstr(bridge_event_check(&ev), "coreid: required"));
    ev.device_id = "dev/../x";
    assert_non_null(strstr(bridge_event_check(&ev), "coreid: required"));
    ev = event("", "1");
    assert_non_null(strstr(bridge_event_check(&ev), "event: required"));
    char name[BRIDGE_EVENT_NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    ev = event(name, "1");
    assert_non_null(strstr(bridge_event_check(&ev), "event: required"));
    name[BRIDGE_EVENT_NAME_MAX] = '\0';
    assert_null(bridge_event_check(&ev));
    char *data = calloc(BRIDGE_EVENT_DATA_MAX + 2, 1);
    memset(data, 'd', BRIDGE_EVENT_DATA_MAX + 1);
    ev = event("big", data);
    assert_non_null(strstr(bridge_event_check(&ev), "data: longer"));
    data[BRIDGE_EVENT_DATA_MAX] = '\0';
    assert_null(bridge_event_check(&ev));
    free(data);
    ev = event("old", "1");
    ev.published_at_ms = -1;
    assert_non_null(strstr(bridge_event_check(&ev), "published_at"));
    /* A stream's event: line is raw bytes: a name that is not UTF-8 is refused (stored, it
     * would fail PostgreSQL's insert and every JSON answer listing it); UTF-8 passes. */
    static const char *const not_utf8[] = {"temp\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80",
                                           "\xf4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof not_utf8 / sizeof not_utf8[0]; i++) {
        ev = event(not_utf8[i], "1");
        assert_non_null(strstr(bridge_event_check(&ev), "not UTF-8"));
    }
    ev = event("temp\xc3\xa9rature/\xe2\x82\xac/\xf0\x9f\x8c\xa1", "1");
    assert_null(bridge_event_check(&ev));
}

int main(void)
{
    /* The writer over the store: on every backend. */
    const struct CMUnitTest writer[] = {
        cmocka_unit_test(test_writer_batches_and_drops_duplicates),
        cmocka_unit_test(test_writer_free_flushes),
    };
    if (bt_pg_uri() != NULL) {
        return cmocka_run_group_tests_name("writer on PostgreSQL", writer, NULL, NULL);
    }
    /* Normalising needs no database. */
    const struct CMUnitTest normalise[] = {
        cmocka_unit_test(test_numeric_event_is_a_measurement),
        cmocka_unit_test(test_json_object_gives_one_measurement_per_number),
        cmocka_unit_test(test_text_event_is_a_status_post),
        cmocka_unit_test(test_flash_status_event),
        cmocka_unit_test(test_spark_status_follows_notification_options),
        cmocka_unit_test(test_disabled_device_keeps_raw_event_only),
        cmocka_unit_test(test_readings),
        cmocka_unit_test(test_event_check),
    };
    return cmocka_run_group_tests_name("normalise", normalise, NULL, NULL) +
           cmocka_run_group_tests_name("writer on SQLite", writer, NULL, NULL);
}
