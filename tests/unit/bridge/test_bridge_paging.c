/*
 * The API's list routes over HTTP: keyset paging (a 100,000-row walk while another
 * connection keeps inserting), the filters and sort orders of devices, events and
 * connectivity, a bad-input sweep over every declared route (unknown, duplicated, negative,
 * huge and malformed parameters: 400 bad_parameter JSON, never 5xx), and the OpenAPI
 * document against the server's own route table. On an SQLite file, or, when
 * BRIDGE_TEST_PG names a PostgreSQL server (ctest case unit/bridge/test_bridge_paging_pg),
 * on a fresh PostgreSQL database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

#include "api/catalog.h"
#include "api/cursor.h"
#include "api/openapi.h"
#include "bridge_api_test.h"
#include "bridge_test.h"
#include "http_client.h"
#include "ingest/writer.h"
#include "pg_scratch.h"
#include "pu_str.h"
#include "pu_time.h"

#define KEY "test-api-key-0123456789"
#define SECRET "webhook-secret-0123456789"
#define WALK_ROWS 100000
#define WALK_T0 INT64_C(1700000000000)

typedef struct fixture {
    char dir[512];
    char db[600];
    char pg_name[64];
    bridge_store *st;
    bridge_writer *writer;
    bridge_metrics metrics;
    bridge_api api;
    httpd_server *srv;
    unsigned short port;
} fixture;

static http_reply get(fixture *f, const char *path)
{
    char url[2048];
    http_headers h;
    http_call call = {.method = "GET",
                      .url = http_url(url, sizeof url, f->port, path),
                      .headers = http_headers_bearer(&h, KEY, "application/json", NULL)};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    return r;
}

/* GET @p path: 200 and its page; *next_out gets a copy of "next" (NULL on the last page). */
static json_t *get_page(fixture *f, const char *path, char **next_out)
{
    http_reply r = get(f, path);
    if (r.status != 200) {
        fail_msg("GET %s: %ld %s", path, r.status, r.body);
    }
    json_t *page = http_reply_json(&r);
    assert_non_null(page);
    json_t *next = json_object_get(page, "next");
    char *link = http_reply_header(&r, "Link");
    if (json_is_string(next)) {
        /* the Link header carries the same URL */
        char expect[2048];
        snprintf(expect, sizeof expect, "<%s>; rel=\"next\"", json_string_value(next));
        assert_non_null(link);
        assert_string_equal(link, expect);
        *next_out = strdup(json_string_value(next));
    } else {
        assert_true(json_is_null(next));
        assert_null(link);
        *next_out = NULL;
    }
    free(link);
    http_reply_dispose(&r);
    json_t *items = json_incref(json_object_get(page, "items"));
    json_decref(page);
    assert_true(json_is_array(items));
    return items;
}

/* The values of @p field over every page of @p path, joined by ','. */
static char *walk(fixture *f, const char *path, const char *field)
{
    char *text = calloc(1, 1);
    char *next = strdup(path);
    while (next != NULL) {
        char *here = next;
        json_t *items = get_page(f, here, &next);
        free(here);
        size_t i;
        json_t *row;
        json_array_foreach(items, i, row)
        {
            json_t *v = json_object_get(row, field);
            char one[160];
            if (json_is_string(v)) {
                snprintf(one, sizeof one, "%s", json_string_value(v));
            } else {
                snprintf(one, sizeof one, "%s", json_is_true(v) ? "true" : "false");
            }
            size_t len = strlen(text);
            text = realloc(text, len + strlen(one) + 2);
            snprintf(text + len, strlen(one) + 2, "%s%s", len > 0 ? "," : "", one);
        }
        json_decref(items);
    }
    return text;
}

static void expect_walk(fixture *f, const char *path, const char *field, const char *expected)
{
    char *got = walk(f, path, field);
    if (strcmp(got, expected) != 0) {
        fail_msg("GET %s: %s is \"%s\", expected \"%s\"", path, field, got, expected);
    }
    free(got);
}

static void sync_device(bridge_writer *w, const char *id, const char *name, int product,
                        bool connected, int64_t heard, const char *const *groups, size_t ngroups)
{
    static const bridge_device_defaults df = {.check_interval_ms = 60000, .enabled = true};
    char err[256] = "";
    bridge_cloud_device cd = {.particle_id = id,
                              .name = name,
                              .product_id = product,
                              .platform_id = product == 6 ? 6 : 13,
                              .connected = connected,
                              .last_heard_ms = heard,
                              .groups = groups,
                              .group_count = ngroups,
                              .has_groups = groups != NULL};
    if (bridge_writer_device_sync(w, &cd, &df, 1000, NULL, err, sizeof err) != 0) {
        fail_msg("device sync: %s", err);
    }
}

static void seed(fixture *f)
{
    char err[256] = "";
    bridge_product products[] = {{.product_id = 1001, .slug = "env-sensors", .name = "Env"}};
    assert_int_equal(bridge_writer_products_replace(f->writer, NULL, products, 1, err, sizeof err),
                     0);
    bridge_group groups[] = {{.product_id = 1001, .name = "europe"}};
    assert_int_equal(bridge_writer_groups_replace(f->writer, 1001, groups, 1, err, sizeof err), 0);
    const char *europe[] = {"europe"};
    sync_device(f->writer, "dev1", "kitchen", 1001, true, 3000, europe, 1);
    sync_device(f->writer, "dev2", "cellar", 1001, false, 1000, europe, 1);
    sync_device(f->writer, "dev3", "attic", 1001, true, 2000, NULL, 0);
    sync_device(f->writer, "dev9", "kiosk", 6, true, 500, NULL, 0);
    size_t marked = 0;
    assert_int_equal(
        bridge_writer_devices_mark_gone(f->writer, 6, NULL, 2000, &marked, err, sizeof err), 0);
    assert_int_equal(marked, 1);
    bridge_breaker_state open = {.fault_count = 3, .faulted = true, .reset_at_ms = 9000};
    assert_int_equal(bridge_writer_device_set_breaker(f->writer, "dev3", &open, err, sizeof err),
                     0);
    /* events, with the online/offline history they imply */
    struct {
        const char *dev, *name;
        int64_t at;
        int online;
    } ev[] = {{"dev1", "spark/status", 100, 1}, {"dev1", "temp", 200, -1},
              {"dev2", "spark/status", 300, 1}, {"dev1", "temp/inside", 400, -1},
              {"dev2", "spark/status", 500, 0}, {"dev1", "spark/status", 600, 0}};
    bridge_record rec[6];
    for (size_t i = 0; i < 6; i++) {
        rec[i] = (bridge_record){.kind = BRIDGE_RECORD_EVENT,
                                 .device_id = ev[i].dev,
                                 .event_name = ev[i].name,
                                 .event_data = ev[i].online == 0 ? "offline" : "online",
                                 .published_at_ms = ev[i].at,
                                 .source = "sse",
                                 .received_at_ms = ev[i].at + 1,
                                 .online = ev[i].online};
    }
    assert_int_equal(bridge_store_write_batch(f->st, rec, 6, NULL), 0);
    assert_int_equal(bridge_writer_flush(f->writer, 10000), 0);
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
        bt_path(f->db, sizeof f->db, f->dir, "paging.db");
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
    f->api = (bridge_api){.store = f->st,
                          .writer = f->writer,
                          .metrics = &f->metrics,
                          .api_key = KEY,
                          .webhook_secret = SECRET};
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

/* ---- the 100,000-row walk ---- */

typedef struct inserter {
    const char *db;
    atomic_bool stop;
    atomic_int batches;
    char err[256];
} inserter;

/* Keeps inserting rows of name "zz-new" among the walked times (a second connection, as the
 * bridge's writer is) until told to stop. */
static void *insert_loop(void *arg)
{
    inserter *in = arg;
    bridge_store *st = bridge_store_open(in->db, in->err, sizeof in->err);
    if (st == NULL) {
        return NULL;
    }
    uint64_t rng = 42;
    int64_t n = 0;
    while (!atomic_load(&in->stop)) {
        bridge_measurement ms[50];
        for (int i = 0; i < 50; i++, n++) {
            int64_t at = WALK_T0 + (int64_t)(pu_rand_next(&rng) % (WALK_ROWS / 3 + 10));
            ms[i] = (bridge_measurement){"walk", "zz-new", (double)n, at, "poll"};
        }
        bridge_record r = {
            .kind = BRIDGE_RECORD_READING, .measurements = ms, .measurement_count = 50};
        if (bridge_store_write_batch(st, &r, 1, NULL) != 0) {
            snprintf(in->err, sizeof in->err, "%s", bridge_store_errmsg(st));
            break;
        }
        atomic_fetch_add(&in->batches, 1);
        pu_time_sleep_ms(10);
    }
    bridge_store_close(st);
    return NULL;
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void test_walk_while_writing(void **state)
{
    fixture *f = *state;
    /* three rows (three names) per millisecond, so the walk also relies on the id breaking
     * ties */
    static const char *const names[] = {"n0", "n1", "n2"};
    bridge_measurement *ms = calloc(WALK_ROWS, sizeof *ms);
    assert_non_null(ms);
    for (int i = 0; i < WALK_ROWS; i++) {
        ms[i] = (bridge_measurement){"walk", names[i % 3], (double)i, WALK_T0 + i / 3, "poll"};
    }
    bridge_record r = {
        .kind = BRIDGE_RECORD_READING, .measurements = ms, .measurement_count = WALK_ROWS};
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0);
    free(ms);

    int64_t started = pu_time_mono_ms();
    inserter in = {.db = f->db};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, insert_loop, &in), 0);
    unsigned char *seen = calloc(WALK_ROWS, 1);
    size_t news_cap = 1u << 16, news = 0;
    int64_t *new_values = calloc(news_cap, sizeof *new_values);
    char *next = strdup("/api/v1/measurements?device=walk&limit=5000");
    int pages = 0;
    char last_date[64] = "";
    while (next != NULL) {
        char *here = next;
        json_t *items = get_page(f, here, &next);
        free(here);
        pages++;
        size_t i;
        json_t *row;
        json_array_foreach(items, i, row)
        {
            const char *name = json_string_value(json_object_get(row, "Name"));
            const char *date = json_string_value(json_object_get(row, "Date"));
            int64_t v = (int64_t)json_number_value(json_object_get(row, "Value"));
            assert_true(strcmp(date, last_date) >= 0); /* oldest first, across pages too */
            snprintf(last_date, sizeof last_date, "%s", date);
            if (strcmp(name, "zz-new") != 0) {
                assert_true(v >= 0 && v < WALK_ROWS);
                seen[v]++;
            } else {
                if (news == news_cap) {
                    news_cap *= 2;
                    new_values = realloc(new_values, news_cap * sizeof *new_values);
                }
                new_values[news++] = v;
            }
        }
        json_decref(items);
    }
    atomic_store(&in.stop, true);
    pthread_join(t, NULL);
    assert_string_equal(in.err, "");
    assert_true(atomic_load(&in.batches) > 0);
    for (int i = 0; i < WALK_ROWS; i++) {
        if (seen[i] != 1) {
            fail_msg("row %d came %d times", i, seen[i]);
        }
    }
    /* rows written during the walk may or may not be met, but never twice */
    qsort(new_values, news, sizeof *new_values, compare_int64);
    for (size_t i = 1; i < news; i++) {
        assert_true(new_values[i - 1] != new_values[i]);
    }
    assert_true(pages >= WALK_ROWS / 5000);
    print_message("walked %d pages in %lld ms: %d rows, %zu of the %d rows written meanwhile\n",
                  pages, (long long)(pu_time_mono_ms() - started), WALK_ROWS, news,
                  atomic_load(&in.batches) * 50);
    free(seen);
    free(new_values);
}

/* ---- filters and sort orders ---- */

static void test_device_filters(void **state)
{
    fixture *f = *state;
    expect_walk(f, "/api/v1/devices?limit=1", "ParticleDeviceId", "dev3,dev2,dev9,dev1");
    expect_walk(f, "/api/v1/devices?product=1001&limit=2", "Name", "attic,cellar,kitchen");
    expect_walk(f, "/api/v1/devices?product=env-sensors", "Name", "attic,cellar,kitchen");
    expect_walk(f, "/api/v1/devices?group=europe&limit=1", "Name", "cellar,kitchen");
    /* the last spark/status events took dev1 (kitchen) and dev2 (cellar) offline */
    expect_walk(f, "/api/v1/devices?connected=false", "Name", "cellar,kitchen");
    expect_walk(f, "/api/v1/devices?connected=true&gone=false", "Name", "attic");
    expect_walk(f, "/api/v1/devices?faulted=true", "Name", "attic");
    expect_walk(f, "/api/v1/devices?gone=true", "Name", "kiosk");
    expect_walk(f, "/api/v1/devices?platform=6", "Name", "kiosk");
    expect_walk(f, "/api/v1/devices?name_prefix=ki", "Name", "kiosk,kitchen");
    expect_walk(f, "/api/v1/devices?sort=last_heard&limit=1", "Name", "kitchen,attic,cellar,kiosk");
    expect_walk(f, "/api/v1/devices?product=nope", "Name", "");
}

static void test_event_filters(void **state)
{
    fixture *f = *state;
    expect_walk(f, "/api/v1/events?limit=4", "Name",
                "spark/status,temp,spark/status,temp/inside,spark/status,spark/status");
    expect_walk(f, "/api/v1/events?device=dev1&name_prefix=temp&limit=1", "PublishedAt",
                "1970-01-01T00:00:00.200Z,1970-01-01T00:00:00.400Z");
    expect_walk(f, "/api/v1/events?from=300&to=1970-01-01T00:00:00.500Z&sort=-time&limit=2",
                "DeviceId", "dev2,dev1,dev2");
    expect_walk(f, "/api/v1/connectivity?limit=1", "Online", "true,true,false,false");
    expect_walk(f, "/api/v1/connectivity?device=dev2&sort=-time", "Date",
                "1970-01-01T00:00:00.500Z,1970-01-01T00:00:00.300Z");
    expect_walk(f, "/api/v1/connectivity?from=200&to=550", "DeviceId", "dev2,dev2");
    expect_walk(f, "/api/v1/status-posts?kind=online&limit=1", "DeviceId", "");
    /* CSV: the page without a body field, the next page in the Link header only */
    char url[256];
    http_headers h;
    http_call call = {.method = "GET",
                      .url = http_url(url, sizeof url, f->port, "/api/v1/events?limit=5"),
                      .headers = http_headers_bearer(&h, KEY, "text/csv", NULL)};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id,device_id,name,data,published_at,source,received_at\r\n"));
    char *link = http_reply_header(&r, "Link");
    assert_non_null(link);
    assert_non_null(strstr(link, "/api/v1/events?limit=5&cursor="));
    free(link);
    http_reply_dispose(&r);
}

/* ---- the dashboard's fleet summary ---- */

/* How many devices GET /api/v1/devices?<query> pages to, over every page. */
static size_t device_count(fixture *f, const char *query)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/devices?limit=1%s%s", query[0] ? "&" : "", query);
    char *ids = walk(f, path, "ParticleDeviceId");
    size_t n = ids[0] != '\0';
    for (const char *c = ids; *c != '\0'; c++) {
        n += *c == ',';
    }
    free(ids);
    return n;
}

static void expect_counts(fixture *f, json_t *counts, const char *product)
{
    static const struct {
        const char *field, *filter;
    } rules[] = {{"online", "connected=true&gone=false"},
                 {"offline", "connected=false&gone=false"},
                 {"faulted", "faulted=true"},
                 {"gone", "gone=true"},
                 {"total", ""}};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        char query[128];
        snprintf(query, sizeof query, "%s%s%s%s", product != NULL ? "product=" : "",
                 product != NULL ? product : "", product != NULL && rules[i].filter[0] ? "&" : "",
                 rules[i].filter);
        size_t listed = device_count(f, query);
        json_int_t counted = json_integer_value(json_object_get(counts, rules[i].field));
        if ((size_t)counted != listed) {
            fail_msg("fleet %s of %s: %lld, the device list has %zu", rules[i].field,
                     product != NULL ? product : "all", (long long)counted, listed);
        }
    }
}

static void test_fleet_counts_match_device_list(void **state)
{
    fixture *f = *state;
    atomic_store(&f->metrics.last_sync_ms, INT64_C(1700000000000));
    bridge_stream_gauges *g = bridge_metrics_stream_add(&f->metrics, "product:1001");
    assert_non_null(g);
    atomic_store(&g->events, 7);
    http_reply r = get(f, "/api/v1/fleet");
    assert_int_equal(r.status, 200);
    json_t *fleet = http_reply_json(&r);
    http_reply_dispose(&r);
    assert_non_null(fleet);
    json_t *products = json_object_get(fleet, "products");
    assert_int_equal(json_array_size(products), 2);
    json_t *other = json_array_get(products, 0), *env = json_array_get(products, 1); /* by id */
    assert_int_equal(json_integer_value(json_object_get(env, "product_id")), 1001);
    assert_string_equal(json_string_value(json_object_get(env, "name")), "Env");
    assert_string_equal(json_string_value(json_object_get(other, "name")), "product 6");
    /* dev1, dev2 offline; dev3 online and faulted; dev9 (product 6) gone */
    assert_int_equal(json_integer_value(json_object_get(env, "online")), 1);
    assert_int_equal(json_integer_value(json_object_get(env, "offline")), 2);
    assert_int_equal(json_integer_value(json_object_get(other, "gone")), 1);
    expect_counts(f, env, "1001");
    expect_counts(f, other, "6");
    expect_counts(f, json_object_get(fleet, "totals"), NULL);
    assert_string_equal(json_string_value(json_object_get(fleet, "last_sync")),
                        "2023-11-14T22:13:20.000Z");
    json_t *streams = json_object_get(fleet, "streams");
    assert_int_equal(json_array_size(streams), 1);
    json_t *stream = json_array_get(streams, 0);
    assert_string_equal(json_string_value(json_object_get(stream, "name")), "product:1001");
    assert_string_equal(json_string_value(json_object_get(stream, "state")), "connecting");
    assert_true(json_is_null(json_object_get(stream, "last_event_at")));
    assert_int_equal(json_integer_value(json_object_get(stream, "events")), 7);
    json_decref(fleet);
}

/* ---- bad input on every route ---- */

static void expect_bad(fixture *f, const char *method, const char *path, const char *query,
                       const char *parameter)
{
    char target[2048];
    snprintf(target, sizeof target, "%s?%s", path, query);
    char url[2200];
    http_headers h;
    http_call call = {.method = method,
                      .url = http_url(url, sizeof url, f->port, target),
                      .headers = http_headers_bearer(&h, KEY, NULL, NULL)};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    json_t *j = http_reply_json(&r);
    const char *error = json_string_value(json_object_get(j, "error"));
    const char *named = json_string_value(json_object_get(j, "parameter"));
    if (r.status != 400 || error == NULL || strcmp(error, "bad_parameter") != 0 || named == NULL ||
        strcmp(named, parameter) != 0 || !json_is_string(json_object_get(j, "message"))) {
        fail_msg("%s %s: expected 400 bad_parameter on %s, got %ld %s", method, target, parameter,
                 r.status, r.body);
    }
    json_decref(j);
    http_reply_dispose(&r);
}

/* A value its type refuses, one that is too large, and one that is negative (NULL: none). */
static void bad_values(const bridge_param_spec *spec, const char **malformed, const char **huge,
                       const char **negative)
{
    static char long_text[BRIDGE_PARAM_MAX_TEXT + 50];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    *huge = long_text;
    *negative = NULL;
    switch (spec->type) {
    case BRIDGE_PARAM_INT:
        *malformed = "1x";
        *huge = "99999999999999999999";
        *negative = "-1";
        break;
    case BRIDGE_PARAM_BOOL:
        *malformed = "maybe";
        break;
    case BRIDGE_PARAM_TIME:
        *malformed = "2025-02-30T00:00:00Z";
        *huge = "99999999999999999";
        *negative = "-5";
        break;
    case BRIDGE_PARAM_ENUM:
        *malformed = "nonesuch";
        break;
    case BRIDGE_PARAM_STRING:
        *malformed = "";
        break;
    case BRIDGE_PARAM_ID:
        *malformed = "a%2Fb";
        break;
    case BRIDGE_PARAM_CURSOR:
        *malformed = "AAAA";
        break;
    }
}

/* A first value the parameter accepts (for the duplicate). */
static const char *good_value(const bridge_param_spec *spec)
{
    switch (spec->type) {
    case BRIDGE_PARAM_INT:
        return "1";
    case BRIDGE_PARAM_BOOL:
        return "true";
    case BRIDGE_PARAM_TIME:
        return "1000";
    case BRIDGE_PARAM_ENUM:
        return spec->choices[0];
    default:
        return "abc";
    }
}

static void test_bad_input_every_route(void **state)
{
    fixture *f = *state;
    int checked = 0;
    for (int id = 0; id < BRIDGE_ROUTE_COUNT; id++) {
        const bridge_route_doc *doc = bridge_route_doc_get((bridge_route_id)id);
        if (!doc->strict_query) {
            continue;
        }
        /* the path with its parameters filled in */
        char path[256];
        snprintf(path, sizeof path, "%s", doc->path);
        char *colon = strchr(path, ':');
        if (colon != NULL) {
            char rest[256];
            const char *slash = strchr(colon, '/');
            snprintf(rest, sizeof rest, "%s", slash != NULL ? slash : "");
            snprintf(colon, sizeof path - (size_t)(colon - path), "%s%s",
                     id == BRIDGE_ROUTE_REPORT ? "vitals-last" : "dev1", rest);
        }
        expect_bad(f, doc->method, path, "bogus=1", "bogus");
        expect_bad(f, doc->method, path, "Limit=1", "Limit");
        /* a name that is not UTF-8 is named percent-encoded (found by fuzz_bridge_request) */
        expect_bad(f, doc->method, path, "no%A4v_raw=1", "no%A4v_raw");
        checked++;
        for (size_t i = 0; i < doc->param_count; i++) {
            const bridge_param_spec *spec = &doc->params[i];
            char q[1024];
            const char *malformed, *huge, *negative;
            bad_values(spec, &malformed, &huge, &negative);
            snprintf(q, sizeof q, "%s=%s&%s=%s", spec->name, good_value(spec), spec->name,
                     good_value(spec));
            expect_bad(f, doc->method, path, q, spec->name);
            snprintf(q, sizeof q, "%s=%s", spec->name, malformed);
            expect_bad(f, doc->method, path, q, spec->name);
            snprintf(q, sizeof q, "%s=%s", spec->name, huge);
            expect_bad(f, doc->method, path, q, spec->name);
            snprintf(q, sizeof q, "%s=", spec->name);
            expect_bad(f, doc->method, path, q, spec->name);
            if (negative != NULL) {
                snprintf(q, sizeof q, "%s=%s", spec->name, negative);
                expect_bad(f, doc->method, path, q, spec->name);
            }
        }
    }
    assert_int_equal(checked, BRIDGE_ROUTE_COUNT - 1); /* all but the webhook */
    /* cursors: garbage, a damaged one, and one of another list or order */
    char cursor[BRIDGE_CURSOR_SIZE], q[BRIDGE_CURSOR_SIZE + 64];
    bridge_cursor_key key = {.n1 = 5, .n2 = 7};
    assert_true(bridge_cursor_encode("measurements:time", &key, cursor, sizeof cursor));
    snprintf(q, sizeof q, "sort=-time&cursor=%s", cursor);
    expect_bad(f, "GET", "/api/v1/measurements", q, "cursor");
    snprintf(q, sizeof q, "cursor=%s", cursor);
    expect_bad(f, "GET", "/api/v1/events", q, "cursor");
    cursor[3] = cursor[3] == 'A' ? 'B' : 'A';
    snprintf(q, sizeof q, "cursor=%s", cursor);
    expect_bad(f, "GET", "/api/v1/measurements", q, "cursor");
    expect_bad(f, "GET", "/api/v1/measurements", "cursor=%21%21%21", "cursor");
    expect_bad(f, "GET", "/api/v1/devices", "cursor=eyJpZCI6MX0", "cursor");
}

/* ---- downsampled readings (?bucket=) ---- */

#define BUCKET_T0 INT64_C(1699999980000) /* a whole minute since the epoch */

static void seed_series(fixture *f)
{
    bridge_measurement ms[] = {
        {"dev1", "temp", 1.0, BUCKET_T0, "poll"},
        {"dev1", "temp", 3.0, BUCKET_T0 + 10000, "poll"},
        {"dev1", "temp", 2.0, BUCKET_T0 + 59999, "sse"},
        /* nothing in the second minute */
        {"dev1", "temp", 5.5, BUCKET_T0 + 120000, "poll"},
        {"dev1", "humidity", 40.0, BUCKET_T0 + 1000, "poll"}, /* another name */
        {"dev2", "temp", 99.0, BUCKET_T0 + 2000, "poll"},     /* another device */
    };
    bridge_record r = {.kind = BRIDGE_RECORD_READING,
                       .measurements = ms,
                       .measurement_count = sizeof ms / sizeof ms[0]};
    assert_int_equal(bridge_store_write_batch(f->st, &r, 1, NULL), 0);
}

static void expect_bucket(json_t *item, const char *t, double min, double max, double avg,
                          json_int_t count)
{
    assert_string_equal(json_string_value(json_object_get(item, "device_id")), "dev1");
    assert_string_equal(json_string_value(json_object_get(item, "name")), "temp");
    assert_string_equal(json_string_value(json_object_get(item, "t")), t);
    assert_true(json_real_value(json_object_get(item, "min")) == min);
    assert_true(json_real_value(json_object_get(item, "max")) == max);
    assert_true(json_real_value(json_object_get(item, "avg")) == avg);
    assert_int_equal(json_integer_value(json_object_get(item, "count")), count);
}

static void test_measurement_buckets(void **state)
{
    fixture *f = *state;
    seed_series(f);
    char *next = NULL;
    /* open range: from the first to the last reading; the empty minute is left out */
    json_t *items = get_page(f, "/api/v1/measurements?device=dev1&name=temp&bucket=1m", &next);
    assert_null(next);
    assert_int_equal(json_array_size(items), 2);
    expect_bucket(json_array_get(items, 0), "2023-11-14T22:13:00.000Z", 1.0, 3.0, 2.0, 3);
    expect_bucket(json_array_get(items, 1), "2023-11-14T22:15:00.000Z", 5.5, 5.5, 5.5, 1);
    json_decref(items);
    /* one bucket of two hours, then a range and a source that keep one reading each */
    items = get_page(f, "/api/v1/measurements?device=dev1&name=temp&bucket=2h", &next);
    assert_int_equal(json_array_size(items), 1);
    expect_bucket(json_array_get(items, 0), "2023-11-14T22:00:00.000Z", 1.0, 5.5, 2.875, 4);
    json_decref(items);
    items = get_page(f,
                     "/api/v1/measurements?device=dev1&name=temp&bucket=60s&from=1699999990000"
                     "&to=1700000000000",
                     &next);
    assert_int_equal(json_array_size(items), 1);
    expect_bucket(json_array_get(items, 0), "2023-11-14T22:13:00.000Z", 3.0, 3.0, 3.0, 1);
    json_decref(items);
    items = get_page(f, "/api/v1/measurements?device=dev1&name=temp&bucket=1m&source=sse", &next);
    assert_int_equal(json_array_size(items), 1);
    expect_bucket(json_array_get(items, 0), "2023-11-14T22:13:00.000Z", 2.0, 2.0, 2.0, 1);
    json_decref(items);
    items = get_page(f, "/api/v1/measurements?device=dev1&name=nothing&bucket=1m", &next);
    assert_int_equal(json_array_size(items), 0);
    json_decref(items);
    /* CSV */
    char url[256];
    http_headers h;
    http_call call = {.method = "GET",
                      .url = http_url(url, sizeof url, f->port,
                                      "/api/v1/measurements?device=dev1&name=temp&bucket=1m"),
                      .headers = http_headers_bearer(&h, KEY, "text/csv", NULL)};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "device_id,name,t,min,max,avg,count\r\n"
                                "dev1,temp,2023-11-14T22:13:00.000Z,1,3,2,3\r\n"
                                "dev1,temp,2023-11-14T22:15:00.000Z,5.5,5.5,5.5,1\r\n");
    http_reply_dispose(&r);
    /* more than 10,000 buckets: refused whether the range is given or the data's */
    expect_bad(f, "GET", "/api/v1/measurements",
               "device=dev1&name=temp&bucket=1s&from=0&to=10000000", "bucket");
    expect_bad(f, "GET", "/api/v1/measurements", "device=dev1&name=temp&bucket=1s&from=0",
               "bucket");
    items = get_page(f, "/api/v1/measurements?device=dev1&name=temp&bucket=1s&from=0&to=9999999",
                     &next); /* exactly 10,000, none of them with readings */
    assert_int_equal(json_array_size(items), 0);
    json_decref(items);
    expect_bad(f, "GET", "/api/v1/measurements", "name=temp&bucket=1m", "device");
    expect_bad(f, "GET", "/api/v1/measurements", "device=dev1&bucket=1m", "name");
    expect_bad(f, "GET", "/api/v1/measurements", "device=dev1&name=temp&bucket=500ms", "bucket");
    expect_bad(f, "GET", "/api/v1/measurements", "device=dev1&name=temp&bucket=soon", "bucket");
    expect_bad(f, "GET", "/api/v1/measurements", "device=dev1&name=temp&bucket=1m&limit=5",
               "limit");
    expect_bad(f, "GET", "/api/v1/measurements", "device=dev1&name=temp&bucket=1m&sort=-time",
               "sort");
    r = get(f, "/api/v1/measurements?device=dev1&name=temp&bucket=1m&format=senml");
    assert_int_equal(r.status, 406);
    http_reply_dispose(&r);
}

/* ---- OpenAPI against the route table ---- */

typedef struct route_list {
    json_t *doc_paths;
    int registered;
} route_list;

static void check_registered(const char *method, const char *pattern, unsigned int flags,
                             void *payload)
{
    (void)flags;
    route_list *l = payload;
    char path[256], m[16];
    bridge_openapi_path(pattern, path, sizeof path);
    snprintf(m, sizeof m, "%s", method);
    for (char *c = m; *c != '\0'; c++) {
        *c = (char)(*c - 'A' + 'a');
    }
    if (json_object_get(json_object_get(l->doc_paths, path), m) == NULL) {
        fail_msg("%s %s is served but not described", method, pattern);
    }
    l->registered++;
}

static void test_openapi_matches_routes(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/openapi.json");
    assert_int_equal(r.status, 200);
    json_t *doc = http_reply_json(&r);
    http_reply_dispose(&r);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    route_list l = {json_object_get(doc, "paths"), 0};
    httpd_server_route_each(f->srv, check_registered, &l);
    /* every described operation is served: as many as the server registered */
    int described = 0;
    const char *path;
    json_t *item;
    json_object_foreach(l.doc_paths, path, item)
    {
        described += (int)json_object_size(item);
    }
    assert_int_equal(described, l.registered);
    /* a parameter's limits are the parser's */
    json_t *params = json_object_get(
        json_object_get(json_object_get(l.doc_paths, "/api/v1/measurements"), "get"), "parameters");
    size_t i;
    json_t *p;
    bool found = false;
    json_array_foreach(params, i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "name")), "limit") == 0) {
            json_t *schema = json_object_get(p, "schema");
            assert_int_equal(json_integer_value(json_object_get(schema, "maximum")),
                             BRIDGE_PAGE_MAX);
            found = true;
        }
    }
    assert_true(found);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_device_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fleet_counts_match_device_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_every_route, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measurement_buckets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_openapi_matches_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walk_while_writing, setup, teardown),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
