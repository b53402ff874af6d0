/* The store's domain layer: how the fleet is organised (cloud-api.md section 9). Products,
 * each product's customers and groups, and a product device's groups are each written as a
 * whole set: one transaction deletes the old set and upserts the new one, so what the cloud
 * no longer lists is gone and a reader never sees half a set. */
#include "store/domain.h"

#include <string.h>

/* Runs @p fill (the set's statements) in one transaction under the handle's lock. */
typedef int fill_fn(bridge_store *st, const void *args);

static int in_transaction(bridge_store *st, fill_fn *fill, const void *args)
{
    if (bridge_db_enter(st) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = bridge_db_begin(st);
    if (error == 0) {
        error = bridge_db_finish(st, fill(st, args));
    }
    bridge_db_leave(st);
    return error;
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* ---- products ---- */

typedef struct products_args {
    const char *owner;
    const bridge_product *products;
    size_t count;
} products_args;

static int fill_products(bridge_store *st, const void *args)
{
    const products_args *a = args;
    bridge_value owner[] = {bridge_v_text(a->owner)};
    int error = bridge_db_run(st, BRIDGE_STMT_PRODUCT_DELETE_OWNER, owner, 1, NULL);
    for (size_t i = 0; error == 0 && i < a->count; i++) {
        const bridge_product *p = &a->products[i];
        bridge_value v[] = {bridge_v_int(p->product_id),
                            bridge_v_text(or_empty(p->slug)),
                            bridge_v_text(or_empty(p->name)),
                            bridge_v_int(p->platform_id),
                            bridge_v_text(or_empty(p->description)),
                            bridge_v_text(or_empty(p->organization)),
                            bridge_v_text(a->owner)};
        error = bridge_db_run(st, BRIDGE_STMT_PRODUCT_UPSERT, v, BRIDGE_NPARAMS(v), NULL);
    }
    return error;
}

int bridge_store_products_replace(bridge_store *st, const char *owner,
                                  const bridge_product *products, size_t count)
{
    products_args a = {or_empty(owner), products, count};
    return in_transaction(st, fill_products, &a);
}

/* ---- customers ---- */

typedef struct customers_args {
    int product_id;
    const bridge_customer *customers;
    size_t count;
} customers_args;

static int fill_customers(bridge_store *st, const void *args)
{
    const customers_args *a = args;
    bridge_value product[] = {bridge_v_int(a->product_id)};
    int error = bridge_db_run(st, BRIDGE_STMT_CUSTOMER_DELETE_PRODUCT, product, 1, NULL);
    for (size_t i = 0; error == 0 && i < a->count; i++) {
        const bridge_customer *c = &a->customers[i];
        if (c->username == NULL || c->username[0] == '\0') {
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "customer without username");
        }
        bridge_value v[] = {bridge_v_int(a->product_id),
                            bridge_v_text(c->username),
                            bridge_v_text(or_empty(c->customer_id)),
                            bridge_v_text(or_empty(c->full_name)),
                            bridge_v_text(or_empty(c->device_ids)),
                            bridge_v_int(c->device_count)};
        error = bridge_db_run(st, BRIDGE_STMT_CUSTOMER_UPSERT, v, BRIDGE_NPARAMS(v), NULL);
    }
    return error;
}

int bridge_store_customers_replace(bridge_store *st, int product_id,
                                   const bridge_customer *customers, size_t count)
{
    customers_args a = {product_id, customers, count};
    return in_transaction(st, fill_customers, &a);
}

/* ---- groups ---- */

typedef struct groups_args {
    int product_id;
    const bridge_group *groups;
    size_t count;
} groups_args;

static int fill_groups(bridge_store *st, const void *args)
{
    const groups_args *a = args;
    bridge_value product[] = {bridge_v_int(a->product_id)};
    int error = bridge_db_run(st, BRIDGE_STMT_GROUP_DELETE_PRODUCT, product, 1, NULL);
    for (size_t i = 0; error == 0 && i < a->count; i++) {
        const bridge_group *g = &a->groups[i];
        if (g->name == NULL || g->name[0] == '\0') {
            return bridge_db_fail(st, BRIDGE_STORE_ERROR, "group without name");
        }
        bridge_value v[] = {bridge_v_int(a->product_id), bridge_v_text(g->name),
                            bridge_v_text(or_empty(g->description)),
                            bridge_v_text(or_empty(g->color)),
                            bridge_v_count_or_null(g->fw_version)};
        error = bridge_db_run(st, BRIDGE_STMT_GROUP_UPSERT, v, BRIDGE_NPARAMS(v), NULL);
    }
    return error;
}

int bridge_store_groups_replace(bridge_store *st, int product_id, const bridge_group *groups,
                                size_t count)
{
    groups_args a = {product_id, groups, count};
    return in_transaction(st, fill_groups, &a);
}

/* ---- a device's groups (part of the device sync's transaction) ---- */

int bridge_db_device_groups_replace(bridge_store *st, const char *device_id,
                                    const char *const *groups, size_t count)
{
    bridge_value id[] = {bridge_v_text(device_id)};
    int error = bridge_db_run(st, BRIDGE_STMT_DEVGROUP_DELETE_DEV, id, 1, NULL);
    for (size_t i = 0; error == 0 && i < count; i++) {
        if (groups[i] == NULL || groups[i][0] == '\0') {
            continue; /* nothing to name it by */
        }
        bridge_value v[] = {bridge_v_text(device_id), bridge_v_text(groups[i])};
        error = bridge_db_run(st, BRIDGE_STMT_DEVGROUP_INSERT, v, BRIDGE_NPARAMS(v), NULL);
    }
    return error;
}

/* ---- readers ---- */

static int product_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_product p = {
        .product_id = (int)dv->column_int(s, 0),
        .slug = dv->column_text(s, 1),
        .name = dv->column_text(s, 2),
        .platform_id = (int)dv->column_int(s, 3),
        .description = dv->column_text(s, 4),
        .organization = dv->column_text(s, 5),
        .devices = dv->column_int(s, 6),
        .groups = dv->column_int(s, 7),
        .customers = dv->column_int(s, 8),
    };
    return cb.product(&p, payload);
}

int bridge_store_products_list(bridge_store *st, const bridge_query *q, bridge_product_fn *cb,
                               void *payload)
{
    bridge_value p[] = {bridge_v_text(q->product)};
    return bridge_db_each_row(st, BRIDGE_STMT_PRODUCT_SELECT, p, 1, product_row,
                              (bridge_row_cb){.product = cb}, payload);
}

static int customer_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_customer c = {
        .product_id = (int)dv->column_int(s, 0),
        .username = dv->column_text(s, 1),
        .customer_id = dv->column_text(s, 2),
        .full_name = dv->column_text(s, 3),
        .device_ids = dv->column_text(s, 4),
        .device_count = dv->column_int(s, 5),
    };
    return cb.customer(&c, payload);
}

int bridge_store_customers_list(bridge_store *st, const bridge_query *q, bridge_customer_fn *cb,
                                void *payload)
{
    bridge_value p[] = {bridge_v_text(q->product)};
    return bridge_db_each_row(st, BRIDGE_STMT_CUSTOMER_SELECT, p, 1, customer_row,
                              (bridge_row_cb){.customer = cb}, payload);
}

static int group_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_group g = {
        .product_id = (int)dv->column_int(s, 0),
        .name = dv->column_text(s, 1),
        .description = dv->column_text(s, 2),
        .color = dv->column_text(s, 3),
        .fw_version = dv->column_null(s, 4) ? -1 : dv->column_int(s, 4),
        .devices = dv->column_int(s, 5),
    };
    return cb.group(&g, payload);
}

int bridge_store_groups_list(bridge_store *st, const bridge_query *q, bridge_group_fn *cb,
                             void *payload)
{
    bridge_value p[] = {bridge_v_text(q->product)};
    return bridge_db_each_row(st, BRIDGE_STMT_GROUP_SELECT, p, 1, group_row,
                              (bridge_row_cb){.group = cb}, payload);
}

static int product_device_row(bridge_store *st, bridge_stmt *s, bridge_row_cb cb, void *payload)
{
    const bridge_driver *dv = st->drv;
    bridge_product_device d = {
        .product_id = (int)dv->column_int(s, 0),
        .particle_id = dv->column_text(s, 1),
        .name = dv->column_text(s, 2),
        .platform_id = (int)dv->column_int(s, 3),
        .connected = dv->column_bool(s, 4),
        .enabled = dv->column_bool(s, 5),
        .last_heard_ms = dv->column_int(s, 6),
        .iccid = dv->column_text(s, 7),
        .gone = dv->column_bool(s, 8),
        .groups = dv->column_text(s, 9),
    };
    return cb.product_device(&d, payload);
}

int bridge_store_product_devices_list(bridge_store *st, const bridge_query *q,
                                      bridge_product_device_fn *cb, void *payload)
{
    bridge_value p[] = {bridge_v_text(q->product), bridge_v_text(q->group)};
    return bridge_db_each_row(st, BRIDGE_STMT_PRODUCT_DEVICE_SELECT, p, BRIDGE_NPARAMS(p),
                              product_device_row, (bridge_row_cb){.product_device = cb}, payload);
}
