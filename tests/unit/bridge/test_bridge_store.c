/*
 * The store contract on real databases: SQLite files in a scratch directory, or, when
 * BRIDGE_TEST_PG names a PostgreSQL server (ctest case unit/bridge/test_bridge_store_pg,
 * through tests/support/pg_scratch.sh), a fresh PostgreSQL database per test. The contract
 * tests run on both; the tests of one backend's own behaviour run with that backend.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>

#include "bridge_test.h"
#include "pg_scratch.h"
#include "store/key.h"
#include "store/migrations.h"
#include "store/sqlite_fault.h"
#include "store/store.h"

typedef struct fixture {
    char dir[512];
    char db[1024];    /* what bridge_store_open takes: an SQLite path or a PostgreSQL URI */
    char pg_name[64]; /* the PostgreSQL database, "" on SQLite */
    bridge_store *st;
} fixture;

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
        bt_path(f->db, sizeof f->db, f->dir, "bridge.db");
    }
    char err[256] = "";
    *state = f;
    f->st = bridge_store_open(f->db, err, sizeof err);
    if (f->st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        if (f->pg_name[0] != '\0') {
            bt_pg_db_drop(f->pg_name);
        } else {
            bt_rmdir(f->dir);
        }
        free(f);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    } else {
        bt_rmdir(f->dir);
    }
    free(f);
    return 0;
}

static void reopen(fixture *f)
{
    char err[256] = "";
    bridge_store_close(f->st);
    f->st = bridge_store_open(f->db, err, sizeof err);
    if (f->st == NULL) {
        fail_msg("reopen: %s", err);
    }
}

static const bridge_device_defaults defaults = {
    .check_interval_ms = 60000,
    .enabled = true,
    .publish_unknown_as_measurements = true,
    .publish_unknown_as_status_posts = true,
    .online_notify = {true, "Device came online"},
    .offline_notify = {false, "Device went offline"},
};

static void sync_device(bridge_store *st, const char *id, const char *name, bool *created)
{
    bridge_variable vars[2] = {{.name = "temp", .type = "double"},
                               {.name = "mode", .type = "string"}};
    const char *fns[] = {"led"};
    bridge_cloud_device cd = {
        .particle_id = id,
        .name = name,
        .product_id = 0,
        .platform_id = 12,
        .connected = true,
        .variables = vars,
        .variable_count = 2,
        .has_variables = true,
        .functions = fns,
        .function_count = 1,
        .has_functions = true,
    };
    assert_int_equal(bridge_store_device_sync(st, &cd, &defaults, 1000, created), 0);
}

static int64_t sqlite_scalar(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

/* One integer from the fixture's database, whichever backend holds it. The SQL must read
 * the same on both (booleans: `WHERE NOT online`, never `online = 0`). */
static int64_t scalar(const fixture *f, const char *sql)
{
    return f->pg_name[0] != '\0' ? bt_pg_scalar(f->db, sql) : sqlite_scalar(f->db, sql);
}

static void test_open_migrates_once_in_wal(void **state)
{
    fixture *f = *state;
    reopen(f);
    assert_int_equal(sqlite_scalar(f->db, "SELECT count(*) FROM schema_migrations"),
                     (long long)bridge_migration_count);
    assert_true(bridge_migration_count >= 2);
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(h);
}

static void test_open_bad_path_explains(void **state)
{
    (void)state;
    char err[256] = "";
    bridge_store *st = bridge_store_open_sqlite("/nonexistent-dir/x/bridge.db", err, sizeof err);
    assert_null(st);
    assert_non_null(strstr(err, "cannot open database /nonexistent-dir/x/bridge.db"));
}

static void test_device_sync_defaults_and_rename(void **state)
{
    fixture *f = *state;
    bool created = false;
    sync_device(f->st, "0123456789abcdef01234567", "alpha", &created);
    assert_true(created);
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, "0123456789abcdef01234567", &d), 0);
    assert_string_equal(d.name, "alpha");
    assert_int_equal(d.check_interval_ms, 60000);
    assert_int_equal(d.date_added_ms, 1000);
    assert_true(d.connected);
    assert_true(d.online_notify.post_status_message);
    assert_string_equal(d.online_notify.message, "Device came online");
    assert_false(d.offline_notify.post_status_message);
    assert_int_equal(d.variable_count, 2);
    assert_string_equal(d.variables[0].name, "mode"); /* by name */
    assert_string_equal(d.variables[1].type, "double");
    assert_int_equal(d.function_count, 1);
    assert_string_equal(d.functions[0], "led");
    bridge_device_dispose(&d);

    sync_device(f->st, "0123456789abcdef01234567", "beta", &created);
    assert_false(created);
    assert_int_equal(bridge_store_device_get(f->st, "0123456789abcdef01234567", &d), 0);
    assert_string_equal(d.name, "beta");
    bridge_device_dispose(&d);

    bridge_settings_patch p = {.has_ignore_rename = true, .ignore_rename = true};
    assert_int_equal(bridge_store_device_update_settings(f->st, "0123456789abcdef01234567", &p), 0);
    sync_device(f->st, "0123456789abcdef01234567", "gamma", &created);
    assert_int_equal(bridge_store_device_get(f->st, "0123456789abcdef01234567", &d), 0);
    assert_string_equal(d.name, "beta");
    assert_true(d.ignore_rename);
    bridge_device_dispose(&d);
}

static void test_variable_settings_survive_sync_and_gone_ones_go(void **state)
{
    fixture *f = *state;
    sync_device(f->st, "aaaaaaaaaaaaaaaaaaaaaaaa", "a", NULL);
    bridge_variable_patch vp = {.name = "temp",
                                .has_enabled = true,
                                .enabled = false,
                                .has_check_interval = true,
                                .check_interval_ms = 5000};
    bridge_settings_patch p = {.variables = &vp, .variable_count = 1};
    assert_int_equal(bridge_store_device_update_settings(f->st, "aaaaaaaaaaaaaaaaaaaaaaaa", &p), 0);
    /* The cloud now lists only temp. */
    bridge_variable vars[1] = {{.name = "temp", .type = "double"}};
    bridge_cloud_device cd = {.particle_id = "aaaaaaaaaaaaaaaaaaaaaaaa",
                              .variables = vars,
                              .variable_count = 1,
                              .has_variables = true};
    assert_int_equal(bridge_store_device_sync(f->st, &cd, &defaults, 2000, NULL), 0);
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, "aaaaaaaaaaaaaaaaaaaaaaaa", &d), 0);
    assert_int_equal(d.variable_count, 1);
    assert_false(d.variables[0].enabled);
    assert_int_equal(d.variables[0].check_interval_ms, 5000);
    assert_string_equal(d.name, "a"); /* empty name from the cloud keeps it */
    bridge_device_dispose(&d);
}

static void test_settings_patch_is_atomic(void **state)
{
    fixture *f = *state;
    sync_device(f->st, "bbbbbbbbbbbbbbbbbbbbbbbb", "b", NULL);
    bridge_variable_patch vp = {.name = "nope", .has_enabled = true, .enabled = false};
    bridge_settings_patch p = {
        .has_enabled = true, .enabled = false, .variables = &vp, .variable_count = 1};
    assert_int_equal(bridge_store_device_update_settings(f->st, "bbbbbbbbbbbbbbbbbbbbbbbb", &p),
                     BRIDGE_STORE_NOTFOUND);
    assert_non_null(strstr(bridge_store_errmsg(f->st), "no variable nope"));
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, "bbbbbbbbbbbbbbbbbbbbbbbb", &d), 0);
    assert_true(d.enabled); /* rolled back */
    bridge_device_dispose(&d);
    bridge_settings_patch q = {.has_enabled = true};
    assert_int_equal(bridge_store_device_update_settings(f->st, "cccccccccccccccccccccccc", &q),
                     BRIDGE_STORE_NOTFOUND);
    assert_int_equal(bridge_store_device_get(f->st, "cccccccccccccccccccccccc", &d),
                     BRIDGE_STORE_NOTFOUND);
}

static void test_mark_gone_keeps_device(void **state)
{
    fixture *f = *state;
    sync_device(f->st, "dddddddddddddddddddddddd", "d", NULL); /* synced at 1000 */
    size_t marked = 0;
    assert_int_equal(bridge_store_devices_mark_gone(f->st, -1, NULL, 1500, &marked), 0);
    assert_int_equal(marked, 1);
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, "dddddddddddddddddddddddd", &d), 0);
    assert_true(d.gone);
    bridge_device_dispose(&d);
    sync_device(f->st, "dddddddddddddddddddddddd", "d", NULL);
    assert_int_equal(bridge_store_device_get(f->st, "dddddddddddddddddddddddd", &d), 0);
    assert_false(d.gone);
    bridge_device_dispose(&d);
}

/* Bridges sharing a database: each marks gone only the devices it syncs (its scope tag) or
 * that no bridge has synced yet. */
static void test_mark_gone_leaves_other_bridges_devices(void **state)
{
    fixture *f = *state;
    const char *ids[] = {"aaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaa2",
                         "aaaaaaaaaaaaaaaaaaaaaaa3"};
    const char *owners[] = {"scope-mine", "scope-theirs", NULL};
    for (int i = 0; i < 3; i++) {
        bridge_cloud_device cd = {.particle_id = ids[i], .name = "x", .owner = owners[i]};
        assert_int_equal(bridge_store_device_sync(f->st, &cd, &defaults, 1000, NULL), 0);
    }
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, ids[1], &d), 0);
    assert_string_equal(d.owner, "scope-theirs");
    bridge_device_dispose(&d);
    size_t marked = 0;
    assert_int_equal(bridge_store_devices_mark_gone(f->st, -1, "scope-mine", 1500, &marked), 0);
    assert_int_equal(marked, 2); /* mine and the one nobody owns */
    bool gone[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(bridge_store_device_get(f->st, ids[i], &d), 0);
        gone[i] = d.gone;
        bridge_device_dispose(&d);
    }
    assert_true(gone[0]);
    assert_false(gone[1]);
    assert_true(gone[2]);
    /* a sync by another bridge takes a device over */
    bridge_cloud_device cd = {.particle_id = ids[0], .name = "x", .owner = "scope-theirs"};
    assert_int_equal(bridge_store_device_sync(f->st, &cd, &defaults, 2000, NULL), 0);
    assert_int_equal(bridge_store_device_get(f->st, ids[0], &d), 0);
    assert_string_equal(d.owner, "scope-theirs");
    assert_false(d.gone);
    bridge_device_dispose(&d);
}

static bridge_record event_record(const char *data, int64_t ts, const bridge_measurement *m,
                                  size_t nm, const bridge_status_post *p, size_t np)
{
    bridge_record r = {.kind = BRIDGE_RECORD_EVENT,
                       .device_id = "eeeeeeeeeeeeeeeeeeeeeeee",
                       .event_name = "temperature",
                       .event_data = data,
                       .published_at_ms = ts,
                       .source = "sse",
                       .received_at_ms = ts + 5,
                       .online = -1,
                       .measurements = m,
                       .measurement_count = nm,
                       .posts = p,
                       .post_count = np};
    return r;
}

static void test_event_replay_is_stored_once(void **state)
{
    fixture *f = *state;
    bridge_measurement m = {"eeeeeeeeeeeeeeeeeeeeeeee", "temperature", 21.5, 5000, "sse"};
    bridge_record recs[3] = {
        event_record("21.5", 5000, &m, 1, NULL, 0),
        event_record("21.5", 5000, &m, 1, NULL, 0),   /* the same event twice in one batch */
        event_record("22.0", 5000, NULL, 0, NULL, 0), /* same time, other data: distinct */
    };
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, 3, &res), 0);
    assert_int_equal(res.events_stored, 2);
    assert_int_equal(res.events_duplicate, 1);
    assert_int_equal(res.measurements_stored, 1);

    reopen(f); /* a restart sees the stream replay the same event */
    assert_int_equal(bridge_store_write_batch(f->st, recs, 1, &res), 0);
    assert_int_equal(res.events_stored, 0);
    assert_int_equal(res.events_duplicate, 1);
    assert_int_equal(res.measurements_stored, 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events"), 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), 1);
}

static void test_readings_are_keyed_by_time(void **state)
{
    fixture *f = *state;
    bridge_measurement m = {"ffffffffffffffffffffffff", "temp", 20.0, 7000, "poll"};
    bridge_status_post p = {"ffffffffffffffffffffffff", "variable", "mode", "heating", 7000};
    bridge_record r = {.kind = BRIDGE_RECORD_READING,
                       .source = "poll",
                       .measurements = &m,
                       .measurement_count = 1,
                       .posts = &p,
                       .post_count = 1};
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, &res), 0);
    assert_int_equal(res.measurements_stored, 1);
    assert_int_equal(res.status_posts_stored, 1);
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, &res), 0);
    assert_int_equal(res.measurements_stored, 0);
    assert_int_equal(res.status_posts_stored, 0);
    assert_int_equal(res.duplicates, 2);
}

static void test_online_event_updates_history(void **state)
{
    fixture *f = *state;
    sync_device(f->st, "eeeeeeeeeeeeeeeeeeeeeeee", "e", NULL); /* connected */
    bridge_status_post p = {"eeeeeeeeeeeeeeeeeeeeeeee", "offline", "", "gone dark", 9000};
    bridge_record r = event_record("offline", 9000, NULL, 0, &p, 1);
    r.event_name = "spark/status";
    r.online = 0;
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0);
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0); /* replay */
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, "eeeeeeeeeeeeeeeeeeeeeeee", &d), 0);
    assert_false(d.connected);
    bridge_device_dispose(&d);
    assert_int_equal(scalar(f, "SELECT count(*) FROM connectivity WHERE NOT online"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM status_posts WHERE kind = 'offline'"), 1);

    bool changed = false;
    assert_int_equal(
        bridge_store_device_set_connected(f->st, "eeeeeeeeeeeeeeeeeeeeeeee", true, 9500, &changed),
        0);
    assert_true(changed);
    assert_int_equal(
        bridge_store_device_set_connected(f->st, "eeeeeeeeeeeeeeeeeeeeeeee", true, 9600, &changed),
        0);
    assert_false(changed);
    assert_int_equal(scalar(f, "SELECT count(*) FROM connectivity"), 2);
}

typedef struct collected {
    int count;
    char names[16][32];
    double values[16];
    int64_t ts[16];
    int64_t ids[16]; /* pages: the rows' ids */
} collected;

static int collect(const bridge_measurement *m, void *payload)
{
    collected *c = payload;
    if (c->count < 16) {
        snprintf(c->names[c->count], sizeof c->names[0], "%s", m->name);
        c->values[c->count] = m->value;
        c->ts[c->count] = m->ts_ms;
    }
    c->count++;
    return 0;
}

static int collect_page(const bridge_page_row *row, void *payload)
{
    collected *c = payload;
    if (c->count < 16) {
        c->ids[c->count] = row->key_n2;
    }
    return collect(row->measurement, payload);
}

static void test_queries_filter_limit_and_latest(void **state)
{
    fixture *f = *state;
    bridge_measurement ms[6] = {
        {"g1", "temp", 1, 100, "poll"}, {"g1", "temp", 2, 200, "poll"},
        {"g1", "temp", 3, 300, "poll"}, {"g1", "hum", 40, 250, "poll"},
        {"g2", "temp", 9, 150, "poll"}, {"g1", "hum", 41, 50, "poll"},
    };
    bridge_record r = {.kind = BRIDGE_RECORD_READING, .measurements = ms, .measurement_count = 6};
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0);

    collected c = {0};
    bridge_page_query q = {.device_id = "g1", .name = "temp", .descending = true, .limit = 2};
    assert_int_equal(bridge_store_measurements_page(f->st, &q, collect_page, &c), 0);
    assert_int_equal(c.count, 2); /* the newest two, newest first */
    assert_int_equal(c.ts[0], 300);
    assert_int_equal(c.ts[1], 200);
    q.after = true; /* the next page starts after the last row's (time, id) */
    q.key_n1 = c.ts[1];
    q.key_n2 = c.ids[1];
    memset(&c, 0, sizeof c);
    assert_int_equal(bridge_store_measurements_page(f->st, &q, collect_page, &c), 0);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.ts[0], 100);

    memset(&c, 0, sizeof c);
    bridge_page_query range = {.from_ms = 150, .to_ms = 250};
    assert_int_equal(bridge_store_measurements_page(f->st, &range, collect_page, &c), 0);
    assert_int_equal(c.count, 3); /* g2 temp 150, g1 temp 200, g1 hum 250 */

    memset(&c, 0, sizeof c);
    assert_int_equal(bridge_store_latest_measurements(f->st, "g1", collect, &c), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.names[0], "hum");
    assert_true(c.values[0] == 40);
    assert_string_equal(c.names[1], "temp");
    assert_true(c.values[1] == 3);

    /* Later batches: an older reading does not replace the latest, a newer one does. */
    bridge_measurement older = {"g1", "temp", 0.5, 10, "poll"};
    bridge_measurement newer = {"g1", "temp", 4, 400, "poll"};
    bridge_record r2 = {
        .kind = BRIDGE_RECORD_READING, .measurements = &older, .measurement_count = 1};
    assert_int_equal(bridge_store_write_batch(f->st, &r2, 1, NULL), 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(bridge_store_latest_measurements(f->st, "g1", collect, &c), 0);
    assert_true(c.values[1] == 3);
    r2.measurements = &newer;
    assert_int_equal(bridge_store_write_batch(f->st, &r2, 1, NULL), 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(bridge_store_latest_measurements(f->st, "g1", collect, &c), 0);
    assert_true(c.values[1] == 4);
    assert_int_equal(c.ts[1], 400);

    bridge_store_counts stats;
    assert_int_equal(bridge_store_stats(f->st, &stats), 0);
    assert_int_equal(stats.measurements, 8);
}

static int count_posts(const bridge_page_row *row, void *payload)
{
    assert_non_null(row->post);
    (*(int *)payload)++;
    return 0;
}

static void test_status_posts_query(void **state)
{
    fixture *f = *state;
    bridge_status_post ps[2] = {{"h1", "variable", "mode", "idle", 10},
                                {"h2", "event", "note", "hello", 20}};
    bridge_record r = {.kind = BRIDGE_RECORD_READING, .posts = ps, .post_count = 2};
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0);
    int n = 0;
    bridge_page_query q = {.device_id = "h2"};
    assert_int_equal(bridge_store_status_posts_page(f->st, &q, count_posts, &n), 0);
    assert_int_equal(n, 1);
    bridge_page_query kind = {.source = "variable"}; /* a status post's kind */
    n = 0;
    assert_int_equal(bridge_store_status_posts_page(f->st, &kind, count_posts, &n), 0);
    assert_int_equal(n, 1);
}

static void test_cursor_survives_restart(void **state)
{
    fixture *f = *state;
    char id[64];
    assert_int_equal(bridge_store_cursor_get(f->st, "user", id, sizeof id), BRIDGE_STORE_NOTFOUND);
    assert_string_equal(id, "");
    bridge_record r = {.kind = BRIDGE_RECORD_CURSOR, .stream = "user", .last_event_id = "42"};
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0);
    r.last_event_id = "43";
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0);
    reopen(f);
    assert_int_equal(bridge_store_cursor_get(f->st, "user", id, sizeof id), 0);
    assert_string_equal(id, "43");
}

static void test_sim_roundtrip(void **state)
{
    fixture *f = *state;
    bridge_sim_usage usage[2] = {{86400000, 1.5, 1.5}, {172800000, 0.5, 2.0}};
    bridge_sim sim = {.iccid = "8934076500002589174",
                      .device_id = "abc",
                      .base_country_code = "US",
                      .base_monthly_rate = 299,
                      .status = "active",
                      .carrier = "telefonica",
                      .network = BRIDGE_SIM_NETWORK_UNKNOWN,
                      .usage = usage,
                      .usage_count = 2};
    assert_int_equal(bridge_store_sim_upsert(f->st, &sim), 0);
    bridge_sim out;
    assert_int_equal(bridge_store_sim_get(f->st, "8934076500002589174", &out), 0);
    assert_int_equal(out.network.connected, -1); /* unknown stays unknown */
    assert_int_equal(out.network.checked_ms, 0);
    bridge_sim_dispose(&out);
    usage[1].used_mb = 0.75; /* a later report of the same day replaces it */
    sim.network = (bridge_sim_network){1, 1, 0, 5000};
    assert_int_equal(bridge_store_sim_upsert(f->st, &sim), 0);
    assert_int_equal(bridge_store_sim_get(f->st, "8934076500002589174", &out), 0);
    assert_string_equal(out.carrier, "telefonica");
    assert_int_equal(out.usage_count, 2);
    assert_true(out.usage[1].used_mb == 0.75);
    assert_int_equal(out.network.connected, 1);
    assert_int_equal(out.network.gsm, 1);
    assert_int_equal(out.network.data, 0);
    assert_int_equal(out.network.checked_ms, 5000);
    bridge_sim_dispose(&out);
    assert_int_equal(bridge_store_sim_get(f->st, "nope", &out), BRIDGE_STORE_NOTFOUND);
}

static int64_t key_of(const char *a, const char *b, int64_t n, const char *c)
{
    return bridge_key_event(a, b, n, c);
}

static void test_key_frames_every_field(void **state)
{
    (void)state;
    int64_t base = key_of("dev", "temp", 5000, "21.5");
    assert_true(base == key_of("dev", "temp", 5000, "21.5"));
    assert_true(base != key_of("dev", "temp", 5000, "21.6"));
    assert_true(base != key_of("dev", "temp", 5001, "21.5"));
    assert_true(key_of("ab", "c", 1, "x") != key_of("a", "bc", 1, "x")); /* boundaries */
    assert_true(key_of("d", "n", 1, NULL) != key_of("d", "n", 1, ""));   /* NULL is not "" */
}

/* A database written by schema version 1 (wide TEXT unique indexes) is migrated to the
 * integer keys: its rows keep their ids, and an event or reading stored before the upgrade
 * is still a duplicate after it (the SQL bridge_key() equals the C one). */
static void test_version_1_database_migrates_keys(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    f->st = NULL;
    char old_db[700];
    bt_path(old_db, sizeof old_db, f->dir, "v1.db");
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(old_db, &h), SQLITE_OK);
    assert_int_equal(bridge_migrations[0].version, 1);
    assert_int_equal(sqlite3_exec(h, bridge_migrations[0].sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h,
                     "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
                     "NULL, applied_ms INTEGER NOT NULL);"
                     "INSERT INTO schema_migrations VALUES (1, '0001_initial', 1);"
                     "INSERT INTO events (id, device_id, name, data, published_at_ms, data_hash, "
                     "source, received_at_ms) VALUES (7, 'eeeeeeeeeeeeeeeeeeeeeeee', "
                     "'temperature', '21.5', 5000, 0, 'sse', 5005);"
                     "INSERT INTO measurements (id, device_id, name, value, ts_ms, source) VALUES "
                     "(3, 'eeeeeeeeeeeeeeeeeeeeeeee', 'temperature', 21.5, 5000, 'sse');"
                     "INSERT INTO status_posts (device_id, kind, name, message, ts_ms) VALUES "
                     "('eeeeeeeeeeeeeeeeeeeeeeee', 'event', 'note', 'hello', 5000);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);

    char err[256] = "";
    f->st = bridge_store_open(old_db, err, sizeof err);
    if (f->st == NULL) {
        fail_msg("migration: %s", err);
    }
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM schema_migrations"),
                     (long long)bridge_migration_count);
    assert_int_equal(sqlite_scalar(old_db, "SELECT id FROM events"), 7);
    assert_int_equal(sqlite_scalar(old_db, "SELECT id FROM measurements"), 3);
    assert_true(sqlite_scalar(old_db, "SELECT key FROM events") ==
                key_of("eeeeeeeeeeeeeeeeeeeeeeee", "temperature", 5000, "21.5"));
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM measurements_latest"), 1);

    bridge_measurement m = {"eeeeeeeeeeeeeeeeeeeeeeee", "temperature", 21.5, 5000, "sse"};
    bridge_status_post p = {"eeeeeeeeeeeeeeeeeeeeeeee", "event", "note", "hello", 5000};
    bridge_record recs[2] = {event_record("21.5", 5000, &m, 1, NULL, 0),
                             {.kind = BRIDGE_RECORD_READING,
                              .measurements = &m,
                              .measurement_count = 1,
                              .posts = &p,
                              .post_count = 1,
                              .online = -1}};
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), 0);
    assert_int_equal(res.events_stored, 0);
    assert_int_equal(res.events_duplicate, 1);
    assert_int_equal(res.measurements_stored, 0);
    assert_int_equal(res.status_posts_stored, 0);
    assert_int_equal(res.duplicates, 3);
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM events"), 1);
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM measurements"), 1);
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM status_posts"), 1);
}

/* Reads a whole file into a NUL-terminated heap string. */
static char *read_text_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    assert_true(size > 0);
    rewind(fp);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
    text[size] = '\0';
    fclose(fp);
    return text;
}

#define LEGACY_DEVICE "0123456789abcdef01234567"

static int count_vitals(const bridge_vitals *v, void *payload)
{
    assert_string_equal(v->device_id, LEGACY_DEVICE);
    assert_true(v->signal_strength_pct == 80);
    assert_true(isnan(v->signal_quality_pct));
    assert_int_equal(v->memory_total_bytes, -1);
    (*(int *)payload)++;
    return 0;
}

/* A database written by the store before it was cut into a domain layer over SQL drivers
 * (tests/data/bridge/store_v5.sql, schema version 5) opens with today's code: no migration
 * runs again, every row reads back, and the rows stored then are still duplicates of the
 * same input now (their keys did not change when the hash moved to util/). */
static void test_database_of_the_previous_store_opens(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    f->st = NULL;
    char old_db[700];
    bt_path(old_db, sizeof old_db, f->dir, "v5.db");
    char *dump = read_text_file(PARTICLE_TEST_DATA_DIR "/bridge/store_v5.sql");
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(old_db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, dump, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    free(dump);

    char err[256] = "";
    f->st = bridge_store_open(old_db, err, sizeof err);
    if (f->st == NULL) {
        fail_msg("open: %s", err);
    }
    /* the later steps are applied, the five of the fixture are not applied again */
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM schema_migrations"),
                     (long long)bridge_migration_count);
    assert_int_equal(
        sqlite_scalar(old_db, "SELECT max(applied_ms) FROM schema_migrations WHERE version <= 5"),
        1796243908503);
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, LEGACY_DEVICE, &d), 0);
    assert_string_equal(d.name, "legacy");
    assert_string_equal(d.owner, "scope-old");
    assert_int_equal(d.variable_count, 1);
    assert_string_equal(d.variables[0].name, "temp");
    assert_int_equal(d.function_count, 1);
    bridge_device_dispose(&d);
    char cursor[16];
    assert_int_equal(bridge_store_cursor_get(f->st, "devices", cursor, sizeof cursor), 0);
    assert_string_equal(cursor, "42");
    bridge_sim sim;
    assert_int_equal(bridge_store_sim_get(f->st, "8934", &sim), 0);
    assert_string_equal(sim.status, "active");
    bridge_sim_dispose(&sim);
    int vitals = 0;
    assert_int_equal(bridge_store_vitals_last(f->st, NULL, count_vitals, &vitals), 0);
    assert_int_equal(vitals, 1);

    bridge_measurement m = {LEGACY_DEVICE, "temperature", 21.5, 5000, "sse"};
    bridge_measurement polled = {LEGACY_DEVICE, "temp", 20.25, 6000, "poll"};
    bridge_record recs[2] = {
        {.kind = BRIDGE_RECORD_EVENT,
         .device_id = LEGACY_DEVICE,
         .event_name = "temperature",
         .event_data = "21.5",
         .published_at_ms = 5000,
         .source = "sse",
         .received_at_ms = 9999,
         .online = -1,
         .measurements = &m,
         .measurement_count = 1},
        {.kind = BRIDGE_RECORD_READING, .measurements = &polled, .measurement_count = 1},
    };
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), 0);
    assert_int_equal(res.events_stored, 0);
    assert_int_equal(res.events_duplicate, 1);
    assert_int_equal(res.measurements_stored, 0);
    assert_int_equal(res.duplicates, 2);
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM events"), 1);
    assert_int_equal(sqlite_scalar(old_db, "SELECT count(*) FROM measurements"), 2);
}

/* The SQLite driver's fault hook (store/sqlite_fault.h): an injected full disk or busy
 * database fails the call with a message that says so, the failed batch leaves nothing
 * behind, and the store works again once the hook is spent. */
static void test_sqlite_fault_hook_fails_calls_then_recovers(void **state)
{
    fixture *f = *state;
    bridge_measurement m = {"eeeeeeeeeeeeeeeeeeeeeeee", "temperature", 21.5, 5000, "sse"};
    bridge_record recs[2] = {
        event_record("21.5", 5000, &m, 1, NULL, 0),
        {.kind = BRIDGE_RECORD_CURSOR, .stream = "user", .last_event_id = "7"},
    };
    bridge_write_result res;
    /* BEGIN and the event go through; the measurement meets a full disk */
    bridge_sqlite_fault_inject(SQLITE_FULL, 2, 1);
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), BRIDGE_STORE_ERROR);
    assert_non_null(strstr(bridge_store_errmsg(f->st), "database or disk is full"));
    assert_non_null(strstr(bridge_store_errmsg(f->st), "injected"));
    assert_int_equal(bridge_sqlite_fault_pending(), 0);
    assert_int_equal(res.events_stored, 0);
    assert_int_equal(sqlite_scalar(f->db, "SELECT count(*) FROM events"), 0);
    char cursor[16];
    assert_int_equal(bridge_store_cursor_get(f->st, "user", cursor, sizeof cursor),
                     BRIDGE_STORE_NOTFOUND);

    /* a busy database for the next two calls */
    bridge_sqlite_fault_inject(SQLITE_BUSY, 0, 2);
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), BRIDGE_STORE_ERROR);
    assert_non_null(strstr(bridge_store_errmsg(f->st), "database is locked"));
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), BRIDGE_STORE_ERROR);
    assert_int_equal(bridge_sqlite_fault_pending(), 0);
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), 0);
    assert_int_equal(res.events_stored, 1);
    assert_int_equal(res.measurements_stored, 1);
    assert_int_equal(bridge_store_cursor_get(f->st, "user", cursor, sizeof cursor), 0);
    assert_string_equal(cursor, "7");

    /* armed and disarmed before anything ran: nothing fails */
    bridge_sqlite_fault_inject(SQLITE_FULL, 0, 5);
    bridge_sqlite_fault_inject(0, 0, 0);
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(f->st, &c), 0);
    assert_int_equal(c.events, 1);
}

typedef struct vitals_seen {
    int count;
    char device[4][32];
    int64_t updated[4];
    double strength[4], quality[4];
    int64_t memory_used[4], memory_total[4];
    char payload[4][32];
} vitals_seen;

static int collect_vitals(const bridge_vitals *v, void *payload)
{
    vitals_seen *s = payload;
    if (s->count < 4) {
        int i = s->count;
        snprintf(s->device[i], sizeof s->device[i], "%s", v->device_id);
        s->updated[i] = v->updated_at_ms;
        s->strength[i] = v->signal_strength_pct;
        s->quality[i] = v->signal_quality_pct;
        s->memory_used[i] = v->memory_used_bytes;
        s->memory_total[i] = v->memory_total_bytes;
        snprintf(s->payload[i], sizeof s->payload[i], "%s", v->payload);
    }
    s->count++;
    return 0;
}

static void test_vitals_once_per_device_and_time(void **state)
{
    fixture *f = *state;
    bridge_vitals v1 = {.device_id = "v1",
                        .updated_at_ms = 1000,
                        .source = "sync",
                        .payload = "{\"a\":1}",
                        .signal_strength_pct = 80.5,
                        .signal_quality_pct = NAN,
                        .battery_charge_pct = 55,
                        .memory_used_bytes = 1024,
                        .memory_total_bytes = -1,
                        .uptime_s = 3600,
                        .cloud_disconnects = 2};
    bridge_vitals v2 = v1, v3 = v1;
    v2.updated_at_ms = 2000;
    v2.payload = "{}";
    v2.signal_strength_pct = NAN;
    v2.memory_used_bytes = -1;
    v3.device_id = "v0";
    v3.updated_at_ms = 1500;
    bool stored = false;
    assert_int_equal(bridge_store_vitals_put(f->st, &v1, &stored), 0);
    assert_true(stored);
    assert_int_equal(bridge_store_vitals_put(f->st, &v1, &stored), 0);
    assert_false(stored); /* the same device and updated_at: stored once */
    assert_int_equal(bridge_store_vitals_put(f->st, &v2, &stored), 0);
    assert_int_equal(bridge_store_vitals_put(f->st, &v3, &stored), 0);

    vitals_seen s = {0};
    assert_int_equal(bridge_store_vitals_last(f->st, "v1", collect_vitals, &s), 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.updated[0], 2000);
    assert_true(isnan(s.strength[0])); /* absent stays absent */
    assert_int_equal(s.memory_used[0], -1);

    memset(&s, 0, sizeof s);
    assert_int_equal(bridge_store_vitals_last(f->st, NULL, collect_vitals, &s), 0);
    assert_int_equal(s.count, 2); /* one per device, by device id */
    assert_string_equal(s.device[0], "v0");
    assert_string_equal(s.device[1], "v1");
    assert_int_equal(s.updated[1], 2000);

    memset(&s, 0, sizeof s);
    bridge_query q = {.device_id = "v1"};
    assert_int_equal(bridge_store_vitals_history(f->st, &q, collect_vitals, &s), 0);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.updated[0], 1000);
    assert_true(s.strength[0] == 80.5);
    assert_true(isnan(s.quality[0]));
    assert_int_equal(s.memory_used[0], 1024);
    assert_int_equal(s.memory_total[0], -1);
    assert_string_equal(s.payload[0], "{\"a\":1}");
    memset(&s, 0, sizeof s);
    q.limit = 1;
    q.device_id = NULL;
    assert_int_equal(bridge_store_vitals_history(f->st, &q, collect_vitals, &s), 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.updated[0], 2000); /* the newest when the limit cuts */

    /* Vitals carried by an event: stored with the event, not again on its replay. */
    bridge_vitals v4 = v1;
    v4.updated_at_ms = 3000;
    bridge_record r = event_record("{}", 3000, NULL, 0, NULL, 0);
    r.device_id = "v1";
    r.event_name = "spark/device/diagnostics/update";
    r.vitals = &v4;
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, &res), 0);
    assert_int_equal(res.vitals_stored, 1);
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, &res), 0);
    assert_int_equal(res.vitals_stored, 0);
    assert_int_equal(res.events_duplicate, 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM vitals"), 4);
}

/* Two handles on one database (two bridge instances) write the same events at the same
 * time: each event is stored once in all, and the other handle counts it a duplicate. */
#define SHARED_EVENTS 200

typedef struct shared_writer {
    const char *db;
    pthread_barrier_t *start;
    bridge_write_result res;
    int rc;
    char err[256];
} shared_writer;

static bridge_measurement shared_ms[SHARED_EVENTS];
static bridge_record shared_recs[SHARED_EVENTS];
static char shared_data[SHARED_EVENTS][16];

static void build_shared_events(void)
{
    for (int i = 0; i < SHARED_EVENTS; i++) {
        snprintf(shared_data[i], sizeof shared_data[i], "%d", i);
        shared_ms[i] =
            (bridge_measurement){"ssssssssssssssssssssssss", "count", i, 10000 + i, "sse"};
        shared_recs[i] = event_record(shared_data[i], 10000 + i, &shared_ms[i], 1, NULL, 0);
        shared_recs[i].device_id = "ssssssssssssssssssssssss";
    }
}

static void *write_shared_events(void *arg)
{
    shared_writer *w = arg;
    bridge_store *st = bridge_store_open(w->db, w->err, sizeof w->err);
    pthread_barrier_wait(w->start);
    if (st == NULL) {
        w->rc = -1;
        return NULL;
    }
    w->rc = bridge_store_write_batch(st, shared_recs, SHARED_EVENTS, &w->res);
    if (w->rc != 0) {
        snprintf(w->err, sizeof w->err, "%s", bridge_store_errmsg(st));
    }
    bridge_store_close(st);
    return NULL;
}

static void test_two_handles_store_each_event_once(void **state)
{
    fixture *f = *state;
    build_shared_events();
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    shared_writer w[2] = {{.db = f->db, .start = &start}, {.db = f->db, .start = &start}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, write_shared_events, &w[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
    }
    pthread_barrier_destroy(&start);
    for (int i = 0; i < 2; i++) {
        if (w[i].rc != 0) {
            fail_msg("writer %d: %s", i, w[i].err);
        }
    }
    assert_int_equal(w[0].res.events_stored + w[1].res.events_stored, SHARED_EVENTS);
    assert_int_equal(w[0].res.events_duplicate + w[1].res.events_duplicate, SHARED_EVENTS);
    assert_int_equal(w[0].res.measurements_stored + w[1].res.measurements_stored, SHARED_EVENTS);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events"), SHARED_EVENTS);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), SHARED_EVENTS);
    collected c = {0};
    assert_int_equal(
        bridge_store_latest_measurements(f->st, "ssssssssssssssssssssssss", collect, &c), 0);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.ts[0], 10000 + SHARED_EVENTS - 1);
}

/* A batch far larger than one pipeline chunk (PostgreSQL syncs every 256 statements):
 * every row counted, and a replay of it all duplicates. */
#define LARGE_BATCH 1000

static void test_large_batch_counts_every_row(void **state)
{
    fixture *f = *state;
    static bridge_measurement ms[LARGE_BATCH];
    static bridge_status_post ps[LARGE_BATCH];
    static bridge_record recs[LARGE_BATCH + 1];
    static char data[LARGE_BATCH][16];
    for (int i = 0; i < LARGE_BATCH; i++) {
        snprintf(data[i], sizeof data[i], "%d", i);
        ms[i] = (bridge_measurement){"llllllllllllllllllllllll", "n", i, 20000 + i, "sse"};
        ps[i] = (bridge_status_post){"llllllllllllllllllllllll", "event", "n", data[i], 20000 + i};
        recs[i] = event_record(data[i], 20000 + i, &ms[i], 1, &ps[i], 1);
        recs[i].device_id = "llllllllllllllllllllllll";
    }
    recs[LARGE_BATCH] =
        (bridge_record){.kind = BRIDGE_RECORD_CURSOR, .stream = "large", .last_event_id = "1000"};
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, LARGE_BATCH + 1, &res), 0);
    assert_int_equal(res.events_stored, LARGE_BATCH);
    assert_int_equal(res.measurements_stored, LARGE_BATCH);
    assert_int_equal(res.status_posts_stored, LARGE_BATCH);
    assert_int_equal(res.duplicates, 0);
    assert_int_equal(bridge_store_write_batch(f->st, recs, LARGE_BATCH + 1, &res), 0);
    assert_int_equal(res.events_stored, 0);
    assert_int_equal(res.events_duplicate, LARGE_BATCH);
    assert_int_equal(res.measurements_stored + res.status_posts_stored, 0);
    assert_int_equal(res.duplicates, LARGE_BATCH);
    assert_int_equal(scalar(f, "SELECT count(*) FROM status_posts"), LARGE_BATCH);
    char cursor[32];
    assert_int_equal(bridge_store_cursor_get(f->st, "large", cursor, sizeof cursor), 0);
    assert_string_equal(cursor, "1000");
}

/* A batch whose size is no multiple of PostgreSQL's multi-row INSERTs (64 rows, then one of
 * each smaller power of two: 64 + 64 + 16 + 4 + 2 = 150), with duplicates inside one
 * statement, across statements and in the last one. A duplicate's own rows (here a
 * measurement "dupe") are not stored; of equal times the later value is the latest, and an
 * older one never replaces it. */
#define ODD_BATCH 150

static void test_odd_batch_with_duplicates_counts_exactly(void **state)
{
    fixture *f = *state;
    static const char dev[] = "oooooooooooooooooooooooo";
    static bridge_measurement ms[ODD_BATCH][2];
    static bridge_record recs[ODD_BATCH];
    static char data[ODD_BATCH][16];
    static const int dup_of[][2] = {{4, 3}, {100, 1}, {149, 148}}; /* {record, copy of} */
    for (int i = 0; i < ODD_BATCH; i++) {
        snprintf(data[i], sizeof data[i], "%d", i);
        ms[i][0] = (bridge_measurement){dev, "n", i, 30000 + i, "sse"};
        recs[i] = event_record(data[i], 30000 + i, ms[i], 1, NULL, 0);
        recs[i].device_id = dev;
    }
    for (size_t d = 0; d < sizeof dup_of / sizeof dup_of[0]; d++) {
        int i = dup_of[d][0], of = dup_of[d][1];
        ms[i][0] = (bridge_measurement){dev, "dupe", -1, 1, "sse"};
        recs[i] = event_record(data[of], 30000 + of, ms[i], 1, NULL, 0);
        recs[i].device_id = dev;
    }
    /* "tie": two values at 5000 from two sources (distinct rows; the second is the latest),
     * then an older one at 4999 */
    const double tie_value[3] = {1, 2, 3};
    const int64_t tie_ts[3] = {5000, 5000, 4999};
    const char *const tie_source[3] = {"sse", "webhook", "sse"};
    for (int t = 0; t < 3; t++) {
        ms[20 + t][1] = (bridge_measurement){dev, "tie", tie_value[t], tie_ts[t], tie_source[t]};
        recs[20 + t].measurement_count = 2;
    }
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, ODD_BATCH, &res), 0);
    assert_int_equal(res.events_stored, ODD_BATCH - 3);
    assert_int_equal(res.events_duplicate, 3);
    assert_int_equal(res.measurements_stored, ODD_BATCH - 3 + 3);
    assert_int_equal(res.duplicates, 3);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events"), ODD_BATCH - 3);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements WHERE name = 'dupe'"), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), ODD_BATCH);
    collected c = {0};
    assert_int_equal(bridge_store_latest_measurements(f->st, dev, collect, &c), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.names[0], "n");
    assert_int_equal(c.ts[0], 30000 + 148);
    assert_string_equal(c.names[1], "tie");
    assert_int_equal(c.ts[1], 5000);
    assert_true(c.values[1] == 2);

    assert_int_equal(bridge_store_write_batch(f->st, recs, ODD_BATCH, &res), 0);
    assert_int_equal(res.events_stored, 0);
    assert_int_equal(res.events_duplicate, ODD_BATCH);
    assert_int_equal(res.measurements_stored, 0);
    assert_int_equal(res.duplicates, ODD_BATCH);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), ODD_BATCH);
}

/* Text with tabs, newlines, CRs, backslashes, "\N" (which must not read as NULL) and UTF-8,
 * in a batch large enough for PostgreSQL's full multi-row INSERTs, read back unchanged. */
#define ESCAPE_BATCH 200
static const char *const escape_texts[] = {
    "tab\there", "line\nbreak", "cr\rhere", "back\\slash", "\\N", "\\.", "caf\u00e9 \u2713", ""};
#define ESCAPE_TEXTS (sizeof escape_texts / sizeof escape_texts[0])

typedef struct posts_seen {
    int count, matched;
} posts_seen;

static int match_post(const bridge_page_row *row, void *payload)
{
    posts_seen *s = payload;
    const bridge_status_post *p = row->post;
    int i = (int)(p->ts_ms - 40000);
    if (i >= 0 && i < ESCAPE_BATCH && strcmp(p->message, escape_texts[i % ESCAPE_TEXTS]) == 0) {
        s->matched++;
    }
    s->count++;
    return 0;
}

static void test_batch_text_survives_bulk_escaping(void **state)
{
    fixture *f = *state;
    static const char dev[] = "xxxxxxxxxxxxxxxxxxxxxxxx";
    static bridge_status_post ps[ESCAPE_BATCH];
    static bridge_record recs[ESCAPE_BATCH];
    for (int i = 0; i < ESCAPE_BATCH; i++) {
        const char *text = escape_texts[i % ESCAPE_TEXTS];
        ps[i] = (bridge_status_post){dev, "event", "note", text, 40000 + i};
        recs[i] = event_record(text, 40000 + i, NULL, 0, &ps[i], 1);
        recs[i].device_id = dev;
    }
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, ESCAPE_BATCH, &res), 0);
    assert_int_equal(res.events_stored, ESCAPE_BATCH);
    assert_int_equal(res.status_posts_stored, ESCAPE_BATCH);
    posts_seen seen = {0};
    bridge_page_query q = {.device_id = dev, .limit = 1000};
    assert_int_equal(bridge_store_status_posts_page(f->st, &q, match_post, &seen), 0);
    assert_int_equal(seen.count, ESCAPE_BATCH);
    assert_int_equal(seen.matched, ESCAPE_BATCH);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events WHERE data IS NULL"), 0);
}

/* What the writer does after each sync: the partitions, then retention batch by batch. */
static int maintain(fixture *f, int64_t now_ms, int64_t retention_ms, bridge_maintenance *done)
{
    memset(done, 0, sizeof *done);
    int rc = bridge_store_partitions_maintain(f->st, now_ms, retention_ms, done);
    bool more = true;
    while (rc == 0 && more) {
        rc = bridge_store_retention_batch(f->st, now_ms, retention_ms, done, &more);
    }
    return rc;
}

/* Retention: rows older than now - retention go, in batches (more than one here), newer
 * ones stay; on both backends. */
#define OLD_READINGS (BRIDGE_RETENTION_BATCH + 1000)
#define DAY_MS INT64_C(86400000)

static void test_retention_deletes_old_rows_in_batches(void **state)
{
    fixture *f = *state;
    static const char dev[] = "rrrrrrrrrrrrrrrrrrrrrrrr";
    static bridge_measurement ms[OLD_READINGS + 10];
    static bridge_record recs[OLD_READINGS + 10];
    const int64_t now = INT64_C(1764806400000); /* 2025-12-04T00:00:00Z */
    for (int i = 0; i < OLD_READINGS + 10; i++) {
        /* the old ones 40 days back, the last ten an hour ago */
        int64_t ts = i < OLD_READINGS ? now - 40 * DAY_MS + i : now - 3600000 + i;
        ms[i] = (bridge_measurement){dev, "n", i, ts, "poll"};
        recs[i] = (bridge_record){
            .kind = BRIDGE_RECORD_READING, .measurements = &ms[i], .measurement_count = 1};
    }
    bridge_status_post old_post = {dev, "event", "note", "old", now - 40 * DAY_MS};
    bridge_status_post new_post = {dev, "event", "note", "new", now - 1000};
    bridge_record events[] = {event_record("old", now - 40 * DAY_MS, NULL, 0, &old_post, 1),
                              event_record("new", now - 1000, NULL, 0, &new_post, 1)};
    assert_int_equal(bridge_store_write_batch(f->st, recs, OLD_READINGS + 10, NULL), 0);
    assert_int_equal(bridge_store_write_batch(f->st, events, 2, NULL), 0);
    bridge_maintenance done;
    assert_int_equal(maintain(f, now, 0, &done), 0); /* no retention */
    assert_int_equal(done.rows_deleted, 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), OLD_READINGS + 10);
    assert_int_equal(maintain(f, now, 30 * DAY_MS, &done), 0);
    assert_int_equal(done.rows_deleted, OLD_READINGS + 2); /* readings, an event, a post */
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), 10);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM status_posts"), 1);
    /* the latest value of the series is the newest row, kept */
    collected c = {0};
    assert_int_equal(bridge_store_latest_measurements(f->st, dev, collect, &c), 0);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.ts[0], now - 3600000 + OLD_READINGS + 9);
}

static int64_t partitions_of(fixture *f, const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_inherits WHERE inhparent = '%s'::regclass",
             table);
    return scalar(f, sql);
}

/* PostgreSQL: day partitions from yesterday to a week ahead, rows of those days moved out
 * of the DEFAULT partition, exactly-once across partitions, old days dropped. */
static void test_pg_day_partitions_and_retention(void **state)
{
    fixture *f = *state;
    const int64_t now = INT64_C(1764806400000) + 3600000; /* 2025-12-04T01:00:00Z */
    bridge_measurement m[2] = {{"pppppppppppppppppppppppp", "n", 1, now - 60000, "sse"},
                               {"pppppppppppppppppppppppp", "n", 2, now - 20 * DAY_MS, "sse"}};
    bridge_record recs[] = {event_record("1", now - 60000, &m[0], 1, NULL, 0),
                            event_record("2", now - 20 * DAY_MS, &m[1], 1, NULL, 0)};
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), 0);
    assert_int_equal(partitions_of(f, "events"), 1); /* the DEFAULT one */
    bridge_maintenance done;
    /* a run 20 days back makes that time's days, then today's run makes today's */
    assert_int_equal(maintain(f, now - 20 * DAY_MS, 0, &done), 0);
    assert_int_equal(done.partitions_created, 3 * 9);
    assert_int_equal(maintain(f, now, 0, &done), 0);
    assert_int_equal(done.partitions_created, 3 * 9);
    assert_int_equal(maintain(f, now, 0, &done), 0); /* nothing left to do */
    assert_int_equal(done.partitions_created, 0);
    assert_int_equal(partitions_of(f, "events"), 1 + 18);
    assert_int_equal(partitions_of(f, "measurements"), 1 + 18);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events_default"), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events_p20251204"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements_p20251114"), 1);
    /* the same events again: duplicates, in whichever partition they live */
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), 0);
    assert_int_equal(res.events_duplicate, 2);
    assert_int_equal(res.events_stored, 0);
    /* retention 10 days: the days 20 days back go whole */
    assert_int_equal(maintain(f, now, 10 * DAY_MS, &done), 0);
    assert_int_equal(done.partitions_dropped, 3 * 9);
    assert_int_equal(done.rows_deleted, 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), 1);
    assert_int_equal(partitions_of(f, "events"), 1 + 9);
}

/* PostgreSQL: a database from before the partitions (version 11) keeps its rows, their ids
 * and their exactly-once keys. */
static void test_pg_unpartitioned_database_migrates(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    f->st = NULL;
    char sql[4096];
    int64_t key = bridge_key_event("eeeeeeeeeeeeeeeeeeeeeeee", "temperature", 7000, "old");
    snprintf(
        sql, sizeof sql,
        "DROP TABLE events, measurements, status_posts; "
        "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key bigint NOT "
        "NULL, device_id text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL, data "
        "text, published_at_ms bigint NOT NULL, source text NOT NULL, received_at_ms bigint NOT "
        "NULL, UNIQUE (published_at_ms, key)); "
        "CREATE TABLE measurements (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key "
        "bigint NOT NULL, device_id text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT "
        "NULL, value double precision NOT NULL, ts_ms bigint NOT NULL, source text NOT NULL, "
        "UNIQUE (ts_ms, key)); "
        "CREATE TABLE status_posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key "
        "bigint NOT NULL, device_id text COLLATE \"C\" NOT NULL, kind text NOT NULL, name text "
        "COLLATE \"C\" NOT NULL DEFAULT '', message text NOT NULL, ts_ms bigint NOT NULL, "
        "UNIQUE (ts_ms, key)); "
        "INSERT INTO events OVERRIDING SYSTEM VALUE VALUES (41, %lld, "
        "'eeeeeeeeeeeeeeeeeeeeeeee', 'temperature', 'old', 7000, 'sse', 7005); "
        "INSERT INTO measurements OVERRIDING SYSTEM VALUE VALUES (42, 1, 'm', 'n', 1.5, 7000, "
        "'sse'); "
        "INSERT INTO status_posts OVERRIDING SYSTEM VALUE VALUES (43, 1, 'm', 'event', 'n', "
        "'hello', 7000); "
        "DELETE FROM schema_migrations WHERE version = 12",
        (long long)key);
    assert_int_equal(bt_pg_exec(f->db, sql), 0);
    reopen(f); /* applies 0012 */
    assert_int_equal(scalar(f, "SELECT count(*) FROM schema_migrations WHERE version = 12"), 1);
    assert_int_equal(partitions_of(f, "events"), 1);
    assert_int_equal(scalar(f, "SELECT id FROM events WHERE data = 'old'"), 41);
    assert_int_equal(scalar(f, "SELECT id FROM measurements"), 42);
    assert_int_equal(scalar(f, "SELECT id FROM status_posts WHERE message = 'hello'"), 43);
    bridge_record recs[] = {event_record("old", 7000, NULL, 0, NULL, 0),
                            event_record("new", 8000, NULL, 0, NULL, 0)};
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, 2, &res), 0);
    assert_int_equal(res.events_duplicate, 1);
    assert_int_equal(res.events_stored, 1);
    assert_true(scalar(f, "SELECT id FROM events WHERE data = 'new'") > 41);
}

/* Report snapshots: an export's rows replace its previous ones, others' stay. */
static void test_snapshot_replace(void **state)
{
    fixture *f = *state;
    const char *two[] = {"{\"DeviceId\":\"a\"}", "{\"DeviceId\":\"b\"}"};
    const char *one[] = {"{\"DeviceId\":\"c\"}"};
    assert_int_equal(bridge_store_snapshot_replace(f->st, "x", two, 2, 1000), 0);
    assert_int_equal(bridge_store_snapshot_replace(f->st, "y", two, 2, 1000), 0);
    assert_int_equal(bridge_store_snapshot_replace(f->st, "x", one, 1, 2000), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM report_snapshots WHERE export_name = 'x'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM report_snapshots WHERE export_name = 'y'"), 2);
    assert_int_equal(scalar(f, "SELECT taken_ms FROM report_snapshots WHERE export_name = 'x'"),
                     2000);
    assert_int_equal(bridge_store_snapshot_replace(f->st, "x", NULL, 0, 3000), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM report_snapshots WHERE export_name = 'x'"), 0);
}

static void test_open_picks_the_backend(void **state)
{
    fixture *f = *state;
    assert_string_equal(bridge_store_backend(f->st), bt_pg_uri() != NULL ? "postgresql" : "sqlite");
}

/* ---- PostgreSQL only ---- */

typedef struct opener {
    const char *uri;
    pthread_barrier_t *start;
    bridge_store *st;
    char err[256];
} opener;

static void *open_together(void *arg)
{
    opener *o = arg;
    pthread_barrier_wait(o->start);
    o->st = bridge_store_open(o->uri, o->err, sizeof o->err);
    return NULL;
}

/* Bridges started together on an empty database: the advisory lock lets one migrate, the
 * others find the schema done (without it they race on CREATE TABLE and fail). */
static void test_pg_migrates_once_when_opened_together(void **state)
{
    (void)state;
    char uri[1024], name[64];
    assert_int_equal(bt_pg_db_create(uri, sizeof uri, name, sizeof name), 0);
    enum { N = 4 };
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    opener o[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        o[i] = (opener){.uri = uri, .start = &start};
        assert_int_equal(pthread_create(&t[i], NULL, open_together, &o[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
    }
    pthread_barrier_destroy(&start);
    int failed = 0;
    for (int i = 0; i < N; i++) {
        if (o[i].st == NULL) {
            fprintf(stderr, "open %d: %s\n", i, o[i].err);
            failed++;
        }
        bridge_store_close(o[i].st);
    }
    assert_int_equal(bt_pg_scalar(uri, "SELECT count(*) FROM schema_migrations"),
                     (long long)bridge_pg_migration_count);
    assert_true(bridge_pg_migration_count >= 2);
    bt_pg_db_drop(name);
    assert_int_equal(failed, 0);
}

/* A connection the server drops fails the call that meets it, saying so; the next call
 * reconnects and prepares its statements again. */
static void test_pg_lost_connection_reports_then_reconnects(void **state)
{
    fixture *f = *state;
    sync_device(f->st, "abababababababababababab", "kept", NULL);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = '%s' AND application_name = 'particle-bridge'",
             f->pg_name);
    assert_int_equal(bt_pg_scalar(f->db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pg_stat_activity "
             "WHERE datname = '%s' AND application_name = 'particle-bridge'",
             f->pg_name);
    for (int i = 0; i < 200 && bt_pg_scalar(f->db, sql) != 0; i++) {
        usleep(25 * 1000);
    }
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->st, "abababababababababababab", &d),
                     BRIDGE_STORE_ERROR);
    assert_non_null(strstr(bridge_store_errmsg(f->st), "connection to PostgreSQL lost"));
    assert_int_equal(bridge_store_device_get(f->st, "abababababababababababab", &d), 0);
    assert_string_equal(d.name, "kept");
    bridge_device_dispose(&d);
    assert_int_equal(bt_pg_scalar(f->db, sql), 1); /* one new session */
}

/* A row PostgreSQL refuses (text that is not UTF-8) fails the whole batch: nothing of it
 * is stored, the cursor does not move, and the next batch on the same handle works. */
static void test_pg_failed_batch_stores_nothing(void **state)
{
    fixture *f = *state;
    bridge_measurement m = {"fafafafafafafafafafafafa", "temp", 1, 100, "sse"};
    bridge_status_post bad = {"fafafafafafafafafafafafa", "event", "note", "\xff\xfe", 100};
    bridge_record recs[3] = {
        event_record("1", 100, &m, 1, NULL, 0),
        {.kind = BRIDGE_RECORD_READING, .posts = &bad, .post_count = 1},
        {.kind = BRIDGE_RECORD_CURSOR, .stream = "user", .last_event_id = "9"},
    };
    bridge_write_result res;
    assert_int_equal(bridge_store_write_batch(f->st, recs, 3, &res), BRIDGE_STORE_ERROR);
    assert_non_null(strstr(bridge_store_errmsg(f->st), "status post"));
    assert_int_equal(res.events_stored, 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events"), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM measurements"), 0);
    char id[16];
    assert_int_equal(bridge_store_cursor_get(f->st, "user", id, sizeof id), BRIDGE_STORE_NOTFOUND);
    bad.message = "fine";
    assert_int_equal(bridge_store_write_batch(f->st, recs, 3, &res), 0);
    assert_int_equal(res.events_stored, 1);
    assert_int_equal(res.status_posts_stored, 1);
    assert_int_equal(bridge_store_cursor_get(f->st, "user", id, sizeof id), 0);
    assert_string_equal(id, "9");
}

/* ---- no database needed ---- */

static void test_pg_open_failure_hides_the_password(void **state)
{
    (void)state;
    char err[512] = "";
    bridge_store *st = bridge_store_open("postgresql://bridge:s3cret-pw@/x?host=/nonexistent-pg"
                                         "&port=5&password=other-secret&connect_timeout=2",
                                         err, sizeof err);
    assert_null(st);
    assert_non_null(strstr(err, "cannot connect to PostgreSQL postgresql://bridge@/x?host="
                                "/nonexistent-pg&port=5&connect_timeout=2: "));
    assert_null(strstr(err, "s3cret"));
    assert_null(strstr(err, "other-secret"));
}

/* libpq quotes the text of a malformed URI in its message: a bad escape in the password
 * would put the password in the error, and an unclosed IPv6 bracket the whole URI. */
static void test_pg_malformed_uri_hides_the_password(void **state)
{
    (void)state;
    static const char *const uris[] = {
        "postgresql://bridge:bad%zzs3cret@/x?host=/nonexistent-pg",
        "postgresql://bridge@/x?host=/nonexistent-pg&password=bad%zzs3cret",
        "postgresql://bridge:s3cret@[::1/x",
    };
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        char err[512] = "";
        assert_null(bridge_store_open(uris[i], err, sizeof err));
        assert_non_null(strstr(err, "invalid PostgreSQL URI postgresql://bridge@"));
        assert_null(strstr(err, "s3cret"));
    }
    char err[512] = "";
    assert_null(bridge_store_open("postgresql://bridge:s3cret@/x?bogus=1", err, sizeof err));
    assert_string_equal(err, "invalid PostgreSQL URI postgresql://bridge@/x?bogus=1: invalid URI "
                             "query parameter");
}

static void test_uri_redact_and_detect(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(
        bridge_store_uri_redact("postgresql://u:p%40ss@db.example:5432/bridge?sslmode=require"
                                "&password=x&application_name=b",
                                out, sizeof out),
        "postgresql://u@db.example:5432/bridge?sslmode=require&application_name=b");
    assert_string_equal(bridge_store_uri_redact("postgres://db/x", out, sizeof out),
                        "postgres://db/x");
    assert_string_equal(bridge_store_uri_redact("postgresql://u@h/d?password=x", out, sizeof out),
                        "postgresql://u@h/d");
    assert_string_equal(bridge_store_uri_redact("postgresql://a:b@", out, sizeof out),
                        "postgresql://a@");
    assert_string_equal(bridge_store_uri_redact("/var/lib/b:c@d.db", out, sizeof out),
                        "/var/lib/b:c@d.db"); /* a path is not a URI */
    char small[10];
    assert_string_equal(bridge_store_uri_redact("postgresql://h/d", small, sizeof small),
                        "postgresq");
    assert_true(bridge_store_is_postgres_uri("postgresql://h/d"));
    assert_true(bridge_store_is_postgres_uri("POSTGRES://h/d"));
    assert_false(bridge_store_is_postgres_uri("postgresql:/h"));
    assert_false(bridge_store_is_postgres_uri("bridge.db"));
}

/* A PostgreSQL database migrated by the store before the two histories were numbered alike
 * (no step 2; vitals, device owner and SIM network as 2..4) gets today's numbering when it
 * opens, and no step runs again (step 3 would fail: its table exists). */
static void test_pg_older_history_is_renumbered(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    f->st = NULL;
    assert_int_equal(bt_pg_exec(f->db, "DELETE FROM schema_migrations WHERE version = 2; "
                                       "UPDATE schema_migrations SET version = 2, name = "
                                       "'0002_vitals' WHERE version = 3; "
                                       "UPDATE schema_migrations SET version = 3, name = "
                                       "'0003_device_owner' WHERE version = 4; "
                                       "UPDATE schema_migrations SET version = 4, name = "
                                       "'0004_sim_network' WHERE version = 5"),
                     0);
    const char *today = "SELECT count(*) FROM schema_migrations WHERE (version, name) IN ("
                        "(1, '0001_initial'), (2, '0002_integer_dedup_keys'), (3, '0003_vitals'), "
                        "(4, '0004_device_owner'), (5, '0005_sim_network'))";
    for (int round = 0; round < 2; round++) { /* and a second open changes nothing */
        reopen(f);
        assert_int_equal(bt_pg_scalar(f->db, "SELECT count(*) FROM schema_migrations"),
                         (long long)bridge_pg_migration_count);
        assert_int_equal(bt_pg_scalar(f->db, today), 5);
    }
    assert_int_equal(bridge_pg_migration_count, bridge_migration_count); /* one numbering */
    bool stored = false;
    bridge_vitals v = {.device_id = "v1",
                       .updated_at_ms = 1,
                       .payload = "{}",
                       .signal_strength_pct = NAN,
                       .signal_quality_pct = NAN,
                       .battery_charge_pct = NAN,
                       .memory_used_bytes = -1,
                       .memory_total_bytes = -1,
                       .uptime_s = -1,
                       .cloud_disconnects = -1};
    assert_int_equal(bridge_store_vitals_put(f->st, &v, &stored), 0);
    assert_true(stored);
}

int main(void)
{
    /* The contract: every backend. */
    const struct CMUnitTest contract[] = {
        cmocka_unit_test_setup_teardown(test_open_picks_the_backend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_sync_defaults_and_rename, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variable_settings_survive_sync_and_gone_ones_go, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_settings_patch_is_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mark_gone_keeps_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mark_gone_leaves_other_bridges_devices, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_event_replay_is_stored_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readings_are_keyed_by_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_online_event_updates_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queries_filter_limit_and_latest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_posts_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_survives_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sim_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vitals_once_per_device_and_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_handles_store_each_event_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_batch_counts_every_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_text_survives_bulk_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_deletes_old_rows_in_batches, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_odd_batch_with_duplicates_counts_exactly, setup,
                                        teardown),
    };
    if (bt_pg_uri() != NULL) {
        const struct CMUnitTest postgres[] = {
            cmocka_unit_test(test_pg_migrates_once_when_opened_together),
            cmocka_unit_test_setup_teardown(test_pg_lost_connection_reports_then_reconnects, setup,
                                            teardown),
            cmocka_unit_test_setup_teardown(test_pg_failed_batch_stores_nothing, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pg_older_history_is_renumbered, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pg_day_partitions_and_retention, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pg_unpartitioned_database_migrates, setup,
                                            teardown),
        };
        return cmocka_run_group_tests_name("contract on PostgreSQL", contract, NULL, NULL) +
               cmocka_run_group_tests_name("PostgreSQL", postgres, NULL, NULL);
    }
    /* SQLite's own behaviour, and what needs no database at all. */
    const struct CMUnitTest sqlite[] = {
        cmocka_unit_test_setup_teardown(test_open_migrates_once_in_wal, setup, teardown),
        cmocka_unit_test(test_open_bad_path_explains),
        cmocka_unit_test(test_key_frames_every_field),
        cmocka_unit_test_setup_teardown(test_version_1_database_migrates_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_of_the_previous_store_opens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_fault_hook_fails_calls_then_recovers, setup,
                                        teardown),
        cmocka_unit_test(test_pg_open_failure_hides_the_password),
        cmocka_unit_test(test_pg_malformed_uri_hides_the_password),
        cmocka_unit_test(test_uri_redact_and_detect),
    };
    return cmocka_run_group_tests_name("contract on SQLite", contract, NULL, NULL) +
           cmocka_run_group_tests_name("SQLite and no database", sqlite, NULL, NULL);
}
