/* Integrations in the --state file (hook_persist.h). */
#include "hooks/hook_persist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "model/sim_accounts.h"
#include "persist.h"
#include "pu_log.h"
#include "pu_parse.h"

struct sim_hook_persist {
    sqlite3 *db;
    sqlite3_stmt *save, *remove;
};

static const char SCHEMA[] = "CREATE TABLE IF NOT EXISTS integrations (id TEXT PRIMARY KEY,"
                             " scope INTEGER, owner TEXT, created_ms INTEGER, settings TEXT);";

int sim_hook_persist_open(sim_hook_persist **out, const char *path, char *err, size_t err_size)
{
    sim_hook_persist *p = calloc(1, sizeof(*p));
    if (!p)
        abort();
    *out = NULL;
    if (sim_state_db_open(&p->db, path, SCHEMA, err, err_size) < 0) {
        free(p);
        return -1;
    }
    if (sqlite3_prepare_v2(p->db, "INSERT OR REPLACE INTO integrations VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &p->save, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "DELETE FROM integrations WHERE id = ?1", -1, &p->remove, NULL) !=
            SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", path, sqlite3_errmsg(p->db));
        sim_hook_persist_close(p);
        return -1;
    }
    *out = p;
    return 0;
}

void sim_hook_persist_close(sim_hook_persist *p)
{
    if (!p)
        return;
    sqlite3_finalize(p->save);
    sqlite3_finalize(p->remove);
    sqlite3_close(p->db);
    free(p);
}

/* The owner's name: username, product id or organization id. */
static void owner_key(const sim_model *m, const sim_hook *hook, char out[300])
{
    switch (hook->scope) {
    case SIM_HOOK_USER:
        snprintf(out, 300, "%s", m->users[hook->owner].username);
        break;
    case SIM_HOOK_PRODUCT:
        snprintf(out, 300, "%u", m->products[hook->owner].id);
        break;
    case SIM_HOOK_ORG:
        snprintf(out, 300, "%s", m->orgs[hook->owner].id);
        break;
    }
}

static uint32_t find_owner(const sim_model *m, int scope, const char *key)
{
    switch (scope) {
    case SIM_HOOK_USER:
        return sim_model_find_user(m, key);
    case SIM_HOOK_PRODUCT:
        return sim_model_find_product(m, key);
    case SIM_HOOK_ORG:
        return sim_model_find_org(m, key);
    default:
        return SIM_NONE;
    }
}

static void step(sim_hook_persist *p, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        pu_log(PU_LOG_WARN, "sim", "state: cannot store an integration: %s", sqlite3_errmsg(p->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void sim_hook_persist_save(sim_hook_persist *p, const sim_model *m, const sim_hook *hook)
{
    char key[300];
    owner_key(m, hook, key);
    char *settings = json_dumps(hook->settings, JSON_COMPACT);
    if (!settings)
        abort();
    sqlite3_bind_text(p->save, 1, hook->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(p->save, 2, (int)hook->scope);
    sqlite3_bind_text(p->save, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(p->save, 4, hook->created_ms);
    sqlite3_bind_text(p->save, 5, settings, -1, SQLITE_STATIC);
    step(p, p->save);
    free(settings);
}

static void sim_hook_persist_delete(sim_hook_persist *p, const char *id)
{
    sqlite3_bind_text(p->remove, 1, id, -1, SQLITE_STATIC);
    step(p, p->remove);
}

static void sim_hook_persist_wipe(sim_hook_persist *p)
{
    sqlite3_exec(p->db, "DELETE FROM integrations", NULL, NULL, NULL);
}

int sim_hook_persist_load(sim_hook_persist *p, sim_hooks *h)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT id, scope, owner, created_ms, settings FROM integrations"
                           " ORDER BY created_ms, id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        int scope = sqlite3_column_int(st, 1);
        const char *key = (const char *)sqlite3_column_text(st, 2);
        const char *text = (const char *)sqlite3_column_text(st, 4);
        uint32_t owner = key ? find_owner(h->model, scope, key) : SIM_NONE;
        json_t *settings = text ? json_loads(text, 0, NULL) : NULL;
        json_t *checked = NULL;
        /* Stored settings go through the same check as a request: a file edited by hand
         * cannot smuggle in what the API refuses. */
        if (id && strlen(id) == 24 && owner != SIM_NONE && settings &&
            sim_hooks_validate(settings, NULL, &checked) == NULL)
            sim_hooks_restore(h, id, (sim_hook_scope)scope, owner, sqlite3_column_int64(st, 3),
                              checked);
        else
            pu_log(PU_LOG_WARN, "sim", "state: integration %s skipped (owner gone or invalid)",
                   id ? id : "?");
        json_decref(settings);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void on_change(void *payload, const sim_hooks *h, sim_hooks_change change,
                      const sim_hook *hook)
{
    sim_hook_persist *p = payload;
    switch (change) {
    case SIM_HOOK_SAVED:
        sim_hook_persist_save(p, h->model, hook);
        break;
    case SIM_HOOK_DELETED:
        sim_hook_persist_delete(p, hook->id);
        break;
    case SIM_HOOKS_CLEARED:
        sim_hook_persist_wipe(p);
        break;
    }
}

void sim_hook_persist_observe(sim_hook_persist *p, sim_hooks *h)
{
    sim_hooks_observe(h, on_change, p);
}
