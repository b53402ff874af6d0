/* One JSON document as a row of the --state file (persist_doc.h). */
#include "persist_doc.h"

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "persist.h"
#include "pu_log.h"

struct sim_doc_persist {
    sqlite3 *db;
    sqlite3_stmt *save, *load;
    char what[64];
};

void sim_doc_persist_save(const json_t *doc, void *payload)
{
    sim_doc_persist *p = payload;
    char *text = json_dumps(doc, JSON_COMPACT);
    if (!text)
        abort();
    sqlite3_reset(p->save);
    sqlite3_bind_text(p->save, 1, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(p->save) != SQLITE_DONE)
        pu_log(PU_LOG_WARN, "sim", "state: cannot store the %s: %s", p->what,
               sqlite3_errmsg(p->db));
    sqlite3_reset(p->save);
    free(text);
}

/* The stored document, or NULL when there is none (a new file). -1 on a bad row. */
static int load(sim_doc_persist *p, json_t **out)
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

int sim_doc_persist_open(sim_doc_persist **out, const char *path, const char *table,
                         const char *column, const char *what, json_t **loaded, char *err,
                         size_t err_size)
{
    *out = NULL;
    *loaded = NULL;
    sim_doc_persist *p = calloc(1, sizeof(*p));
    if (!p)
        abort();
    snprintf(p->what, sizeof(p->what), "%s", what);
    char schema[160], save_sql[160], load_sql[160];
    snprintf(schema, sizeof(schema),
             "CREATE TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY CHECK (id = 1), "
             "%s TEXT NOT NULL);",
             table, column);
    snprintf(save_sql, sizeof(save_sql), "INSERT OR REPLACE INTO %s (id, %s) VALUES (1, ?1)", table,
             column);
    snprintf(load_sql, sizeof(load_sql), "SELECT %s FROM %s WHERE id = 1", column, table);
    if (sim_state_db_open(&p->db, path, schema, err, err_size) < 0) {
        free(p);
        return -1;
    }
    if (sqlite3_prepare_v2(p->db, save_sql, -1, &p->save, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, load_sql, -1, &p->load, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", path, sqlite3_errmsg(p->db));
        sim_doc_persist_close(p);
        return -1;
    }
    if (load(p, loaded) < 0) {
        snprintf(err, err_size, "%s: the stored %s do not read", path, what);
        json_decref(*loaded);
        *loaded = NULL;
        sim_doc_persist_close(p);
        return -1;
    }
    *out = p;
    return 0;
}

void sim_doc_persist_close(sim_doc_persist *p)
{
    if (!p)
        return;
    sqlite3_finalize(p->save);
    sqlite3_finalize(p->load);
    sqlite3_close(p->db);
    free(p);
}
