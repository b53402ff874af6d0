/* The cloud's objects kept whole (store.h, migration 0009): one row per kind and key in
 * cloud_objects, written as a listing's set, read by kind. */
#include "store/domain.h"

static int put_objects(bridge_store *st, const bridge_cloud_object *objects, size_t count,
                       const char *replace_kind, int replace_product, int64_t synced_before_ms)
{
    int error = 0;
    for (size_t i = 0; error == 0 && i < count; i++) {
        const bridge_cloud_object *o = &objects[i];
        bridge_value v[] = {bridge_v_text(o->kind), bridge_v_text(o->key),
                            bridge_v_int(o->product_id), bridge_v_text(o->json),
                            bridge_v_int(o->synced_ms)};
        error = bridge_db_run(st, BRIDGE_STMT_OBJ_UPSERT, v, BRIDGE_NPARAMS(v), NULL);
    }
    if (error == 0 && replace_kind != NULL) {
        bridge_value v[] = {bridge_v_text(replace_kind), bridge_v_int(replace_product),
                            bridge_v_int(synced_before_ms)};
        error = bridge_db_run(st, BRIDGE_STMT_OBJ_DELETE_STALE, v, BRIDGE_NPARAMS(v), NULL);
    }
    return error;
}

int bridge_store_objects_put(bridge_store *st, const bridge_cloud_object *objects, size_t count,
                             const char *replace_kind, int replace_product,
                             int64_t synced_before_ms)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(
            st, put_objects(st, objects, count, replace_kind, replace_product, synced_before_ms));
    }
    bridge_db_leave(st);
    return error;
}

int bridge_store_objects_list(bridge_store *st, const char *kind, int product_id,
                              bridge_cloud_object_fn *cb, void *payload)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_value p[] = {bridge_v_text(kind),
                        product_id < 0 ? bridge_v_text(NULL) : bridge_v_int(product_id)};
    bridge_stmt *s = bridge_db_query(st, BRIDGE_STMT_OBJ_SELECT, p, BRIDGE_NPARAMS(p));
    int rc = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        while ((rc = st->drv->step(s)) == BRIDGE_ROW) {
            bridge_cloud_object o = {.kind = kind,
                                     .key = st->drv->column_text(s, 0),
                                     .product_id = (int)st->drv->column_int(s, 1),
                                     .json = st->drv->column_text(s, 2),
                                     .synced_ms = st->drv->column_int(s, 3)};
            if (cb(&o, payload) != 0) {
                rc = BRIDGE_DONE;
                break;
            }
        }
        st->drv->reset(s);
    }
    bridge_db_leave(st);
    return rc == BRIDGE_DONE ? 0 : BRIDGE_STORE_ERROR;
}
