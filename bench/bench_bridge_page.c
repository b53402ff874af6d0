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
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_bench_api.h"

#define PAGE "1000"

/* GETs @p path; the body's "next" (malloc'd, NULL on the last page) and the time taken. */
static char *fetch(bridge_bench_server *b, const char *path, double *ms)
{
    json_t *page = bridge_bench_get(b, path, ms, NULL);
    const char *next = json_string_value(json_object_get(page, "next"));
    char *out = next != NULL ? strdup(next) : NULL;
    json_decref(page);
    return out;
}

static double median_ms(bridge_bench_server *b, const char *path, int64_t repeat)
{
    double *t = calloc((size_t)repeat, sizeof *t);
    for (int64_t i = 0; i < repeat; i++) {
        free(fetch(b, path, &t[i]));
    }
    double m = bridge_bench_median(t, repeat);
    free(t);
    return m;
}

int main(void)
{
    int64_t rows = 100000, repeat = 20;
    bridge_bench_counts("BENCH_PAGE_ROWS", &rows, "BENCH_PAGE_REPEAT", &repeat);
    bridge_bench_db db;
    bridge_store *st = bridge_bench_store(&db, "page", NULL);
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
    bridge_bench_server b = {0};
    bridge_bench_serve(&b, st);
    const char *first = "/api/v1/measurements?limit=" PAGE;
    char *last = strdup(first), *next;
    double ms_one;
    int pages = 1;
    while ((next = fetch(&b, last, &ms_one)) != NULL) {
        free(last);
        last = next;
        pages++;
    }
    printf("BENCH bridge_page_ms_first %.1f ms\n", median_ms(&b, first, repeat));
    printf("BENCH bridge_page_ms_last %.1f ms\n", median_ms(&b, last, repeat));
    printf("BENCH bridge_page_count %d pages\n", pages);
    free(last);
    bridge_bench_stop(&b);
    bridge_bench_db_remove(&db);
    return 0;
}
