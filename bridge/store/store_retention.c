/*
 * The store's domain layer: upkeep of the time-ordered tables (store.h): the dialect's
 * partitions, and retention one batch at a time (the writer runs each batch as a command,
 * so ingest goes on between them).
 */
#include "store/domain.h"

/* The retention statements, one per time-ordered table. */
static const bridge_stmt_id retain_stmts[] = {
    BRIDGE_STMT_RETAIN_EVENTS, BRIDGE_STMT_RETAIN_MEASUREMENTS, BRIDGE_STMT_RETAIN_POSTS};

int bridge_store_partitions_maintain(bridge_store *st, int64_t now_ms, int64_t retention_ms,
                                     bridge_maintenance *out)
{
    if (st->drv->partitions == NULL) {
        return 0;
    }
    int error = bridge_db_enter(st);
    if (error == 0) {
        error = st->drv->partitions(st->conn, now_ms, retention_ms > 0 ? now_ms - retention_ms : 0,
                                    &out->partitions_created, &out->partitions_dropped);
        bridge_db_leave(st);
    }
    return error;
}

int bridge_store_retention_batch(bridge_store *st, int64_t now_ms, int64_t retention_ms,
                                 bridge_maintenance *out, bool *more)
{
    *more = false;
    if (retention_ms <= 0) {
        return 0;
    }
    int error = bridge_db_enter(st);
    if (error != 0) {
        return error;
    }
    bridge_value p[] = {bridge_v_int(now_ms - retention_ms), bridge_v_int(BRIDGE_RETENTION_BATCH)};
    error = bridge_db_begin(st);
    for (size_t t = 0; error == 0 && t < sizeof retain_stmts / sizeof *retain_stmts; t++) {
        uint64_t deleted = 0;
        error = bridge_db_run(st, retain_stmts[t], p, BRIDGE_NPARAMS(p), &deleted);
        out->rows_deleted += deleted;
        *more = *more || deleted == BRIDGE_RETENTION_BATCH;
    }
    error = bridge_db_finish(st, error);
    bridge_db_leave(st);
    return error;
}
