/*
 * The store's domain layer: report exports copied into the report_snapshots table (store.h,
 * bridge_store_snapshot_replace; migration 0013).
 */
#include "store/domain.h"

int bridge_store_snapshot_replace(bridge_store *st, const char *name, const char *const *row_json,
                                  size_t count, int64_t now_ms)
{
    int error = bridge_db_enter(st);
    if (error != 0) {
        return error;
    }
    error = bridge_db_begin(st);
    bridge_value del[] = {bridge_v_text(name)};
    if (error == 0) {
        error = bridge_db_run(st, BRIDGE_STMT_SNAPSHOT_DELETE, del, BRIDGE_NPARAMS(del), NULL);
    }
    for (size_t i = 0; error == 0 && i < count; i++) {
        bridge_value p[] = {bridge_v_text(name), bridge_v_int((int64_t)i),
                            bridge_v_text(row_json[i]), bridge_v_int(now_ms)};
        error = bridge_db_run(st, BRIDGE_STMT_SNAPSHOT_INSERT, p, BRIDGE_NPARAMS(p), NULL);
    }
    error = bridge_db_finish(st, error);
    bridge_db_leave(st);
    return error;
}
