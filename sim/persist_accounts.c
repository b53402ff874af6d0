/* --state for accounts: customers, OAuth clients, teams (persist_accounts.h). */
#include "persist_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_users.h"
#include "pu_log.h"

const char SIM_PERSIST_ACCOUNTS_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS customers (username TEXT PRIMARY KEY, product_id INTEGER,"
    " password TEXT, no_password INTEGER, deleted INTEGER);"
    "CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, secret TEXT, name TEXT, type TEXT,"
    " redirect_uri TEXT, scope TEXT, product_id INTEGER, owner TEXT, deleted INTEGER);"
    "CREATE TABLE IF NOT EXISTS teams_saved (kind TEXT, team TEXT, PRIMARY KEY (kind, team));"
    "CREATE TABLE IF NOT EXISTS team_members (kind TEXT, team TEXT, username TEXT,"
    " role INTEGER);"
    /* developers signed up or changed at run time, keyed by the name they were created
     * with (sim_user.origin); mfa: 0 off, 1 on (mfa_secret, or the fleet's fixed code) */
    "CREATE TABLE IF NOT EXISTS developers (origin TEXT PRIMARY KEY, username TEXT,"
    " password TEXT, mfa INTEGER, mfa_secret TEXT, first_name TEXT, last_name TEXT,"
    " company_name TEXT, business_account INTEGER, signed_up INTEGER, deleted INTEGER);";

/* Prepares @p sql; NULL (logged) on failure. */
static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        pu_log(PU_LOG_ERROR, "state", "state: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Steps a write once and finalizes it. */
static void finish(sqlite3 *db, sqlite3_stmt *st)
{
    if (st && sqlite3_step(st) != SQLITE_DONE)
        pu_log(PU_LOG_ERROR, "state", "state: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

static void bind_text(sqlite3_stmt *st, int col, const char *s)
{
    if (s)
        sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, col);
}

static void bind_product(sqlite3_stmt *st, int col, const sim_model *m, uint32_t product)
{
    if (product != SIM_NONE)
        sqlite3_bind_int64(st, col, m->products[product].id);
    else
        sqlite3_bind_null(st, col);
}

static void save_customer(sqlite3 *db, const sim_model *m, const sim_user *u)
{
    sqlite3_stmt *st = prepare(db, "INSERT OR REPLACE INTO customers VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return;
    bind_text(st, 1, u->username);
    bind_product(st, 2, m, u->customer_of);
    bind_text(st, 3, u->deleted ? NULL : u->password);
    sqlite3_bind_int(st, 4, u->no_password);
    sqlite3_bind_int(st, 5, u->deleted);
    finish(db, st);
}

static void save_client(sqlite3 *db, const sim_model *m, const sim_client *c, bool deleted)
{
    sqlite3_stmt *st =
        prepare(db, "INSERT OR REPLACE INTO clients VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return;
    bind_text(st, 1, c->id);
    bind_text(st, 2, deleted ? NULL : c->secret);
    bind_text(st, 3, c->name);
    bind_text(st, 4, c->type);
    bind_text(st, 5, c->redirect_uri);
    bind_text(st, 6, c->scope);
    bind_product(st, 7, m, c->product);
    bind_text(st, 8, c->owner != SIM_NONE ? m->users[c->owner].username : NULL);
    sqlite3_bind_int(st, 9, deleted);
    finish(db, st);
}

/* The key a team is stored under: "product" + product id, or "org" + organization id. */
static void team_key(const sim_model *m, bool org, uint32_t index, char *key, size_t size)
{
    if (org)
        snprintf(key, size, "%s", m->orgs[index].id);
    else
        snprintf(key, size, "%u", m->products[index].id);
}

static void save_team(sqlite3 *db, const sim_model *m, bool org, uint32_t index)
{
    const char *kind = org ? "org" : "product";
    const sim_team *team = org ? &m->orgs[index].team : &m->products[index].team;
    char key[32];
    team_key(m, org, index, key, sizeof(key));
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *st = prepare(db, "INSERT OR IGNORE INTO teams_saved VALUES (?1, ?2)");
    if (st) {
        bind_text(st, 1, kind);
        bind_text(st, 2, key);
        finish(db, st);
    }
    st = prepare(db, "DELETE FROM team_members WHERE kind = ?1 AND team = ?2");
    if (st) {
        bind_text(st, 1, kind);
        bind_text(st, 2, key);
        finish(db, st);
    }
    for (uint32_t i = 0; i < team->count; i++) {
        st = prepare(db, "INSERT INTO team_members VALUES (?1, ?2, ?3, ?4)");
        if (!st)
            break;
        bind_text(st, 1, kind);
        bind_text(st, 2, key);
        bind_text(st, 3, m->users[team->users[i]].username);
        sqlite3_bind_int(st, 4, team->roles[i]);
        finish(db, st);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

static void save_developer(sqlite3 *db, const sim_user *u)
{
    sqlite3_stmt *st = prepare(db, "INSERT OR REPLACE INTO developers VALUES (?1, ?2, ?3, ?4, ?5,"
                                   " ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st)
        return;
    bind_text(st, 1, u->origin);
    bind_text(st, 2, u->username);
    bind_text(st, 3, u->deleted ? NULL : u->password);
    sqlite3_bind_int(st, 4, sim_user_has_mfa(u));
    bind_text(st, 5, u->mfa_secret);
    bind_text(st, 6, u->first_name);
    bind_text(st, 7, u->last_name);
    bind_text(st, 8, u->company_name);
    sqlite3_bind_int(st, 9, u->business_account);
    sqlite3_bind_int(st, 10, u->signed_up);
    sqlite3_bind_int(st, 11, u->deleted);
    finish(db, st);
}

void sim_persist_accounts_change(sqlite3 *db, const sim_model *m, const sim_change *c)
{
    switch (c->kind) {
    case SIM_CHANGED_USER:
        if (m->users[c->index].customer_of != SIM_NONE)
            save_customer(db, m, &m->users[c->index]);
        else if (m->users[c->index].origin)
            save_developer(db, &m->users[c->index]);
        break;
    case SIM_CHANGED_CLIENT:
        save_client(db, m, &m->clients[c->index], false);
        break;
    case SIM_CHANGED_CLIENT_DELETED:
        save_client(db, m, &m->clients[c->index], true);
        break;
    case SIM_CHANGED_PRODUCT_TEAM:
        save_team(db, m, false, c->index);
        break;
    case SIM_CHANGED_ORG_TEAM:
        save_team(db, m, true, c->index);
        break;
    default:
        break;
    }
}

static const char *col_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static uint32_t col_product(const sim_model *m, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return SIM_NONE;
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st, col));
    return sim_model_find_product(m, id);
}

/* Customers of products the fleet no longer has are skipped. */
static int apply_customers(sqlite3 *db, sim_model *m)
{
    sqlite3_stmt *st =
        prepare(db, "SELECT username, product_id, password, no_password, deleted FROM customers");
    if (!st)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = col_text(st, 0), *password = col_text(st, 2), *why;
        uint32_t product = col_product(m, st, 1);
        if (!name || product == SIM_NONE)
            continue;
        uint32_t u = sim_model_find_customer(m, product, name), created;
        if (sqlite3_column_int(st, 4)) {
            if (u != SIM_NONE)
                sim_model_customer_delete(m, u);
            n += u != SIM_NONE;
        } else if (u == SIM_NONE) {
            n +=
                sim_model_customer_create(m, product, name, password,
                                          sqlite3_column_int(st, 3) != 0, &created, &why) == SIM_OK;
        } else if (password && !m->users[u].no_password &&
                   (!m->users[u].password || strcmp(m->users[u].password, password) != 0)) {
            n += sim_model_customer_set_password(m, u, password, &why) == SIM_OK;
        }
    }
    sqlite3_finalize(st);
    return n;
}

/* Clients of products or owners the fleet no longer has are skipped. */
static int apply_clients(sqlite3 *db, sim_model *m)
{
    sqlite3_stmt *st = prepare(db, "SELECT id, secret, name, type, redirect_uri, scope,"
                                   " product_id, owner, deleted FROM clients");
    if (!st)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = col_text(st, 0), *owner = col_text(st, 7);
        if (!id)
            continue;
        if (sqlite3_column_int(st, 8)) {
            uint32_t c = sim_model_find_client(m, id);
            if (c != SIM_NONE)
                sim_model_client_delete(m, c);
            n += c != SIM_NONE;
            continue;
        }
        sim_client saved = {.id = (char *)id,
                            .secret = (char *)col_text(st, 1),
                            .name = (char *)col_text(st, 2),
                            .type = (char *)col_text(st, 3),
                            .redirect_uri = (char *)col_text(st, 4),
                            .scope = (char *)col_text(st, 5),
                            .product = col_product(m, st, 6),
                            .owner = owner ? sim_model_find_user(m, owner) : SIM_NONE};
        if (!saved.secret || (saved.product == SIM_NONE) == (saved.owner == SIM_NONE))
            continue;
        sim_model_client_restore(m, &saved);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* One saved team: its members as stored, less users the fleet no longer has. */
static void apply_team(sqlite3 *db, sim_model *m, bool org, uint32_t index, const char *kind,
                       const char *key)
{
    sqlite3_stmt *st =
        prepare(db, "SELECT username, role FROM team_members WHERE kind = ?1 AND team = ?2");
    if (!st)
        return;
    bind_text(st, 1, kind);
    bind_text(st, 2, key);
    uint32_t *users = NULL, n = 0;
    uint8_t *roles = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = col_text(st, 0);
        uint32_t u = name ? sim_model_find_user(m, name) : SIM_NONE;
        int role = sqlite3_column_int(st, 1);
        if (u == SIM_NONE || role < 0 || role >= SIM_ROLE_COUNT)
            continue;
        uint32_t *nu = realloc(users, (n + 1) * sizeof(*users));
        uint8_t *nr = realloc(roles, (n + 1) * sizeof(*roles));
        if (!nu || !nr)
            abort();
        users = nu;
        roles = nr;
        users[n] = u;
        roles[n++] = (uint8_t)role;
    }
    sqlite3_finalize(st);
    sim_model_team_replace(m, org, index, users, roles, n);
    free(users);
    free(roles);
}

static int apply_teams(sqlite3 *db, sim_model *m)
{
    sqlite3_stmt *st = prepare(db, "SELECT kind, team FROM teams_saved");
    if (!st)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = col_text(st, 0), *key = col_text(st, 1);
        if (!kind || !key)
            continue;
        bool org = strcmp(kind, "org") == 0;
        uint32_t index = org ? sim_model_find_org(m, key) : sim_model_find_product(m, key);
        if (index == SIM_NONE)
            continue;
        apply_team(db, m, org, index, kind, key);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* Developers before customers, clients and teams: those name them. */
static int apply_developers(sqlite3 *db, sim_model *m)
{
    sqlite3_stmt *st = prepare(db, "SELECT origin, username, password, mfa, mfa_secret,"
                                   " first_name, last_name, company_name, business_account,"
                                   " signed_up, deleted FROM developers");
    if (!st)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *origin = col_text(st, 0), *username = col_text(st, 1);
        if (!origin || !username)
            continue;
        sim_account_info info = {.first_name = col_text(st, 5),
                                 .last_name = col_text(st, 6),
                                 .company_name = col_text(st, 7),
                                 .business_account = sqlite3_column_int(st, 8)};
        sim_user_restore(m, origin, username, col_text(st, 2), sqlite3_column_int(st, 3) != 0,
                         col_text(st, 4), &info, sqlite3_column_int(st, 9) != 0,
                         sqlite3_column_int(st, 10) != 0);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

int sim_persist_accounts_apply(sqlite3 *db, sim_model *m)
{
    int d = apply_developers(db, m);
    if (d < 0)
        return -1;
    int a = apply_customers(db, m);
    int b = a < 0 ? -1 : apply_clients(db, m);
    int c = b < 0 ? -1 : apply_teams(db, m);
    return c < 0 ? -1 : d + a + b + c;
}

void sim_persist_accounts_wipe(sqlite3 *db)
{
    sqlite3_exec(db,
                 "DELETE FROM customers; DELETE FROM clients; DELETE FROM teams_saved;"
                 " DELETE FROM team_members; DELETE FROM developers;",
                 NULL, NULL, NULL);
}
