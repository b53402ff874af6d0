/* The store's handle: opening it on a driver (and migrating), closing it, what it says. The
 * helpers the domain's parts share are in store_db.c. */
#include "store/domain.h"

#include <stdio.h>
#include <stdlib.h>

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

const char *bridge_store_backend(const bridge_store *st)
{
    return st->drv->name;
}
