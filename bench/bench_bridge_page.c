/*
 * bridge_page_ms: what one page of GET /api/v1/measurements costs at the start and at the
 * end of a 100,000-row readings table (BENCH_PAGE_ROWS overrides), pages of 1,000 rows.
 *
 * The rows go into a SQLite file in a temp dir; the API serves it on loopback port 0 in this
 * process. The walk follows every page's `next` cursor to the last page; then the first and
 * the last page are each fetched BENCH_PAGE_REPEAT times (default 20) and the median of each
 * is printed: `BENCH bridge_page_ms_first` and `BENCH bridge_page_ms_last`. With keyset
 * paging both cost the same; an OFFSET scan would make the last one grow with the table.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "pu_buf.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "store/store.h"

#define KEY "bench-api-key-0123456789"
#define PAGE "1000"

static size_t collect(char *p, size_t size, size_t n, void *user)
{
    pu_buf_append(user, p, size * n);
    return size * n;
}

/* GETs @p path; the body's "next" (malloc'd, NULL on the last page) and the time taken. */
static char *fetch(CURL *curl, unsigned short port, const char *path, double *ms)
{
    char url[2048];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path);
    pu_buf body;
    pu_buf_xinit(&body);
    struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer " KEY);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    int64_t t0 = pu_time_mono_ms();
    CURLcode rc = curl_easy_perform(curl);
    *ms = (double)(pu_time_mono_ms() - t0);
    curl_slist_free_all(h);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "GET %s: %s %ld\n", path, curl_easy_strerror(rc), status);
        exit(1);
    }
    json_t *page = json_loadb(pu_buf_str(&body), body.len, 0, NULL);
    pu_buf_dispose(&body);
    const char *next = json_string_value(json_object_get(page, "next"));
    char *out = next != NULL ? strdup(next) : NULL;
    json_decref(page);
    return out;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_ms(CURL *curl, unsigned short port, const char *path, int64_t repeat)
{
    double *t = calloc((size_t)repeat, sizeof *t);
    for (int64_t i = 0; i < repeat; i++) {
        free(fetch(curl, port, path, &t[i]));
    }
    qsort(t, (size_t)repeat, sizeof *t, by_value);
    double m = t[repeat / 2];
    free(t);
    return m;
}

int main(void)
{
    int64_t rows = 100000, repeat = 20;
    const char *env_rows = getenv("BENCH_PAGE_ROWS"), *env_repeat = getenv("BENCH_PAGE_REPEAT");
    if ((env_rows != NULL && pu_parse_int64(env_rows, 1, 100000000, &rows) != 0) ||
        (env_repeat != NULL && pu_parse_int64(env_repeat, 1, 10000, &repeat) != 0)) {
        fprintf(stderr, "BENCH_PAGE_ROWS and BENCH_PAGE_REPEAT take whole numbers\n");
        return 1;
    }
    char dir[] = "/tmp/bench-page-XXXXXX", db[64], err[256];
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    snprintf(db, sizeof db, "%s/page.db", dir);
    bridge_store *st = bridge_store_open_sqlite(db, err, sizeof err);
    if (st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    static const char *const names[] = {"temp", "hum", "co2"};
    bridge_measurement *ms = calloc((size_t)rows, sizeof *ms);
    for (int64_t i = 0; i < rows; i++) {
        ms[i] = (bridge_measurement){"bench-device", names[i % 3], (double)i, 1700000000000 + i / 3,
                                     "poll"};
    }
    bridge_record rec = {
        .kind = BRIDGE_RECORD_READING, .measurements = ms, .measurement_count = (size_t)rows};
    if (bridge_store_write_batch(st, &rec, 1, NULL) != 0) {
        fprintf(stderr, "insert: %s\n", bridge_store_errmsg(st));
        return 1;
    }
    free(ms);
    bridge_metrics metrics = {0};
    bridge_api api = {.store = st, .metrics = &metrics, .api_key = KEY};
    httpd_options opts = {
        .port = 0, .threads = 2, .before = bridge_api_before, .before_payload = &api};
    httpd_server *srv = httpd_server_new(&opts);
    if (srv == NULL || bridge_api_register(srv, &api) != 0 ||
        httpd_server_start(srv, err, sizeof err) != 0) {
        fprintf(stderr, "serve: %s\n", err);
        return 1;
    }
    unsigned short port = httpd_server_port(srv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    const char *first = "/api/v1/measurements?limit=" PAGE;
    char *last = strdup(first), *next;
    double ms_one;
    int pages = 1;
    while ((next = fetch(curl, port, last, &ms_one)) != NULL) {
        free(last);
        last = next;
        pages++;
    }
    printf("BENCH bridge_page_ms_first %.1f ms\n", median_ms(curl, port, first, repeat));
    printf("BENCH bridge_page_ms_last %.1f ms\n", median_ms(curl, port, last, repeat));
    printf("BENCH bridge_page_count %d pages\n", pages);
    free(last);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    httpd_server_free(srv);
    bridge_store_close(st);
    unlink(db);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", db);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", db);
    unlink(wal);
    rmdir(dir);
    return 0;
}
