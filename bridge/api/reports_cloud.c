/* Reports over the cloud's objects kept whole (reports_cloud.h). */
#include "api/reports_cloud.h"

#include <stdint.h>

#include "pu_parse.h"

const bridge_report_field bridge_device_fields[] = {
    {"Owner", "owner", BRIDGE_FIELD_TEXT},
    {"LastIpAddress", "last_ip_address", BRIDGE_FIELD_TEXT},
    {"LastHandshakeAt", "last_handshake_at", BRIDGE_FIELD_DATE},
    {"SerialNumber", "serial_number", BRIDGE_FIELD_TEXT},
    {"Imei", "imei", BRIDGE_FIELD_TEXT},
    {"MacWifi", "mac_wifi", BRIDGE_FIELD_TEXT},
    {"Cellular", "cellular", BRIDGE_FIELD_BOOL},
    {"Status", "status", BRIDGE_FIELD_TEXT},
    {"SystemFirmwareVersion", "system_firmware_version", BRIDGE_FIELD_TEXT},
    {"FirmwareProductId", "firmware_product_id", BRIDGE_FIELD_NUMBER},
    {"FirmwareVersion", "firmware_version", BRIDGE_FIELD_NUMBER},
    {"TargetedFirmwareVersion", "targeted_firmware_release_version", BRIDGE_FIELD_NUMBER},
    {"DesiredFirmwareVersion", "desired_firmware_version", BRIDGE_FIELD_NUMBER},
    {"FirmwareUpdatesEnabled", "firmware_updates_enabled", BRIDGE_FIELD_BOOL},
    {"FirmwareUpdatesForced", "firmware_updates_forced", BRIDGE_FIELD_BOOL},
    {"Notes", "notes", BRIDGE_FIELD_TEXT},
    {"Groups", "groups", BRIDGE_FIELD_LIST},
    {"Development", "development", BRIDGE_FIELD_BOOL},
    {"Quarantined", "quarantined", BRIDGE_FIELD_BOOL},
    {"Denied", "denied", BRIDGE_FIELD_BOOL},
    {"DeviceProtection", "device_protection.status", BRIDGE_FIELD_TEXT},
};
const size_t bridge_device_field_count =
    sizeof bridge_device_fields / sizeof bridge_device_fields[0];

#define SIGNAL "device.network.signal."
#define CELL "device.network.cellular."
#define NET "device.network.connection."
#define CLOUD "device.cloud."

const bridge_report_field bridge_vitals_fields[] = {
    {"SignalStrengthValue", SIGNAL "strengthv", BRIDGE_FIELD_NUMBER},
    {"SignalStrengthType", SIGNAL "strengthv_type", BRIDGE_FIELD_TEXT},
    {"SignalQualityValue", SIGNAL "qualityv", BRIDGE_FIELD_NUMBER},
    {"SignalQualityType", SIGNAL "qualityv_type", BRIDGE_FIELD_TEXT},
    {"AccessTechnology", SIGNAL "at", BRIDGE_FIELD_TEXT},
    {"CellularOperator", CELL "operator", BRIDGE_FIELD_TEXT},
    {"RadioAccessTechnology", CELL "radio_access_technology", BRIDGE_FIELD_TEXT},
    {"MobileCountryCode", CELL "cell_global_identity.mobile_country_code", BRIDGE_FIELD_SCALAR},
    {"MobileNetworkCode", CELL "cell_global_identity.mobile_network_code", BRIDGE_FIELD_SCALAR},
    {"LocationAreaCode", CELL "cell_global_identity.location_area_code", BRIDGE_FIELD_SCALAR},
    {"CellId", CELL "cell_global_identity.cell_id", BRIDGE_FIELD_SCALAR},
    {"NetworkStatus", NET "status", BRIDGE_FIELD_TEXT},
    {"NetworkAttempts", NET "attempts", BRIDGE_FIELD_NUMBER},
    {"NetworkDisconnects", NET "disconnects", BRIDGE_FIELD_NUMBER},
    {"NetworkDisconnectReason", NET "disconnect_reason", BRIDGE_FIELD_TEXT},
    {"BatteryState", "device.power.battery.state", BRIDGE_FIELD_TEXT},
    {"PowerSource", "device.power.source", BRIDGE_FIELD_TEXT},
    {"CloudStatus", CLOUD "connection.status", BRIDGE_FIELD_TEXT},
    {"CloudAttempts", CLOUD "connection.attempts", BRIDGE_FIELD_NUMBER},
    {"CloudDisconnectReason", CLOUD "connection.disconnect_reason", BRIDGE_FIELD_TEXT},
    {"CoapTransmit", CLOUD "coap.transmit", BRIDGE_FIELD_NUMBER},
    {"CoapRetransmit", CLOUD "coap.retransmit", BRIDGE_FIELD_NUMBER},
    {"CoapUnacknowledged", CLOUD "coap.unack", BRIDGE_FIELD_NUMBER},
    {"CoapRoundTrip", CLOUD "coap.round_trip", BRIDGE_FIELD_NUMBER},
    {"PublishRateLimited", CLOUD "publish.rate_limited", BRIDGE_FIELD_NUMBER},
    {"ServiceDeviceStatus", "service.device.status", BRIDGE_FIELD_TEXT},
    {"ServiceCloudUptime", "service.cloud.uptime", BRIDGE_FIELD_NUMBER},
    {"ServicePublishSent", "service.cloud.publish.sent", BRIDGE_FIELD_NUMBER},
    {"ServiceCoapRoundTrip", "service.coap.round_trip", BRIDGE_FIELD_NUMBER},
};
const size_t bridge_vitals_field_count =
    sizeof bridge_vitals_fields / sizeof bridge_vitals_fields[0];

int bridge_report_product_filter(const bridge_query *q)
{
    int64_t id = 0;
    if (q->product == NULL) {
        return -1;
    }
    return pu_parse_int64(q->product, 1, INT32_MAX, &id) == 0 ? (int)id : 0;
}

const bridge_report_field bridge_sim_card_fields[] = {
    {"Iccid", "iccid", BRIDGE_FIELD_TEXT},
    {"Status", "status", BRIDGE_FIELD_TEXT},
    {"DeviceId", "last_device_id", BRIDGE_FIELD_TEXT},
    {"DeviceName", "last_device_name", BRIDGE_FIELD_TEXT},
    {"Carrier", "carrier", BRIDGE_FIELD_TEXT},
    {"Imsi", "imsi", BRIDGE_FIELD_TEXT},
    {"Msisdn", "msisdn", BRIDGE_FIELD_TEXT},
    {"BaseCountryCode", "base_country_code", BRIDGE_FIELD_TEXT},
    {"DataLimitMB", "mb_limit", BRIDGE_FIELD_NUMBER},
    {"BaseMonthlyRate", "base_monthly_rate", BRIDGE_FIELD_NUMBER},
    {"OverageMonthlyRate", "overage_monthly_rate", BRIDGE_FIELD_NUMBER},
    {"FirstActivatedOn", "first_activated_on", BRIDGE_FIELD_DATE},
    {"LastActivatedOn", "last_activated_on", BRIDGE_FIELD_DATE},
    {"LastStatusChangeAction", "last_status_change_action", BRIDGE_FIELD_TEXT},
    {"UpdatedAt", "updated_at", BRIDGE_FIELD_DATE},
};
const size_t bridge_sim_card_field_count =
    sizeof bridge_sim_card_fields / sizeof bridge_sim_card_fields[0];

const bridge_report_field bridge_fleet_usage_fields[] = {
    {"Date", "date", BRIDGE_FIELD_TEXT},
    {"MBUsed", "mbs_used", BRIDGE_FIELD_NUMBER},
    {"MBUsedCumulative", "mbs_used_cumulative", BRIDGE_FIELD_NUMBER},
};
const size_t bridge_fleet_usage_field_count =
    sizeof bridge_fleet_usage_fields / sizeof bridge_fleet_usage_fields[0];

/* What an object row becomes: the product, then @p fields of the object. */
typedef struct object_rows {
    json_t *rows;
    const bridge_report_field *fields;
    size_t count;
} object_rows;

static int add_object_row(const bridge_cloud_object *o, void *payload)
{
    object_rows * or = payload;
    json_t *object = json_loads(o->json, 0, NULL);
    json_t *row = json_pack("{s:i}", "ProductId", o->product_id);
    if (row != NULL) {
        bridge_report_fields_add(row, object, or->fields, or->count);
        json_array_append_new(or->rows, row);
    }
    json_decref(object);
    return 0;
}

static int object_report(bridge_store *st, const bridge_query *q, json_t *rows, const char *kind,
                         const bridge_report_field *fields, size_t count)
{
    int product = bridge_report_product_filter(q);
    if (product == 0) {
        return 0; /* a filter that is no product id matches nothing */
    }
    object_rows or = {rows, fields, count};
    return bridge_store_objects_list(st, kind, product, add_object_row, & or);
}

int bridge_report_sim_cards(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return object_report(st, q, rows, BRIDGE_OBJECT_SIM, bridge_sim_card_fields,
                         bridge_sim_card_field_count);
}

int bridge_report_fleet_usage(bridge_store *st, const bridge_query *q, json_t *rows)
{
    return object_report(st, q, rows, BRIDGE_OBJECT_FLEET_USAGE, bridge_fleet_usage_fields,
                         bridge_fleet_usage_field_count);
}

static int add_device_object(const bridge_cloud_object *o, void *payload)
{
    json_t *object = json_loads(o->json, 0, NULL);
    if (object != NULL) {
        json_object_set_new(payload, o->key, object);
    }
    return 0;
}

json_t *bridge_report_device_objects(bridge_store *st)
{
    json_t *by_id = json_object();
    if (by_id != NULL &&
        bridge_store_objects_list(st, BRIDGE_OBJECT_DEVICE, -1, add_device_object, by_id) != 0) {
        json_decref(by_id);
        return NULL;
    }
    return by_id;
}
