#include "api/reports.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/formats.h"
#include "api/reports_cloud.h"
#include "api/reports_devices.h"
#include "api/reports_firmware.h"
#include "api/reports_fleet.h"
#include "pu_csv.h"
#include "timespan.h"

#define MAX_COLUMNS 16       /* of a report's own columns, NULL included */
#define MAX_FIELD_COLUMNS 64 /* read from a cloud object (report_fields.h) */
#define MAX_PRODUCTS 256     /* distinct product ids in one report; more are summed as "other" */

/* Fills @p rows; @p q holds the request's filters (device, from, to, limit), which the
 * reports that do not filter ignore. */
typedef int report_fn(bridge_store *st, const bridge_query *q, json_t *rows);

struct bridge_report {
    const char *name;
    const char *columns[MAX_COLUMNS]; /* NULL-terminated */
    report_fn *run;
    /* more columns, after those, read from a cloud object (report_fields.h); may be NULL */
    const bridge_report_field *fields;
    const size_t *field_count;
};

json_t *bridge_report_date_or_null(int64_t ms)
{
    char text[BRIDGE_TIMESPAN_SIZE];
    return ms > 0 ? json_string(bridge_date_format(ms, text)) : json_null();
}

/* Get Device Information: the stored device and every field of its device object. */
static int devices_report(bridge_store *st, const bridge_query *q, json_t *rows)
{
    json_t *objects = bridge_report_device_objects(st);
    if (objects == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    int product = bridge_report_product_filter(q);
    bridge_device *devs = NULL;
    size_t n = 0;
    int rc = bridge_store_device_list(st, &devs, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const bridge_device *d = &devs[i];
        if (product >= 0 && d->product_id != product) {
            continue;
        }
        json_t *row = json_pack(
            "{s:s, s:s, s:i, s:i, s:b, s:b, s:s, s:o, s:o, s:s, s:I, s:I, s:b, "
            "s:i, s:b}",
            "DeviceId", d->particle_id, "Name", d->name, "ProductId", d->product_id, "PlatformId",
            d->platform_id, "Connected", d->connected, "Enabled", d->enabled, "LastApp",
            d->last_app, "LastHeard", bridge_report_date_or_null(d->last_heard_ms), "DateAdded",
            bridge_report_date_or_null(d->date_added_ms), "Iccid", d->iccid, "Variables",
            (json_int_t)d->variable_count, "Functions", (json_int_t)d->function_count, "Faulted",
            d->faulted, "FaultCount", d->fault_count, "Gone", d->gone);
        if (row != NULL) {
            bridge_report_fields_add(row, json_object_get(objects, d->particle_id),
                                     bridge_device_fields, bridge_device_field_count);
            json_array_append_new(rows, row);
        }
    }
    bridge_device_list_free(devs, n);
    json_decref(objects);
    return rc;
}

/* Per-product sums, in order of first appearance (the device list is sorted by id). */
typedef struct product_sum {
    int product_id;
    long long devices, online, enabled, faulted, gone, sims;
    double month_to_date_mb, estimated_month_mb, base_monthly_cost;
} product_sum;

static product_sum *sum_for(product_sum *sums, size_t *count, int product_id)
{
    for (size_t i = 0; i < *count; i++) {
        if (sums[i].product_id == product_id) {
            return &sums[i];
        }
    }
    if (*count == MAX_PRODUCTS) {
        return &sums[MAX_PRODUCTS - 1];
    }
    sums[*count] = (product_sum){.product_id = product_id};
    return &sums[(*count)++];
}

/* Fills one product_sum per product; with_sims also reads each device's SIM. */
static int sum_products(bridge_store *st, bool with_sims, product_sum *sums, size_t *count)
{
    bridge_device *devs = NULL;
    size_t n = 0;
    int rc = bridge_store_device_list(st, &devs, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const bridge_device *d = &devs[i];
        product_sum *p = sum_for(sums, count, d->product_id);
        p->devices++;
        p->online += d->connected;
        p->enabled += d->enabled;
        p->faulted += d->faulted;
        p->gone += d->gone;
        bridge_sim sim;
        if (!with_sims || d->iccid[0] == '\0') {
            continue;
        }
        int got = bridge_store_sim_get(st, d->iccid, &sim);
        if (got == BRIDGE_STORE_NOTFOUND) {
            continue;
        }
        if (got != 0) {
            rc = got;
            break;
        }
        p->sims++;
        p->base_monthly_cost += sim.base_monthly_rate;
        if (sim.usage_count > 0) {
            p->month_to_date_mb += sim.usage[sim.usage_count - 1].cumulative_mb;
            p->estimated_month_mb += bridge_sim_estimated_month_usage(&sim);
        }
        bridge_sim_dispose(&sim);
    }
    bridge_device_list_free(devs, n);
    return rc;
}

static int fleet_status_report(bridge_store *st, const bridge_query *q, json_t *rows)
{
    (void)q;
    product_sum sums[MAX_PRODUCTS];
    size_t count = 0;
    int rc = sum_products(st, false, sums, &count);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const product_sum *p = &sums[i];
        json_array_append_new(rows, json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I}", "ProductId",
                                              p->product_id, "Devices", (json_int_t)p->devices,
                                              "Online", (json_int_t)p->online, "Offline",
                                              (json_int_t)(p->devices - p->online), "Enabled",
                                              (json_int_t)p->enabled, "Faulted",
                                              (json_int_t)p->faulted, "Gone", (json_int_t)p->gone));
    }
    return rc;
}

static int data_usage_report(bridge_store *st, const bridge_query *q, json_t *rows)
{
    (void)q;
    product_sum sums[MAX_PRODUCTS];
    size_t count = 0;
    int rc = sum_products(st, true, sums, &count);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const product_sum *p = &sums[i];
        json_array_append_new(
            rows, json_pack("{s:i, s:I, s:I, s:f, s:f, s:f}", "ProductId", p->product_id, "Devices",
                            (json_int_t)p->devices, "Sims", (json_int_t)p->sims, "MonthToDateMB",
                            p->month_to_date_mb, "EstimatedMonthMB", p->estimated_month_mb,
                            "BaseMonthlyCost", p->base_monthly_cost));
    }
    return rc;
}

/* One report row of a device and its stored SIM (a new reference). */
typedef json_t *sim_row_fn(const bridge_device *d, const bridge_sim *s);

/* A row per device with a SIM the store knows, in device order; only device @p device_id's
 * when not NULL (?device=, the dashboard's device page). */
static int sim_rows(bridge_store *st, const char *device_id, json_t *rows, sim_row_fn *row)
{
    bridge_device *devs = NULL;
    size_t n = 0;
    int rc = bridge_store_device_list(st, &devs, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const bridge_device *d = &devs[i];
        bridge_sim s;
        if (d->iccid[0] == '\0' || (device_id != NULL && strcmp(device_id, d->particle_id) != 0)) {
            continue;
        }
        int got = bridge_store_sim_get(st, d->iccid, &s);
        if (got == BRIDGE_STORE_NOTFOUND) {
            continue;
        }
        if (got != 0) {
            rc = got;
            break;
        }
        json_array_append_new(rows, row(d, &s));
        bridge_sim_dispose(&s);
    }
    bridge_device_list_free(devs, n);
    return rc;
}

static json_t *sim_info_row(const bridge_device *d, const bridge_sim *s)
{
    double mtd = s->usage_count > 0 ? s->usage[s->usage_count - 1].cumulative_mb : 0;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:o, s:o, s:f, s:f}", "Iccid",
                     s->iccid, "DeviceId", d->particle_id, "DeviceName", d->name, "Status",
                     s->status, "Carrier", s->carrier, "BaseCountryCode", s->base_country_code,
                     "Imsi", s->imsi, "DataLimitMB", s->limit_mb, "BaseMonthlyRate",
                     s->base_monthly_rate, "FirstActivatedOn",
                     bridge_report_date_or_null(s->first_activated_on_ms), "LastActivatedOn",
                     bridge_report_date_or_null(s->last_activated_on_ms), "MonthToDateMB", mtd,
                     "EstimatedMonthMB", bridge_sim_estimated_month_usage(s));
}

static int sims_report(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return sim_rows(st, q->device_id, rows, sim_info_row);
}

/* A network flag: true, false, or null when the cloud has not said. */
static json_t *flag_or_null(int flag)
{
    return flag < 0 ? json_null() : json_boolean(flag);
}

static json_t *cellular_row(const bridge_device *d, const bridge_sim *s)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "Iccid", s->iccid, "DeviceId",
                     d->particle_id, "DeviceName", d->name, "SimStatus", s->status, "Connected",
                     flag_or_null(s->network.connected), "GsmConnection",
                     flag_or_null(s->network.gsm), "DataConnection", flag_or_null(s->network.data),
                     "CheckedAt", bridge_report_date_or_null(s->network.checked_ms));
}

static int cellular_status_report(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return sim_rows(st, q->device_id, rows, cellular_row);
}

/* ---- device vitals ---- */

#define VITALS_COLUMNS                                                                             \
    {                                                                                              \
        "DeviceId", "Name", "UpdatedAt", "Source", "SignalStrength", "SignalQuality",              \
            "BatteryCharge", "MemoryUsed", "MemoryTotal", "Uptime", "CloudDisconnects", NULL       \
    }

/* Rows of a vitals report; the device list gives the names. */
typedef struct vitals_rows {
    json_t *rows;
    const bridge_device *devs; /* sorted by particle_id, as the store lists them */
    size_t count;
} vitals_rows;

static int by_particle_id(const void *key, const void *elem)
{
    return strcmp(key, ((const bridge_device *)elem)->particle_id);
}

static json_t *real_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *count_or_null(int64_t v)
{
    return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static int add_vitals_row(const bridge_vitals *v, void *payload)
{
    vitals_rows *vr = payload;
    /* vitals may come before the device is stored; bsearch must not get a NULL array */
    const bridge_device *d = vr->count == 0 ? NULL
                                            : bsearch(v->device_id, vr->devs, vr->count,
                                                      sizeof *vr->devs, by_particle_id);
    json_t *row = json_pack(
        "{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "DeviceId", v->device_id, "Name",
        d != NULL ? d->name : "", "UpdatedAt", bridge_report_date_or_null(v->updated_at_ms),
        "Source", v->source, "SignalStrength", real_or_null(v->signal_strength_pct),
        "SignalQuality", real_or_null(v->signal_quality_pct), "BatteryCharge",
        real_or_null(v->battery_charge_pct), "MemoryUsed", count_or_null(v->memory_used_bytes),
        "MemoryTotal", count_or_null(v->memory_total_bytes), "Uptime", count_or_null(v->uptime_s),
        "CloudDisconnects", count_or_null(v->cloud_disconnects));
    if (row != NULL) {
        json_t *payload_json = json_loads(v->payload, 0, NULL);
        bridge_report_fields_add(row, payload_json, bridge_vitals_fields,
                                 bridge_vitals_field_count);
        json_decref(payload_json);
        json_array_append_new(vr->rows, row);
    }
    return 0;
}

/* Get Last Known Device Vitals: one row per device with vitals (or the one ?device=). */
static int vitals_last_report(bridge_store *st, const bridge_query *q, json_t *rows)
{
    vitals_rows vr = {.rows = rows};
    bridge_device *devs = NULL;
    int rc = bridge_store_device_list(st, &devs, &vr.count);
    vr.devs = devs;
    if (rc == 0) {
        rc = bridge_store_vitals_last(st, q->device_id, add_vitals_row, &vr);
    }
    bridge_device_list_free(devs, vr.count);
    return rc;
}

/* Get All Historical Device Vitals: the rows of a time range (device, from, to, limit). */
static int vitals_history_report(bridge_store *st, const bridge_query *q, json_t *rows)
{
    vitals_rows vr = {.rows = rows};
    bridge_device *devs = NULL;
    int rc = bridge_store_device_list(st, &devs, &vr.count);
    vr.devs = devs;
    if (rc == 0) {
        rc = bridge_store_vitals_history(st, q, add_vitals_row, &vr);
    }
    bridge_device_list_free(devs, vr.count);
    return rc;
}

static const bridge_report reports[] = {
    {"devices",
     {"DeviceId", "Name", "ProductId", "PlatformId", "Connected", "Enabled", "LastApp", "LastHeard",
      "DateAdded", "Iccid", "Variables", "Functions", "Faulted", "FaultCount", "Gone", NULL},
     devices_report,
     bridge_device_fields,
     &bridge_device_field_count},
    {"fleet-status",
     {"ProductId", "Devices", "Online", "Offline", "Enabled", "Faulted", "Gone", NULL},
     fleet_status_report,
     NULL,
     NULL},
    {"sims",
     {"Iccid", "DeviceId", "DeviceName", "Status", "Carrier", "BaseCountryCode", "Imsi",
      "DataLimitMB", "BaseMonthlyRate", "FirstActivatedOn", "LastActivatedOn", "MonthToDateMB",
      "EstimatedMonthMB", NULL},
     sims_report,
     NULL,
     NULL},
    {"data-usage",
     {"ProductId", "Devices", "Sims", "MonthToDateMB", "EstimatedMonthMB", "BaseMonthlyCost", NULL},
     data_usage_report,
     NULL,
     NULL},
    {"cellular-status",
     {"Iccid", "DeviceId", "DeviceName", "SimStatus", "Connected", "GsmConnection",
      "DataConnection", "CheckedAt", NULL},
     cellular_status_report,
     NULL,
     NULL},
    {"vitals-last", VITALS_COLUMNS, vitals_last_report, bridge_vitals_fields,
     &bridge_vitals_field_count},
    {"vitals-history", VITALS_COLUMNS, vitals_history_report, bridge_vitals_fields,
     &bridge_vitals_field_count},
    {"products",
     {"ProductId", "Slug", "Name", "PlatformId", "Description", "Organization", "Devices", "Groups",
      "Customers", NULL},
     bridge_report_products,
     NULL,
     NULL},
    {"customers",
     {"ProductId", "CustomerId", "Username", "FullName", "Devices", "DeviceIds", NULL},
     bridge_report_customers,
     NULL,
     NULL},
    {"groups",
     {"ProductId", "Name", "Description", "Color", "FirmwareVersion", "Devices", NULL},
     bridge_report_groups,
     NULL,
     NULL},
    {"product-devices",
     {"ProductId", "DeviceId", "Name", "PlatformId", "Connected", "Enabled", "LastHeard", "Iccid",
      "Groups", "Gone", NULL},
     bridge_report_product_devices,
     NULL,
     NULL},
    {"product-firmware",
     {"ProductId", "Version", "Id", "Title", "Description", "Name", "Size", "ProductDefault",
      "Groups", "Mandatory", "UploadedOn", "UploadedBy", "DeviceCount", NULL},
     bridge_report_product_firmware,
     NULL,
     NULL},
    {"firmware-rollout",
     {"ProductId", "Version", "Title", "ProductDefault", "Groups", "Targeted", "Updated", "Failed",
      "Pending", "Running", NULL},
     bridge_report_firmware_rollout,
     NULL,
     NULL},
    {"device-firmware",
     {"ProductId", "DeviceId", "Name", "FirmwareVersion", "TargetedVersion", "DesiredVersion",
      "UpdatesEnabled", "UpdatesForced", "LastFlashStatus", "LastFlashAt", "LastFlashVersion",
      "Gone", NULL},
     bridge_report_device_firmware,
     NULL,
     NULL},
    {"list-devices",
     {"DeviceId", "Name", "ProductId", "PlatformId", "Connected", "LastHeard", "Iccid", "Gone",
      NULL},
     bridge_report_list_devices,
     NULL,
     NULL},
    {"variable-values",
     {"DeviceId", "DeviceName", "Variable", "Value", "UpdatedAt", "Source", NULL},
     bridge_report_variable_values,
     NULL,
     NULL},
    {"sim-cards",
     {"ProductId", NULL},
     bridge_report_sim_cards,
     bridge_sim_card_fields,
     &bridge_sim_card_field_count},
    {"fleet-usage",
     {"ProductId", NULL},
     bridge_report_fleet_usage,
     bridge_fleet_usage_fields,
     &bridge_fleet_usage_field_count},
};

const bridge_report *bridge_report_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof reports / sizeof reports[0]; i++) {
        if (strcmp(reports[i].name, name) == 0) {
            return &reports[i];
        }
    }
    return NULL;
}

const char *bridge_report_name(const bridge_report *r)
{
    return r->name;
}

const char *bridge_report_names(void)
{
    return "devices, fleet-status, sims, data-usage, cellular-status, vitals-last, "
           "vitals-history, products, customers, groups, product-devices, product-firmware, "
           "firmware-rollout, device-firmware, list-devices, variable-values, sim-cards, "
           "fleet-usage";
}

int bridge_report_run(const bridge_report *r, bridge_store *st, const bridge_query *q, json_t **out)
{
    json_t *rows = json_array();
    if (rows == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    bridge_query none = {0};
    int rc = r->run(st, q != NULL ? q : &none, rows);
    if (rc != 0) {
        json_decref(rows);
        return rc;
    }
    *out = rows;
    return 0;
}

/* One JSON scalar as CSV text: strings as they are, numbers in full, null as empty. */
static const char *cell(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_integer(v)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        snprintf(buf, size, "%.15g", json_real_value(v));
    } else if (json_is_boolean(v)) {
        return json_is_true(v) ? "true" : "false";
    } else {
        buf[0] = '\0';
    }
    return buf;
}

char *bridge_report_csv(const bridge_report *r, const json_t *rows, size_t *len_out)
{
    return bridge_report_csv_as(r, rows, false, len_out);
}

char *bridge_report_csv_as(const bridge_report *r, const json_t *rows, bool raw, size_t *len_out)
{
    pu_csv c;
    pu_csv_init(&c, PU_CSV_CRLF);
    pu_csv_set_raw(&c, raw);
    const char *columns[MAX_COLUMNS + MAX_FIELD_COLUMNS];
    size_t ncol = 0;
    while (ncol < MAX_COLUMNS && r->columns[ncol] != NULL) {
        columns[ncol] = r->columns[ncol];
        ncol++;
    }
    for (size_t i = 0;
         r->fields != NULL && i < *r->field_count && ncol < MAX_COLUMNS + MAX_FIELD_COLUMNS; i++) {
        columns[ncol++] = r->fields[i].column;
    }
    for (size_t i = 0; i < ncol; i++) {
        pu_csv_field(&c, columns[i], i + 1 == ncol);
    }
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (size_t k = 0; k < ncol; k++) {
            char buf[64];
            pu_csv_field(&c, cell(json_object_get(row, columns[k]), buf, sizeof buf),
                         k + 1 == ncol);
        }
    }
    return pu_buf_take(&c.buf, len_out); /* ownership moves to the caller */
}
