/*
 * Scheduled report exports (export.h): the [export.<name>] config sections, files written
 * atomically with the report's content (CSV and JSON), and a target directory that fails:
 * the error in the status and /metrics lines, retries after the backoff (doubling), and the
 * next success clearing it. On an SQLite file, the store filled through its own calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "api/reports.h"
#include "bridge_test.h"
#include "config.h"
#include "export.h"
#include "pu_file.h"

typedef struct fixture {
    char dir[512];
    char db[600];
    char out[600]; /* the export directory */
    bridge_store *st;
} fixture;

static void add_device(bridge_store *st, const char *id, const char *name, int product)
{
    static const bridge_device_defaults df = {.check_interval_ms = 60000, .enabled = true};
    bridge_cloud_device cd = {.particle_id = id,
                              .name = name,
                              .product_id = product,
                              .platform_id = 13,
                              .last_heard_ms = 1700000000000};
    assert_int_equal(bridge_store_device_sync(st, &cd, &df, 1000, NULL), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256];
    if (f == NULL || bt_tempdir(f->dir, sizeof f->dir) != 0) {
        free(f);
        return -1;
    }
    bt_path(f->db, sizeof f->db, f->dir, "bridge.db");
    bt_path(f->out, sizeof f->out, f->dir, "out");
    f->st = bridge_store_open(f->db, err, sizeof err);
    if (f->st == NULL) {
        return -1;
    }
    add_device(f->st, "e00fce68aaaaaaaaaaaaaaaa", "kitchen", 0);
    add_device(f->st, "e00fce68bbbbbbbbbbbbbbbb", "=cellar", 1001);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    bt_rmdir(f->dir); /* rm -rf: the export directory too */
    free(f);
    return 0;
}

static bridge_export_spec spec(const fixture *f, const char *name, const char *report,
                               bridge_export_format format)
{
    bridge_export_spec s = {
        .format = format, .interval_ms = 60000, .retries = 2, .retry_backoff_ms = 1000};
    snprintf(s.name, sizeof s.name, "%s", name);
    snprintf(s.report, sizeof s.report, "%s", report);
    snprintf(s.directory, sizeof s.directory, "%s", f->out);
    return s;
}

static char *read_text(const char *dir, const char *file)
{
    char path[1200], err[256];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *text = NULL;
    assert_int_equal(pu_file_read(path, PU_FILE_NO_LIMIT, &text, NULL, err, sizeof err), 0);
    return text;
}

/* The entries of @p dir other than . and .. (a left-over temporary file would show). */
static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(d);
    return n;
}

static json_t *status_of(bridge_exporter *ex, size_t i)
{
    json_t *all = bridge_exporter_status_json(ex);
    assert_non_null(all);
    json_t *one = json_incref(json_array_get(all, i));
    json_decref(all);
    return one;
}

static void test_files_match_the_reports(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir(f->out, 0755), 0);
    bridge_export_spec specs[] = {spec(f, "devices", "devices", BRIDGE_EXPORT_CSV),
                                  spec(f, "list", "list-devices", BRIDGE_EXPORT_JSON)};
    snprintf(specs[1].product, sizeof specs[1].product, "1001");
    bridge_exporter *ex = bridge_exporter_new(specs, 2, f->st, NULL);
    assert_non_null(ex);
    assert_int_equal(bridge_exporter_run_due(ex, 5000), 2);
    assert_int_equal(bridge_exporter_run_due(ex, 6000), 0); /* next at 65000 */
    assert_int_equal(entries(f->out), 2);                   /* no temporary file left */

    json_t *rows = NULL;
    const bridge_report *r = bridge_report_find("devices");
    assert_int_equal(bridge_report_run(r, f->st, NULL, &rows), 0);
    size_t len = 0;
    char *want = bridge_report_csv(r, rows, &len);
    json_decref(rows);
    char *got = read_text(f->out, "devices.csv");
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "'=cellar")); /* formulas escaped, as the API does */
    free(got);
    free(want);

    got = read_text(f->out, "list.json");
    json_t *list = json_loads(got, 0, NULL);
    free(got);
    assert_int_equal(json_array_size(list), 1); /* product 1001 only */
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "DeviceId")),
                        "e00fce68bbbbbbbbbbbbbbbb");
    json_decref(list);

    json_t *s = status_of(ex, 0);
    assert_int_equal(json_integer_value(json_object_get(s, "rows")), 2);
    assert_true(json_is_null(json_object_get(s, "last_error")));
    assert_int_equal(json_integer_value(json_object_get(s, "successes")), 1);
    json_decref(s);
    bridge_exporter_free(ex);
}

static void test_failing_directory_retries(void **state)
{
    fixture *f = *state;
    bridge_export_spec one = spec(f, "sims", "list-devices", BRIDGE_EXPORT_CSV);
    bridge_exporter *ex = bridge_exporter_new(&one, 1, f->st, NULL);
    assert_non_null(ex);
    assert_int_equal(bridge_exporter_run_due(ex, 10000), 1); /* f->out does not exist */
    json_t *s = status_of(ex, 0);
    assert_non_null(strstr(json_string_value(json_object_get(s, "last_error")), f->out));
    assert_int_equal(json_integer_value(json_object_get(s, "failures")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "attempt")), 1);
    assert_true(json_is_null(json_object_get(s, "last_success")));
    json_decref(s);

    char *metrics = NULL;
    size_t mlen = 0;
    FILE *m = open_memstream(&metrics, &mlen);
    bridge_exporter_write_metrics(m, ex);
    fclose(m);
    assert_non_null(strstr(metrics, "particle_bridge_export_failing{export=\"sims\"} 1\n"));
    assert_non_null(strstr(metrics, "particle_bridge_export_failures_total{export=\"sims\"} 1\n"));
    free(metrics);

    assert_int_equal(bridge_exporter_run_due(ex, 10999), 0); /* backoff 1 s */
    assert_int_equal(bridge_exporter_run_due(ex, 11000), 1); /* retry 1 fails */
    assert_int_equal(bridge_exporter_run_due(ex, 12999), 0); /* doubled: 2 s */
    assert_int_equal(mkdir(f->out, 0755), 0);
    assert_int_equal(bridge_exporter_run_due(ex, 13000), 1); /* retry 2 succeeds */
    s = status_of(ex, 0);
    assert_true(json_is_null(json_object_get(s, "last_error")));
    assert_int_equal(json_integer_value(json_object_get(s, "failures")), 2);
    assert_int_equal(json_integer_value(json_object_get(s, "successes")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "rows")), 2);
    json_decref(s);
    assert_int_equal(entries(f->out), 1);
    bridge_exporter_free(ex);
}

static void test_retries_give_way_to_the_interval(void **state)
{
    fixture *f = *state;
    bridge_export_spec one = spec(f, "x", "devices", BRIDGE_EXPORT_CSV);
    one.retries = 1;
    bridge_exporter *ex = bridge_exporter_new(&one, 1, f->st, NULL);
    assert_int_equal(bridge_exporter_run_due(ex, 1000), 1);  /* fails */
    assert_int_equal(bridge_exporter_run_due(ex, 2000), 1);  /* the one retry fails */
    assert_int_equal(bridge_exporter_run_due(ex, 61999), 0); /* waits for the interval */
    assert_int_equal(bridge_exporter_run_due(ex, 62000), 1);
    bridge_exporter_free(ex);
}

static void write_conf(const fixture *f, const char *body)
{
    char path[700];
    bt_path(path, sizeof path, f->dir, "bridge.ini");
    FILE *c = fopen(path, "w");
    assert_non_null(c);
    fputs(body, c);
    fclose(c);
}

static int load(const fixture *f, bridge_config *cfg, char *err, size_t size)
{
    char path[700];
    bt_path(path, sizeof path, f->dir, "bridge.ini");
    int rc = bridge_config_load(cfg, path, err, size);
    bridge_config_dispose(cfg);
    return rc;
}

static void test_config_sections(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    setenv("PARTICLE_BRIDGE_API_KEY", "bridge-api-key-0123456789", 1);
    bridge_config cfg;
    char err[512] = "";
    write_conf(f, "[export.daily-devices]\nreport = devices\ndirectory = /srv/bi\n"
                  "[export.usage]\nreport = data-usage\nformat = json\ndirectory = /srv/bi\n"
                  "file = usage-now.json\ninterval = 1h\nretries = 5\nretry_backoff = 10s\n"
                  "product = 1001\n");
    assert_int_equal(load(f, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.export_count, 2);
    assert_string_equal(cfg.exports[0].name, "daily-devices");
    assert_int_equal(cfg.exports[0].format, BRIDGE_EXPORT_CSV);
    assert_int_equal(cfg.exports[0].interval_ms, 15 * 60 * 1000);
    assert_int_equal(cfg.exports[0].retries, 3);
    assert_int_equal(cfg.exports[1].format, BRIDGE_EXPORT_JSON);
    assert_string_equal(cfg.exports[1].file, "usage-now.json");
    assert_int_equal(cfg.exports[1].interval_ms, 3600 * 1000);
    assert_int_equal(cfg.exports[1].retries, 5);
    assert_int_equal(cfg.exports[1].retry_backoff_ms, 10000);
    assert_string_equal(cfg.exports[1].product, "1001");

    write_conf(f, "[export.x]\nreport = nonsense\ndirectory = /srv\n");
    assert_int_equal(load(f, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "[export.x] report"));
    write_conf(f, "[export.x]\nreport = devices\n");
    assert_int_equal(load(f, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "needs report and directory"));
    write_conf(f, "[export.snap]\nreport = devices\nformat = table\n"); /* no directory */
    assert_int_equal(load(f, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.exports[0].format, BRIDGE_EXPORT_TABLE);
    write_conf(f, "[export.x]\nreport = devices\ndirectory = /srv\nformat = xml\n");
    assert_int_equal(load(f, &cfg, err, sizeof err), -1);
    write_conf(f, "[export.x]\nreport = devices\ndirectory = /srv\nfile = ../up.csv\n");
    assert_int_equal(load(f, &cfg, err, sizeof err), -1);
    write_conf(f, "[export.a b]\nreport = devices\n");
    assert_int_equal(load(f, &cfg, err, sizeof err), -1);
    unsetenv("PARTICLE_ACCESS_TOKEN");
    unsetenv("PARTICLE_BRIDGE_API_KEY");
}

static int64_t db_scalar(const fixture *f, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

/* format = table: the report's rows in report_snapshots, written through the writer, the
 * export's previous snapshot replaced; other exports' rows left alone. */
static void test_table_export_replaces_its_snapshot(void **state)
{
    fixture *f = *state;
    char err[256];
    bridge_writer_options wo = {.db_path = f->db};
    bridge_writer *w = bridge_writer_new(&wo, err, sizeof err);
    assert_non_null(w);
    bridge_export_spec specs[] = {spec(f, "all", "list-devices", BRIDGE_EXPORT_TABLE),
                                  spec(f, "one", "list-devices", BRIDGE_EXPORT_TABLE)};
    specs[0].directory[0] = '\0'; /* a table needs no directory */
    snprintf(specs[1].product, sizeof specs[1].product, "1001");
    bridge_exporter *ex = bridge_exporter_new(specs, 2, f->st, w);
    assert_non_null(ex);
    assert_int_equal(bridge_exporter_run_due(ex, 5000), 2);
    assert_int_equal(
        db_scalar(f, "SELECT count(*) FROM report_snapshots WHERE export_name = 'all'"), 2);
    assert_int_equal(db_scalar(f, "SELECT count(*) FROM report_snapshots WHERE export_name = 'one' "
                                  "AND json_extract(row_json, '$.DeviceId') = "
                                  "'e00fce68bbbbbbbbbbbbbbbb'"),
                     1);
    json_t *s = status_of(ex, 0);
    assert_string_equal(json_string_value(json_object_get(s, "format")), "table");
    assert_string_equal(json_string_value(json_object_get(s, "path")), "table report_snapshots");
    assert_int_equal(json_integer_value(json_object_get(s, "rows")), 2);
    json_decref(s);

    add_device(f->st, "e00fce68cccccccccccccccc", "attic", 0);
    assert_int_equal(bridge_exporter_run_due(ex, 70000), 2);
    assert_int_equal(
        db_scalar(f, "SELECT count(*) FROM report_snapshots WHERE export_name = 'all'"), 3);
    assert_int_equal(db_scalar(f, "SELECT count(*) FROM report_snapshots"), 4);
    assert_int_equal(db_scalar(f, "SELECT max(row_number) FROM report_snapshots "
                                  "WHERE export_name = 'all'"),
                     2);
    bridge_exporter_free(ex);

    /* without the writer a table export fails and says why */
    ex = bridge_exporter_new(specs, 1, f->st, NULL);
    assert_int_equal(bridge_exporter_run_due(ex, 5000), 1);
    s = status_of(ex, 0);
    assert_non_null(strstr(json_string_value(json_object_get(s, "last_error")), "writer"));
    json_decref(s);
    bridge_exporter_free(ex);
    bridge_writer_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_files_match_the_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_directory_retries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retries_give_way_to_the_interval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_sections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_export_replaces_its_snapshot, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
