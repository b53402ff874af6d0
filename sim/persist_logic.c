/* Logic functions in the --state file (persist_logic.h). */
#include "persist_logic.h"

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "persist.h"
#include "pu_log.h"

struct sim_logic_persist {
    sqlite3 *db;
    sqlite3_stmt *save, *load;
};

static const char SCHEMA[] = "CREATE TABLE IF NOT EXISTS logic (id INTEGER PRIMARY KEY"
                             " CHECK (id = 1), store TEXT NOT NULL);";

/* The saver: the store replaces the one row. A failed write is logged; the running
 * simulator keeps its state. */
static void save(const json_t *store, void *payload)
{
    sim_logic_persist *p = payload;
    char *text = json_dumps(store, JSON_COMPACT);
    if (!text)
        abort();
    sqlite3_reset(p->save);
    sqlite3_bind_text(p->save, 1, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(p->save) != SQLITE_DONE)
        pu_log(PU_LOG_WARN, "sim", "state: cannot store the logic functions: %s",
               sqlite3_errmsg(p->db));
    sqlite3_reset(p->save);
    free(text);
}

/* The stored store, or NULL when there is none (a new file). -1 on a bad row. */
static int load(sim_logic_persist *p, json_t **out)
{
    *out = NULL;
    int rc = sqlite3_step(p->load);
    if (rc == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(p->load, 0);
        *out = text ? json_loads(text, 0, NULL) : NULL;
        rc = json_is_object(*out) ? SQLITE_DONE : SQLITE_CORRUPT;
    }
    sqlite3_reset(p->load);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sim_logic_persist_open(sim_logic_persist **out, const char *path, sim_logic *l, char *err,
                           size_t err_size)
{
    sim_logic_persist *p = calloc(1, sizeof(*p));
    if (!p)
        abort();
    *out = NULL;
    json_t *store = NULL;
    if (sim_state_db_open(&p->db, path, SCHEMA, err, err_size) < 0) {
        free(p);
        return -1;
    }
    if (sqlite3_prepare_v2(p->db, "INSERT OR REPLACE INTO logic (id, store) VALUES (1, ?1)", -1,
                           &p->save, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "SELECT store FROM logic WHERE id = 1", -1, &p->load, NULL) !=
            SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", path, sqlite3_errmsg(p->db));
        sim_logic_persist_close(p);
        return -1;
    }
    if (load(p, &store) < 0) {
        snprintf(err, err_size, "%s: the stored logic functions do not read", path);
        json_decref(store);
        sim_logic_persist_close(p);
        return -1;
    }
    sim_logic_restore(l, store, save, p);
    json_decref(store);
    *out = p;
    return 0;
}

void sim_logic_persist_close(sim_logic_persist *p)
{
    if (!p)
        return;
    sqlite3_finalize(p->save);
    sqlite3_finalize(p->load);
    sqlite3_close(p->db);
    free(p);
}
