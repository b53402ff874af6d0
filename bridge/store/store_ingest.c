/*
 * The store's domain layer: ingest. What a batch of records writes, and the rules that make
 * it exactly-once (store.h).
 *
 * A batch is one transaction written in three passes of rows (bridge_db_write_rows, which a
 * driver may speed up: PostgreSQL sends each pass as pipelined multi-row INSERTs):
 *  1. every event, under its natural key (store/key.h); a row that stores nothing is an
 *     event seen before, and what it brings is stored already;
 *  2. what the new events bring (their online/offline change and its history row, vitals,
 *     a flash status, measurements, status posts), the readings' rows and the stream cursors;
 *  3. the newest value of each measurement series the batch stored, once per series.
 */
#include "store/domain.h"

#include <stdlib.h>
#include <string.h>

#include "pu_hash.h"
#include "store/key.h"

/* The rows of one pass and the parameter values they point into. */
typedef struct pass {
    bridge_row *rows;
    bridge_value *values;
    const bridge_measurement **meas; /* per row: the measurement it stores, or NULL */
    const char **meas_source;
    size_t count, used_values;
} pass;

static int pass_alloc(bridge_store *st, pass *p, size_t rows, size_t values)
{
    memset(p, 0, sizeof *p);
    p->rows = calloc(rows + 1, sizeof *p->rows);
    p->values = calloc(values + 1, sizeof *p->values);
    p->meas = calloc(rows + 1, sizeof *p->meas);
    p->meas_source = calloc(rows + 1, sizeof *p->meas_source);
    if (p->rows == NULL || p->values == NULL || p->meas == NULL || p->meas_source == NULL) {
        return bridge_db_fail(st, BRIDGE_STORE_ERROR, "out of memory");
    }
    return 0;
}

static void pass_free(pass *p)
{
    free(p->rows);
    free(p->values);
    free(p->meas);
    free(p->meas_source);
}

/* Appends a row of statement @p id with the @p n values given. */
static void pass_add(pass *p, bridge_stmt_id id, const bridge_value *v, int n)
{
    bridge_value *dst = &p->values[p->used_values];
    memcpy(dst, v, (size_t)n * sizeof *v);
    p->used_values += (size_t)n;
    p->rows[p->count++] = (bridge_row){.stmt = id, .params = dst, .nparams = n};
}

/* ---- the rows ---- */

static void add_event(pass *p, const bridge_record *r)
{
    bridge_value v[] = {
        bridge_v_text(r->device_id),
        bridge_v_text(r->event_name),
        bridge_v_text(r->event_data),
        bridge_v_int(r->published_at_ms),
        bridge_v_int(
            bridge_key_event(r->device_id, r->event_name, r->published_at_ms, r->event_data)),
        bridge_v_text(r->source),
        bridge_v_int(r->received_at_ms),
    };
    pass_add(p, BRIDGE_STMT_EVENT_INSERT, v, BRIDGE_NPARAMS(v));
}

static void add_vitals(pass *p, const bridge_vitals *vt)
{
    bridge_value v[] = {
        bridge_v_text(vt->device_id),
        bridge_v_int(vt->updated_at_ms),
        bridge_v_text(vt->source != NULL ? vt->source : ""),
        bridge_v_text(vt->payload != NULL ? vt->payload : "{}"),
        bridge_v_real_or_null(vt->signal_strength_pct),
        bridge_v_real_or_null(vt->signal_quality_pct),
        bridge_v_real_or_null(vt->battery_charge_pct),
        bridge_v_count_or_null(vt->memory_used_bytes),
        bridge_v_count_or_null(vt->memory_total_bytes),
        bridge_v_count_or_null(vt->uptime_s),
        bridge_v_count_or_null(vt->cloud_disconnects),
    };
    pass_add(p, BRIDGE_STMT_VITALS_INSERT, v, BRIDGE_NPARAMS(v));
}

static void add_measurements_and_posts(pass *p, const bridge_record *r)
{
    for (size_t i = 0; i < r->measurement_count; i++) {
        const bridge_measurement *m = &r->measurements[i];
        const char *source = m->source ? m->source : r->source;
        bridge_value v[] = {
            bridge_v_text(m->device_id),
            bridge_v_text(m->name),
            bridge_v_real(m->value),
            bridge_v_int(m->ts_ms),
            bridge_v_text(source),
            bridge_v_int(bridge_key_measurement(m->device_id, m->name, m->ts_ms, source)),
        };
        p->meas[p->count] = m;
        p->meas_source[p->count] = source;
        pass_add(p, BRIDGE_STMT_MEAS_INSERT, v, BRIDGE_NPARAMS(v));
    }
    for (size_t i = 0; i < r->post_count; i++) {
        const bridge_status_post *post = &r->posts[i];
        const char *name = post->name ? post->name : "";
        const char *message = post->message ? post->message : "";
        bridge_value v[] = {
            bridge_v_text(post->device_id),
            bridge_v_text(post->kind),
            bridge_v_text(name),
            bridge_v_text(message),
            bridge_v_int(post->ts_ms),
            bridge_v_int(
                bridge_key_status_post(post->device_id, post->kind, name, post->ts_ms, message)),
        };
        pass_add(p, BRIDGE_STMT_POST_INSERT, v, BRIDGE_NPARAMS(v));
    }
}

/* What a new event brings. Its online/offline change goes into the history even for a device
 * not synced yet (the flag's UPDATE then changes nothing). */
static void add_derived(pass *p, const bridge_record *r)
{
    if (r->online >= 0) {
        bridge_value flag[] = {bridge_v_text(r->device_id), bridge_v_bool(r->online == 1)};
        pass_add(p, BRIDGE_STMT_DEV_SET_CONNECTED, flag, BRIDGE_NPARAMS(flag));
        bridge_value history[] = {bridge_v_text(r->device_id), bridge_v_int(r->published_at_ms),
                                  bridge_v_bool(r->online == 1), bridge_v_text("event")};
        pass_add(p, BRIDGE_STMT_CONN_INSERT, history, BRIDGE_NPARAMS(history));
    }
    if (r->vitals != NULL) {
        add_vitals(p, r->vitals);
    }
    if (r->flash_status != NULL) {
        bridge_value flash[] = {bridge_v_text(r->device_id), bridge_v_text(r->flash_status),
                                bridge_v_int(r->published_at_ms)};
        pass_add(p, BRIDGE_STMT_DEVFW_FLASH, flash, BRIDGE_NPARAMS(flash));
    }
    add_measurements_and_posts(p, r);
}

static void add_cursor(pass *p, const bridge_record *r)
{
    bridge_value v[] = {bridge_v_text(r->stream), bridge_v_text(r->last_event_id),
                        bridge_v_int(r->received_at_ms)};
    pass_add(p, BRIDGE_STMT_CURSOR_UPSERT, v, BRIDGE_NPARAMS(v));
}

/* ---- the newest value of each series ---- */

/* Keeps @p m if it is the batch's newest value of its (device, name). */
static void remember_latest(bridge_store *st, const bridge_measurement *m, const char *source)
{
    pu_tuple_hash series;
    pu_tuple_hash_init(&series);
    pu_tuple_hash_cstr(&series, m->device_id);
    pu_tuple_hash_cstr(&series, m->name);
    uint64_t h = series.h | 1u; /* never 0, the empty mark */
    size_t mask = st->latest_cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        bridge_latest_slot *sl = &st->latest[i];
        bool same = sl->hash == h && strcmp(sl->device_id, m->device_id) == 0 &&
                    strcmp(sl->name, m->name) == 0;
        if (sl->hash == 0 || (same && m->ts_ms >= sl->ts_ms)) {
            *sl = (bridge_latest_slot){m->device_id, m->name, source, m->value, m->ts_ms, h};
            return;
        }
        if (same) {
            return;
        }
    }
}

/* Sizes the latest-value table for @p measurements rows and empties it. */
static int prepare_latest(bridge_store *st, size_t measurements)
{
    size_t cap = 32;
    while (cap < measurements * 2 + 32) {
        if (__builtin_mul_overflow(cap, (size_t)2, &cap)) {
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "out of memory");
        }
    }
    if (cap > st->latest_cap) {
        bridge_latest_slot *grown = realloc(st->latest, cap * sizeof *grown);
        if (grown == NULL) {
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "out of memory");
        }
        st->latest = grown;
        st->latest_cap = cap;
    }
    memset(st->latest, 0, st->latest_cap * sizeof *st->latest);
    return 0;
}

/* ---- the batch ---- */

/* Counts pass 2's answers into @p res and gathers the series' newest stored values. */
static void account(bridge_store *st, const pass *p, bridge_write_result *res)
{
    for (size_t i = 0; i < p->count; i++) {
        bool stored = p->rows[i].changed > 0;
        switch (p->rows[i].stmt) {
        case BRIDGE_STMT_MEAS_INSERT:
            res->measurements_stored += stored;
            if (stored) {
                remember_latest(st, p->meas[i], p->meas_source[i]);
            }
            break;
        case BRIDGE_STMT_POST_INSERT:
            res->status_posts_stored += stored;
            break;
        case BRIDGE_STMT_VITALS_INSERT:
            res->vitals_stored += stored;
            break;
        default:
            continue; /* the connected flag, its history, cursors: not counted */
        }
        res->duplicates += !stored;
    }
}

static int write_latest(bridge_store *st, size_t series)
{
    pass p;
    int error = pass_alloc(st, &p, series, series * 5);
    for (size_t i = 0; error == 0 && i < st->latest_cap; i++) {
        const bridge_latest_slot *sl = &st->latest[i];
        if (sl->hash != 0) {
            bridge_value v[] = {bridge_v_text(sl->device_id), bridge_v_text(sl->name),
                                bridge_v_real(sl->value), bridge_v_int(sl->ts_ms),
                                bridge_v_text(sl->source)};
            pass_add(&p, BRIDGE_STMT_MEAS_LATEST_UPSERT, v, BRIDGE_NPARAMS(v));
        }
    }
    if (error == 0) {
        error = bridge_db_write_rows(st, p.rows, p.count);
    }
    pass_free(&p);
    return error;
}

static int write_batch_locked(bridge_store *st, const bridge_record *recs, size_t count,
                              pass *events, pass *derived, bridge_write_result *res)
{
    size_t event_count = 0, rows = 0, values = 0, measurements = 0;
    for (size_t i = 0; i < count; i++) {
        const bridge_record *r = &recs[i];
        if (r->kind != BRIDGE_RECORD_EVENT && r->kind != BRIDGE_RECORD_READING &&
            r->kind != BRIDGE_RECORD_CURSOR) {
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "unknown record kind %d", (int)r->kind);
        }
        event_count += r->kind == BRIDGE_RECORD_EVENT;
        measurements += r->measurement_count;
        /* an event's own rows: connected flag, history, vitals, flash status (or a cursor) */
        rows += 4 + r->measurement_count + r->post_count;
        values += 6 + 11 + 3 + 6 * (r->measurement_count + r->post_count);
    }
    int error = pass_alloc(st, events, event_count, event_count * 7);
    if (error == 0) {
        error = pass_alloc(st, derived, rows, values);
    }
    if (error == 0) {
        error = prepare_latest(st, measurements);
    }
    for (size_t i = 0; error == 0 && i < count; i++) {
        if (recs[i].kind == BRIDGE_RECORD_EVENT) {
            add_event(events, &recs[i]);
        }
    }
    if (error == 0) {
        error = bridge_db_write_rows(st, events->rows, events->count);
    }
    for (size_t i = 0, e = 0; error == 0 && i < count; i++) {
        const bridge_record *r = &recs[i];
        if (r->kind == BRIDGE_RECORD_EVENT) {
            bool fresh = events->rows[e++].changed > 0;
            if (r->stored_out != NULL) {
                *r->stored_out = fresh;
            }
            if (fresh) {
                res->events_stored++;
                add_derived(derived, r);
            } else {
                res->events_duplicate++;
                res->duplicates++;
            }
        } else if (r->kind == BRIDGE_RECORD_READING) {
            add_measurements_and_posts(derived, r);
        } else {
            add_cursor(derived, r);
        }
    }
    if (error == 0) {
        error = bridge_db_write_rows(st, derived->rows, derived->count);
    }
    if (error == 0) {
        account(st, derived, res);
        error = write_latest(st, measurements);
    }
    return error;
}

int bridge_store_write_batch(bridge_store *st, const bridge_record *recs, size_t count,
                             bridge_write_result *result)
{
    bridge_write_result res = {0};
    pass events = {0}, derived = {0};
    int error = bridge_db_enter(st);
    if (error == 0) {
        error = bridge_db_begin(st);
        if (error == 0) {
            error =
                bridge_db_finish(st, write_batch_locked(st, recs, count, &events, &derived, &res));
        }
        bridge_db_leave(st);
    }
    pass_free(&events);
    pass_free(&derived);
    if (result != NULL) {
        if (error == 0) {
            *result = res;
        } else {
            memset(result, 0, sizeof *result);
        }
    }
    return error;
}

int bridge_store_vitals_put(bridge_store *st, const bridge_vitals *v, bool *stored_out)
{
    if (stored_out != NULL) {
        *stored_out = false;
    }
    if (v == NULL || v->device_id == NULL || v->device_id[0] == '\0') {
        return bridge_db_fail(st, BRIDGE_STORE_ERROR, "vitals: no device id");
    }
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    pass p;
    int error = pass_alloc(st, &p, 1, 11);
    if (error == 0) {
        add_vitals(&p, v);
        error = bridge_db_run(st, p.rows[0].stmt, p.rows[0].params, p.rows[0].nparams,
                              &p.rows[0].changed);
    }
    bridge_db_leave(st);
    if (error == 0 && stored_out != NULL) {
        *stored_out = p.rows[0].changed > 0;
    }
    pass_free(&p);
    return error;
}
