/* The fleet-organisation reports: each store reader's rows as JSON objects, keys in the
 * order of the report's columns (reports.c). */
#include "api/reports_fleet.h"

static int product_row(const bridge_product *p, void *payload)
{
    json_array_append_new(payload,
                          json_pack("{s:i, s:s, s:s, s:i, s:s, s:s, s:I, s:I, s:I}", "ProductId",
                                    p->product_id, "Slug", p->slug, "Name", p->name, "PlatformId",
                                    p->platform_id, "Description", p->description, "Organization",
                                    p->organization, "Devices", (json_int_t)p->devices, "Groups",
                                    (json_int_t)p->groups, "Customers", (json_int_t)p->customers));
    return 0;
}

int bridge_report_products(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return bridge_store_products_list(st, q, product_row, rows);
}

static int customer_row(const bridge_customer *c, void *payload)
{
    json_array_append_new(payload,
                          json_pack("{s:i, s:s, s:s, s:s, s:I, s:s}", "ProductId", c->product_id,
                                    "CustomerId", c->customer_id, "Username", c->username,
                                    "FullName", c->full_name, "Devices",
                                    (json_int_t)c->device_count, "DeviceIds", c->device_ids));
    return 0;
}

int bridge_report_customers(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return bridge_store_customers_list(st, q, customer_row, rows);
}

static int group_row(const bridge_group *g, void *payload)
{
    json_t *fw = g->fw_version < 0 ? json_null() : json_integer((json_int_t)g->fw_version);
    json_array_append_new(payload, json_pack("{s:i, s:s, s:s, s:s, s:o, s:I}", "ProductId",
                                             g->product_id, "Name", g->name, "Description",
                                             g->description, "Color", g->color, "FirmwareVersion",
                                             fw, "Devices", (json_int_t)g->devices));
    return 0;
}

int bridge_report_groups(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return bridge_store_groups_list(st, q, group_row, rows);
}

static int product_device_row(const bridge_product_device *d, void *payload)
{
    json_array_append_new(
        payload, json_pack("{s:i, s:s, s:s, s:i, s:b, s:b, s:o, s:s, s:s, s:b}", "ProductId",
                           d->product_id, "DeviceId", d->particle_id, "Name", d->name, "PlatformId",
                           d->platform_id, "Connected", d->connected, "Enabled", d->enabled,
                           "LastHeard", bridge_report_date_or_null(d->last_heard_ms), "Iccid",
                           d->iccid, "Groups", d->groups, "Gone", d->gone));
    return 0;
}

int bridge_report_product_devices(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return bridge_store_product_devices_list(st, q, product_device_row, rows);
}
