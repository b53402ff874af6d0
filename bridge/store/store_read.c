/* The store's domain layer: the readers behind the API and the reports. Callbacks run with
 * the handle's lock held: they must not call the same handle. */
#include "store/domain.h"

#include <string.h>

/* (device, name, from, to, limit): q->to_ms 0 is "no end", q->limit 0 the default. */
static int query_values(const bridge_query *q, bool with_name, bridge_value *out)
{
    int n = 0;
    out[n++] = bridge_v_text(q->device_id);
    if (with_name) {
        out[n++] = bridge_v_text(q->name);
    }
    out[n++] = bridge_v_int(q->from_ms);
    out[n++] = bridge_v_int(q->to_ms > 0 ? q->to_ms : INT64_MAX);
    out[n++] = bridge_v_int(q->limit > 0 ? q->limit : BRIDGE_DEFAULT_QUERY_LIMIT);
    return n;
}

/* (domain.h) */
int bridge_db_each_row(bridge_store *st, bridge_stmt_id id, const bridge_value *p, int n,
                       bridge_row_reader *row, bridge_row_cb cb, void *payload)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_stmt *s = bridge_db_query(st, id, p, n);
    int rc = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        while ((rc = st->drv->step(s)) == BRIDGE_ROW) {
            if (row(st, s, cb, payload) != 0) {
                rc = BRIDGE_DONE;
                break;
            }
        }
        st->drv->reset(s);
    }
    bridge_db_leave(st);
    return rc == BRIDGE_DONE ? 0 : BRIDGE_STORE_ERROR;
}

/* (device, name, value, ts, source) */
static int measurement_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    bridge_measurement m = {
        .device_id = st->drv->column_text(s, 0),
        .name = st->drv->column_text(s, 1),
        .value = st->drv->column_real(s, 2),
        .ts_ms = st->drv->column_int(s, 3),
        .source = st->drv->column_text(s, 4),
    };
    return cb.measurement(&m, payload);
}

int bridge_store_latest_measurements(bridge_store *st, const char *device_id,
                                     bridge_measurement_fn *cb, void *payload)
{
    bridge_value p[] = {bridge_v_text(device_id)};
    return bridge_db_each_row(st, BRIDGE_STMT_MEAS_LATEST, p, 1, measurement_row,
                              (bridge_row_cb){.measurement = cb}, payload);
}

/* BRIDGE_VITALS_COLUMNS; NULL is the record's "absent" (NAN, -1). */
static int vitals_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    double real[3];
    int64_t count[4];
    for (int i = 0; i < 3; i++) {
        real[i] = dv->column_null(s, 4 + i) ? NAN : dv->column_real(s, 4 + i);
    }
    for (int i = 0; i < 4; i++) {
        count[i] = dv->column_null(s, 7 + i) ? -1 : dv->column_int(s, 7 + i);
    }
    bridge_vitals v = {
        .device_id = dv->column_text(s, 0),
        .updated_at_ms = dv->column_int(s, 1),
        .source = dv->column_text(s, 2),
        .payload = dv->column_text(s, 3),
        .signal_strength_pct = real[0],
        .signal_quality_pct = real[1],
        .battery_charge_pct = real[2],
        .memory_used_bytes = count[0],
        .memory_total_bytes = count[1],
        .uptime_s = count[2],
        .cloud_disconnects = count[3],
    };
    return cb.vitals(&v, payload);
}

int bridge_store_vitals_last(bridge_store *st, const char *device_id, bridge_vitals_fn *cb,
                             void *payload)
{
    bridge_value p[] = {bridge_v_text(device_id)};
    if (device_id == NULL) {
        return bridge_db_each_row(st, BRIDGE_STMT_VITALS_LAST_ALL, NULL, 0, vitals_row,
                                  (bridge_row_cb){.vitals = cb}, payload);
    }
    return bridge_db_each_row(st, BRIDGE_STMT_VITALS_LAST_ONE, p, 1, vitals_row,
                              (bridge_row_cb){.vitals = cb}, payload);
}

int bridge_store_vitals_history(bridge_store *st, const bridge_query *q, bridge_vitals_fn *cb,
                                void *payload)
{
    bridge_value p[4];
    int n = query_values(q, false, p); /* q->name does not apply to vitals */
    return bridge_db_each_row(st, BRIDGE_STMT_VITALS_QUERY, p, n, vitals_row,
                              (bridge_row_cb){.vitals = cb}, payload);
}

int bridge_store_cursor_get(bridge_store *st, const char *stream, char *out, size_t out_size)
{
    return bridge_db_text_by_key(st, BRIDGE_STMT_CURSOR_SELECT, stream, out, out_size);
}

int bridge_store_stats(bridge_store *st, bridge_store_counts *out)
{
    memset(out, 0, sizeof *out);
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_STATS, NULL, 0);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        int rc = st->drv->step(s);
        if (rc == BRIDGE_ROW) {
            uint64_t *field[] = {&out->devices, &out->devices_faulted, &out->devices_gone,
                                 &out->events,  &out->measurements,    &out->status_posts};
            for (int i = 0; i < 6; i++) {
                *field[i] = (uint64_t)st->drv->column_int(s, i);
            }
            error = 0;
        } else if (rc == BRIDGE_DONE) {
            error = bridge_db_fail(st, BRIDGE_STORE_ERROR, "stats: no row");
        }
        st->drv->reset(s);
    }
    bridge_db_leave(st);
    return error;
}

/* ---- keyset pages ---- */

/* The time-ordered lists' filters, key and limit as (.., from, to, key..., limit): the key
 * of a first page is the end the order starts from. */
static int64_t page_start(const bridge_page_query *q, int64_t key)
{
    if (q->after) {
        return key;
    }
    return q->descending ? INT64_MAX : INT64_MIN;
}

static int64_t page_limit(const bridge_page_query *q)
{
    return q->limit > 0 ? q->limit : BRIDGE_DEFAULT_QUERY_LIMIT;
}

/* The time range, with a cursor's time folded into the bound the order starts from: the
 * statements have one bound on each side, so the index range starts at the key. */
static int64_t page_from(const bridge_page_query *q)
{
    return q->after && !q->descending && q->key_n1 > q->from_ms ? q->key_n1 : q->from_ms;
}

static int64_t page_to(const bridge_page_query *q)
{
    int64_t to = q->to_ms > 0 ? q->to_ms : INT64_MAX;
    return q->after && q->descending && q->key_n1 < to ? q->key_n1 : to;
}

/* (device, name, value, ts, source, id) */
static int measurement_page_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    bridge_measurement m = {
        .device_id = st->drv->column_text(s, 0),
        .name = st->drv->column_text(s, 1),
        .value = st->drv->column_real(s, 2),
        .ts_ms = st->drv->column_int(s, 3),
        .source = st->drv->column_text(s, 4),
    };
    bridge_page_row row = {
        .measurement = &m, .key_n1 = m.ts_ms, .key_n2 = st->drv->column_int(s, 5)};
    return cb.page_row(&row, payload);
}

/* (device, kind, name, message, ts, id) */
static int post_page_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    bridge_status_post p = {
        .device_id = st->drv->column_text(s, 0),
        .kind = st->drv->column_text(s, 1),
        .name = st->drv->column_text(s, 2),
        .message = st->drv->column_text(s, 3),
        .ts_ms = st->drv->column_int(s, 4),
    };
    bridge_page_row row = {.post = &p, .key_n1 = p.ts_ms, .key_n2 = st->drv->column_int(s, 5)};
    return cb.page_row(&row, payload);
}

/* Measurements and status posts: (device, name, source or kind, from, to, ts, id, limit). */
static int readings_page(bridge_store *st, const bridge_page_query *q, bridge_stmt_id asc,
                         bridge_stmt_id desc, bridge_row_reader *reader, bridge_page_row_fn *cb,
                         void *payload)
{
    bridge_value p[] = {
        bridge_v_text(q->device_id),
        bridge_v_text(q->name),
        bridge_v_text(q->source),
        bridge_v_int(page_from(q)),
        bridge_v_int(page_to(q)),
        bridge_v_int(page_start(q, q->key_n1)),
        bridge_v_int(page_start(q, q->key_n2)),
        bridge_v_int(page_limit(q)),
    };
    return bridge_db_each_row(st, q->descending ? desc : asc, p, BRIDGE_NPARAMS(p), reader,
                              (bridge_row_cb){.page_row = cb}, payload);
}

int bridge_store_measurements_page(bridge_store *st, const bridge_page_query *q,
                                   bridge_page_row_fn *cb, void *payload)
{
    return readings_page(st, q, BRIDGE_STMT_MEAS_PAGE_ASC, BRIDGE_STMT_MEAS_PAGE_DESC,
                         measurement_page_row, cb, payload);
}

int bridge_store_status_posts_page(bridge_store *st, const bridge_page_query *q,
                                   bridge_page_row_fn *cb, void *payload)
{
    return readings_page(st, q, BRIDGE_STMT_POST_PAGE_ASC, BRIDGE_STMT_POST_PAGE_DESC,
                         post_page_row, cb, payload);
}

/* (id, device, name, data, published, source, received) */
static int event_page_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_stored_event e = {
        .id = dv->column_int(s, 0),
        .device_id = dv->column_text(s, 1),
        .name = dv->column_text(s, 2),
        .data = dv->column_null(s, 3) ? NULL : dv->column_text(s, 3),
        .published_at_ms = dv->column_int(s, 4),
        .source = dv->column_text(s, 5),
        .received_at_ms = dv->column_int(s, 6),
    };
    bridge_page_row row = {.event = &e, .key_n1 = e.published_at_ms, .key_n2 = e.id};
    return cb.page_row(&row, payload);
}

int bridge_store_events_page(bridge_store *st, const bridge_page_query *q, bridge_page_row_fn *cb,
                             void *payload)
{
    bridge_value p[] = {
        bridge_v_text(q->device_id),
        bridge_v_text(q->name_prefix),
        bridge_v_int(page_from(q)),
        bridge_v_int(page_to(q)),
        bridge_v_int(page_start(q, q->key_n1)),
        bridge_v_int(page_start(q, q->key_n2)),
        bridge_v_int(page_limit(q)),
    };
    return bridge_db_each_row(
        st, q->descending ? BRIDGE_STMT_EVENT_PAGE_DESC : BRIDGE_STMT_EVENT_PAGE_ASC, p,
        BRIDGE_NPARAMS(p), event_page_row, (bridge_row_cb){.page_row = cb}, payload);
}

/* (device, ts, online, source) */
static int connectivity_page_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    bridge_connectivity c = {
        .device_id = st->drv->column_text(s, 0),
        .ts_ms = st->drv->column_int(s, 1),
        .online = st->drv->column_bool(s, 2),
        .source = st->drv->column_text(s, 3),
    };
    bridge_page_row row = {
        .connectivity = &c, .key_n1 = c.ts_ms, .key_n2 = c.online, .key_s1 = c.device_id};
    return cb.page_row(&row, payload);
}

int bridge_store_connectivity_page(bridge_store *st, const bridge_page_query *q,
                                   bridge_page_row_fn *cb, void *payload)
{
    /* A first page's time is before (after) every row's, so its device and state do not
     * matter. */
    bridge_value p[] = {
        bridge_v_text(q->device_id),
        bridge_v_int(page_from(q)),
        bridge_v_int(page_to(q)),
        bridge_v_int(page_start(q, q->key_n1)),
        bridge_v_text(q->after && q->key_s1 != NULL ? q->key_s1 : ""),
        bridge_v_int(q->after ? q->key_n2 : 0),
        bridge_v_int(page_limit(q)),
    };
    return bridge_db_each_row(
        st, q->descending ? BRIDGE_STMT_CONN_PAGE_DESC : BRIDGE_STMT_CONN_PAGE_ASC, p,
        BRIDGE_NPARAMS(p), connectivity_page_row, (bridge_row_cb){.page_row = cb}, payload);
}
