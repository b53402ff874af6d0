/*
 * Applying a dialect's migration history (store/migrations/ for SQLite, migrations_pg/ for
 * PostgreSQL: the same numbered steps, each in the dialect's SQL).
 *
 * Everything pending runs in one transaction, with the applied versions recorded in
 * schema_migrations: a failure leaves the database as it was. The dialect may serialise
 * bridges that migrate one database at once (MIG_LOCK: PostgreSQL's advisory lock; SQLite's
 * write transaction is exclusive already), and may renumber an older history into today's
 * (MIG_LEGACY) before the versions are compared.
 */
#include "store/domain.h"

#include "pu_time.h"

static int exec_optional(bridge_store *st, bridge_stmt_id id)
{
    const char *sql = st->drv->sql[id];
    return sql != NULL ? st->drv->exec(st->conn, sql) : 0;
}

static int apply_pending(bridge_store *st)
{
    int error = exec_optional(st, BRIDGE_STMT_MIG_LOCK);
    if (error == 0) {
        error = st->drv->exec(st->conn, st->drv->sql[BRIDGE_STMT_MIG_TABLE]);
    }
    if (error == 0) {
        error = exec_optional(st, BRIDGE_STMT_MIG_LEGACY);
    }
    for (size_t i = 0; error == 0 && i < *st->drv->migration_count; i++) {
        const bridge_migration *m = &st->drv->migrations[i];
        bridge_value version[] = {bridge_v_int(m->version)};
        bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_MIG_APPLIED, version, 1);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        int rc = st->drv->step(s);
        st->drv->reset(s);
        if (rc == BRIDGE_STORE_ERROR) {
            return BRIDGE_STORE_ERROR;
        }
        if (rc == BRIDGE_ROW) {
            continue;
        }
        if (st->drv->exec(st->conn, m->sql) != 0) { /* an embedded script, never data */
            char reason[sizeof st->conn->err];
            memcpy(reason, st->conn->err, sizeof reason);
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "migration %s: %.400s", m->name, reason);
        }
        bridge_value record[] = {bridge_v_int(m->version), bridge_v_text(m->name),
                                 bridge_v_int(pu_time_now_ms())};
        error = bridge_db_run(st, BRIDGE_STMT_MIG_RECORD, record, BRIDGE_NPARAMS(record), NULL);
    }
    return error;
}

int bridge_db_migrate(bridge_store *st)
{
    for (int id = 0; id < BRIDGE_STMT_COUNT; id++) {
        if (st->drv->sql[id] == NULL && id != BRIDGE_STMT_MIG_LOCK &&
            id != BRIDGE_STMT_MIG_LEGACY) {
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "%s driver has no SQL for statement %d",
                                  st->drv->name, id);
        }
    }
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(st, apply_pending(st));
    }
    bridge_db_leave(st);
    return error;
}
