/* What the bridge API benchmarks share (bridge_bench_api.h). */
#include "bridge_bench_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "pu_buf.h"
#include "pu_parse.h"
#include "pu_time.h"

void bridge_bench_counts(const char *rows_var, int64_t *rows, const char *repeat_var,
                         int64_t *repeat)
{
    const char *env_rows = getenv(rows_var), *env_repeat = getenv(repeat_var);
    if ((env_rows != NULL && pu_parse_int64(env_rows, 1, 100000000, rows) != 0) ||
        (env_repeat != NULL && pu_parse_int64(env_repeat, 1, 10000, repeat) != 0)) {
        fprintf(stderr, "%s and %s take whole numbers\n", rows_var, repeat_var);
        exit(1);
    }
}

bridge_store *bridge_bench_store(bridge_bench_db *db, const char *name, const char *uri)
{
    char err[256];
    snprintf(db->dir, sizeof db->dir, "/tmp/bench-%s-XXXXXX", name);
    if (mkdtemp(db->dir) == NULL) {
        fprintf(stderr, "cannot create %s\n", db->dir);
        exit(1);
    }
    snprintf(db->path, sizeof db->path, "%s/%s.db", db->dir, name);
    bridge_store *st = bridge_store_open(uri != NULL ? uri : db->path, err, sizeof err);
    if (st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        exit(1);
    }
    return st;
}

void bridge_bench_db_remove(const bridge_bench_db *db)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char file[sizeof db->path + 8];
        snprintf(file, sizeof file, "%s%s", db->path, suffixes[i]);
        unlink(file);
    }
    rmdir(db->dir);
}

void bridge_bench_serve(bridge_bench_server *b, bridge_store *st)
{
    char err[256] = "";
    b->api = (bridge_api){.store = st, .metrics = &b->metrics, .api_key = BRIDGE_BENCH_KEY};
    httpd_options opts = {
        .port = 0, .threads = 2, .before = bridge_api_before, .before_payload = &b->api};
    b->srv = httpd_server_new(&opts);
    if (b->srv == NULL || bridge_api_register(b->srv, &b->api) != 0 ||
        httpd_server_start(b->srv, err, sizeof err) != 0) {
        fprintf(stderr, "serve: %s\n", err);
        exit(1);
    }
    b->port = httpd_server_port(b->srv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    b->curl = curl_easy_init();
    if (b->curl == NULL) {
        fprintf(stderr, "curl_easy_init failed\n");
        exit(1);
    }
}

void bridge_bench_stop(bridge_bench_server *b)
{
    curl_easy_cleanup(b->curl);
    curl_global_cleanup();
    httpd_server_free(b->srv);
    bridge_store_close(b->api.store);
}

double bridge_bench_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static size_t collect(char *p, size_t size, size_t n, void *user)
{
    pu_buf_append(user, p, size * n);
    return size * n;
}

json_t *bridge_bench_get(bridge_bench_server *b, const char *path, double *ms, double *cpu)
{
    CURL *curl = b->curl;
    char url[2048];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", b->port, path);
    pu_buf body;
    pu_buf_xinit(&body);
    struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer " BRIDGE_BENCH_KEY);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    int64_t t0 = pu_time_mono_ms();
    double c0 = bridge_bench_cpu_ms();
    CURLcode rc = curl_easy_perform(curl);
    *ms = (double)(pu_time_mono_ms() - t0);
    if (cpu != NULL) {
        *cpu = bridge_bench_cpu_ms() - c0;
    }
    curl_slist_free_all(h);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "GET %s: %s %ld %s\n", path, curl_easy_strerror(rc), status,
                pu_buf_str(&body));
        exit(1);
    }
    json_t *page = json_loadb(pu_buf_str(&body), body.len, 0, NULL);
    pu_buf_dispose(&body);
    if (page == NULL) {
        fprintf(stderr, "GET %s: the answer is not JSON\n", path);
        exit(1);
    }
    return page;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bridge_bench_median(double *values, int64_t count)
{
    qsort(values, (size_t)count, sizeof *values, by_value);
    return values[count / 2];
}
