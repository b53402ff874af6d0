/*
 * What the PostgreSQL driver's two files share: postgres.c (the connection, statements and
 * errors) and postgres_bulk.c (the fast path that writes a batch's rows).
 */
#ifndef BRIDGE_STORE_POSTGRES_INTERNAL_H
#define BRIDGE_STORE_POSTGRES_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/driver.h"

/* The statements the fast path writes in bulk: the rows every event brings. */
typedef enum bulk_kind { B_EVENT, B_MEAS, B_POST, B_COUNT_ } bulk_kind;
#define BULK_MAX 64
#define BULK_SIZES 7 /* log2(BULK_MAX) + 1 */
#define BULK_MAX_COLS 7
#define MAX_PARAMS 20
#define TEXT_SIZE 32 /* a formatted number */

typedef struct pg_conn pg_conn;

struct bridge_stmt {
    bridge_stmt_id id;
    pg_conn *conn;
    const char *v[MAX_PARAMS]; /* text parameters; NULL is SQL NULL */
    char buf[MAX_PARAMS][TEXT_SIZE];
    int n;
    PGresult *res; /* after the first step */
    int row;
};

struct pg_conn {
    bridge_conn base;
    PGconn *pg;
    /* What exists on this connection's session; all cleared by a reconnect. */
    bool prepared[BRIDGE_STMT_COUNT];
    bool bulk_prepared[B_COUNT_][BULK_SIZES];
    struct bridge_stmt stmts[BRIDGE_STMT_COUNT];
};

/* Records the failure of @p what (the result's message, else the connection's) in the
 * connection's error text; BRIDGE_STORE_ERROR. */
int bridge_pg_fail(pg_conn *c, const char *what, const PGresult *r);
int bridge_pg_prepare_named(pg_conn *c, const char *name, const char *sql);
void bridge_pg_stmt_name(char *out, size_t size, bridge_stmt_id id);
int bridge_pg_ensure_prepared(pg_conn *c, bridge_stmt_id id);
/* @p v as the text PostgreSQL reads (numbers formatted into @p buf); NULL for SQL NULL. */
const char *bridge_pg_value_text(bridge_value v, char buf[TEXT_SIZE]);
int64_t bridge_pg_text_int(const char *s);
uint64_t bridge_pg_affected(const PGresult *r); /* a command's row count */

/* The driver's write_rows (postgres_bulk.c). */
int bridge_pg_write_rows(bridge_conn *bc, bridge_row *rows, size_t n);
/* The driver's partitions (postgres_partitions.c). */
int bridge_pg_partitions(bridge_conn *bc, int64_t now_ms, int64_t drop_before_ms, unsigned *created,
                         unsigned *dropped);

#endif
