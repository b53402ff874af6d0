/* SQLite persistence of run-time changes (--state FILE). */
#include "persist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "model/sim_cards.h"
#include "model/sim_claims.h"
#include "model/sim_groups.h"
#include "model/sim_tokens.h"
#include "persist_accounts.h"
#include "persist_firmware.h"
#include "pu_log.h"
#include "pu_str.h"
#include "pu_time.h"

struct sim_persist {
    sqlite3 *db;
    sqlite3_stmt *save_token, *delete_token, *revoke_token, *save_device, *save_sim;
    /* groups, product membership, claim codes (fleet_statements) */
    sqlite3_stmt *save_groups, *save_membership, *save_claim, *delete_claim;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, refresh TEXT, kind INTEGER,"
    " username TEXT, product_id INTEGER, client TEXT, created_ms INTEGER, expires_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS revoked (token TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, name TEXT, notes TEXT,"
    " owner TEXT);"
    "CREATE TABLE IF NOT EXISTS sims (iccid TEXT PRIMARY KEY, status INTEGER, last_action INTEGER,"
    " released INTEGER, owner TEXT, product_id INTEGER, mb_limit INTEGER, activations INTEGER,"
    " deactivations INTEGER, first_ms INTEGER, last_ms INTEGER, updated_ms INTEGER,"
    " deactivated_ms INTEGER);"
    /* a product's groups, as a JSON array of {name, description, color} */
    "CREATE TABLE IF NOT EXISTS product_groups (product_id INTEGER PRIMARY KEY, groups TEXT);"
    /* a device's product (null = none), flags and group names (JSON array) */
    "CREATE TABLE IF NOT EXISTS memberships (id TEXT PRIMARY KEY, product_id INTEGER,"
    " denied INTEGER, development INTEGER, desired_firmware INTEGER, groups TEXT);"
    "CREATE TABLE IF NOT EXISTS claim_codes (code TEXT PRIMARY KEY, username TEXT,"
    " device_key TEXT, expires_ms INTEGER);";

/* The statements of the groups, memberships and claim codes tables. */
static bool fleet_statements(sim_persist *p)
{
    return sqlite3_prepare_v2(p->db, "INSERT OR REPLACE INTO product_groups VALUES (?1, ?2)", -1,
                              &p->save_groups, NULL) == SQLITE_OK &&
           sqlite3_prepare_v2(p->db,
                              "INSERT OR REPLACE INTO memberships VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              -1, &p->save_membership, NULL) == SQLITE_OK &&
           sqlite3_prepare_v2(p->db, "INSERT OR REPLACE INTO claim_codes VALUES (?1, ?2, ?3, ?4)",
                              -1, &p->save_claim, NULL) == SQLITE_OK &&
           sqlite3_prepare_v2(p->db, "DELETE FROM claim_codes WHERE code = ?1", -1,
                              &p->delete_claim, NULL) == SQLITE_OK;
}

/* The file holds live access tokens: create it 0600 (SQLite would use the umask) and tighten
 * an existing one. SQLite gives its journal the database file's mode. */
static int make_private(const char *path, char *err, size_t err_size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || ((sb.st_mode & 077) && fchmod(fd, 0600) != 0)) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

int sim_state_db_open(sqlite3 **db, const char *path, const char *schema, char *err,
                      size_t err_size)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(*db, 5000) != SQLITE_OK ||
        /* No fsync per change: a crash of particle-sim loses nothing (every commit is
         * handed to the OS), only an OS crash may lose the last changes; a rollout then
         * writes its devices' versions at memory speed, not one disk sync each. */
        sqlite3_exec(*db, "PRAGMA synchronous=OFF", NULL, NULL, NULL) != SQLITE_OK ||
        (schema != NULL && sqlite3_exec(*db, schema, NULL, NULL, NULL) != SQLITE_OK)) {
        snprintf(err, err_size, "%s: %s", path, *db ? sqlite3_errmsg(*db) : "out of memory");
        sqlite3_close(*db);
        *db = NULL;
        return -1;
    }
    return 0;
}

int sim_persist_open(sim_persist **out, const char *path, char *err, size_t err_size)
{
    *out = NULL;
    if (make_private(path, err, err_size) < 0)
        return -1;
    sim_persist *p = calloc(1, sizeof(*p));
    if (!p)
        abort();
    if (sim_state_db_open(&p->db, path, SCHEMA, err, err_size) < 0) {
        free(p);
        return -1;
    }
    if (sqlite3_exec(p->db, SIM_PERSIST_ACCOUNTS_SCHEMA, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(p->db, SIM_PERSIST_FIRMWARE_SCHEMA, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db,
                           "INSERT OR REPLACE INTO tokens VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &p->save_token, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "DELETE FROM tokens WHERE token = ?1", -1, &p->delete_token,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "INSERT OR IGNORE INTO revoked VALUES (?1)", -1, &p->revoke_token,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "INSERT OR REPLACE INTO devices VALUES (?1, ?2, ?3, ?4)", -1,
                           &p->save_device, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db,
                           "INSERT OR REPLACE INTO sims VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                           " ?10, ?11, ?12, ?13)",
                           -1, &p->save_sim, NULL) != SQLITE_OK ||
        !fleet_statements(p)) {
        snprintf(err, err_size, "%s: %s", path, p->db ? sqlite3_errmsg(p->db) : "out of memory");
        sim_persist_close(p);
        return -1;
    }
    *out = p;
    return 0;
}

void sim_persist_close(sim_persist *p)
{
    if (!p)
        return;
    sqlite3_finalize(p->save_token);
    sqlite3_finalize(p->delete_token);
    sqlite3_finalize(p->revoke_token);
    sqlite3_finalize(p->save_device);
    sqlite3_finalize(p->save_sim);
    sqlite3_finalize(p->save_groups);
    sqlite3_finalize(p->save_membership);
    sqlite3_finalize(p->save_claim);
    sqlite3_finalize(p->delete_claim);
    sqlite3_close(p->db);
    free(p);
}

static void run(sim_persist *p, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        pu_log(PU_LOG_ERROR, "state", "state: %s", sqlite3_errmsg(p->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void bind_text(sqlite3_stmt *st, int col, const char *s)
{
    if (s)
        sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, col);
}

static void save_token(sim_persist *p, const sim_model *m, const sim_token *t)
{
    sqlite3_stmt *st = p->save_token;
    bind_text(st, 1, t->token);
    bind_text(st, 2, t->refresh);
    sqlite3_bind_int(st, 3, t->kind);
    bind_text(st, 4, t->user != SIM_NONE ? m->users[t->user].username : NULL);
    if (t->product != SIM_NONE)
        sqlite3_bind_int64(st, 5, m->products[t->product].id);
    else
        sqlite3_bind_null(st, 5);
    bind_text(st, 6, t->client);
    sqlite3_bind_int64(st, 7, t->created_ms);
    sqlite3_bind_int64(st, 8, t->expires_ms);
    run(p, st);
}

/* Deletes @p token's row; true when there was one. */
static bool delete_token(sim_persist *p, const char *token)
{
    bind_text(p->delete_token, 1, token);
    run(p, p->delete_token);
    return sqlite3_changes(p->db) > 0;
}

/* A token created at run time is deleted; a fixture token (not stored) is remembered as
 * revoked, so the fixture cannot bring it back. */
static void revoke_token(sim_persist *p, const char *token)
{
    if (delete_token(p, token))
        return;
    bind_text(p->revoke_token, 1, token);
    run(p, p->revoke_token);
}

static void save_device(sim_persist *p, const sim_model *m, const sim_device *d)
{
    sqlite3_stmt *st = p->save_device;
    bind_text(st, 1, d->id);
    bind_text(st, 2, d->name);
    bind_text(st, 3, d->notes);
    bind_text(st, 4, d->owner != SIM_NONE ? m->users[d->owner].username : NULL);
    run(p, st);
}

static void save_card(sim_persist *p, const sim_model *m, const sim_card *c)
{
    sqlite3_stmt *st = p->save_sim;
    bind_text(st, 1, c->iccid);
    sqlite3_bind_int(st, 2, c->status);
    sqlite3_bind_int(st, 3, c->last_action);
    sqlite3_bind_int(st, 4, c->released);
    bind_text(st, 5, c->owner != SIM_NONE ? m->users[c->owner].username : NULL);
    if (c->product != SIM_NONE)
        sqlite3_bind_int64(st, 6, m->products[c->product].id);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int(st, 7, c->mb_limit);
    sqlite3_bind_int64(st, 8, c->activations);
    sqlite3_bind_int64(st, 9, c->deactivations);
    sqlite3_bind_int64(st, 10, c->first_activated_ms);
    sqlite3_bind_int64(st, 11, c->last_activated_ms);
    sqlite3_bind_int64(st, 12, c->updated_ms);
    sqlite3_bind_int64(st, 13, c->deactivated_ms);
    run(p, st);
}

/* The bound text of a new JSON value (stolen), compact. */
static void bind_json(sqlite3_stmt *st, int col, json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        abort();
    sqlite3_bind_text(st, col, text, -1, SQLITE_TRANSIENT);
    free(text);
}

static void save_groups(sim_persist *p, const sim_model *m, uint32_t product)
{
    const sim_product *pr = &m->products[product];
    json_t *groups = json_array();
    for (uint32_t g = 0; g < pr->group_count; g++) {
        json_t *o = json_pack("{s:s, s:s}", "name", pr->groups[g], "color", pr->group_colors[g]);
        if (pr->group_descriptions[g])
            json_object_set_new(o, "description", json_string(pr->group_descriptions[g]));
        json_array_append_new(groups, o);
    }
    sqlite3_stmt *st = p->save_groups;
    sqlite3_bind_int64(st, 1, pr->id);
    bind_json(st, 2, groups);
    run(p, st);
}

static void save_membership(sim_persist *p, const sim_model *m, const sim_device *d)
{
    sqlite3_stmt *st = p->save_membership;
    json_t *groups = json_array();
    bind_text(st, 1, d->id);
    if (d->product != SIM_NONE) {
        const sim_product *pr = &m->products[d->product];
        sqlite3_bind_int64(st, 2, pr->id);
        for (uint32_t g = 0; g < pr->group_count; g++)
            if (d->groups & (1u << g))
                json_array_append_new(groups, json_string(pr->groups[g]));
    } else {
        sqlite3_bind_null(st, 2);
    }
    sqlite3_bind_int(st, 3, d->denied);
    sqlite3_bind_int(st, 4, d->development);
    sqlite3_bind_int(st, 5, d->desired_firmware_version);
    bind_json(st, 6, groups);
    run(p, st);
}

static void save_claim(sim_persist *p, const sim_model *m, const sim_claim *c)
{
    sqlite3_stmt *st = p->save_claim;
    bind_text(st, 1, c->code);
    bind_text(st, 2, m->users[c->user].username);
    bind_text(st, 3, c->device_key);
    sqlite3_bind_int64(st, 4, c->expires_ms);
    run(p, st);
}

#define STORED_DEVICE_FIELDS (SIM_DEVICE_NAME | SIM_DEVICE_NOTES | SIM_DEVICE_OWNER)
#define MEMBERSHIP_FIELDS                                                                          \
    (SIM_DEVICE_MEMBERSHIP | SIM_DEVICE_GROUPS | SIM_DEVICE_DEVELOPMENT |                          \
     SIM_DEVICE_DESIRED_FIRMWARE)

/* The model's observer: writes what the file keeps of each change. */
static void on_change(const sim_model *m, const sim_change *c, void *payload)
{
    sim_persist *p = payload;
    switch (c->kind) {
    case SIM_CHANGED_DEVICE:
        if (c->fields & STORED_DEVICE_FIELDS)
            save_device(p, m, &m->devices[c->index]);
        if (c->fields & MEMBERSHIP_FIELDS)
            save_membership(p, m, &m->devices[c->index]);
        sim_persist_firmware_change(p->db, m, c);
        break;
    case SIM_CHANGED_GROUPS:
        save_groups(p, m, c->index);
        break;
    case SIM_CHANGED_CLAIM_CREATED:
        save_claim(p, m, &m->claims[c->index]);
        break;
    case SIM_CHANGED_CLAIM_DROPPED:
        bind_text(p->delete_claim, 1, m->claims[c->index].code);
        run(p, p->delete_claim);
        break;
    case SIM_CHANGED_CARD:
        save_card(p, m, &m->cards[c->index]);
        break;
    case SIM_CHANGED_TOKEN_CREATED:
        save_token(p, m, &m->tokens[c->index]);
        break;
    case SIM_CHANGED_TOKEN_REVOKED:
        revoke_token(p, m->tokens[c->index].token);
        break;
    case SIM_CHANGED_TOKEN_EXPIRED:
        delete_token(p, m->tokens[c->index].token);
        break;
    case SIM_CHANGED_USER:
    case SIM_CHANGED_CLIENT:
    case SIM_CHANGED_CLIENT_DELETED:
    case SIM_CHANGED_PRODUCT_TEAM:
    case SIM_CHANGED_ORG_TEAM:
        sim_persist_accounts_change(p->db, m, c);
        break;
    case SIM_CHANGED_FIRMWARE:
    case SIM_CHANGED_FIRMWARE_DELETED:
        sim_persist_firmware_change(p->db, m, c);
        break;
    }
}

void sim_persist_observe(sim_persist *p, sim_model *m)
{
    sim_model_observe(m, on_change, p);
}

static const char *col_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

/* The product whose id the column holds; SIM_NONE for null or a product the fleet lacks. */
static uint32_t col_product(const sim_model *m, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return SIM_NONE;
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st, col));
    return sim_model_find_product(m, id);
}

static int apply_tokens(sim_persist *p, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    /* Expired tokens, and rows of revoked ones that older files kept, are dropped first. */
    if (sqlite3_prepare_v2(p->db,
                           "DELETE FROM tokens WHERE (expires_ms > 0 AND expires_ms <= ?1)"
                           " OR token IN (SELECT token FROM revoked)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, pu_time_now_ms());
    run(p, st);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(p->db,
                           "SELECT token, refresh, kind, username, product_id, client, created_ms,"
                           " expires_ms FROM tokens ORDER BY created_ms",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *token = col_text(st, 0), *username = col_text(st, 3);
        int kind = sqlite3_column_int(st, 2);
        uint32_t user = username ? sim_model_find_user(m, username) : SIM_NONE;
        uint32_t product = col_product(m, st, 4);
        /* Skip tokens whose user or product the current fleet no longer has. */
        if (!token || kind < SIM_TOKEN_USER || kind > SIM_TOKEN_CUSTOMER ||
            (kind != SIM_TOKEN_PRODUCT && user == SIM_NONE) ||
            (kind != SIM_TOKEN_USER && product == SIM_NONE))
            continue;
        sim_token_add(m, token, col_text(st, 1), (sim_token_kind)kind, user, product,
                      col_text(st, 5), sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7));
        n++;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(p->db, "SELECT token FROM revoked", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *token = col_text(st, 0);
        uint32_t t = token ? sim_token_find(m, token, NULL) : SIM_NONE;
        if (t != SIM_NONE) {
            sim_token_revoke(m, t);
            n++;
        }
    }
    sqlite3_finalize(st);
    return n;
}

static int apply_devices(sim_persist *p, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(p->db, "SELECT id, name, notes, owner FROM devices", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = col_text(st, 0), *name = col_text(st, 1), *notes = col_text(st, 2),
                   *owner = col_text(st, 3);
        uint32_t dev = id ? sim_model_find_device_id(m, id) : SIM_NONE;
        if (dev == SIM_NONE)
            continue;
        sim_device_update u = {.fields = SIM_DEVICE_NOTES | SIM_DEVICE_OWNER,
                               .name = name,
                               .notes = notes,
                               .owner = owner ? sim_model_find_user(m, owner) : SIM_NONE};
        const char *now_named = m->devices[dev].name;
        if (name && (!now_named || strcmp(now_named, name) != 0)) /* renamed */
            u.fields |= SIM_DEVICE_NAME;
        if (sim_model_update_device(m, dev, &u))
            continue;
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* SIM rows of ICCIDs the fleet no longer has are skipped; a stored owner or product that is
 * gone leaves the card with none (only a product import can then take it). */
static int apply_sims(sim_persist *p, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT iccid, status, last_action, released, owner, product_id,"
                           " mb_limit, activations, deactivations, first_ms, last_ms, updated_ms,"
                           " deactivated_ms FROM sims",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *iccid = col_text(st, 0), *owner = col_text(st, 4);
        uint32_t c = iccid ? sim_cards_find(m, iccid) : SIM_NONE;
        int status = sqlite3_column_int(st, 1), action = sqlite3_column_int(st, 2);
        if (c == SIM_NONE || status < 0 || action < 0)
            continue;
        sim_card saved = {.status = (uint8_t)(status > UINT8_MAX ? UINT8_MAX : status),
                          .last_action = (uint8_t)(action > UINT8_MAX ? UINT8_MAX : action),
                          .released = sqlite3_column_int(st, 3) != 0,
                          .owner = owner ? sim_model_find_user(m, owner) : SIM_NONE,
                          .product = col_product(m, st, 5),
                          .mb_limit = sqlite3_column_int(st, 6),
                          .activations = (uint32_t)sqlite3_column_int64(st, 7),
                          .deactivations = (uint32_t)sqlite3_column_int64(st, 8),
                          .first_activated_ms = sqlite3_column_int64(st, 9),
                          .last_activated_ms = sqlite3_column_int64(st, 10),
                          .updated_ms = sqlite3_column_int64(st, 11),
                          .deactivated_ms = sqlite3_column_int64(st, 12)};
        if (!sim_cards_restore(m, c, &saved))
            continue;
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* Each stored product's groups replace the fixture's (devices keep theirs by name). */
static int apply_groups(sim_persist *p, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(p->db, "SELECT product_id, groups FROM product_groups", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint32_t product = col_product(m, st, 0);
        const char *text = col_text(st, 1);
        json_t *groups = text ? json_loads(text, 0, NULL) : NULL;
        const char *names[SIM_MAX_GROUPS], *descriptions[SIM_MAX_GROUPS], *colors[SIM_MAX_GROUPS];
        uint32_t count = 0;
        size_t i;
        json_t *g;
        json_array_foreach(groups, i, g)
        {
            const char *name = json_string_value(json_object_get(g, "name"));
            if (count == SIM_MAX_GROUPS || !name || !sim_group_name_valid(name))
                continue;
            names[count] = name;
            descriptions[count] = json_string_value(json_object_get(g, "description"));
            colors[count++] = json_string_value(json_object_get(g, "color"));
        }
        if (product != SIM_NONE && json_is_array(groups)) {
            sim_group_restore(m, product, names, descriptions, colors, count);
            n++;
        }
        json_decref(groups);
    }
    sqlite3_finalize(st);
    return n;
}

/* A device's stored product, flags and groups; rows of devices or products the fleet no
 * longer has are skipped. */
static int apply_memberships(sim_persist *p, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT id, product_id, denied, development, desired_firmware, groups"
                           " FROM memberships",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = col_text(st, 0), *text = col_text(st, 5);
        uint32_t dev = id ? sim_model_find_device_id(m, id) : SIM_NONE;
        uint32_t product = col_product(m, st, 1);
        if (dev == SIM_NONE || (product == SIM_NONE && sqlite3_column_type(st, 1) != SQLITE_NULL))
            continue;
        const sim_device *d = &m->devices[dev];
        if (product == SIM_NONE && d->product != SIM_NONE)
            sim_model_leave_product(m, dev);
        else if (product != SIM_NONE && (d->product != product || d->quarantined || d->denied))
            sim_model_set_product(m, dev, product);
        if (product != SIM_NONE && sqlite3_column_int(st, 2))
            sim_model_deny(m, dev);
        json_t *groups = text ? json_loads(text, 0, NULL) : NULL;
        size_t count = json_array_size(groups);
        const char **names = calloc(count ? count : 1, sizeof(*names));
        if (!names)
            abort();
        for (size_t i = 0; i < count; i++)
            names[i] = json_string_value(json_array_get(groups, i));
        int fw = sqlite3_column_int(st, 4);
        sim_device_update u = {.fields = SIM_DEVICE_DEVELOPMENT | SIM_DEVICE_DESIRED_FIRMWARE |
                                         SIM_DEVICE_GROUPS,
                               .development = sqlite3_column_int(st, 3) != 0,
                               .desired_firmware_version = fw < -1 ? -1 : fw,
                               .groups = names,
                               .group_count = count};
        if (product == SIM_NONE || !sim_model_update_device(m, dev, &u))
            n++;
        free(names);
        json_decref(groups);
    }
    sqlite3_finalize(st);
    return n;
}

/* Unexpired codes of users the fleet still has. */
static int apply_claims(sim_persist *p, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(p->db, "SELECT code, username, device_key, expires_ms FROM claim_codes",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = col_text(st, 0), *username = col_text(st, 1);
        uint32_t user = username ? sim_model_find_user(m, username) : SIM_NONE;
        int64_t expires_ms = sqlite3_column_int64(st, 3);
        if (!code || strlen(code) != SIM_CLAIM_CODE_LEN || user == SIM_NONE ||
            expires_ms <= sim_model_now(m))
            continue;
        sim_claim_add(m, code, user, col_text(st, 2), expires_ms);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

int sim_persist_apply(sim_persist *p, sim_model *m)
{
    /* Accounts first: stored tokens may belong to customers created at run time. */
    int accounts = sim_persist_accounts_apply(p->db, m);
    if (accounts < 0)
        return -1;
    int a = apply_tokens(p, m);
    if (a < 0)
        return -1;
    int b = apply_devices(p, m);
    if (b < 0)
        return -1;
    int c = apply_sims(p, m);
    if (c < 0)
        return -1;
    int g = apply_groups(p, m);
    if (g < 0)
        return -1;
    int d = apply_memberships(p, m); /* after the groups: they are stored by name */
    if (d < 0)
        return -1;
    int e = apply_claims(p, m);
    if (e < 0)
        return -1;
    int f = sim_persist_firmware_apply(p->db, m); /* after the groups: releases name them */
    return f < 0 ? -1 : accounts + a + b + c + g + d + e + f;
}

void sim_persist_wipe(sim_persist *p)
{
    sqlite3_exec(p->db,
                 "DELETE FROM tokens; DELETE FROM revoked; DELETE FROM devices; DELETE FROM sims;"
                 " DELETE FROM product_groups; DELETE FROM memberships; DELETE FROM claim_codes;",
                 NULL, NULL, NULL);
    sim_persist_accounts_wipe(p->db);
    sim_persist_firmware_wipe(p->db);
}
