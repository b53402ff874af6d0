/*
 * The PostgreSQL backend of bridge_store (store/postgres.c), and the helpers that pick it.
 *
 * A database string that is a libpq connection URI (postgresql://... or postgres://...)
 * names a PostgreSQL database; anything else is an SQLite file path. The URI may carry a
 * password; libpq also reads PGPASSWORD and PGPASSFILE (~/.pgpass) itself. Never print a
 * URI as given: bridge_store_uri_redact() removes the password first.
 *
 * Threads: the functions here keep no state.
 */
#ifndef BRIDGE_STORE_POSTGRES_H
#define BRIDGE_STORE_POSTGRES_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* True when @p database starts with postgresql:// or postgres:// (case-insensitive). */
bool bridge_store_is_postgres_uri(const char *database);

/*
 * Connects to the PostgreSQL database @p uri names (connect timeout 10 s unless the URI
 * sets connect_timeout), takes an advisory lock and applies the pending migrations of
 * store/migrations_pg/ in one transaction, so several bridges starting together migrate
 * once. On failure returns NULL and writes the reason (without the password) into @p err.
 * Close with bridge_store_close(). A handle whose connection is lost reports the failing
 * call as an error and reconnects at its next call.
 */
bridge_store *bridge_store_open_postgres(const char *uri, char *err, size_t err_size);

/*
 * Copies @p database into @p out without secrets: for a PostgreSQL URI the password of the
 * user-info part ("user:secret@") and any password=... query parameter are left out; other
 * strings are copied as they are. Truncates to fit @p out_size. Returns @p out.
 */
const char *bridge_store_uri_redact(const char *database, char *out, size_t out_size);

#endif
