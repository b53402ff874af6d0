#include "ingest/event_check.h"

#include <string.h>

bool bridge_device_id_valid(const char *id)
{
    size_t n = id != NULL ? strlen(id) : 0;
    if (n == 0 || n >= BRIDGE_ID_SIZE) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-' || *p == '_')) {
            return false;
        }
    }
    return true;
}

const char *bridge_event_check(const bridge_event_in *ev)
{
    if (ev->name == NULL || ev->name[0] == '\0' || strlen(ev->name) > BRIDGE_EVENT_NAME_MAX) {
        return "event: required, a name of 1 to 64 characters";
    }
    if (!bridge_device_id_valid(ev->device_id)) {
        return "coreid: required, the device id";
    }
    if (ev->data != NULL && strlen(ev->data) > BRIDGE_EVENT_DATA_MAX) {
        return "data: longer than 16384 bytes";
    }
    if (ev->published_at_ms < 0) {
        return "published_at: before 1970";
    }
    return NULL;
}
