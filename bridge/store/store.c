/* The store's domain layer: opening a handle on a driver, and the helpers its parts share. */
#include "store/domain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_str.h"

void bridge_device_dispose(bridge_device *dev)
{
    if (dev == NULL) {
        return;
    }
    free(dev->variables);
    free(dev->functions);
    dev->variables = NULL;
    dev->variable_count = 0;
    dev->functions = NULL;
    dev->function_count = 0;
}

void bridge_device_list_free(bridge_device *devs, size_t count)
{
    if (devs == NULL) {
        return;
    }
    for (size_t i = 0; i < count; i++) {
        bridge_device_dispose(&devs[i]);
    }
    free(devs);
}

void bridge_sim_dispose(bridge_sim *sim)
{
    if (sim == NULL) {
        return;
    }
    free(sim->usage);
    sim->usage = NULL;
    sim->usage_count = 0;
}

/* Wraps a driver's connection into a handle and migrates it. */
static bridge_store *open_on(bridge_conn *conn, const char *shown, char *err, size_t err_size)
{
    if (conn == NULL) {
        return NULL;
    }
    bridge_store *st = calloc(1, sizeof *st);
    if (st == NULL) {
        conn->drv->close(conn);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    st->conn = conn;
    st->drv = conn->drv;
    pthread_mutex_init(&st->lock, NULL);
    if (bridge_db_migrate(st) != 0) {
        snprintf(err, err_size, "database %s: %s", shown, conn->err);
        bridge_store_close(st);
        return NULL;
    }
    return st;
}

bridge_store *bridge_store_open_sqlite(const char *path, char *err, size_t err_size)
{
    return open_on(bridge_sqlite_connect(path, err, err_size), path, err, err_size);
}

bridge_store *bridge_store_open(const char *database, char *err, size_t err_size)
{
    if (!bridge_store_is_postgres_uri(database)) {
        return bridge_store_open_sqlite(database, err, err_size);
    }
    char shown[256];
    bridge_store_uri_redact(database, shown, sizeof shown);
    return open_on(bridge_pg_connect(database, err, err_size), shown, err, err_size);
}

void bridge_store_close(bridge_store *st)
{
    if (st == NULL) {
        return;
    }
    st->drv->close(st->conn);
    pthread_mutex_destroy(&st->lock);
    free(st->latest);
    free(st);
}

const char *bridge_store_errmsg(const bridge_store *st)
{
    return st->conn->err;
}

const char *bridge_stmt_what(bridge_stmt_id id)
{
    static const char *const what[BRIDGE_STMT_COUNT] = {
#define BRIDGE_STMT_WHAT_(name, text) text,
        BRIDGE_STMT_MAP(BRIDGE_STMT_WHAT_)
#undef BRIDGE_STMT_WHAT_
    };
    return (unsigned)id < BRIDGE_STMT_COUNT ? what[id] : "statement";
}

const char *bridge_store_backend(const bridge_store *st)
{
    return st->drv->name;
}

int bridge_db_enter(bridge_store *st)
{
    pthread_mutex_lock(&st->lock);
    int error = st->drv->ready != NULL ? st->drv->ready(st->conn) : 0;
    if (error != 0) {
        pthread_mutex_unlock(&st->lock);
    }
    return error;
}

void bridge_db_leave(bridge_store *st)
{
    pthread_mutex_unlock(&st->lock);
}

int bridge_db_fail(bridge_store *st, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->conn->err, sizeof st->conn->err, fmt, ap);
    va_end(ap);
    return code;
}

int bridge_db_begin(bridge_store *st)
{
    return st->drv->exec(st->conn, st->drv->sql[BRIDGE_STMT_BEGIN]);
}

int bridge_db_finish(bridge_store *st, int error)
{
    if (error == 0) {
        error = st->drv->exec(st->conn, st->drv->sql[BRIDGE_STMT_COMMIT]);
        if (error == 0) {
            return 0;
        }
    }
    /* The rollback's own failure (a lost connection) must not hide the reason. */
    char saved[sizeof st->conn->err];
    memcpy(saved, st->conn->err, sizeof saved);
    st->drv->exec(st->conn, st->drv->sql[BRIDGE_STMT_ROLLBACK]);
    memcpy(st->conn->err, saved, sizeof saved);
    return error;
}

bridge_stmt *bridge_db_query(bridge_store *st, bridge_stmt_id id, const bridge_value *p, int n)
{
    bridge_stmt *s = st->drv->prepare(st->conn, id);
    for (int i = 0; s != NULL && i < n; i++) {
        st->drv->bind(s, i + 1, p[i]);
    }
    return s;
}

int bridge_db_run(bridge_store *st, bridge_stmt_id id, const bridge_value *p, int n,
                  uint64_t *changed_out)
{
    bridge_stmt *s = bridge_db_query(st, id, p, n);
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    int rc;
    while ((rc = st->drv->step(s)) == BRIDGE_ROW) {
    }
    if (rc == BRIDGE_DONE && changed_out != NULL) {
        *changed_out = st->drv->changes(s);
    }
    st->drv->reset(s);
    return rc == BRIDGE_DONE ? 0 : BRIDGE_STORE_ERROR;
}

int bridge_db_write_rows(bridge_store *st, bridge_row *rows, size_t n)
{
    if (st->drv->write_rows != NULL) {
        return st->drv->write_rows(st->conn, rows, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (bridge_db_run(st, rows[i].stmt, rows[i].params, rows[i].nparams, &rows[i].changed) !=
            0) {
            return BRIDGE_STORE_ERROR;
        }
    }
    return 0;
}

void bridge_db_column_copy(bridge_store *st, bridge_stmt *s, int col, char *out, size_t size)
{
    pu_strlcpy(out, st->drv->column_text(s, col), size);
}

bool bridge_db_grow(void **arr, size_t *cap, size_t count, size_t elem_size)
{
    if (count < *cap) {
        return true;
    }
    size_t new_cap = *cap ? *cap * 2 : 8;
    size_t bytes;
    if (__builtin_mul_overflow(new_cap, elem_size, &bytes)) {
        return false;
    }
    void *p = realloc(*arr, bytes);
    if (p == NULL) {
        return false;
    }
    *arr = p;
    *cap = new_cap;
    return true;
}
