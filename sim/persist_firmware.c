/* Product firmware and devices' firmware in the --state file (persist_firmware.h). */
#include "persist_firmware.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "model/sim_firmware.h"
#include "pu_log.h"

const char SIM_PERSIST_FIRMWARE_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS product_firmware (product_id INTEGER, version INTEGER,"
    " fw_id TEXT, title TEXT, description TEXT, filename TEXT, data BLOB, mandatory INTEGER,"
    " uploaded_by TEXT, uploaded_ms INTEGER, product_default INTEGER, groups TEXT,"
    " released_ms INTEGER, PRIMARY KEY (product_id, version));"
    "CREATE TABLE IF NOT EXISTS device_firmware (id TEXT PRIMARY KEY, firmware_version INTEGER,"
    " updates_enabled INTEGER);";

/* Runs @p sql with the bound values, one statement at a time (changes are rare). */
static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        pu_log(PU_LOG_ERROR, "state", "state: %s", sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

static void finish(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        pu_log(PU_LOG_ERROR, "state", "state: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

static void bind_text_or_null(sqlite3_stmt *st, int col, const char *s)
{
    if (s)
        sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, col);
}

static void save_firmware(sqlite3 *db, const sim_model *m, const sim_firmware *f)
{
    sqlite3_stmt *st = prepare(db, "INSERT OR REPLACE INTO product_firmware VALUES (?1, ?2, ?3,"
                                   " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (!st)
        return;
    json_t *groups = json_array();
    for (uint32_t g = 0; g < f->group_count; g++)
        json_array_append_new(groups, json_string(f->groups[g]));
    char *groups_text = json_dumps(groups, JSON_COMPACT);
    json_decref(groups);
    if (!groups_text)
        abort();
    sqlite3_bind_int64(st, 1, m->products[f->product].id);
    sqlite3_bind_int(st, 2, f->version);
    bind_text_or_null(st, 3, f->id);
    bind_text_or_null(st, 4, f->title);
    bind_text_or_null(st, 5, f->description);
    bind_text_or_null(st, 6, f->filename);
    sqlite3_bind_blob64(st, 7, f->data, f->size, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 8, f->mandatory);
    bind_text_or_null(st, 9, f->uploaded_by);
    sqlite3_bind_int64(st, 10, f->uploaded_ms);
    sqlite3_bind_int(st, 11, f->product_default);
    sqlite3_bind_text(st, 12, groups_text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 13, f->released_ms);
    free(groups_text);
    finish(db, st);
}

static void delete_firmware(sqlite3 *db, const sim_model *m, const sim_firmware *f)
{
    sqlite3_stmt *st =
        prepare(db, "DELETE FROM product_firmware WHERE product_id = ?1 AND version = ?2");
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, m->products[f->product].id);
    sqlite3_bind_int(st, 2, f->version);
    finish(db, st);
}

static void save_device(sqlite3 *db, const sim_device *d)
{
    sqlite3_stmt *st = prepare(db, "INSERT OR REPLACE INTO device_firmware VALUES (?1, ?2, ?3)");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, d->firmware_version);
    sqlite3_bind_int(st, 3, d->updates_enabled);
    finish(db, st);
}

void sim_persist_firmware_change(sqlite3 *db, const sim_model *m, const sim_change *c)
{
    if (c->kind == SIM_CHANGED_FIRMWARE)
        save_firmware(db, m, sim_firmware_at(m, c->index));
    else if (c->kind == SIM_CHANGED_FIRMWARE_DELETED)
        delete_firmware(db, m, sim_firmware_at(m, c->index));
    else if (c->kind == SIM_CHANGED_DEVICE && (c->fields & SIM_DEVICE_FIRMWARE))
        save_device(db, &m->devices[c->index]);
}

static uint32_t product_of(const sim_model *m, sqlite3_int64 id)
{
    char key[24];
    snprintf(key, sizeof(key), "%lld", (long long)id);
    return sim_model_find_product(m, key);
}

static int apply_product_firmware(sqlite3 *db, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT product_id, version, fw_id, title, description, filename, data,"
                           " mandatory, uploaded_by, uploaded_ms, product_default, groups,"
                           " released_ms FROM product_firmware ORDER BY product_id, version",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint32_t product = product_of(m, sqlite3_column_int64(st, 0));
        const char *title = (const char *)sqlite3_column_text(st, 3);
        const char *id = (const char *)sqlite3_column_text(st, 2);
        const char *groups_text = (const char *)sqlite3_column_text(st, 11);
        if (product == SIM_NONE || !title || !id)
            continue;
        sim_firmware_upload u = {.version = sqlite3_column_int(st, 1),
                                 .title = title,
                                 .description = (const char *)sqlite3_column_text(st, 4),
                                 .filename = (const char *)sqlite3_column_text(st, 5),
                                 .data = sqlite3_column_blob(st, 6),
                                 .size = (size_t)sqlite3_column_bytes(st, 6),
                                 .mandatory = sqlite3_column_int(st, 7) != 0,
                                 .uploaded_by = (const char *)sqlite3_column_text(st, 8)};
        json_t *groups = groups_text ? json_loads(groups_text, 0, NULL) : NULL;
        size_t count = json_array_size(groups);
        const char **names = calloc(count ? count : 1, sizeof(*names));
        if (!names)
            abort();
        size_t named = 0;
        for (size_t i = 0; i < count; i++)
            if (json_is_string(json_array_get(groups, i)))
                names[named++] = json_string_value(json_array_get(groups, i));
        sim_firmware_restore(m, product, &u, id, sqlite3_column_int64(st, 9),
                             sqlite3_column_int(st, 10) != 0, names, named,
                             sqlite3_column_int64(st, 12));
        free(names);
        json_decref(groups);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

static int apply_devices(sqlite3 *db, sim_model *m)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT id, firmware_version, updates_enabled FROM device_firmware",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        uint32_t dev = id ? sim_model_find_device_id(m, id) : SIM_NONE;
        if (dev == SIM_NONE)
            continue;
        sim_firmware_restore_device(m, dev, sqlite3_column_int(st, 1),
                                    sqlite3_column_int(st, 2) != 0);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

int sim_persist_firmware_apply(sqlite3 *db, sim_model *m)
{
    int a = apply_product_firmware(db, m);
    if (a < 0)
        return -1;
    int b = apply_devices(db, m);
    return b < 0 ? -1 : a + b;
}

void sim_persist_firmware_wipe(sqlite3 *db)
{
    sqlite3_exec(db, "DELETE FROM product_firmware; DELETE FROM device_firmware;", NULL, NULL,
                 NULL);
}
