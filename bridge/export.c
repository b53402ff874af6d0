#include "export.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/reports.h"
#include "export_file.h"
#include "pu_log.h"
#include "pu_time.h"
#include "timespan.h"

#define THREAD_TICK_MS 1000 /* the longest the thread sleeps before it looks again */

/* One export: its spec and what its runs did. */
typedef struct export_slot {
    bridge_export_spec spec;
    char file[256]; /* spec.file, or <name>.<format> */
    int64_t next_run_ms;
    int64_t last_success_ms, last_attempt_ms; /* 0 = never */
    char last_error[512];                     /* "" after a success */
    int64_t rows;                             /* of the last file written; -1 = none yet */
    uint64_t successes, failures;
    unsigned int attempt; /* failures in a row since the last success or interval */
} export_slot;

struct bridge_exporter {
    bridge_store *store;
    bridge_writer *writer; /* for table exports; may be NULL */
    export_slot *slots;
    size_t count;
    pthread_mutex_t lock; /* the slots' status */
    pthread_cond_t wake;
    bool stopping, started;
    pthread_t thread;
};

bridge_exporter *bridge_exporter_new(const bridge_export_spec *specs, size_t count,
                                     bridge_store *store, bridge_writer *writer)
{
    bridge_exporter *ex = calloc(1, sizeof *ex);
    if (ex == NULL || (count > 0 && (ex->slots = calloc(count, sizeof *ex->slots)) == NULL)) {
        free(ex);
        return NULL;
    }
    ex->store = store;
    ex->writer = writer;
    ex->count = count;
    pthread_mutex_init(&ex->lock, NULL);
    pthread_cond_init(&ex->wake, NULL);
    for (size_t i = 0; i < count; i++) {
        export_slot *s = &ex->slots[i];
        s->spec = specs[i];
        s->rows = -1;
        if (specs[i].format == BRIDGE_EXPORT_TABLE) {
            snprintf(s->file, sizeof s->file, "report_snapshots");
        } else if (specs[i].file[0] != '\0') {
            snprintf(s->file, sizeof s->file, "%s", specs[i].file);
        } else {
            snprintf(s->file, sizeof s->file, "%s.%s", specs[i].name,
                     specs[i].format == BRIDGE_EXPORT_JSON ? "json" : "csv");
        }
    }
    return ex;
}

/* Replaces @p s's snapshot in report_snapshots with @p rows, through the writer (the one
 * connection that changes data). 0, or -1 with @p err. */
static int copy_into_table(bridge_exporter *ex, const export_slot *s, const json_t *rows, char *err,
                           size_t err_size)
{
    if (ex->writer == NULL) {
        snprintf(err, err_size, "table exports need the bridge's writer");
        return -1;
    }
    size_t n = json_array_size(rows);
    char **texts = calloc(n + 1, sizeof *texts);
    int rc = texts != NULL ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        texts[i] = json_dumps(json_array_get(rows, i), JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = texts[i] != NULL ? 0 : -1;
    }
    if (rc != 0) {
        snprintf(err, err_size, "out of memory");
    } else if (bridge_writer_snapshot_replace(ex->writer, s->spec.name, (const char *const *)texts,
                                              n, pu_time_now_ms(), err, err_size) != 0) {
        rc = -1;
    }
    for (size_t i = 0; texts != NULL && i < n; i++) {
        free(texts[i]);
    }
    free(texts);
    return rc;
}

/* Builds the report of @p s and writes its file (or its table): 0 with *rows_out, or -1 with
 * @p err. */
static int export_once(bridge_exporter *ex, const export_slot *s, int64_t *rows_out, char *err,
                       size_t err_size)
{
    const bridge_report *r = bridge_report_find(s->spec.report);
    if (r == NULL) {
        snprintf(err, err_size, "unknown report %s", s->spec.report);
        return -1;
    }
    bridge_query q = {.product = s->spec.product[0] != '\0' ? s->spec.product : NULL};
    json_t *rows = NULL;
    if (bridge_report_run(r, ex->store, &q, &rows) != 0) {
        snprintf(err, err_size, "report %s: %s", s->spec.report, bridge_store_errmsg(ex->store));
        return -1;
    }
    *rows_out = (int64_t)json_array_size(rows);
    if (s->spec.format == BRIDGE_EXPORT_TABLE) {
        int rc = copy_into_table(ex, s, rows, err, err_size);
        json_decref(rows);
        return rc;
    }
    size_t len = 0;
    char *text = NULL;
    if (s->spec.format == BRIDGE_EXPORT_JSON) {
        text = json_dumps(rows, JSON_COMPACT);
        len = text != NULL ? strlen(text) : 0;
    } else {
        text = bridge_report_csv(r, rows, &len);
    }
    json_decref(rows);
    if (text == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int rc = bridge_export_write_atomic(s->spec.directory, s->file, text, len, err, err_size);
    free(text);
    return rc;
}

/* The delay before retry @p attempt (1 = the first): the backoff doubled per retry, never
 * past the interval. */
static int64_t retry_delay(const bridge_export_spec *spec, unsigned int attempt)
{
    int64_t d = spec->retry_backoff_ms;
    for (unsigned int i = 1; i < attempt && d < spec->interval_ms; i++) {
        d *= 2;
    }
    return d < spec->interval_ms ? d : spec->interval_ms;
}

size_t bridge_exporter_run_due(bridge_exporter *ex, int64_t now_ms)
{
    size_t ran = 0;
    for (size_t i = 0; i < ex->count; i++) {
        export_slot *s = &ex->slots[i];
        pthread_mutex_lock(&ex->lock);
        bool due = s->next_run_ms <= now_ms;
        pthread_mutex_unlock(&ex->lock);
        if (!due) {
            continue;
        }
        char err[512] = "";
        int64_t rows = 0;
        int rc = export_once(ex, s, &rows, err, sizeof err);
        pthread_mutex_lock(&ex->lock);
        s->last_attempt_ms = now_ms;
        if (rc == 0) {
            s->last_success_ms = now_ms;
            s->last_error[0] = '\0';
            s->rows = rows;
            s->successes++;
            s->attempt = 0;
            s->next_run_ms = now_ms + s->spec.interval_ms;
        } else {
            snprintf(s->last_error, sizeof s->last_error, "%s", err);
            s->failures++;
            s->attempt++;
            bool retry = s->attempt <= s->spec.retries;
            s->next_run_ms =
                now_ms + (retry ? retry_delay(&s->spec, s->attempt) : s->spec.interval_ms);
            if (!retry) {
                s->attempt = 0;
            }
        }
        pthread_mutex_unlock(&ex->lock);
        if (rc != 0) {
            pu_log(PU_LOG_WARN, "export", "export %s failed: %s", s->spec.name, err);
        }
        ran++;
    }
    return ran;
}

static void *export_main(void *arg)
{
    bridge_exporter *ex = arg;
    pthread_mutex_lock(&ex->lock);
    while (!ex->stopping) {
        pthread_mutex_unlock(&ex->lock);
        bridge_exporter_run_due(ex, pu_time_now_ms());
        pthread_mutex_lock(&ex->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += THREAD_TICK_MS / 1000;
        while (!ex->stopping && pthread_cond_timedwait(&ex->wake, &ex->lock, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&ex->lock);
    return NULL;
}

int bridge_exporter_start(bridge_exporter *ex)
{
    if (ex->count == 0) {
        return 0; /* nothing to schedule: no thread */
    }
    if (pthread_create(&ex->thread, NULL, export_main, ex) != 0) {
        return -1;
    }
    ex->started = true;
    return 0;
}

void bridge_exporter_free(bridge_exporter *ex)
{
    if (ex == NULL) {
        return;
    }
    if (ex->started) {
        pthread_mutex_lock(&ex->lock);
        ex->stopping = true;
        pthread_cond_broadcast(&ex->wake);
        pthread_mutex_unlock(&ex->lock);
        pthread_join(ex->thread, NULL);
    }
    pthread_cond_destroy(&ex->wake);
    pthread_mutex_destroy(&ex->lock);
    free(ex->slots);
    free(ex);
}

static json_t *date_or_null(int64_t ms)
{
    char text[BRIDGE_TIMESPAN_SIZE];
    return ms > 0 ? json_string(bridge_date_format(ms, text)) : json_null();
}

json_t *bridge_exporter_status_json(bridge_exporter *ex)
{
    json_t *out = json_array();
    pthread_mutex_lock(&ex->lock);
    for (size_t i = 0; out != NULL && i < ex->count; i++) {
        const export_slot *s = &ex->slots[i];
        char path[1300];
        static const char *const formats[] = {"csv", "json", "table"};
        if (s->spec.format == BRIDGE_EXPORT_TABLE) {
            snprintf(path, sizeof path, "table report_snapshots");
        } else {
            snprintf(path, sizeof path, "%s/%s", s->spec.directory, s->file);
        }
        json_t *row = json_pack(
            "{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I}", "name",
            s->spec.name, "report", s->spec.report, "format", formats[s->spec.format], "path", path,
            "interval_s", (json_int_t)(s->spec.interval_ms / 1000), "rows",
            s->rows < 0 ? json_null() : json_integer((json_int_t)s->rows), "last_success",
            date_or_null(s->last_success_ms), "last_attempt", date_or_null(s->last_attempt_ms),
            "next_run", date_or_null(s->next_run_ms), "last_error",
            s->last_error[0] != '\0' ? json_string(s->last_error) : json_null(), "successes",
            (json_int_t)s->successes, "failures", (json_int_t)s->failures, "attempt",
            (json_int_t)s->attempt);
        if (row == NULL || json_array_append_new(out, row) != 0) {
            json_decref(out);
            out = NULL;
        }
    }
    pthread_mutex_unlock(&ex->lock);
    return out;
}

void bridge_exporter_write_metrics(FILE *f, void *exporter)
{
    bridge_exporter *ex = exporter;
    if (ex == NULL || ex->count == 0) {
        return;
    }
    static const struct {
        const char *name, *type, *help;
    } heads[] = {
        {"export_last_success_timestamp_seconds", "gauge",
         "When the export last wrote its file (0 = never)."},
        {"export_rows", "gauge", "Rows in the export's last file (-1 = none yet)."},
        {"export_failing", "gauge", "1 while the export's last attempt failed."},
        {"export_successes_total", "counter", "Files the export wrote."},
        {"export_failures_total", "counter", "Attempts of the export that failed."},
    };
    pthread_mutex_lock(&ex->lock);
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        fprintf(f, "# HELP particle_bridge_%s %s\n# TYPE particle_bridge_%s %s\n", heads[h].name,
                heads[h].help, heads[h].name, heads[h].type);
        for (size_t i = 0; i < ex->count; i++) {
            const export_slot *s = &ex->slots[i];
            long long values[] = {s->last_success_ms / 1000, s->rows, s->last_error[0] != '\0',
                                  (long long)s->successes, (long long)s->failures};
            fprintf(f, "particle_bridge_%s{export=\"%s\"} %lld\n", heads[h].name, s->spec.name,
                    values[h]);
        }
    }
    pthread_mutex_unlock(&ex->lock);
}
