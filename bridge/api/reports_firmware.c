/* The firmware reports: each store reader's rows as JSON objects, keys in the order of the
 * report's columns (reports.c). A version, count or flag the store does not know is null. */
#include "api/reports_firmware.h"

#include "api/reports_fleet.h"

static json_t *int_or_null(int64_t v)
{
    return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *flag_or_null(int flag)
{
    return flag < 0 ? json_null() : json_boolean(flag);
}

static int product_firmware_row(const bridge_product_firmware *fw, void *payload)
{
    json_t *row = json_pack(
        "{s:i, s:I, s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:b, s:o, s:s, s:o}", "ProductId",
        fw->product_id, "Version", (json_int_t)fw->version, "Id", fw->firmware_id, "Title",
        fw->title, "Description", fw->description, "Name", fw->file_name, "Size",
        (json_int_t)fw->size_bytes, "ProductDefault", fw->product_default, "Groups", fw->groups,
        "Mandatory", fw->mandatory, "UploadedOn", bridge_report_date_or_null(fw->uploaded_at_ms),
        "UploadedBy", fw->uploaded_by, "DeviceCount", int_or_null(fw->device_count));
    json_array_append_new(payload, row);
    return 0;
}

int bridge_report_product_firmware(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return bridge_store_product_firmware_list(st, q, product_firmware_row, rows);
}

static int rollout_row(const bridge_firmware_rollout *r, void *payload)
{
    json_t *row =
        json_pack("{s:i, s:I, s:s, s:b, s:s, s:I, s:I, s:I, s:I, s:I}", "ProductId", r->product_id,
                  "Version", (json_int_t)r->version, "Title", r->title, "ProductDefault",
                  r->product_default, "Groups", r->groups, "Targeted", (json_int_t)r->targeted,
                  "Updated", (json_int_t)r->updated, "Failed", (json_int_t)r->failed, "Pending",
                  (json_int_t)r->pending, "Running", (json_int_t)r->running);
    json_array_append_new(payload, row);
    return 0;
}

int bridge_report_firmware_rollout(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return bridge_store_firmware_rollouts(st, q, rollout_row, rows);
}

static int device_firmware_row(const bridge_device_firmware *d, void *payload)
{
    json_t *row = json_pack(
        "{s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:b}", "ProductId", d->product_id,
        "DeviceId", d->particle_id, "Name", d->name, "FirmwareVersion",
        int_or_null(d->firmware_version), "TargetedVersion", int_or_null(d->targeted_version),
        "DesiredVersion", int_or_null(d->desired_version), "UpdatesEnabled",
        flag_or_null(d->updates_enabled), "UpdatesForced", flag_or_null(d->updates_forced),
        "LastFlashStatus", d->flash_status, "LastFlashAt", bridge_report_date_or_null(d->flash_ms),
        "LastFlashVersion", int_or_null(d->flash_version), "Gone", d->gone);
    json_array_append_new(payload, row);
    return 0;
}

int bridge_report_device_firmware(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return bridge_store_device_firmware_list(st, q, device_firmware_row, rows);
}
