/*
 * The store's domain layer, inside bridge/store/: the handle and the helpers its parts
 * (store.c, store_devices.c, store_ingest.c, store_read.c, store_fleet.c, store_migrate.c)
 * share to talk to the driver (store/driver.h).
 *
 * Every public call takes the handle's lock with bridge_db_enter() (which also lets the
 * driver reconnect) and releases it with bridge_db_leave(); the helpers below assume it is
 * held.
 */
#ifndef BRIDGE_STORE_DOMAIN_H
#define BRIDGE_STORE_DOMAIN_H

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "store/driver.h"
#include "store/store.h"

/* The newest measurement of one (device, name) within the batch being written; the strings
 * are borrowed from the batch's records. */
typedef struct bridge_latest_slot {
    const char *device_id, *name, *source;
    double value;
    int64_t ts_ms;
    uint64_t hash; /* 0 = empty slot */
} bridge_latest_slot;

struct bridge_store {
    bridge_conn *conn;
    const bridge_driver *drv;
    pthread_mutex_t lock;
    /* measurements_latest is updated once per (device, name) and batch, not once per row:
     * an open-addressing table of the batch's newest values, reused across batches. */
    bridge_latest_slot *latest;
    size_t latest_cap; /* a power of two, at least twice the batch's measurements */
};

#define BRIDGE_DEFAULT_QUERY_LIMIT 1000u

/* Takes the lock and readies the connection; on failure the lock is released again. */
int bridge_db_enter(bridge_store *st);
void bridge_db_leave(bridge_store *st);

/* Sets the handle's error message; returns @p code. */
__attribute__((format(printf, 3, 4))) int bridge_db_fail(bridge_store *st, int code,
                                                         const char *fmt, ...);

int bridge_db_begin(bridge_store *st);
/* Commits, or rolls back when @p error is set; returns @p error or the commit's failure. */
int bridge_db_finish(bridge_store *st, int error);

/* Statement @p id with @p n parameters bound, ready to step; NULL on error. */
bridge_stmt *bridge_db_query(bridge_store *st, bridge_stmt_id id, const bridge_value *p, int n);
/* Runs statement @p id to its end; @p changed_out (may be NULL) gets the rows it changed. */
int bridge_db_run(bridge_store *st, bridge_stmt_id id, const bridge_value *p, int n,
                  uint64_t *changed_out);
/* Runs @p n rows in order (the driver's fast path when it has one). */
int bridge_db_write_rows(bridge_store *st, bridge_row *rows, size_t n);

/* A reader's row callback, whichever kind of row it takes. */
typedef union bridge_row_cb {
    bridge_measurement_fn *measurement;
    bridge_vitals_fn *vitals;
    bridge_product_fn *product;
    bridge_customer_fn *customer;
    bridge_group_fn *group;
    bridge_product_device_fn *product_device;
    bridge_product_firmware_fn *product_firmware;
    bridge_device_firmware_fn *device_firmware;
    bridge_firmware_rollout_fn *rollout;
    bridge_page_row_fn *page_row;
    bridge_fleet_count_fn *fleet_count;
    bridge_bucket_fn *bucket;
} bridge_row_cb;

/* Turns the current row of @p s into the record @p cb takes and calls it. */
typedef int bridge_row_reader(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload);

/* Takes the lock, runs statement @p id and hands each row to @p row until it returns non-zero
 * (store_read.c). */
int bridge_db_each_row(bridge_store *st, bridge_stmt_id id, const bridge_value *p, int n,
                       bridge_row_reader *row, bridge_row_cb cb, void *payload);

/* Replaces the groups of device @p device_id (store_fleet.c); inside the caller's
 * transaction. */
int bridge_db_device_groups_replace(bridge_store *st, const char *device_id,
                                    const char *const *groups, size_t count);

/* Stores the firmware fields of @p cd when it has them (store_firmware.c); inside the device
 * sync's transaction. */
int bridge_db_device_firmware_sync(bridge_store *st, const bridge_cloud_device *cd, int64_t now_ms);

/* Copies column @p col as text into @p out (truncating). */
void bridge_db_column_copy(bridge_store *st, bridge_stmt *s, int col, char *out, size_t size);
/* Runs statement @p id with the one text parameter @p key and copies the first column of its
 * first row into @p out ("" when there is none): 0, BRIDGE_STORE_NOTFOUND or
 * BRIDGE_STORE_ERROR. Takes and leaves the handle's lock itself. */
int bridge_db_text_by_key(bridge_store *st, bridge_stmt_id id, const char *key, char *out,
                          size_t out_size);

/* Grows *arr (of elem_size elements) to hold one more than @p count; false on overflow/OOM. */
bool bridge_db_grow(void **arr, size_t *cap, size_t count, size_t elem_size);

/* Parameter values. NULL text, NAN and negative counts (a record's "absent") are SQL NULL. */
static inline bridge_value bridge_v_text(const char *s)
{
    bridge_value v = {.type = s != NULL ? BRIDGE_VALUE_TEXT : BRIDGE_VALUE_NULL, .s = s};
    return v;
}

static inline bridge_value bridge_v_int(int64_t i)
{
    return (bridge_value){.type = BRIDGE_VALUE_INT, .i = i};
}

static inline bridge_value bridge_v_real(double d)
{
    return (bridge_value){.type = BRIDGE_VALUE_REAL, .d = d};
}

static inline bridge_value bridge_v_bool(bool b)
{
    return (bridge_value){.type = BRIDGE_VALUE_BOOL, .b = b};
}

static inline bridge_value bridge_v_real_or_null(double d)
{
    return isnan(d) ? (bridge_value){.type = BRIDGE_VALUE_NULL} : bridge_v_real(d);
}

static inline bridge_value bridge_v_count_or_null(int64_t i)
{
    return i < 0 ? (bridge_value){.type = BRIDGE_VALUE_NULL} : bridge_v_int(i);
}

#define BRIDGE_NPARAMS(arr) ((int)(sizeof(arr) / sizeof((arr)[0])))

/* Applies the driver's pending migrations (store_migrate.c); called by bridge_store_open. */
int bridge_db_migrate(bridge_store *st);

#endif
