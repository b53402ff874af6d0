/* Environment variables in the --state file (persist_env.h). */
#include "persist_env.h"

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "persist.h"
#include "pu_log.h"

struct sim_env_persist {
    sqlite3 *db;
    sqlite3_stmt *save, *load;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS env_state (id INTEGER PRIMARY KEY CHECK (id = 1), doc TEXT);";

int sim_env_persist_open(sim_env_persist **out, const char *path, char *err, size_t err_size)
{
    sim_env_persist *p = calloc(1, sizeof(*p));
    if (!p)
        abort();
    *out = NULL;
    if (sim_state_db_open(&p->db, path, SCHEMA, err, err_size) < 0) {
        free(p);
        return -1;
    }
    if (sqlite3_prepare_v2(p->db, "INSERT OR REPLACE INTO env_state VALUES (1, ?1)", -1, &p->save,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "SELECT doc FROM env_state WHERE id = 1", -1, &p->load, NULL) !=
            SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", path, sqlite3_errmsg(p->db));
        sim_env_persist_close(p);
        return -1;
    }
    *out = p;
    return 0;
}

void sim_env_persist_close(sim_env_persist *p)
{
    if (!p)
        return;
    sqlite3_finalize(p->save);
    sqlite3_finalize(p->load);
    sqlite3_close(p->db);
    free(p);
}

int sim_env_persist_load(sim_env_persist *p, sim_env *env)
{
    int rc = 0;
    int step = sqlite3_step(p->load);
    if (step == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(p->load, 0);
        json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
        rc = sim_env_load(env, doc);
        json_decref(doc);
    } else if (step != SQLITE_DONE) {
        rc = -1;
    }
    sqlite3_reset(p->load);
    return rc;
}

void sim_env_persist_save(const sim_env *env, void *payload)
{
    sim_env_persist *p = payload;
    json_t *doc = sim_env_dump(env);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text)
        abort();
    if (sqlite3_bind_text(p->save, 1, text, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(p->save) != SQLITE_DONE)
        pu_log(PU_LOG_WARN, "sim", "state: cannot store the environment variables: %s",
               sqlite3_errmsg(p->db));
    sqlite3_reset(p->save);
    free(text);
}
