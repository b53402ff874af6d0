/* GET /metrics as Prometheus reads it (names, HELP/TYPE lines, _total counters, histogram
 * buckets, _sum and _count), and GET /livez, /readyz and /healthz in the states a test can
 * put the bridge in: all fine, the writer stalled, a stream down, the sync stale. The API runs on
 * port 0 over a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>
#include <jansson.h>
#include <math.h>

#include "bridge_api_test.h"
#include "bridge_test.h"
#include "fleet_sync.h"
#include "http_client.h"
#include "pu_time.h"

typedef struct fixture {
    char dir[512];
    char db[600];
    bridge_store *st;
    bridge_metrics metrics;
    bridge_api api;
    httpd_server *srv;
    unsigned short port;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256];
    if (f == NULL || bt_tempdir(f->dir, sizeof f->dir) != 0) {
        free(f);
        return -1;
    }
    bt_path(f->db, sizeof f->db, f->dir, "health.db");
    f->st = bridge_store_open_sqlite(f->db, err, sizeof err);
    assert_non_null(f->st);
    bridge_metrics_init(&f->metrics, 60000);
    atomic_store(&f->metrics.last_sync_ms, pu_time_now_ms());
    f->api = (bridge_api){.store = f->st, .metrics = &f->metrics, .api_key = "k0123456789abcdef"};
    f->srv = bt_api_serve(&f->api, &f->port);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    httpd_server_free(f->srv);
    bridge_store_close(f->st);
    bt_rmdir(f->dir);
    free(f);
    return 0;
}

/* GET with the API key (health and metrics need it unless [api] open_health). */
static http_reply get(fixture *f, const char *path)
{
    char url[256];
    static const char *const auth[] = {"Authorization: Bearer k0123456789abcdef", NULL};
    http_call call = {
        .method = "GET", .url = http_url(url, sizeof url, f->port, path), .headers = auth};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    return r;
}

/* ---- a small Prometheus text-format (0.0.4) checker ---- */

typedef struct family {
    char name[128];
    char type[16];
    bool has_help;
    int samples;
    /* histograms: the cumulative bucket counts seen, in order */
    double last_le;
    double last_bucket;
    double inf_bucket;
    bool has_inf, has_sum, has_count;
    double count;
} family;

typedef struct exposition {
    family fams[128];
    size_t n;
} exposition;

static bool valid_name(const char *s, size_t len)
{
    if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_' || s[0] == ':')) {
        return false;
    }
    for (size_t i = 1; i < len; i++) {
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == ':')) {
            return false;
        }
    }
    return true;
}

static family *find_family(exposition *e, const char *name)
{
    for (size_t i = 0; i < e->n; i++) {
        if (strcmp(e->fams[i].name, name) == 0) {
            return &e->fams[i];
        }
    }
    return NULL;
}

/* The family a sample belongs to: its own name, or for a histogram the name without
 * _bucket, _sum or _count. */
static family *family_of(exposition *e, const char *sample, const char **suffix)
{
    *suffix = "";
    family *fam = find_family(e, sample);
    if (fam != NULL) {
        return fam;
    }
    static const char *const parts[] = {"_bucket", "_sum", "_count"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(sample), k = strlen(parts[i]);
        if (n > k && strcmp(sample + n - k, parts[i]) == 0) {
            char base[128];
            snprintf(base, sizeof base, "%.*s", (int)(n - k), sample);
            fam = find_family(e, base);
            if (fam != NULL && strcmp(fam->type, "histogram") == 0) {
                *suffix = parts[i];
                return fam;
            }
        }
    }
    return NULL;
}

static void check_sample(exposition *e, char *line)
{
    char *brace = strchr(line, '{');
    char *space = strchr(line, ' ');
    assert_non_null(space);
    size_t name_len = (size_t)((brace != NULL && brace < space ? brace : space) - line);
    if (!valid_name(line, name_len)) {
        fail_msg("bad metric name in: %s", line);
    }
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)name_len, line);
    double le = NAN;
    if (brace != NULL && brace < space) {
        char *close = strchr(brace, '}');
        assert_non_null(close);
        space = strchr(close, ' ');
        assert_non_null(space);
        char *le_at = strstr(brace, "le=\"");
        if (le_at != NULL && le_at < close) {
            le = strtod(le_at + 4, NULL); /* "+Inf" parses as infinity */
        }
    }
    char *end = NULL;
    double value = strtod(space + 1, &end);
    if (end == space + 1 || *end != '\0') {
        fail_msg("bad value in: %s", line);
    }
    const char *suffix;
    family *fam = family_of(e, name, &suffix);
    if (fam == NULL) {
        fail_msg("sample before its # TYPE line: %s", line);
    }
    fam->samples++;
    if (strcmp(suffix, "_bucket") == 0) {
        assert_false(isnan(le));
        assert_true(le > fam->last_le);
        assert_true(value >= fam->last_bucket);
        fam->last_le = le;
        fam->last_bucket = value;
        if (isinf(le)) {
            fam->has_inf = true;
            fam->inf_bucket = value;
        }
    } else if (strcmp(suffix, "_sum") == 0) {
        fam->has_sum = true;
    } else if (strcmp(suffix, "_count") == 0) {
        fam->has_count = true;
        fam->count = value;
    }
}

/* Parses @p text line by line and fails the test on anything Prometheus would refuse. */
static void check_exposition(const char *text, exposition *e)
{
    memset(e, 0, sizeof *e);
    char *copy = strdup(text);
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "# HELP ", 7) == 0 || strncmp(line, "# TYPE ", 7) == 0) {
            bool help = line[2] == 'H';
            char *name = line + 7;
            char *sp = strchr(name, ' ');
            assert_non_null(sp);
            *sp = '\0';
            assert_true(valid_name(name, strlen(name)));
            family *fam = find_family(e, name);
            if (fam == NULL) {
                assert_true(e->n < sizeof e->fams / sizeof e->fams[0]);
                fam = &e->fams[e->n++];
                snprintf(fam->name, sizeof fam->name, "%s", name);
                fam->last_le = -INFINITY;
            }
            if (help) {
                fam->has_help = true;
            } else {
                assert_string_equal(fam->type, ""); /* one TYPE line per family */
                snprintf(fam->type, sizeof fam->type, "%s", sp + 1);
                assert_true(strcmp(fam->type, "counter") == 0 || strcmp(fam->type, "gauge") == 0 ||
                            strcmp(fam->type, "histogram") == 0);
            }
        } else if (line[0] != '#') {
            check_sample(e, line);
        }
    }
    free(copy);
    for (size_t i = 0; i < e->n; i++) {
        family *fam = &e->fams[i];
        assert_true(fam->has_help);
        assert_true(fam->samples > 0 || strstr(fam->name, "stream_") != NULL);
        size_t n = strlen(fam->name);
        bool total = n > 6 && strcmp(fam->name + n - 6, "_total") == 0;
        if (strcmp(fam->type, "counter") == 0 && !total) {
            fail_msg("counter %s does not end in _total", fam->name);
        }
        if (strcmp(fam->type, "counter") != 0 && total) {
            fail_msg("%s ends in _total but is a %s", fam->name, fam->type);
        }
        if (strcmp(fam->type, "histogram") == 0) {
            assert_true(fam->has_inf && fam->has_sum && fam->has_count);
            assert_true(fam->count == fam->inf_bucket);
        }
    }
}

static void test_metrics_exposition(void **state)
{
    fixture *f = *state;
    atomic_fetch_add(&f->metrics.events_stored, 7);
    bridge_histogram_observe_ms(&f->metrics.poll_latency, 3);    /* le 0.005 */
    bridge_histogram_observe_ms(&f->metrics.poll_latency, 200);  /* le 0.25 */
    bridge_histogram_observe_ms(&f->metrics.poll_latency, 9999); /* le 10 */
    bridge_histogram_observe_ms(&f->metrics.ingest_lag, 500000); /* +Inf only */
    bridge_stream_gauges *g = bridge_metrics_stream_add(&f->metrics, "product:\"odd\"\\");
    assert_non_null(g);
    bridge_metrics_stream_set(&f->metrics, g, true);
    atomic_store(&g->last_event_ms, pu_time_now_ms() - 2000);

    http_reply r = get(f, "/metrics");
    assert_int_equal(r.status, 200);
    exposition e;
    check_exposition(r.body, &e);
    assert_non_null(find_family(&e, "particle_bridge_events_stored_total"));
    assert_non_null(find_family(&e, "particle_bridge_build_info"));
    assert_non_null(strstr(r.body, "particle_bridge_events_stored_total 7\n"));
    assert_non_null(strstr(r.body, "particle_bridge_build_info{version=\""));
    assert_non_null(
        strstr(r.body, "particle_bridge_poll_latency_seconds_bucket{le=\"0.001\"} 0\n"));
    assert_non_null(
        strstr(r.body, "particle_bridge_poll_latency_seconds_bucket{le=\"0.005\"} 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_poll_latency_seconds_bucket{le=\"0.25\"} 2\n"));
    assert_non_null(strstr(r.body, "particle_bridge_poll_latency_seconds_bucket{le=\"10\"} 3\n"));
    assert_non_null(strstr(r.body, "particle_bridge_poll_latency_seconds_sum 10.202\n"));
    assert_non_null(strstr(r.body, "particle_bridge_poll_latency_seconds_count 3\n"));
    assert_non_null(strstr(r.body, "particle_bridge_ingest_lag_seconds_bucket{le=\"300\"} 0\n"));
    assert_non_null(strstr(r.body, "particle_bridge_ingest_lag_seconds_bucket{le=\"+Inf\"} 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_stream_connected 1\n"));
    assert_non_null(
        strstr(r.body, "particle_bridge_stream_up{stream=\"product:\\\"odd\\\"\\\\\"} 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_stream_last_event_age_seconds{stream="));
    assert_non_null(strstr(r.body, "particle_bridge_devices 0\n"));
    http_reply_dispose(&r);
}

/* The fleet sync's counters and histogram, after one completed run and one failed run. */
static void test_fleet_sync_metrics(void **state)
{
    fixture *f = *state;
    bridge_fleet_result done = {
        .products = 3, .refused = 2, .skipped = 1, .elapsed_ms = 40, .ran = true};
    bridge_fleet_result failed = {.failed = 1, .elapsed_ms = 7000, .ran = true};
    bridge_metrics_fleet_observe(&f->metrics, &done, true);
    bridge_metrics_fleet_observe(&f->metrics, &failed, false);

    http_reply r = get(f, "/metrics");
    assert_int_equal(r.status, 200);
    exposition e;
    check_exposition(r.body, &e);
    assert_non_null(find_family(&e, "particle_bridge_fleet_sync_seconds"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_syncs_total 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_sync_failures_total 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_listings_refused_total 2\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_listings_failed_total 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_listings_deferred_total 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_sync_seconds_bucket{le=\"0.025\"} 0\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_sync_seconds_bucket{le=\"0.05\"} 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_sync_seconds_bucket{le=\"5\"} 1\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_sync_seconds_bucket{le=\"10\"} 2\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_sync_seconds_sum 7.040\n"));
    assert_non_null(strstr(r.body, "particle_bridge_fleet_sync_seconds_count 2\n"));
    http_reply_dispose(&r);
}

/* The reply's status, ok flag and the named check's ok flag. */
static void expect_ready(fixture *f, const char *path, long status, const char *check, bool ok,
                         const char *detail_part)
{
    http_reply r = get(f, path);
    if (r.status != status) {
        fail_msg("%s: expected %ld, got %ld: %s", path, status, r.status, r.body);
    }
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    assert_true(json_is_true(json_object_get(j, "ok")) == (status == 200));
    json_t *c = json_object_get(json_object_get(j, "checks"), check);
    assert_non_null(c);
    assert_true(json_is_true(json_object_get(c, "ok")) == ok);
    const char *detail = json_string_value(json_object_get(c, "detail"));
    if (detail == NULL || strstr(detail, detail_part) == NULL) {
        fail_msg("%s: %s detail \"%s\" lacks \"%s\"", path, check, detail ? detail : "",
                 detail_part);
    }
    json_decref(j);
    http_reply_dispose(&r);
}

static void test_livez_answers(void **state)
{
    fixture *f = *state;
    atomic_store(&f->metrics.writer_stalled, 1); /* not ready, but alive */
    http_reply r = get(f, "/livez");
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_true(json_is_true(json_object_get(j, "ok")));
    assert_true(json_is_integer(json_object_get(j, "uptime_seconds")));
    json_decref(j);
    http_reply_dispose(&r);
}

static void test_ready_when_all_fine(void **state)
{
    fixture *f = *state;
    expect_ready(f, "/readyz", 200, "store", true, "the database answers");
    expect_ready(f, "/readyz", 200, "streams", true, "no event streams configured");
    expect_ready(f, "/readyz", 200, "sync", true, "within two intervals");
    expect_ready(f, "/healthz", 200, "store", true, "the database answers");
}

static void test_not_ready_while_writer_stalled(void **state)
{
    fixture *f = *state;
    atomic_store(&f->metrics.write_retries, 4);
    atomic_store(&f->metrics.writer_stalled, 1);
    expect_ready(f, "/readyz", 503, "store", false, "waits to be retried (4 retries so far)");
    expect_ready(f, "/healthz", 503, "store", false, "waits to be retried");
    atomic_store(&f->metrics.writer_stalled, 0);
    expect_ready(f, "/readyz", 200, "store", true, "the database answers");
}

static void test_not_ready_while_a_stream_is_down(void **state)
{
    fixture *f = *state;
    bridge_stream_gauges *user = bridge_metrics_stream_add(&f->metrics, "user");
    bridge_stream_gauges *product = bridge_metrics_stream_add(&f->metrics, "product:1");
    bridge_metrics_stream_set(&f->metrics, user, true);
    expect_ready(f, "/readyz", 503, "streams", false, "1 of 2 event streams connected");
    assert_true(bridge_metrics_stream_set(&f->metrics, product, true));
    assert_false(bridge_metrics_stream_set(&f->metrics, product, true)); /* no change */
    expect_ready(f, "/readyz", 200, "streams", true, "2 of 2 event streams connected");
    assert_int_equal(atomic_load(&f->metrics.stream_connected), 2);
    bridge_metrics_stream_set(&f->metrics, user, false);
    assert_int_equal(atomic_load(&f->metrics.stream_connected), 1);
    expect_ready(f, "/readyz", 503, "streams", false, "1 of 2 event streams connected");
}

static void test_not_ready_when_sync_is_stale(void **state)
{
    fixture *f = *state;
    atomic_store(&f->metrics.last_sync_ms, pu_time_now_ms() - 121000); /* interval 60 s */
    expect_ready(f, "/readyz", 503, "sync", false, "older than two intervals, 120 s");
    atomic_store(&f->metrics.last_sync_ms, 0);
    expect_ready(f, "/readyz", 503, "sync", false, "no device sync has succeeded yet");
    atomic_store(&f->metrics.last_sync_ms, pu_time_now_ms() - 119000);
    expect_ready(f, "/readyz", 200, "sync", true, "within two intervals");
}

/* Without the key the health and metrics routes answer 401, unless open_health. */
static void test_key_needed_unless_open(void **state)
{
    fixture *f = *state;
    const char *paths[] = {"/livez", "/readyz", "/healthz", "/metrics"};
    for (size_t i = 0; i < 4; i++) {
        char url[256];
        http_call call = {.url = http_url(url, sizeof url, f->port, paths[i])};
        http_reply r;
        assert_int_equal(http_perform(&call, &r), 0);
        assert_int_equal(r.status, 401);
        http_reply_dispose(&r);
    }
    httpd_server_free(f->srv);
    f->api.open_health = true;
    f->srv = bt_api_serve(&f->api, &f->port);
    for (size_t i = 0; i < 4; i++) {
        char url[256];
        http_call call = {.url = http_url(url, sizeof url, f->port, paths[i])};
        http_reply r;
        assert_int_equal(http_perform(&call, &r), 0);
        assert_int_equal(r.status, 200);
        http_reply_dispose(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_metrics_exposition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fleet_sync_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_livez_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_needed_unless_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ready_when_all_fine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_ready_while_writer_stalled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_ready_while_a_stream_is_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_ready_when_sync_is_stale, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
