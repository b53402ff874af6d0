/* The store's readers behind the dashboard: the fleet's counts per product and a series'
 * readings in time buckets, both aggregated by the database (GROUP BY), so the answer is as
 * small as the page draws whatever the number of rows. */
#include "store/domain.h"

/* (product, product name, online, offline, faulted, gone, total) */
static int fleet_count_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_fleet_count c = {
        .product_id = (int)dv->column_int(s, 0),
        .product_name = dv->column_null(s, 1) ? NULL : dv->column_text(s, 1),
        .online = (uint64_t)dv->column_int(s, 2),
        .offline = (uint64_t)dv->column_int(s, 3),
        .faulted = (uint64_t)dv->column_int(s, 4),
        .gone = (uint64_t)dv->column_int(s, 5),
        .total = (uint64_t)dv->column_int(s, 6),
    };
    return cb.fleet_count(&c, payload);
}

int bridge_store_fleet_counts(bridge_store *st, bridge_fleet_count_fn *cb, void *payload)
{
    return bridge_db_each_row(st, BRIDGE_STMT_FLEET_COUNTS, NULL, 0, fleet_count_row,
                              (bridge_row_cb){.fleet_count = cb}, payload);
}

/* (device, name, source, from, to) */
static int series_values(const bridge_bucket_query *q, bridge_value *out)
{
    out[0] = bridge_v_text(q->device_id);
    out[1] = bridge_v_text(q->name);
    out[2] = bridge_v_text(q->source);
    out[3] = bridge_v_int(q->from_ms);
    out[4] = bridge_v_int(q->to_ms > 0 ? q->to_ms : INT64_MAX);
    return 5;
}

int bridge_store_measurement_span(bridge_store *st, const bridge_bucket_query *q, int64_t *first_ms,
                                  int64_t *last_ms)
{
    bridge_value p[5];
    int n = series_values(q, p);
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_MEAS_SPAN, p, n);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        int rc = st->drv->step(s);
        if (rc == BRIDGE_ROW && !st->drv->column_null(s, 0)) {
            *first_ms = st->drv->column_int(s, 0);
            *last_ms = st->drv->column_int(s, 1);
            error = 0;
        } else if (rc == BRIDGE_ROW || rc == BRIDGE_DONE) {
            error = BRIDGE_STORE_NOTFOUND; /* an aggregate without rows answers NULLs */
        }
        st->drv->reset(s);
    }
    bridge_db_leave(st);
    return error;
}

/* (bucket start, min, max, avg, count) */
static int bucket_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_bucket b = {
        .start_ms = dv->column_int(s, 0),
        .min = dv->column_real(s, 1),
        .max = dv->column_real(s, 2),
        .avg = dv->column_real(s, 3),
        .count = (uint64_t)dv->column_int(s, 4),
    };
    return cb.bucket(&b, payload);
}

int bridge_store_measurement_buckets(bridge_store *st, const bridge_bucket_query *q,
                                     bridge_bucket_fn *cb, void *payload)
{
    if (q->width_ms <= 0) {
        return bridge_db_fail(st, BRIDGE_STORE_ERROR, "a bucket's width must be positive");
    }
    bridge_value p[6];
    int n = series_values(q, p);
    p[n++] = bridge_v_int(q->width_ms);
    return bridge_db_each_row(st, BRIDGE_STMT_MEAS_BUCKETS, p, n, bucket_row,
                              (bridge_row_cb){.bucket = cb}, payload);
}
