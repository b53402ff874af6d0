/* The helpers the store's domain files share (declared in store/domain.h): the handle's
 * lock, transactions, running a statement by id, copying a column, growing an array. */
#include "store/domain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_str.h"

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

int bridge_db_text_by_key(bridge_store *st, bridge_stmt_id id, const char *key, char *out,
                          size_t out_size)
{
    if (out_size > 0) {
        out[0] = '\0';
    }
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_value p[] = {bridge_v_text(key)};
    bridge_stmt *s = bridge_db_query(st, id, p, BRIDGE_NPARAMS(p));
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        int rc = st->drv->step(s);
        if (rc == BRIDGE_ROW) {
            bridge_db_column_copy(st, s, 0, out, out_size);
            error = 0;
        } else if (rc == BRIDGE_DONE) {
            error = BRIDGE_STORE_NOTFOUND;
        }
        st->drv->reset(s);
    }
    bridge_db_leave(st);
    return error;
}
