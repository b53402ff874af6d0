/*
 * bench_sse: throughput of util/pu_sse on a Particle-shaped stream.
 *
 * Builds ~64 MiB of 200-byte events as the Particle cloud frames them ("event: <name>\n",
 * "data: {data,ttl,published_at,coreid}\n", blank line), feeds it through one parser in
 * 16 KiB chunks (the size libcurl hands its write callback), and compares with a bare
 * memchr scan for '\n' over the same buffer: the ceiling for any line-based parser.
 * Prints the median of RUNS runs of each, in MB/s (10^6 bytes per second):
 *   BENCH sse_parse_MBps <x> MB/s
 *   BENCH memchr_MBps <x> MB/s
 *   BENCH sse_parse_vs_memchr_ratio <x> ratio
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pu_sse.h"

#define EVENT_BYTES 200u
#define BUFFER_BYTES ((size_t)64 * 1024 * 1024)
#define CHUNK_BYTES ((size_t)16 * 1024)
#define RUNS 7

typedef struct tally {
    size_t events;
    size_t data_bytes;
} tally;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes one event of exactly EVENT_BYTES bytes at @p out; the published data value is
 * padded so that every event has the same size whatever its name and number. */
static void write_event(char *out, size_t seq)
{
    static const char *const names[] = {"temperature", "spark/status", "humidity", "motion"};
    const char *name = names[seq % (sizeof(names) / sizeof(names[0]))];
    char head[EVENT_BYTES + 1];
    char value[EVENT_BYTES];
    int head_len = snprintf(head, sizeof(head), "event: %s\ndata: {\"data\":\"%zu", name, seq);
    static const char tail[] = "\",\"ttl\":60,\"published_at\":\"2024-01-01T00:00:00.000Z\","
                               "\"coreid\":\"0123456789abcdef01234567\"}\n\n";
    size_t fixed = (size_t)head_len + sizeof(tail) - 1;
    if (head_len < 0 || fixed > EVENT_BYTES) {
        abort();
    }
    size_t pad = EVENT_BYTES - fixed;
    memset(value, 'x', pad);
    memcpy(out, head, (size_t)head_len);
    memcpy(out + head_len, value, pad);
    memcpy(out + head_len + pad, tail, sizeof(tail) - 1);
}

static int count_event(const pu_sse_event *ev, void *payload)
{
    tally *t = payload;
    t->events++;
    t->data_bytes += ev->data_len;
    return 0;
}

static double parse_once(const char *buf, size_t len, tally *t)
{
    memset(t, 0, sizeof(*t));
    pu_sse_parser *p = pu_sse_parser_new(0, 0, count_event, NULL, t);
    if (p == NULL) {
        abort();
    }
    double start = now_s();
    for (size_t off = 0; off < len; off += CHUNK_BYTES) {
        size_t n = len - off < CHUNK_BYTES ? len - off : CHUNK_BYTES;
        if (pu_sse_feed(p, buf + off, n) != PU_SSE_OK) {
            abort();
        }
    }
    double elapsed = now_s() - start;
    pu_sse_parser_free(p);
    return elapsed;
}

static double memchr_once(const char *buf, size_t len, size_t *lines)
{
    const char *cur = buf;
    const char *end = buf + len;
    size_t n = 0;
    double start = now_s();
    while ((cur = memchr(cur, '\n', (size_t)(end - cur))) != NULL) {
        n++;
        cur++;
    }
    double elapsed = now_s() - start;
    *lines = n;
    return elapsed;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), compare_double);
    return v[n / 2];
}

int main(void)
{
    size_t nevents = BUFFER_BYTES / EVENT_BYTES;
    size_t len = nevents * EVENT_BYTES;
    char *buf = malloc(len);
    if (buf == NULL) {
        fprintf(stderr, "bench_sse: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < nevents; i++) {
        write_event(buf + i * EVENT_BYTES, i);
    }

    double parse_mbps[RUNS];
    double memchr_mbps[RUNS];
    for (int r = 0; r < RUNS; r++) {
        tally t;
        size_t lines;
        parse_mbps[r] = (double)len / parse_once(buf, len, &t) / 1e6;
        memchr_mbps[r] = (double)len / memchr_once(buf, len, &lines) / 1e6;
        /* A parser that skipped work would be fast and wrong: check what it saw. */
        if (t.events != nevents || lines != 3 * nevents) {
            fprintf(stderr, "bench_sse: saw %zu events and %zu lines, expected %zu and %zu\n",
                    t.events, lines, nevents, 3 * nevents);
            free(buf);
            return 1;
        }
    }
    double parse_median = median(parse_mbps, RUNS);
    double memchr_median = median(memchr_mbps, RUNS);
    printf("BENCH sse_parse_MBps %.1f MB/s\n", parse_median);
    printf("BENCH memchr_MBps %.1f MB/s\n", memchr_median);
    printf("BENCH sse_parse_vs_memchr_ratio %.3f ratio\n", parse_median / memchr_median);
    free(buf);
    return 0;
}
