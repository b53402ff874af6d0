/* The store's domain layer: firmware (migration 0007). A product's firmware versions are
 * written as a whole set, like its groups (store_fleet.c); a device's firmware fields come
 * with its sync, its last flash status with the spark/flash/status events (store_ingest.c). */
#include "store/domain.h"

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* 1 or 0 as a boolean, -1 (not said) as NULL. */
static bridge_value flag_or_null(int flag)
{
    return flag < 0 ? (bridge_value){.type = BRIDGE_VALUE_NULL} : bridge_v_bool(flag != 0);
}

/* A version or count column: -1 when NULL. */
static int64_t int_or_none(bridge_store *st, bridge_stmt *s, int col)
{
    return st->drv->column_null(s, col) ? -1 : st->drv->column_int(s, col);
}

/* ---- product firmware ---- */

typedef struct firmware_args {
    int product_id;
    const bridge_product_firmware *firmware;
    size_t count;
} firmware_args;

static int fill_firmware(bridge_store *st, const firmware_args *a)
{
    bridge_value product[] = {bridge_v_int(a->product_id)};
    int error = bridge_db_run(st, BRIDGE_STMT_FIRMWARE_DELETE_PRODUCT, product, 1, NULL);
    for (size_t i = 0; error == 0 && i < a->count; i++) {
        const bridge_product_firmware *fw = &a->firmware[i];
        if (fw->version < 0) {
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "product firmware without version");
        }
        bridge_value v[] = {bridge_v_int(a->product_id),
                            bridge_v_int(fw->version),
                            bridge_v_text(or_empty(fw->firmware_id)),
                            bridge_v_text(or_empty(fw->title)),
                            bridge_v_text(or_empty(fw->description)),
                            bridge_v_text(or_empty(fw->file_name)),
                            bridge_v_int(fw->size_bytes),
                            bridge_v_int(fw->uploaded_at_ms),
                            bridge_v_text(or_empty(fw->uploaded_by)),
                            bridge_v_bool(fw->product_default),
                            bridge_v_bool(fw->mandatory),
                            bridge_v_text(or_empty(fw->groups)),
                            bridge_v_count_or_null(fw->device_count)};
        error = bridge_db_run(st, BRIDGE_STMT_FIRMWARE_UPSERT, v, BRIDGE_NPARAMS(v), NULL);
    }
    return error;
}

int bridge_store_product_firmware_replace(bridge_store *st, int product_id,
                                          const bridge_product_firmware *firmware, size_t count)
{
    firmware_args a = {product_id, firmware, count};
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(st, fill_firmware(st, &a));
    }
    bridge_db_leave(st);
    return error;
}

/* ---- a device's firmware (part of the device sync's transaction) ---- */

int bridge_db_device_firmware_sync(bridge_store *st, const bridge_cloud_device *cd, int64_t now_ms)
{
    if (!cd->has_firmware) {
        return 0;
    }
    bridge_value v[] = {bridge_v_text(cd->particle_id),
                        bridge_v_count_or_null(cd->firmware_version),
                        bridge_v_count_or_null(cd->targeted_firmware_version),
                        bridge_v_count_or_null(cd->desired_firmware_version),
                        flag_or_null(cd->firmware_updates_enabled),
                        flag_or_null(cd->firmware_updates_forced),
                        bridge_v_int(now_ms)};
    return bridge_db_run(st, BRIDGE_STMT_DEVFW_SYNC, v, BRIDGE_NPARAMS(v), NULL);
}

/* ---- readers ---- */

static int product_firmware_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_product_firmware fw = {
        .product_id = (int)dv->column_int(s, 0),
        .version = dv->column_int(s, 1),
        .firmware_id = dv->column_text(s, 2),
        .title = dv->column_text(s, 3),
        .description = dv->column_text(s, 4),
        .file_name = dv->column_text(s, 5),
        .size_bytes = dv->column_int(s, 6),
        .uploaded_at_ms = dv->column_int(s, 7),
        .uploaded_by = dv->column_text(s, 8),
        .product_default = dv->column_bool(s, 9),
        .mandatory = dv->column_bool(s, 10),
        .groups = dv->column_text(s, 11),
        .device_count = int_or_none(st, s, 12),
    };
    return cb.product_firmware(&fw, payload);
}

int bridge_store_product_firmware_list(bridge_store *st, const bridge_query *q,
                                       bridge_product_firmware_fn *cb, void *payload)
{
    bridge_value p[] = {bridge_v_text(q->product)};
    return bridge_db_each_row(st, BRIDGE_STMT_FIRMWARE_SELECT, p, 1, product_firmware_row,
                              (bridge_row_cb){.product_firmware = cb}, payload);
}

/* A flag column: 1, 0, or -1 when NULL. */
static int flag_of(bridge_store *st, bridge_stmt *s, int col)
{
    return st->drv->column_null(s, col) ? -1 : st->drv->column_bool(s, col);
}

static int device_firmware_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_device_firmware d = {
        .product_id = (int)dv->column_int(s, 0),
        .particle_id = dv->column_text(s, 1),
        .name = dv->column_text(s, 2),
        .firmware_version = int_or_none(st, s, 3),
        .targeted_version = int_or_none(st, s, 4),
        .desired_version = int_or_none(st, s, 5),
        .updates_enabled = flag_of(st, s, 6),
        .updates_forced = flag_of(st, s, 7),
        .flash_status = dv->column_text(s, 8),
        .flash_ms = dv->column_int(s, 9),
        .flash_version = int_or_none(st, s, 10),
        .gone = dv->column_bool(s, 11),
    };
    return cb.device_firmware(&d, payload);
}

int bridge_store_device_firmware_list(bridge_store *st, const bridge_query *q,
                                      bridge_device_firmware_fn *cb, void *payload)
{
    bridge_value p[] = {bridge_v_text(q->product)};
    return bridge_db_each_row(st, BRIDGE_STMT_DEVFW_SELECT, p, 1, device_firmware_row,
                              (bridge_row_cb){.device_firmware = cb}, payload);
}

static int rollout_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_firmware_rollout r = {
        .product_id = (int)dv->column_int(s, 0),
        .version = dv->column_int(s, 1),
        .title = dv->column_text(s, 2),
        .product_default = dv->column_bool(s, 3),
        .groups = dv->column_text(s, 4),
        .targeted = dv->column_int(s, 5),
        .updated = dv->column_int(s, 6),
        .failed = dv->column_int(s, 7),
        .running = dv->column_int(s, 8),
    };
    r.pending = r.targeted - r.updated - r.failed;
    return cb.rollout(&r, payload);
}

int bridge_store_firmware_rollouts(bridge_store *st, const bridge_query *q,
                                   bridge_firmware_rollout_fn *cb, void *payload)
{
    bridge_value p[] = {bridge_v_text(q->product)};
    return bridge_db_each_row(st, BRIDGE_STMT_ROLLOUT_SELECT, p, 1, rollout_row,
                              (bridge_row_cb){.rollout = cb}, payload);
}
