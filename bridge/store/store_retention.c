/*
 * The store's domain layer: upkeep of the time-ordered tables (store.h,
 * bridge_store_maintain): the dialect's partitions, then retention in small batches.
 */
#include "store/domain.h"

#include <string.h>

/* The retention statements, one per time-ordered table. */
static const bridge_stmt_id retain_stmts[] = {
    BRIDGE_STMT_RETAIN_EVENTS, BRIDGE_STMT_RETAIN_MEASUREMENTS, BRIDGE_STMT_RETAIN_POSTS};

/* Deletes up to one batch of @p id's rows older than @p before_ms, in its own transaction. */
static int retain_batch(bridge_store *st, bridge_stmt_id id, int64_t before_ms, uint64_t *deleted)
{
    int error = bridge_db_enter(st);
    if (error != 0) {
        return error;
    }
    bridge_value p[] = {bridge_v_int(before_ms), bridge_v_int(BRIDGE_RETENTION_BATCH)};
    error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(st, bridge_db_run(st, id, p, BRIDGE_NPARAMS(p), deleted));
    }
    bridge_db_leave(st);
    return error;
}

int bridge_store_maintain(bridge_store *st, int64_t now_ms, int64_t retention_ms,
                          bridge_maintenance *out)
{
    bridge_maintenance done;
    memset(&done, 0, sizeof done);
    int64_t before_ms = retention_ms > 0 ? now_ms - retention_ms : 0;
    int error = 0;
    if (st->drv->partitions != NULL) {
        error = bridge_db_enter(st);
        if (error == 0) {
            error = st->drv->partitions(st->conn, now_ms, before_ms, &done.partitions_created,
                                        &done.partitions_dropped);
            bridge_db_leave(st);
        }
    }
    for (size_t t = 0;
         error == 0 && before_ms > 0 && t < sizeof retain_stmts / sizeof *retain_stmts; t++) {
        uint64_t deleted;
        do {
            deleted = 0;
            error = retain_batch(st, retain_stmts[t], before_ms, &deleted);
            done.rows_deleted += deleted;
        } while (error == 0 && deleted == BRIDGE_RETENTION_BATCH);
    }
    if (out != NULL) {
        *out = done;
    }
    return error;
}
