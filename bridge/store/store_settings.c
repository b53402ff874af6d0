/* The bridge's own settings (store.h): one text value per name in bridge_settings. */
#include "store/domain.h"

int bridge_store_setting_get(bridge_store *st, const char *name, char *out, size_t out_size)
{
    if (out_size > 0) {
        out[0] = '\0';
    }
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_value p[] = {bridge_v_text(name)};
    bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_SETTING_SELECT, p, BRIDGE_NPARAMS(p));
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        int rc = st->drv->step(s);
        if (rc == BRIDGE_ROW) {
            bridge_db_column_copy(st, s, 0, out, out_size);
            error = 0;
        } else if (rc == BRIDGE_DONE) {
            error = BRIDGE_STORE_NOTFOUND;
        }
        st->drv->reset(s);
    }
    bridge_db_leave(st);
    return error;
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
