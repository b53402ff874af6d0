/* The bridge's schema migrations, embedded at build time from store/migrations/NNNN_*.sql
 * (SQLite) and store/migrations_pg/NNNN_*.sql (PostgreSQL): the same numbered steps, each in
 * its dialect (see store/embed_migrations.cmake). store_migrate.c applies the pending ones
 * in order, in one transaction, and records the applied versions in schema_migrations. */
#ifndef BRIDGE_MIGRATIONS_H
#define BRIDGE_MIGRATIONS_H

#include <stddef.h>

typedef struct bridge_migration {
    int version;      /* the file's number, strictly increasing */
    const char *name; /* the file name without .sql */
    const char *sql;  /* the whole script */
} bridge_migration;

extern const bridge_migration bridge_migrations[];
extern const size_t bridge_migration_count;

extern const bridge_migration bridge_pg_migrations[];
extern const size_t bridge_pg_migration_count;

#endif
