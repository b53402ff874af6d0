/* The bridge's own settings (store.h): one text value per name in bridge_settings. */
#include "store/domain.h"

int bridge_store_setting_get(bridge_store *st, const char *name, char *out, size_t out_size)
{
    return bridge_db_text_by_key(st, BRIDGE_STMT_SETTING_SELECT, name, out, out_size);
}

int bridge_store_setting_put(bridge_store *st, const char *name, const char *value, int64_t now_ms)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_value p[] = {bridge_v_text(name), bridge_v_text(value), bridge_v_int(now_ms)};
    int error = bridge_db_run(st, BRIDGE_STMT_SETTING_UPSERT, p, BRIDGE_NPARAMS(p), NULL);
    bridge_db_leave(st);
    return error;
}

int bridge_store_setting_delete(bridge_store *st, const char *name)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_value p[] = {bridge_v_text(name)};
    int error = bridge_db_run(st, BRIDGE_STMT_SETTING_DELETE, p, BRIDGE_NPARAMS(p), NULL);
    bridge_db_leave(st);
    return error;
}
